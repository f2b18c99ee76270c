import Foundation

/// Writes a journal draft or an underlag letter to a new file. The text holds personal data, so
/// the file is readable by the owner only, and an existing file is never overwritten.
public enum DocumentFile {
    public struct WriteError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// `~` and `~/…` mean the home folder. Returns the full path written. With `replacing`, an
    /// existing file is replaced atomically (an export written again); otherwise it is refused.
    @discardableResult
    public static func write(_ text: String, to path: String, environment: [String: String],
                             replacing: Bool = false) throws(WriteError) -> String {
        var full = path
        if full == "~" || full.hasPrefix("~/") {
            guard let home = environment["HOME"], !home.isEmpty else {
                throw WriteError(message: "Kan inte spara: HOME är inte satt, skriv hela sökvägen.")
            }
            full = home + full.dropFirst()
        }
        if replacing {
            let temporary = full + ".tmp-\(getpid())"
            unlink(temporary)
            try write(text, to: temporary, environment: environment)
            guard rename(temporary, full) == 0 else {
                let code = errno
                unlink(temporary)
                throw WriteError(message: "Kunde inte ersätta \(full) (\(String(cString: strerror(code)))).")
            }
            return full
        }
        let descriptor = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case EEXIST: throw WriteError(message: "Filen \(full) finns redan; välj ett annat namn.")
            case ENOENT: throw WriteError(message: "Mappen för \(full) finns inte.")
            case EACCES, EPERM: throw WriteError(message: "Du får inte skriva i mappen för \(full).")
            case EISDIR: throw WriteError(message: "\(full) är en mapp; skriv ett filnamn.")
            default: throw WriteError(message: "Kunde inte skapa \(full) (\(String(cString: strerror(code)))).")
            }
        }
        defer { close(descriptor) }
        let failure = writeAll(descriptor, Data(text.utf8))
        if failure != 0 {
            unlink(full)
            throw WriteError(message: "Kunde inte skriva \(full) (\(String(cString: strerror(failure)))).")
        }
        guard fsync(descriptor) == 0 else {
            unlink(full)
            throw WriteError(message: "Kunde inte skriva klart \(full).")
        }
        return full
    }
}
