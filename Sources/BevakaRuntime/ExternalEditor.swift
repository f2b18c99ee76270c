import BevakaUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-E: the text goes to the user's own editor and comes back, the way git and tig do it.
/// The editor is `$VISUAL`, else `$EDITOR`, else `nano`, else `vi`, run through `/bin/sh` (so
/// `EDITOR="code -w"` works). The text is written to a new 0600 file in a private 0700 folder,
/// read back when the editor ends, and both are removed. Nothing is lost when the editor is
/// missing or fails: the caller keeps its text.
public enum ExternalEditor {
    public struct Failure: Error, Equatable, Sendable {
        public var message: String
    }

    public static func edit(_ text: String, environment: [String: String]) -> Result<String, Failure> {
        guard let command = editorCommand(environment) else {
            return .failure(Failure(message: "Ingen textredigerare hittades: sätt VISUAL eller EDITOR (t.ex. EDITOR=nano)."))
        }
        let base = URL(fileURLWithPath: environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        let folder = base.appendingPathComponent("bevaka-text-\(getpid())-\(UUID().uuidString.prefix(8))")
        guard mkdir(folder.path, 0o700) == 0 else {
            return .failure(Failure(message: "Kunde inte skapa en privat mapp för texten i \(base.path)."))
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("text.txt")
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { return .failure(Failure(message: "Kunde inte skriva texten till en fil för redigeraren.")) }
        // A text file ends with a newline, so a line the editor appends is not glued to the last one.
        let data = Array((text.isEmpty || text.hasSuffix("\n") ? text : text + "\n").utf8)
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == data.count else { return .failure(Failure(message: "Kunde inte skriva texten till en fil för redigeraren.")) }

        let status = run(["/bin/sh", "-c", command + " \"$1\"", "sh", file.path], environment: environment)
        let name = command.split(separator: " ").first.map(String.init) ?? command
        if status == 127 || status == 126 {
            return .failure(Failure(message: "Textredigeraren \(name) kunde inte startas (finns den?)."))
        }
        guard status == 0 else {
            return .failure(Failure(message: "Textredigeraren \(name) avslutades med fel (\(status)); ingenting ändrades."))
        }
        guard let contents = try? Data(contentsOf: file), let edited = String(data: contents, encoding: .utf8) else {
            return .failure(Failure(message: "Texten från redigeraren gick inte att läsa (inte UTF-8?); ingenting ändrades."))
        }
        // Editors end the last line with a newline; the answer does not need it.
        var result = edited
        while result.hasSuffix("\n") || result.hasSuffix("\r") { result.removeLast() }
        return .success(result)
    }

    /// `$VISUAL`, `$EDITOR`, or the first of nano and vi found on the PATH.
    static func editorCommand(_ environment: [String: String]) -> String? {
        for key in ["VISUAL", "EDITOR"] {
            if let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["nano", "vi"] {
            for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return name
            }
        }
        return nil
    }

    /// Runs a program on this terminal and waits for it; its exit status (128+ for a signal).
    static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        // Ctrl-C in the editor is the editor's: Bevaka ignores SIGINT and SIGQUIT meanwhile (the
        // terminal is in its ordinary mode, where they reach every process on it), the editor
        // gets the default handling.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGQUIT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let previousInterrupt = signal(SIGINT, SIG_IGN)
        let previousQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, previousInterrupt)
            signal(SIGQUIT, previousQuit)
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, arguments[0], nil, &attributes, argv, env) == 0 else { return 127 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
