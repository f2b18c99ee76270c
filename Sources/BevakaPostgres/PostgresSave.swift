import BevakaDomain
import BevakaStore
import Foundation

/// Saving: one transaction per change, a version check per person, and a merge (never an
/// overwrite) when someone else saved the same person in between.
extension PostgresStore {
    /// What one save did to one person.
    enum Written: Sendable {
        case saved(version: Int64, client: Client)
        /// Someone else had saved the person: theirs, merged with ours, written at `version`.
        case merged(version: Int64, theirs: Client, by: String, at: Date, result: ClientMerge.Result, mine: Client)
        /// The person is not the user's to change (handed over, a cover ended, or a colleague's).
        case gone(mine: Client, added: Bool)
    }

    public func saveChanges(_ caseload: Caseload) throws(StoreError) -> [ChangedElsewhere] {
        let client = try connected()
        lock.lock()
        if planningOnly {
            lock.unlock()
            return []  // the manager's planning view changes nothing (the app refuses it first)
        }
        let changed = caseload.clients.filter { confirmed[$0.id]?.client != $0 }
        let block = idBlock
        lock.unlock()
        if let block, caseload.nextSerial > block.upperBound + 1 {
            throw .server(location: location, reason: "fler än en miljon nya id-nummer i en session; starta om Bevaka")
        }
        guard !changed.isEmpty else { return [] }
        let encoded = try PostgresStore.encode(changed)
        let versions = lockedVersions()
        let bases = confirmedSnapshot().mapValues(\.client)
        // One transaction for the whole change. A person someone else saved in between (the
        // version check finds it) is locked, read, merged and written in the same transaction,
        // so the save always gets through and never overwrites. The database lets the merge read
        // a record, and lets a new personnummer be stored, only after a request it has logged
        // and committed (migration 4): a new person or number is named in that request at once;
        // a merge, which is found only inside the transaction, rolls the transaction back, asks,
        // and runs it again.
        let newNumbers = changed.filter { versions[$0.id] == nil || bases[$0.id]?.personnummer != $0.personnummer }
            .map(\.personnummer.digits)
        var merging: Set<String> = []
        var written: [Written] = []
        for _ in 0..<3 {
            let mergeIDs = merging
            let outcome = try wait(what: "spara") { () throws -> SaveAttempt in
                var request: Int64?
                if !newNumbers.isEmpty || !mergeIDs.isEmpty {
                    request = try PostgresStore.request(client, purpose: "save", screen: "sparande",
                                                              ids: mergeIDs.sorted(), pnrs: newNumbers)
                }
                do {
                    return .done(try self.write(client, changed: changed, encoded: encoded, versions: versions,
                                                      bases: bases, request: request, merging: mergeIDs))
                } catch let needed as NeedsMerge {
                    return .needsMerge(needed.ids)
                }
            }
            switch outcome {
            case .done(let result):
                written = result
            case .needsMerge(let ids):
                merging.formUnion(ids)
                continue
            }
            break
        }
        guard written.count == changed.count else {
            throw .server(location: location, reason: "andra sparade samma personer hela tiden; försök igen")
        }
        var elsewhere: [ChangedElsewhere] = []
        lock.lock()
        for outcome in written {
            switch outcome {
            case .saved(let version, let person):
                confirmed[person.id] = (version, person)
            case .merged(let version, let theirs, let by, let at, let result, let mine):
                confirmed[mine.id] = (version, result.client)
                elsewhere.append(ChangedElsewhere(client: result.client, local: mine, by: by, at: at,
                                                  notApplied: result.notApplied, localKept: result.client != theirs))
            case .gone(let mine, let added):
                confirmed[mine.id] = nil
                elsewhere.append(ChangedElsewhere(client: mine, local: mine, by: "", at: Date(), notApplied: [], gone: true,
                                                  alreadyInUnit: added))
            }
        }
        lock.unlock()
        return elsewhere
    }

    enum SaveAttempt: Sendable {
        case done([Written])
        case needsMerge(Set<String>)
    }

