import BevakaDomain
import BevakaStore
import Foundation

/// Others' changes: heard through LISTEN/NOTIFY (or, after a reconnection, found by comparing
/// every version), fetched through the logging read and merged with what the app holds.
extension PostgresStore {
    public func changesElsewhere(local: Caseload) throws(StoreError) -> [ChangedElsewhere] {
        lock.lock()
        var ids = Array(heard)
        heard = []
        let all = checkAll || unitChanged
        let contextChanged = unitChanged
        checkAll = false
        unitChanged = false
        let client = self.session
        let planning = planningOnly
        lock.unlock()
        guard let client else { return [] }
        // A cover began or ended, or a loggkontroll was recorded: the context is read again (also
        // the manager's, whose monthly bevakning depends on it).
        if contextChanged {
            let context = try readUnitContext(client)
            lock.lock()
            let owners = unit?.owners ?? [:]
            unit = context
            unit?.owners = owners
            lock.unlock()
        }
        guard !planning else { return [] }
        let known = lockedVersions()
        if all {
            // Notifications may have been missed while the connection was down, or a cover began
            // or ended: compare the versions of the rows the user may reach now.
            let current = try wait(what: "jämföra versioner") { () throws -> [(String, Int64)] in
                let rows = try client.query("SELECT id, version FROM bevaka_clients")
                var result: [(String, Int64)] = []
                for row in try rows.decode((String, Int64).self) { result.append(row) }
                return result
            }
            let now = Set(current.map(\.0))
            ids = current.filter { known[$0.0] != $0.1 }.map(\.0) + known.keys.filter { !now.contains($0) }
        }
        guard !ids.isEmpty else { return [] }
        let localByID = Dictionary(local.clients.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [ChangedElsewhere] = []
        let rows = try fetch(client, ids: ids)
        let returned = Set(rows.map(\.client.id))
        // Asked for, known, and not returned: no longer the user's to see.
        for id in ids where !returned.contains(id) && known[id] != nil {
            lock.lock()
            let last = confirmed[id]?.client
            confirmed[id] = nil
            unit?.owners[id] = nil
            lock.unlock()
            if let gone = localByID[id] ?? last {
                changes.append(ChangedElsewhere(client: gone, local: localByID[id], by: "", at: Date(), notApplied: [], gone: true))
            }
        }
        for row in rows {
            lock.lock()
            let known = confirmed[row.client.id]
            guard known.map({ row.version > $0.version }) ?? true else {
                lock.unlock()
                continue  // our own write, heard back
            }
            confirmed[row.client.id] = (row.version, row.client)
            unit?.owners[row.client.id] = row.owner
            lock.unlock()
            let mine = localByID[row.client.id]
            var merged = ClientMerge.Result(client: row.client, notApplied: [])
            if let mine, let base = known?.client { merged = ClientMerge.merge(base: base, mine: mine, theirs: row.client) }
            changes.append(ChangedElsewhere(client: merged.client, local: mine, by: row.by, at: row.at,
                                            notApplied: merged.notApplied, localKept: merged.client != row.client))
        }
        return changes
    }

    func confirmedSnapshot() -> [String: (version: Int64, client: Client)] {
        lock.lock()
        defer { lock.unlock() }
        return confirmed
    }

    /// Makes `base` at `version` what the server is taken to hold for a person (recovery).
    func restoreBase(_ id: String, base: Client?, version: Int64?) {
        lock.lock()
        defer { lock.unlock() }
        if let base, let version {
            confirmed[id] = (version, base)
        } else {
            confirmed[id] = nil
        }
    }

    func lockedVersions() -> [String: Int64] {
        lock.lock()
        defer { lock.unlock() }
        return confirmed.mapValues(\.version)
    }

    /// LISTEN on a connection of its own (a thread waiting on its socket); after a lost
    /// connection it listens again and has the next poll compare every version.
    func startListening(_ client: PGSession) {
        lock.lock()
        defer { lock.unlock() }
        guard listener == nil else { return }
        listener = PostgresListener(conninfo: address.conninfo, channel: "bevaka_clients",
                                    heard: { [weak self] payload in self?.hear(payload) },
                                    reconnected: { [weak self] in self?.markCheckAll() })
    }

    /// The people heard of and not fetched yet (for the tests).
    var heardIDs: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return heard
    }

    /// Marks a person to be fetched at the next poll; the lock is held by the caller.
    func heardLocked(_ id: String) {
        heard.insert(id)
    }

    /// A payload: "*" (the unit changed: a cover, a handover), "ID OWNER" (migration 14) or "ID"
    /// (a person removed by gallring).
    func hear(_ payload: String) {
        lock.lock()
        if payload == "*" {
            unitChanged = true
        } else {
            let parts = payload.split(separator: " ", maxSplits: 1).map(String.init)
            let id = parts.first ?? payload
            // A colleague's person the user does not hold and may not see: not fetched (the read
            // would return nothing, and every session would log one for every save in the unit).
            // While a change of the unit waits to be read (a cover may have begun), nothing is passed over.
            if parts.count == 2, !unitChanged, confirmed[id] == nil, let unit, unit.kind == .handlaggare,
               parts[1] != unit.me, !unit.coveringFor.contains(where: { $0.covered == parts[1] }) {
                lock.unlock()
                return
            }
            heard.insert(id)
        }
        let action = onHeard
        lock.unlock()
        action?()
    }

    func markCheckAll() {
        lock.lock()
        checkAll = true
        let action = onHeard
        lock.unlock()
        action?()
    }

    public func whenChangesHeard(_ action: @escaping @Sendable () -> Void) {
        lock.lock()
        onHeard = action
        lock.unlock()
    }
}
