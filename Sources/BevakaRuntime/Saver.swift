import BevakaDomain
import BevakaStore
import BevakaUI
import Foundation

/// Saves on a background queue so that a key press never waits for the disk or the network.
/// Only the newest caseload is written; a failed save is kept and retried, never dropped.
///
/// With a shared store, others change people too. The store merges their changes with ours
/// (`ClientMerge`) and the saver hands each merged record to the app as an outcome. Until the
/// app has applied it, a caseload the app submits still holds its older copy of that person, so
/// the saver merges that copy onto the new record before it writes: a change made in between is
/// kept, and the other's change is never reverted.
public final class Saver: @unchecked Sendable {
    public enum Outcome: Sendable {
        case saved(Date)
        case failed(String)
        /// Someone else changed a person; `sequence` counts these (the app reports how many it applied).
        case changedElsewhere(ChangedElsewhere, sequence: Int)
        /// The full record of a case the manager opened (shared store, planning view).
        case opened(Client)
        /// A handläggarbyte made (error nil) or refused.
        case reassigned(clientID: String, to: String, error: String?)
        /// Something about the store itself (the shared store moved to another server).
        case notice(String)
        /// A gallring the user confirmed: the ids removed, or why none were.
        case gallrad(ids: [String], outside: String?, error: String?)
    }

    /// A merged record handed to the app and not yet known to be applied there.
    private struct Handed {
        var sequence: Int
        var change: ChangedElsewhere
    }

