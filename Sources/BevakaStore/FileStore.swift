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
/// creates is 0700; rotating backups are kept beside it, as copies.
///
/// A store reached through a symbolic link is the file the link points to: the real path is
/// resolved before the lock is taken, so two names for one file share one lock, a save writes
/// through the link (which stays a link) and the backups are kept beside the real file.
public final class FileStore {
    public static let schemaVersion = 1
    /// How many backups are kept.
    public static let backupsKept = 10
    /// A new backup is taken on a process's first save and then at most this often.
    public static let backupInterval: TimeInterval = 3600

    /// The store as the user named it (messages use this name).
    public let url: URL
    private let now: @Sendable () -> Date
    private var lockDescriptor: Int32 = -1
    /// The real file, fixed when the lock is taken so that every save goes where the lock is.
    private var lockedTarget: URL?
    /// Set after a load that found no file or a readable one; a save needs it.
    private var mayWrite = false
    private var lastBackup: Date?
    /// The lines of the document last read or written here: a save keeps the bytes of every
    /// person that has not changed and encodes only the others.
    private var written: StoreCodec.WrittenLines?

    /// Called at each step of a gallring with the step's name; the kill tests' probe dies at a
    /// chosen one (`bevaka-store-probe gallra-die`). Nil everywhere else.
    private let checkpointHook: (@Sendable (String) -> Void)?

    public init(url: URL, now: @escaping @Sendable () -> Date = { Date() },
                checkpoint: (@Sendable (String) -> Void)? = nil) {
        self.url = url
        self.now = now
        self.checkpointHook = checkpoint
    }

    func checkpoint(_ step: String) { checkpointHook?(step) }

    deinit {
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    public var path: String { url.path }
    /// The real file behind `url`, symbolic links followed (also a link to a file not yet made).
    public var target: URL { lockedTarget ?? FileStore.resolveLinks(url) }
    /// The real file's folder: where the temp files, the lock and the backups are.
    public var folder: URL { target.deletingLastPathComponent() }
    public var backupFolder: URL { folder.appendingPathComponent("backups") }
    public var exists: Bool { FileManager.default.fileExists(atPath: target.path) }

    /// Follows symbolic links in the last component (up to 40, as the kernel does), then
    /// resolves the folder's own links, so both names of a file give the same path.
    static func resolveLinks(_ url: URL) -> URL {
        var path = url.path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { break }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(path, &buffer, buffer.count - 1)
            guard count > 0 else { break }
            let link = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            path = link.hasPrefix("/") ? link
                : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(link).path
        }
        let file = URL(fileURLWithPath: path)
        let folder = file.deletingLastPathComponent()
        guard let real = realpath(folder.path, nil) else { return file.standardizedFileURL }
        defer { free(real) }
        return URL(fileURLWithPath: String(cString: real)).appendingPathComponent(file.lastPathComponent)
    }

    // MARK: Lock

