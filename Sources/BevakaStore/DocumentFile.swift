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
            // Written beside it and renamed over it; a message names the user's file, never the temporary one.
            let temporary = full + ".tmp-\(getpid())"
            unlink(temporary)
            try create(text, at: temporary, shown: full)
            guard rename(temporary, full) == 0 else {
                let code = errno
                unlink(temporary)
                if code == EISDIR { throw WriteError(message: "\(full) är en mapp; skriv ett filnamn.") }
                throw WriteError(message: "Kunde inte ersätta \(full) (\(String(cString: strerror(code)))).")
            }
            return full
        }
        try create(text, at: full, shown: full)
        return full
    }

    /// Creates a new file readable by the owner only; messages name `shown` and its folder.
    private static func create(_ text: String, at full: String, shown: String) throws(WriteError) {
        let folder = (shown as NSString).deletingLastPathComponent
        let folderText = folder.isEmpty ? "den aktuella mappen" : folder
        let descriptor = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case EEXIST: throw WriteError(message: "Filen \(shown) finns redan; välj ett annat namn.")
            case ENOENT: throw WriteError(message: "Mappen \(folderText) finns inte; skapa den eller välj en annan (för \(shown)).")
            case ENOTDIR: throw WriteError(message: "\(folderText) är ingen mapp (för \(shown)).")
            case EACCES, EPERM: throw WriteError(message: "Du får inte skriva i mappen \(folderText) (för \(shown)).")
            case EROFS: throw WriteError(message: "Mappen \(folderText) går bara att läsa (för \(shown)).")
            case EISDIR: throw WriteError(message: "\(shown) är en mapp; skriv ett filnamn.")
            case ENOSPC, EDQUOT: throw WriteError(message: "Det finns inte plats på disken för \(shown).")
            default: throw WriteError(message: "Kunde inte skapa \(shown) (\(String(cString: strerror(code)))).")
            }
        }
        defer { close(descriptor) }
        let failure = writeAll(descriptor, Data(text.utf8))
        if failure != 0 {
            unlink(full)
            if failure == ENOSPC || failure == EDQUOT { throw WriteError(message: "Det finns inte plats på disken för \(shown).") }
            throw WriteError(message: "Kunde inte skriva \(shown) (\(String(cString: strerror(failure)))).")
        }
        guard fsync(descriptor) == 0 else {
            unlink(full)
            throw WriteError(message: "Kunde inte skriva klart \(shown).")
        }
    }
}
