import Foundation

/// What the app remembers between runs that is not part of the caseload: the folder the last
/// import was read from. In `$XDG_STATE_HOME/bevaka/importmapp` (default `~/.local/state/bevaka`),
/// a file of one line, readable by the owner only. A folder path, never personal data.
public enum UIMemory {
    static let importFolderFile = "importmapp"

    static func stateFolder(_ environment: [String: String]) -> URL {
        let base = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        return URL(fileURLWithPath: base).appendingPathComponent("bevaka")
    }

    /// The remembered folder (ending with /), or nil when there is none or it is unusable.
    public static func importFolder(_ environment: [String: String]) -> String? {
        let url = stateFolder(environment).appendingPathComponent(importFolderFile)
        guard let data = FileManager.default.contents(atPath: url.path), data.count < 4096 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.hasSuffix("/"), !text.contains("\n"),
              !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return text
    }

    /// Remembers the folder; a failure is not worth a message (the prompt then starts at ~/).
    public static func rememberImportFolder(_ folder: String, environment: [String: String]) {
        let directory = stateFolder(environment)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let url = directory.appendingPathComponent(importFolderFile)
        let temporary = url.path + ".tmp-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        let ok = writeAll(descriptor, Data((folder + "\n").utf8)) == 0
        close(descriptor)
        if !ok || rename(temporary, url.path) != 0 { unlink(temporary) }
    }

    /// The names in the folder of `typed` that start with its last part (folders end with "/"),
    /// sorted; hidden ones only when the last part starts with ".". `~` is the home folder.
    public static func completions(_ typed: String, environment: [String: String]) -> [String] {
        var path = typed
        if path == "~" { path = "~/" }
        if path.hasPrefix("~/") { path = (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst() }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? "./"
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }
            .map { name in
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: folder + name, isDirectory: &isDirectory)
                return isDirectory.boolValue ? name + "/" : name
            }
            .sorted()
    }
}