    /// Takes the exclusive writer lock (`<file>.lock` beside the store) for this process's life.
    /// The lock is on the real file's name, so a second name (a symbolic link) finds it taken.
    public func lockForWriting() throws(StoreError) {
        guard lockDescriptor < 0 else { return }
        let real = FileStore.resolveLinks(url)
        lockedTarget = real
        try ensureFolder()
        let lockPath = real.path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let code = errno
            // The folder is fine (it was just checked); the lock file itself is what is wrong.
            if code == EISDIR || code == ELOOP || code == EACCES || code == EPERM {
                throw .lockFile(path: lockPath, reason: code == ELOOP ? "är en symbolisk länk" : StoreError.reason(errno: code))
            }
            // The folder exists (just checked): ENOENT here means files cannot be made in it (/proc, /sys).
            let why = code == ENOENT ? "det går inte att skapa filer där" : StoreError.reason(errno: code)
            throw .folder(path: folder.path, reason: "\(why); ärendelistan \(path)")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw .locked(path: path)
        }
        lockDescriptor = fd
        removeTemporaryLeftovers()
    }

    /// Lets the writer lock go (at shut-down; the process's end does it too).
    func releaseLock() {
        guard lockDescriptor >= 0 else { return }
        close(lockDescriptor)
        lockDescriptor = -1
    }

    /// Temp files left by a writer that was killed mid-save (of the store, a backup or a
    /// gallring's intent). Only the lock holder may do this.
    func removeTemporaryLeftovers() {
        let prefix = ".\(target.lastPathComponent)."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(prefix) && name.contains(".tmp-") {
            unlink(folder.appendingPathComponent(name).path)
        }
        let backupNames = (try? FileManager.default.contentsOfDirectory(atPath: backupFolder.path)) ?? []
        for name in backupNames where name.hasPrefix(".") && name.contains(".tmp-") {
            unlink(backupFolder.appendingPathComponent(name).path)
        }
    }

    // MARK: Load

    /// The caseload in the file, or nil when there is no file yet.
    public func load() throws(StoreError) -> Caseload? {
        mayWrite = false
        written = nil
        guard let data = try readWholeFile() else {
            mayWrite = true
            return nil
        }
        let read = try StoreCodec.decodeWithLinesChecked(data, path: path, latestBackup: latestBackup()?.path)
        if let lines = read.lines {
            written = StoreCodec.WrittenLines(data: data, clients: read.caseload.clients, lines: lines, index: nil)
        }
        mayWrite = true
        // A gallring that was interrupted: the writer finishes it before anything else; a reader
        // shows nobody it was removing.
        if let ids = try interruptedGallring() {
            if lockDescriptor >= 0 { return try finishGallring(ids, caseload: read.caseload).0 }
            var caseload = read.caseload
            caseload.clients.removeAll { ids.contains($0.id) }
            return caseload
        }
        return read.caseload
    }

    /// The file's bytes, nil when it does not exist. Read with open/read so that a failure has
    /// its errno (Foundation reports only a generic code) and the message can say why.
    private func readWholeFile() throws(StoreError) -> Data? {
        try FileStore.readFile(target.path, reportAs: path)
    }

    static func readFile(_ file: String, reportAs path: String) throws(StoreError) -> Data? {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, reason: StoreError.reason(errno: errno))
        }
        defer { close(fd) }
        // Read straight into one buffer of the file's size (it may still grow or shrink while read).
        var info = stat()
        let expected = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) : 0
        var data = Data(count: max(expected + 1, 1 << 16))
        var filled = 0
        while true {
            if filled == data.count { data.count *= 2 }
            let count = data.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: StoreError.reason(errno: errno))
            }
            if count == 0 { break }
            filled += count
        }
        data.count = filled
        return data
    }

    // MARK: Save

    /// Writes the caseload atomically. On failure the previous file is untouched. A gallring
    /// saves `takingBackup: false`: a backup then would keep the people it removes.
    public func save(_ caseload: Caseload, takingBackup: Bool = true) throws(StoreError) {
        guard mayWrite else { throw .refusingToOverwrite(path: path) }
        let encoded: (data: Data, written: StoreCodec.WrittenLines)
        do {
            encoded = try StoreCodec.encode(caseload, reusing: written)
        } catch {
            throw .saveFailed(path: path, reason: "kunde inte koda innehållet")
        }
        try writeAtomically(encoded.data) {
            checkpoint("store-temporary-written")
            if takingBackup && exists { backupIfDue() }
        }
        // Only bytes that are now the file's may be used again.
        written = encoded.written
    }

    /// Writes bytes as the store's file: a temporary file beside it, fsync, rename, fsync of the
    /// folder. `beforeRename` runs once the new bytes are safe on disk.
    public func writeAtomically(_ data: Data, beforeRename: () -> Void = {}) throws(StoreError) {
        try ensureFolder()
        let real = target
        let tempPath = folder.appendingPathComponent(".\(real.lastPathComponent).tmp-\(getpid())").path
        try writeDurably(data, to: tempPath)
        beforeRename()
        guard rename(tempPath, real.path) == 0 else {
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

    func syncFolder(_ folder: URL? = nil) {
        let fd = open((folder ?? self.folder).path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
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

    /// Backups, oldest first, by the time in their names (to the microsecond, then a sequence
    /// number), never by the order a directory listing happens to give.
    public func backups() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: backupFolder.path)) ?? []
        let keyed: [(name: String, order: [Int])] = names.compactMap { name in
            FileStore.backupOrder(name).map { (name, $0) }
        }
        return keyed.sorted { $0.order.lexicographicallyPrecedes($1.order) }
            .map { backupFolder.appendingPathComponent($0.name) }
    }

    /// The sort key of a backup's name: `caseload-20261123T140201.123456Z[-N].json` (UTC, what
    /// this version writes) and the older `caseload-20261123-140201[-N].json`. nil for other files.
    static func backupOrder(_ name: String) -> [Int]? {
        guard name.hasPrefix("caseload-"), name.hasSuffix(".json") else { return nil }
        let core = name.dropFirst("caseload-".count).dropLast(".json".count)
        let numbers = core.split(whereSeparator: { !$0.isNumber }).map { Int($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { return nil }
        let values = numbers.compactMap { $0 }
        // date, time, then the microseconds (new names) and the sequence number.
        if core.contains("T") {
            guard values.count >= 3 else { return nil }
            return [values[0], values[1], values[2], values.count > 3 ? values[3] : 0]
        }
        guard values.count >= 2 else { return nil }
        return [values[0], values[1], 0, values.count > 2 ? values[2] : 0]
    }

    /// Keeps a copy of the current file (0600, whatever the store's own mode) before it is
    /// replaced. A copy, not a link: a link would share the store's mode and, for a store that is
    /// a symbolic link, point at the live file. A failed backup never stops a save: the save
    /// itself is what protects the work.
    private func backupIfDue() {
        let time = now()
        if let lastBackup, time.timeIntervalSince(lastBackup) < FileStore.backupInterval { return }
        guard let data = try? readWholeFile() else { return }
        let fm = FileManager.default
        if !fm.fileExists(atPath: backupFolder.path) {
            try? fm.createDirectory(at: backupFolder, withIntermediateDirectories: true,
                                    attributes: [.posixPermissions: 0o700])
        }
        let stamp = FileStore.stamp(time)
        // Written beside its name and renamed into place: a backup is whole or absent, never a
        // part of the file (a part could hold a person's address without the personnummer that
        // a gallring looks for).
        for sequence in 0..<1000 {
            let name = "caseload-\(stamp)" + (sequence == 0 ? "" : "-\(sequence + 1)") + ".json"
            let target = backupFolder.appendingPathComponent(name).path
            if fm.fileExists(atPath: target) { continue }
            let temporary = backupFolder.appendingPathComponent(".\(name).tmp-\(getpid())").path
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd < 0 { return }
            var failure = writeAll(fd, data)
            if failure == 0, fsync(fd) != 0 { failure = errno }
            close(fd)
            // Only the lock holder writes backups and the name was free a moment ago, so rename
            // (which every file system has, unlike link) replaces nothing.
            if failure != 0 || rename(temporary, target) != 0 {
                unlink(temporary)
                return
            }
            syncFolder(backupFolder)
            break
        }
        lastBackup = time
        for old in backups().dropLast(FileStore.backupsKept) {
            try? fm.removeItem(at: old)
        }
    }

    /// UTC to the microsecond, so names sort by time also within one second and across the
    /// autumn's repeated hour.
    static func stamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let micros = min(999_999, max(0, Int(((interval - interval.rounded(.down)) * 1_000_000).rounded(.down))))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(micros)
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))."
            + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }
}
