import Foundation

/// Everything that can go wrong with the store, each with one clear Swedish sentence for the
/// user (`message`) and an English description for developers. Messages name files and
/// positions, never the personal data inside them.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case locked(path: String)
    case unreadable(path: String, reason: String)
    case damaged(path: String, line: Int?, column: Int?, detail: String, backup: String?)
    /// `database`: the shared store (its location is a connection string), not a file.
    case newerSchema(path: String, found: Int, supported: Int, database: Bool = false)
    case saveFailed(path: String, reason: String)
    case refusingToOverwrite(path: String)
    case folder(path: String, reason: String)
    case lockFile(path: String, reason: String)
    /// The database server cannot be reached (where: host:port or the socket).
    case unreachable(location: String, reason: String)
    /// The server answered with an error.
    case server(location: String, reason: String)
    /// The database has no Bevaka schema yet, or an older one.
    case schemaMissing(location: String)
    case schemaOld(location: String, found: Int, supported: Int)
    /// A migration recorded as applied is not the one this program carries (its checksum differs).
    case schemaChanged(location: String, version: Int)

    public var message: String {
        switch self {
        case .locked(let path):
            return "Ärendelistan \(path) är redan öppen i ett annat Bevaka-fönster. Stäng det först, så att ingen ändring går förlorad."
        case .unreadable(let path, let reason):
            return "Filen \(path) går inte att läsa (\(reason)). Bevaka rör inte filen."
        case .damaged(let path, let line, let column, let detail, let backup):
            let place = line.map { "rad \($0)" + (column.map { ", kolumn \($0)" } ?? "") + ": " } ?? ""
            let restore = backup.map { "Återställ den senaste säkerhetskopian med: cp '\($0)' '\(path)'" }
                ?? "Det finns ingen säkerhetskopia; rätta filen för hand eller flytta undan den."
            return "Filen \(path) är skadad (\(place)\(detail)). Bevaka skriver inte över den. \(restore)"
        case .newerSchema(let path, let found, let supported, let database):
            return (database ? "Databasen " : "Filen ") + "\(path) är skapad av en nyare version av Bevaka (format \(found); den här versionen läser till och med format \(supported)). Uppdatera Bevaka."
        case .saveFailed(let path, let reason):
            return "Kunde inte spara \(path) (\(reason)). Den tidigare sparade filen är orörd."
        case .refusingToOverwrite(let path):
            return "Bevaka sparar inte över \(path) eftersom filen inte kunde läsas in."
        case .folder(let path, let reason):
            return "Mappen \(path) kan inte användas (\(reason))."
        case .unreachable(let location, let reason):
            return "Kan inte nå databasservern (\(location)): \(reason)" + (reason.hasSuffix("?") ? "" : ".")
        case .server(let location, let reason):
            return "Databasen \(location) svarade med ett fel: \(reason)."
        case .schemaMissing(let location):
            return "Databasen \(location) har inget Bevaka-schema än. Be den som administrerar databasen köra: bevaka db init --store URL"
        case .schemaOld(let location, let found, let supported):
            return "Databasen \(location) har schema \(found); den här versionen av Bevaka behöver \(supported). Kör: bevaka db init --store URL"
        case .schemaChanged(let location, let version):
            return "Databasens schema har ändrats utanför Bevaka: migration \(version) i \(location) är inte den som Bevaka har. "
                + "Bevaka använder inte databasen; be databasadministratören jämföra den med Sources/BevakaPostgres/Migrations (docs/postgresql.md)."
        case .lockFile(let path, let reason):
            return "Låsfilen \(path) kan inte användas (\(reason)). Flytta undan den; Bevaka skapar en ny. Ärendelistan är orörd."
        }
    }

    public var description: String {
        switch self {
        case .locked(let path): return "store locked by another process: \(path)"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .damaged(let path, let line, let column, let detail, _):
            return "damaged store \(path) at line \(line ?? 0) column \(column ?? 0): \(detail)"
        case .newerSchema(let path, let found, let supported, _):
            return "store \(path) has schema \(found) > supported \(supported)"
        case .saveFailed(let path, let reason): return "save of \(path) failed: \(reason)"
        case .refusingToOverwrite(let path): return "refusing to overwrite unread store \(path)"
        case .folder(let path, let reason): return "store folder \(path) unusable: \(reason)"
        case .lockFile(let path, let reason): return "lock file \(path) unusable: \(reason)"
        case .unreachable(let location, let reason): return "database server \(location) unreachable: \(reason)"
        case .server(let location, let reason): return "database \(location) error: \(reason)"
        case .schemaMissing(let location): return "database \(location) has no schema"
        case .schemaOld(let location, let found, let supported): return "database \(location) schema \(found) < \(supported)"
        case .schemaChanged(let location, let version): return "database \(location) migration \(version) checksum differs"
        }
    }

    /// A Swedish description of an errno value, for the parenthesis in the messages above.
    static func reason(errno code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "behörighet saknas"
        case ENOSPC: return "disken är full"
        case EDQUOT: return "diskkvoten är slut"
        case EFBIG: return "filen blev för stor"
        case EROFS: return "filsystemet är skrivskyddat"
        case ENOENT: return "finns inte"
        case EIO: return "in- eller utmatningsfel"
        case EISDIR: return "är en mapp"
        default: return "felkod \(code)"
        }
    }
}
