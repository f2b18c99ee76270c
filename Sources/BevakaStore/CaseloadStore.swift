import BevakaDomain
import Foundation

/// A change to one person's record that someone else saved, as this process now sees it.
public struct ChangedElsewhere: Equatable, Sendable {
    /// The record as it now is: theirs, with the local change kept where it touched other parts.
    public var client: Client
    /// The local copy the change was merged into (for rebasing changes made meanwhile).
    public var local: Client?
    /// Who saved it (the database role) and when.
    public var by: String
    public var at: Date
    /// Parts of the local change that could not be kept (both changed the same value).
    public var notApplied: [String]
    /// A local change was merged in and is kept.
    public var localKept: Bool
    /// The person is no longer the user's to see (handed over to another handläggare, a cover
    /// that ended, or already the case of a colleague): `client` is the last local copy, to be
    /// taken out of the app.
    public var gone: Bool
    /// Gone because the person was added here but the unit already has them with a colleague.
    public var alreadyInUnit: Bool

    public init(client: Client, local: Client?, by: String, at: Date, notApplied: [String], localKept: Bool = false,
                gone: Bool = false, alreadyInUnit: Bool = false) {
        self.client = client
        self.local = local
        self.by = by
        self.at = at
        self.notApplied = notApplied
        self.localKept = localKept
        self.gone = gone
        self.alreadyInUnit = alreadyInUnit
    }
}

/// What replaying a recovery file did at start.
public struct RecoveryOutcome: Equatable, Sendable {
    /// People whose kept changes reached the store.
    public var saved: Int
    /// Those that had been changed by others meanwhile and were merged.
    public var merged: [ChangedElsewhere]

    public init(saved: Int, merged: [ChangedElsewhere]) {
        self.saved = saved
        self.merged = merged
    }
}

/// Where the caseload is kept. Two engines: the JSON file (one handläggare, the default) and
/// PostgreSQL (the unit). The domain, the app and the commands see only this.
public protocol CaseloadStore: AnyObject {
    /// The store's name for messages: a path, or a URL without its password.
    var location: String { get }
    /// Takes what writing needs: the file's lock, or the server's connection and schema check.
    func prepareForWriting() throws(StoreError)
    /// The caseload this user may see; nil when there is none yet.
    func load() throws(StoreError) -> Caseload?
    /// Saves the newest caseload. The file rewrites its document; the server writes only the
    /// people that differ from what it last confirmed, each with a version check. Changes saved
    /// by others to the same people meanwhile are merged in and returned, never overwritten.
    func saveChanges(_ caseload: Caseload) throws(StoreError) -> [ChangedElsewhere]
    /// Changes others saved since the last call, merged with `local` (the newest caseload here).
    func changesElsewhere(local: Caseload) throws(StoreError) -> [ChangedElsewhere]
    /// Keeps changes that could not be saved where the next start finds them, with what they
    /// were based on; returns where. nil when the store has no such place (the file store: the
    /// app asks instead).
    func keepForRecovery(_ caseload: Caseload) throws(StoreError) -> String?
    /// At start: saves what an earlier run kept, with the version check (merging what others
    /// changed meanwhile), and updates `caseload`. nil when nothing was kept.
    func replayRecovery(into caseload: inout Caseload) throws(StoreError) -> RecoveryOutcome?
    /// Who the user is in the unit and whose cases they see; nil for a store of one's own.
    func unitContext() -> UnitContext?
    /// Something the user should hear once about the store itself (the shared store moved to
    /// another server after a failover); nil when there is nothing.
    func takeNotice() -> String?
    /// Changes whenever `unitContext()` would give something new (cheap to ask every tick).
    var unitGeneration: Int { get }
    /// The user opened a person's full case (case screen, follow-up, journal, underlag, form):
    /// the shared store reads it through the database's logging function. Returns the full
    /// record when the app held only planning data (the unit manager's view), else nil.
    func recordOpen(_ clientID: String, what: String) throws(StoreError) -> Client?
    /// The unit manager moves a case to another handläggare (shared store only).
    func reassign(clientID: String, to role: String) throws(StoreError)
    /// Gallring: removes `ids` for good, everywhere this store wrote them (the file and its
    /// backups; the database's rows, logged `gallrad`), as far as the store agrees that each is
    /// due (the shared store checks the unit's own period and facts). Returns the caseload
    /// without those removed and how many were.
    func removeForGood(_ ids: Set<String>, from caseload: Caseload) throws(StoreError) -> (Caseload, Int)
    /// When the store was last saved, as far as it knows (a gallring refuses a clock before it).
    var lastSavedAt: Date? { get }
    /// Where else the people are kept that Bevaka cannot reach (the server's own backups), said
    /// after a gallring; nil when Bevaka reached every copy.
    var copiesOutsideBevaka: String? { get }
    /// The program is leaving: every connection and thread of the store ends before it returns.
    func shutDown()
    /// `action` is called (on the store's own thread) whenever the store hears that others
    /// changed something, so that the changes are fetched at once rather than at the next tick.
    func whenChangesHeard(_ action: @escaping @Sendable () -> Void)
}

extension CaseloadStore {
    /// A store nobody else writes hears nothing.
    public func whenChangesHeard(_ action: @escaping @Sendable () -> Void) {}
    public func unitContext() -> UnitContext? { nil }
    public func shutDown() {}
    public func takeNotice() -> String? { nil }
    public var unitGeneration: Int { 0 }
    public func recordOpen(_ clientID: String, what: String) throws(StoreError) -> Client? { nil }
    public func reassign(clientID: String, to role: String) throws(StoreError) {
        throw .server(location: location, reason: "handläggarbyte gäller den delade ärendelistan")
    }
}

extension FileStore: CaseloadStore {
    public var location: String { path }

    public func prepareForWriting() throws(StoreError) {
        try lockForWriting()
    }

    public func saveChanges(_ caseload: Caseload) throws(StoreError) -> [ChangedElsewhere] {
        try save(caseload)
        return []
    }

    /// One writer holds the file: nobody else changes it meanwhile.
    public func changesElsewhere(local: Caseload) throws(StoreError) -> [ChangedElsewhere] { [] }

    public func keepForRecovery(_ caseload: Caseload) throws(StoreError) -> String? { nil }

    public func replayRecovery(into caseload: inout Caseload) throws(StoreError) -> RecoveryOutcome? { nil }

    public func removeForGood(_ ids: Set<String>, from caseload: Caseload) throws(StoreError) -> (Caseload, Int) {
        let before = caseload.clients.count
        let (remaining, _) = try gallra(ids, from: caseload)
        return (remaining, before - remaining.clients.count)
    }

    public var lastSavedAt: Date? {
        (try? FileManager.default.attributesOfItem(atPath: target.path))?[.modificationDate] as? Date
    }

    public var copiesOutsideBevaka: String? { nil }

    /// The program is leaving: the writer's lock is let go (another store may take the file).
    public func shutDown() {
        releaseLock()
    }
}
