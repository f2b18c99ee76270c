import BevakaDomain
import Foundation

/// Gallring in the file store: the people leave the store and every backup beside it.
extension FileStore {
    /// What a gallring did to the backups.
    public struct ScrubReport: Equatable, Sendable {
        /// Backups rewritten without the people.
        public var rewritten = 0
        /// Backups that could not be read as a caseload (damaged, another schema) and held a
        /// trace of the people: removed, since they cannot be rewritten.
        public var removed = 0
    }

    /// Saves `caseload` without the people `ids`, then rewrites every backup that holds any of
    /// them (by id or personnummer) without them. Returns the caseload that was saved.
    @discardableResult
    public func removeForGood(_ ids: Set<String>, from caseload: Caseload) throws(StoreError) -> (Caseload, ScrubReport) {
        let gone = caseload.clients.filter { ids.contains($0.id) }
        var remaining = caseload
        remaining.clients.removeAll { ids.contains($0.id) }
        // The save may take a backup of the file as it was, with the people still in it: the
        // backups are scrubbed after it.
        try save(remaining)
        return (remaining, try scrubBackups(of: gone))
    }

    /// Rewrites (atomically, 0600) each backup that holds one of `people`, without them; a
    /// backup that holds a trace of them but cannot be read is removed.
    public func scrubBackups(of people: [Client]) throws(StoreError) -> ScrubReport {
        var report = ScrubReport()
        guard !people.isEmpty else { return report }
        let ids = Set(people.map(\.id))
        let numbers = Set(people.map(\.personnummer))
        // The digits as they stand in a line ("pnr":"194001011234"): a cheap test before a decode.
        let needles = people.map { Data($0.personnummer.digits.utf8) }
        for backup in backups() {
            guard let data = FileManager.default.contents(atPath: backup.path) else { continue }
            guard needles.contains(where: { data.range(of: $0) != nil }) else { continue }
            guard var old = try? StoreCodec.decodeChecked(data, path: backup.path, latestBackup: nil) else {
                unlink(backup.path)
                report.removed += 1
                continue
            }
            old.clients.removeAll { ids.contains($0.id) || numbers.contains($0.personnummer) }
            guard let encoded = try? StoreCodec.encode(old) else {
                unlink(backup.path)
                report.removed += 1
                continue
            }
            let temporary = backup.deletingLastPathComponent().appendingPathComponent(".\(backup.lastPathComponent).tmp-\(getpid())")
            let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw .saveFailed(path: backup.path, reason: StoreError.reason(errno: errno)) }
            var failure = writeAll(fd, encoded)
            if failure == 0, fsync(fd) != 0 { failure = errno }
            close(fd)
            guard failure == 0, rename(temporary.path, backup.path) == 0 else {
                unlink(temporary.path)
                // Better no backup than one that keeps a person who was to be removed.
                unlink(backup.path)
                report.removed += 1
                continue
            }
            report.rewritten += 1
        }
        return report
    }
}