    private let store: any CaseloadStore
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "bevaka.saver")
    private var pending: Caseload?
    private var pendingApplied = 0
    private var busy = false
    /// Where outcomes go, in the order they happen (the loop drains it).
    public let inbox: Inbox
    private var lastFailure: Date?
    private var lastFailureReason: String?
    /// What the store holds as far as this process knows: the last caseload saved (or loaded).
    private var saved: Caseload?
    private var handed: [Handed] = []
    private var sequence = 0
    private var polling = false

    /// `saved` is the caseload as loaded, so that unsaved changes can be named.
    public init(store: any CaseloadStore, saved: Caseload? = nil, inbox: Inbox = Inbox(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.inbox = inbox
        defer {
            // A colleague's change is fetched as soon as the store hears of it; its outcome is
            // posted to the inbox, which wakes the loop.
            store.whenChangesHeard { [weak self] in self?.pollChangesElsewhere() }
        }
        self.saved = saved
        self.now = now
    }

    /// `applied`: how many `changedElsewhere` outcomes the caseload already includes.
    public func submit(_ caseload: Caseload, applied: Int = 0) {
        lock.lock()
        pending = caseload
        pendingApplied = applied
        let start = !busy
        busy = true
        lock.unlock()
        if start { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            lock.lock()
            guard var caseload = pending else {
                busy = false
                lock.unlock()
                return
            }
            rebase(&caseload, applied: pendingApplied)
            pending = nil
            lock.unlock()
            do {
                let changes = try store.saveChanges(caseload)
                lock.lock()
                inbox.post(saver: .saved(now()))
                recordSaved(caseload, changes)
                lock.unlock()
            } catch {
                lock.lock()
                inbox.post(saver: .failed(error.message))
                recordFailure(keeping: caseload, error, unlessNewer: true)  // keep it for the retry
                busy = false
                lock.unlock()
                return
            }
        }
    }

    /// Records merged records for the app (lock held).
    private func hand(_ changes: [ChangedElsewhere]) {
        for change in changes {
            sequence += 1
            handed.append(Handed(sequence: sequence, change: change))
            inbox.post(saver: .changedElsewhere(change, sequence: sequence))
        }
    }

    /// Brings the records of `caseload` that predate merged records up to them (lock held).
    private func rebase(_ caseload: inout Caseload, applied: Int) {
        handed.removeAll { $0.sequence <= min(applied, sequence) && applied != Int.max }
        for entry in handed where entry.sequence > applied {
            let merged = entry.change.client
            if entry.change.gone {
                caseload.clients.removeAll { $0.id == merged.id }
                continue
            }
            guard let index = caseload.clients.firstIndex(where: { $0.id == merged.id }) else {
                caseload.clients.append(merged)
                continue
            }
            let submitted = caseload.clients[index]
            guard submitted != merged else { continue }
            if let local = entry.change.local {
                caseload.clients[index] = ClientMerge.merge(base: local, mine: submitted, theirs: merged).client
            } else {
                caseload.clients[index] = merged
            }
        }
    }

    static func put(_ change: ChangedElsewhere, into caseload: inout Caseload) {
        if change.gone {
            caseload.clients.removeAll { $0.id == change.client.id }
        } else {
            put(change.client, into: &caseload)
        }
    }

    static func put(_ client: Client, into caseload: inout Caseload) {
        if let index = caseload.clients.firstIndex(where: { $0.id == client.id }) {
            caseload.clients[index] = client
        } else {
            caseload.clients.append(client)
        }
    }

    /// The outcomes posted since the last call, for a caller without a loop (a test, a
    /// command): the inbox's other messages are dropped.
    public func takeOutcomes() -> [Outcome] {
        inbox.drain().compactMap { if case .saver(let outcome) = $0 { outcome } else { nil } }
    }

    /// Retries a failed save every few seconds.
    public func retryIfDue() {
        lock.lock()
        let due = pending != nil && !busy && (lastFailure.map { now().timeIntervalSince($0) >= 3 } ?? true)
        if due { busy = true }
        lock.unlock()
        if due { queue.async { self.drain() } }
    }

    /// Asks the store for others' changes, in the background (the app calls this every tick; a
    /// store with nobody else, the file, answers at once with none).
    public func pollChangesElsewhere() {
        lock.lock()
        let start = !polling
        polling = true
        lock.unlock()
        guard start else { return }
        queue.async {
            self.lock.lock()
            var local = self.pending ?? self.saved ?? Caseload()
            if self.pending != nil { self.rebase(&local, applied: self.pendingApplied) }
            self.lock.unlock()
            let changes = (try? self.store.changesElsewhere(local: local)) ?? []
            let notice = self.store.takeNotice()
            self.lock.lock()
            if let notice { self.inbox.post(saver: .notice(notice)) }
            for change in changes {
                if var base = self.saved { Saver.put(change, into: &base); self.saved = base }
                if var waiting = self.pending {
                    Saver.put(change, into: &waiting)
                    self.pending = waiting
                }
            }
            self.hand(changes)
            self.polling = false
            self.lock.unlock()
        }
    }

    /// Who the user is in the unit (shared store), as the store last read it.
    public func unitContext() -> UnitContext? { store.unitContext() }
    public var unitGeneration: Int { store.unitGeneration }

    /// The user opened a person's full case: the shared store logs it (through the database's
    /// logging read), in the background. A record the app held only as planning data comes back
    /// as an outcome. If the server cannot be reached the open is not logged, and the app shows
    /// nothing it had not already read through the logged list read.
    public func recordOpen(_ clientID: String, what: String) {
        queue.async {
            guard let client = try? self.store.recordOpen(clientID, what: what) else { return }
            self.lock.lock()
            self.inbox.post(saver: .opened(client))
            self.lock.unlock()
        }
    }

    /// The unit manager moves a case, in the background; the outcome says how it went.
    public func reassign(clientID: String, to role: String) {
        queue.async {
            var failure: String?
            do throws(StoreError) {
                try self.store.reassign(clientID: clientID, to: role)
            } catch {
                failure = error.message
            }
            self.lock.lock()
            self.inbox.post(saver: .reassigned(clientID: clientID, to: role, error: failure))
            self.lock.unlock()
        }
    }

    /// Gallring, after the user said yes: on the saver's queue, so that no save runs beside it.
    /// Changes not yet saved are saved first; the store then removes the people from what it
    /// holds (and every copy it keeps), and this saver's idea of the store follows.
    public func gallra(ids: [String]) {
        queue.async {
            var failure: String?
            var removed: [String] = []
            guard self.saveWhatIsPending() else {
                self.lock.lock()
                self.inbox.post(saver: .gallrad(ids: [], outside: nil,
                                              error: "ändringarna kunde inte sparas först (\(self.lastFailureReason ?? "okänt fel"))"))
                self.lock.unlock()
                return
            }
            self.lock.lock()
            let base = self.saved ?? Caseload()
            self.lock.unlock()
            do throws(StoreError) {
                let (remaining, _) = try self.store.removeForGood(Set(ids), from: base)
                let left = Set(remaining.clients.map(\.id))
                removed = ids.filter { !left.contains($0) }
                self.lock.lock()
                self.saved = remaining
                self.lock.unlock()
            } catch {
                failure = error.message
            }
            self.lock.lock()
            self.inbox.post(saver: .gallrad(ids: removed, outside: self.store.copiesOutsideBevaka, error: failure))
            self.lock.unlock()
        }
    }

    /// Waits for the queue and makes one last synchronous attempt. Returns false if work is unsaved.
    @discardableResult
    public func flush() -> Bool {
        queue.sync {}
        return saveWhatIsPending()
    }

    /// One synchronous attempt to save what is pending (on the queue, or after waiting for it).
    private func saveWhatIsPending() -> Bool {
        lock.lock()
        guard var left = pending else {
            lock.unlock()
            return true
        }
        rebase(&left, applied: pendingApplied)
        lock.unlock()
        do {
            let changes = try store.saveChanges(left)
            lock.lock()
            pending = nil
            recordSaved(left, changes)
            lock.unlock()
            return true
        } catch {
            lock.lock()
            recordFailure(keeping: left, error, unlessNewer: false)
            lock.unlock()
            return false
        }
    }

    /// A save went through (lock held): what the store now holds, and the merged records for the app.
    private func recordSaved(_ caseload: Caseload, _ changes: [ChangedElsewhere]) {
        var confirmed = caseload
        for change in changes { Saver.put(change, into: &confirmed) }
        saved = confirmed
        hand(changes)
        lastFailure = nil
        lastFailureReason = nil
    }

    /// A save failed (lock held): the caseload, already rebased, waits for the retry — unless a
    /// newer one was submitted meanwhile and `unlessNewer` says to keep that.
    private func recordFailure(keeping caseload: Caseload, _ error: StoreError, unlessNewer: Bool) {
        if pending == nil || !unlessNewer {
            pending = caseload
            pendingApplied = Int.max
        }
        lastFailure = now()
        lastFailureReason = error.message
    }

    /// Hands the unsaved caseload to the store's recovery file, if the store has one (the shared
    /// store). Returns where it was kept.
    public func keepForRecovery() -> String? {
        queue.sync {}
        lock.lock()
        guard var left = pending else {
            lock.unlock()
            return nil
        }
        rebase(&left, applied: pendingApplied)
        lock.unlock()
        return (try? store.keepForRecovery(left)) ?? nil
    }

    /// Why the last save failed, if the newest change is still unsaved.
    public var failureReason: String? {
        lock.lock()
        defer { lock.unlock() }
        return pending == nil ? nil : lastFailureReason
    }

    /// The people whose records differ between the unsaved caseload and the last one saved.
    public func unsavedClientIDs() -> [String] {
        lock.lock()
        let left = pending
        let base = saved
        lock.unlock()
        guard let left else { return [] }
        let before = Dictionary((base?.clients ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ids = left.clients.filter { before[$0.id] != $0 }.map(\.id)
        let now = Set(left.clients.map(\.id))
        ids += (base?.clients ?? []).map(\.id).filter { !now.contains($0) }
        return ids
    }
}
