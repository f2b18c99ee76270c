import BevakaDomain
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Gallring in the file store: the people leave the store and every copy beside it.
///
/// Deleting is a protocol, not a call, so that a kill at any moment ends, at the next start or
/// `bevaka gallra`, with the people gone from every file and everyone else kept:
///
/// 1. an intent is written (ids only, 0600, fsynced, renamed into place): `.caseload.json.gallring`;
/// 2. the leftovers of killed writes (temporary files) are removed, then every backup is read:
///    one that holds a person is rewritten without them (atomically), one that cannot be read is
///    removed (nobody can show it holds nothing of them);
/// 3. the store is saved without them, taking no backup (a backup then would keep them);
/// 4. the intent is removed, last.
///
/// Each step can be done again with the same result. A writer that finds an intent (at `load`
/// under the lock) finishes it before anything else; a reader leaves the people out meanwhile.
extension FileStore {
    /// What a gallring did to the backups.
    public struct ScrubReport: Equatable, Sendable {
        /// Backups rewritten without the people.
        public var rewritten = 0
        /// Backups that could not be read as a caseload (damaged, another schema): removed, since
        /// nobody can show they hold nothing of the people.
        public var removed = 0
    }

    /// The intent of a gallring under way, beside the store (ids only).
    public var gallringIntent: URL { folder.appendingPathComponent(".\(target.lastPathComponent).gallring") }

    struct GallringIntent: Codable {
        var ids: [String]
    }

    /// Removes `ids` from the store and every backup, through the intent (see the type's comment).
    /// Returns the caseload that was saved and what happened to the backups.
    @discardableResult
    public func gallra(_ ids: Set<String>, from caseload: Caseload) throws(StoreError) -> (Caseload, ScrubReport) {
        guard !ids.isEmpty else { return (caseload, ScrubReport()) }
        try writeIntent(ids)
        return try finishGallring(ids, caseload: caseload)
    }

    /// The ids of a gallring that was interrupted, nil when there is none.
    public func interruptedGallring() throws(StoreError) -> Set<String>? {
        guard let data = try FileStore.readFile(gallringIntent.path, reportAs: gallringIntent.path) else { return nil }
        guard let intent = try? JSONDecoder().decode(GallringIntent.self, from: data) else {
            throw .unreadable(path: gallringIntent.path,
                              reason: "en avbruten gallring som inte kan läsas; flytta undan filen och kör bevaka gallra")
        }
        return Set(intent.ids)
    }

    func writeIntent(_ ids: Set<String>) throws(StoreError) {
        guard let data = try? JSONEncoder().encode(GallringIntent(ids: ids.sorted())) else {
            throw .saveFailed(path: gallringIntent.path, reason: "kunde inte koda gallringen")
        }
        try writeFileAtomically(data, to: gallringIntent, step: "intent")
    }

    /// Steps 2–4 for `ids`; `caseload` is the store as loaded (the people may already be gone).
    func finishGallring(_ ids: Set<String>, caseload: Caseload) throws(StoreError) -> (Caseload, ScrubReport) {
        removeTemporaryLeftovers()
        checkpoint("leftovers-removed")
        let report = try scrubBackups(ids: ids, known: caseload.clients.filter { ids.contains($0.id) })
        var remaining = caseload
        remaining.clients.removeAll { ids.contains($0.id) }
        try save(remaining, takingBackup: false)
        checkpoint("store-saved")
        if unlink(gallringIntent.path) != 0 && errno != ENOENT {
            throw .saveFailed(path: gallringIntent.path, reason: StoreError.reason(errno: errno))
        }
        syncFolder(folder)
        checkpoint("intent-removed")
        return (remaining, report)
    }

    /// Rewrites (atomically, 0600) each backup that holds one of the people — by id, or by the
    /// personnummer they had in the store or in any backup — without them; removes every backup
    /// that cannot be read.
    func scrubBackups(ids: Set<String>, known: [Client]) throws(StoreError) -> ScrubReport {
        var report = ScrubReport()
        let files = backups()
        var decoded: [(URL, Caseload?)] = []
        var numbers = Set(known.map(\.personnummer.digits).filter { !$0.isEmpty })
        for backup in files {
            let data = FileManager.default.contents(atPath: backup.path)
            let old = data.flatMap { try? StoreCodec.decodeChecked($0, path: backup.path, latestBackup: nil) }
            for client in old?.clients ?? [] where ids.contains(client.id) && !client.personnummer.digits.isEmpty {
                numbers.insert(client.personnummer.digits)
            }
            decoded.append((backup, old))
        }
        for (backup, old) in decoded {
            guard var old else {
                unlink(backup.path)
                syncFolder(backupFolder)
                checkpoint("backup-removed")
                report.removed += 1
                continue
            }
            let before = old.clients.count
            old.clients.removeAll { ids.contains($0.id) || numbers.contains($0.personnummer.digits) }
            guard old.clients.count < before else { continue }
            guard let encoded = try? StoreCodec.encode(old) else {
                unlink(backup.path)
                syncFolder(backupFolder)
                checkpoint("backup-removed")
                report.removed += 1
                continue
            }
            do {
                try writeFileAtomically(encoded, to: backup, step: "backup")
                report.rewritten += 1
            } catch {
                // Better no backup than one that keeps a person who was to be removed.
                unlink(backup.path)
                syncFolder(backupFolder)
                report.removed += 1
            }
        }
        return report
    }

    /// Writes `data` as `url`: a temporary file beside it (0600, fsynced), renamed into place,
    /// the folder fsynced. The checkpoints name the step for the kill tests.
    func writeFileAtomically(_ data: Data, to url: URL, step: String) throws(StoreError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .saveFailed(path: url.path, reason: StoreError.reason(errno: errno)) }
        var failure = writeAll(fd, data)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        guard failure == 0 else {
            unlink(temporary.path)
            throw .saveFailed(path: url.path, reason: StoreError.reason(errno: failure))
        }
        checkpoint("\(step)-temporary-written")
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw .saveFailed(path: url.path, reason: StoreError.reason(errno: code))
        }
        syncFolder(folder)
        checkpoint("\(step)-written")
    }
}