    /// Someone else saved these people meanwhile: the transaction is rolled back so that the
    /// merge read can be logged first.
    struct NeedsMerge: Error {
        var ids: Set<String>
    }

    /// One attempt at the save's transaction.
    func write(_ client: PGSession, changed: [Client], encoded: [String], versions: [String: Int64],
                       bases: [String: Client], request: Int64?, merging: Set<String>) throws -> [Written] {
        try client.transaction { connection in
            // Where the change comes from (the log says it) and, when needed, the logged request.
            let requestText = request.map(String.init) ?? ""
            try connection.query("""
                SELECT set_config('bevaka.screen', \(self.saveScreen), true), set_config('bevaka.request', \(requestText), true)
                """)
            var result: [Written] = []
            var needed: Set<String> = []
            for (person, doc) in zip(changed, encoded) {
                if let version = versions[person.id] {
                    let rows = try connection.query("""
                        UPDATE bevaka_clients SET doc = \(doc)::jsonb
                        WHERE id = \(person.id) AND version = \(version) RETURNING version
                        """)
                    var saved: Int64?
                    for value in try rows.decode(Int64.self) { saved = value }
                    if let saved {
                        result.append(.saved(version: saved, client: person))
                        continue
                    }
                } else {
                    let rows = try connection.query("""
                        INSERT INTO bevaka_clients (id, pnr, doc) VALUES (\(person.id), \(person.personnummer.digits), \(doc)::jsonb)
                        ON CONFLICT DO NOTHING RETURNING version
                        """)
                    var saved: Int64?
                    for value in try rows.decode(Int64.self) { saved = value }
                    if let saved {
                        result.append(.saved(version: saved, client: person))
                        continue
                    }
                }
                // Added: the personnummer is someone else's in the unit (the id is this program's own).
                if versions[person.id] == nil {
                    result.append(.gone(mine: person, added: true))
                    continue
                }
                // Changed by someone else meanwhile, or not the user's any more.
                guard merging.contains(person.id) else {
                    needed.insert(person.id)
                    continue
                }
                let rows = try connection.query("""
                    SELECT doc, version, updated_by, updated_at FROM bevaka_lock(\(person.id))
                    """)
                var current: (String, Int64, String, Date)?
                for row in try rows.decode((String, Int64, String, Date).self) { current = row }
                guard let (text, version, by, at) = current else {
                    result.append(.gone(mine: person, added: versions[person.id] == nil))
                    continue
                }
                guard let theirs = try? JSONDecoder().decode(Client.self, from: Data(text.utf8)) else {
                    throw StoreError.server(location: self.location, reason: "ärende \(person.id) kunde inte läsas")
                }
                // The user's own save landed though its answer was lost (a connection that broke
                // at COMMIT): nothing to merge.
                if theirs == person {
                    result.append(.saved(version: version, client: person))
                    continue
                }
                let merged = bases[person.id].map { ClientMerge.merge(base: $0, mine: person, theirs: theirs) }
                    ?? ClientMerge.Result(client: theirs, notApplied: ["hela ärendet"])
                var finalVersion = version
                if merged.client != theirs {
                    let mergedDoc = try PostgresStore.encode([merged.client]).first ?? doc
                    let update = try connection.query("""
                        UPDATE bevaka_clients SET doc = \(mergedDoc)::jsonb WHERE id = \(person.id) RETURNING version
                        """)
                    for value in try update.decode(Int64.self) { finalVersion = value }
                }
                result.append(.merged(version: finalVersion, theirs: theirs, by: by, at: at, result: merged, mine: person))
            }
            if !needed.isEmpty { throw NeedsMerge(ids: needed) }
            return result
        }
    }

    static func encode(_ clients: [Client]) throws(StoreError) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var result: [String] = []
        for client in clients {
            guard let data = try? encoder.encode(client) else {
                throw .saveFailed(path: "databasen", reason: "kunde inte koda ärende \(client.id)")
            }
            result.append(String(decoding: data, as: UTF8.self))
        }
        return result
    }
}
