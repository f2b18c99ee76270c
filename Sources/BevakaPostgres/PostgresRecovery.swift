import BevakaDomain
import BevakaStore
import Foundation

/// Changes the server did not take before the app had to close (a lost connection) are kept in a
/// recovery file: 0600 in a 0700 folder in the user's data folder, one file per database and
/// role. The next start saves them with the version check, merging what others changed meanwhile.
extension PostgresStore {
    struct RecoveryFile: Codable {
        struct Entry: Codable {
            /// The record the change was made to, and its version; nil for a person added here.
            var base: Client?
            var version: Int64?
            var mine: Client
        }

        var location: String
        var entries: [Entry]
    }

    /// `…/bevaka/recovery/<role>@<database>-<hash>.json`: no personal data in the name.
    var recoveryFile: URL? {
        guard let folder = recoveryFolder else { return nil }
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in location.utf8 {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        let safe = "\(address.user)@\(address.database)".filter { $0.isLetter || $0.isNumber || "@._-".contains($0) }
        return folder.appendingPathComponent("\(safe)-\(String(hash, radix: 16)).json")
    }

    public func keepForRecovery(_ caseload: Caseload) throws(StoreError) -> String? {
        guard let url = recoveryFile else { return nil }
        let known = confirmedSnapshot()
        var entries: [RecoveryFile.Entry] = []
        for person in caseload.clients where known[person.id]?.client != person {
            entries.append(.init(base: known[person.id]?.client, version: known[person.id]?.version, mine: person))
        }
        guard !entries.isEmpty else { return nil }
        // Entries already kept by an earlier run and not yet replayed stay.
        if let earlier = readRecovery(url) {
            let now = Set(entries.map(\.mine.id))
            entries = earlier.entries.filter { !now.contains($0.mine.id) } + entries
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(RecoveryFile(location: location, entries: entries)) else {
            throw .saveFailed(path: url.path, reason: "kunde inte koda innehållet")
        }
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .folder(path: folder.path, reason: "kunde inte skapas")
        }
        // Written like the file store writes: a temporary file, fsync, rename.
        let store = FileStore(url: url)
        do {
            try store.writeAtomically(data)
        } catch {
            throw error
        }
        return url.path
    }

    func readRecovery(_ url: URL) -> RecoveryFile? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(RecoveryFile.self, from: data)
    }

    public func replayRecovery(into caseload: inout Caseload) throws(StoreError) -> RecoveryOutcome? {
        guard let url = recoveryFile, FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let kept = readRecovery(url), kept.location == location else {
            throw .damaged(path: url.path, line: nil, column: nil,
                           detail: "återställningsfilen kan inte läsas; flytta undan den", backup: nil)
        }
        // What each change was based on becomes what the server "confirmed": the version check
        // then finds anything others saved since, and the save merges it.
        for entry in kept.entries {
            restoreBase(entry.mine.id, base: entry.base, version: entry.version)
            if let index = caseload.clients.firstIndex(where: { $0.id == entry.mine.id }) {
                caseload.clients[index] = entry.mine
            } else {
                caseload.clients.append(entry.mine)
            }
        }
        let merged = try saveChanges(caseload)
        for change in merged {
            if let index = caseload.clients.firstIndex(where: { $0.id == change.client.id }) {
                caseload.clients[index] = change.client
            }
        }
        try? FileManager.default.removeItem(at: url)
        return RecoveryOutcome(saved: kept.entries.count, merged: merged)
    }
}
