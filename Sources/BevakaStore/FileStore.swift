import BevakaDomain
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The caseload as one JSON file.
///
/// Safety, in order of importance: a save either fully happens or leaves the previous file as
/// it was (temp file, fsync, rename, fsync of the folder); a file that could not be read is
/// never written over; a second writer is refused (flock); the file is 0600 and a folder Bevaka
/// creates is 0700; rotating backups are kept beside it.
public final class FileStore {
    public static let schemaVersion = 1
    /// How many backups are kept.
    public static let backupsKept = 10
    /// A new backup is taken on a process's first save and then at most this often.
    public static let backupInterval: TimeInterval = 3600

    public let url: URL
    private let now: @Sendable () -> Date
    private var lockDescriptor: Int32 = -1
    /// Set after a load that found no file or a readable one; a save needs it.
    private var mayWrite = false
    private var lastBackup: Date?

    public init(url: URL, now: @escaping @Sendable () -> Date = { Date() }) {
        self.url = url
        self.now = now
    }

    deinit {
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    public var path: String { url.path }
    public var folder: URL { url.deletingLastPathComponent() }
    public var backupFolder: URL { folder.appendingPathComponent("backups") }
    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    // MARK: Lock

    /// Takes the exclusive writer lock (`<file>.lock` beside the store) for this process's life.
    public func lockForWriting() throws(StoreError) {
        guard lockDescriptor < 0 else { return }
        try ensureFolder()
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .folder(path: folder.path, reason: StoreError.reason(errno: errno)) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw .locked(path: path)
        }
        lockDescriptor = fd
        removeStaleTempFiles()
    }

    /// Temp files left by a writer that was killed mid-save. Only the lock holder may do this.
    private func removeStaleTempFiles() {
        let prefix = ".\(url.lastPathComponent).tmp-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    // MARK: Load

    /// The caseload in the file, or nil when there is no file yet.
    public func load() throws(StoreError) -> Caseload? {
        mayWrite = false
        guard let data = try readWholeFile() else {
            mayWrite = true
            return nil
        }
        let caseload = try StoreCodec.decode(data, path: path, latestBackup: latestBackup()?.path)
        mayWrite = true
        return caseload
    }

    /// The file's bytes, nil when it does not exist. Read with open/read so that a failure has
    /// its errno (Foundation reports only a generic code) and the message can say why.
    private func readWholeFile() throws(StoreError) -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, reason: StoreError.reason(errno: errno))
        }
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: StoreError.reason(errno: errno))
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    // MARK: Save

    /// Writes the caseload atomically. On failure the previous file is untouched.
    public func save(_ caseload: Caseload) throws(StoreError) {
        guard mayWrite else { throw .refusingToOverwrite(path: path) }
        let data: Data
        do {
            data = try StoreCodec.encode(caseload)
        } catch {
            throw .saveFailed(path: path, reason: "kunde inte koda innehållet")
        }
        try ensureFolder()
        let tempPath = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        try writeDurably(data, to: tempPath)
        if exists { backupIfDue() }
        guard rename(tempPath, path) == 0 else {
            let code = errno
            unlink(tempPath)
            throw .saveFailed(path: path, reason: StoreError.reason(errno: code))
        }
        syncFolder()
    }

    private func writeDurably(_ data: Data, to tempPath: String) throws(StoreError) {
        let fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .saveFailed(path: path, reason: StoreError.reason(errno: errno)) }
        // A file-size limit must surface as EFBIG from write(), not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        var failure = writeAll(fd, data)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(tempPath)
            throw .saveFailed(path: path, reason: StoreError.reason(errno: failure))
        }
    }

    private func syncFolder() {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Creates the folder 0700 if it does not exist. An existing folder is left as the user set it.
    private func ensureFolder() throws(StoreError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .folder(path: folder.path, reason: "är ingen mapp") }
            return
        }
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .folder(path: folder.path, reason: "kunde inte skapas")
        }
    }

    // MARK: Backups

    /// The newest backup, if any.
    public func latestBackup() -> URL? {
        backups().last
    }

    /// Backups, oldest first (their names sort by time).
    public func backups() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: backupFolder.path)) ?? []
        return names.filter { $0.hasPrefix("caseload-") && $0.hasSuffix(".json") }.sorted()
            .map { backupFolder.appendingPathComponent($0) }
    }

    /// Keeps the current file as a backup (a hard link: no copy) before it is replaced.
    /// A failed backup never stops a save: the save itself is what protects the work.
    private func backupIfDue() {
        let time = now()
        if let lastBackup, time.timeIntervalSince(lastBackup) < FileStore.backupInterval { return }
        let fm = FileManager.default
        if !fm.fileExists(atPath: backupFolder.path) {
            try? fm.createDirectory(at: backupFolder, withIntermediateDirectories: true,
                                    attributes: [.posixPermissions: 0o700])
        }
        var name = "caseload-\(FileStore.stamp(time)).json"
        var counter = 1
        while fm.fileExists(atPath: backupFolder.appendingPathComponent(name).path) {
            counter += 1
            name = "caseload-\(FileStore.stamp(time))-\(counter).json"
        }
        let target = backupFolder.appendingPathComponent(name).path
        if link(path, target) != 0 {
            try? fm.copyItem(atPath: path, toPath: target)
            chmod(target, 0o600)
        }
        lastBackup = time
        for old in backups().dropLast(FileStore.backupsKept) {
            try? fm.removeItem(at: old)
        }
    }

    static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
    }
}
