import BevakaDomain
import BevakaStore
import Foundation

/// Where the shared store is: a libpq connection string, in either of libpq's forms, handed to
/// libpq as it is — so every setting a DBA uses with psql works here too:
///
///     postgresql://anna@db1.kommun.se,db2.kommun.se/bevaka?target_session_attrs=read-write
///     postgresql:///bevaka?host=/var/run/postgresql        (a Unix socket, peer authentication)
///     service=bevaka                                        (~/.pg_service.conf)
///     host=db.kommun.se dbname=bevaka sslmode=verify-full gssencmode=prefer
///
/// What the string leaves out, libpq takes from `PG*` variables, `~/.pg_service.conf`,
/// `~/.pgpass` and its defaults; authentication is whatever the server asks for (SCRAM, GSSAPI
/// with the user's Kerberos ticket, a client certificate, peer). Bevaka reads the string with
/// libpq's own parser only to check it and to name the server in messages; a password never
/// appears in a message.
public struct PostgresLocation: Equatable, Sendable {
    /// The connection string as given.
    public let conninfo: String
    /// For messages: the user, the host(s) or socket folder, the port(s) and the database, as
    /// far as the string and the environment say (libpq decides the rest).
    public let user: String
    public let hosts: [String]
    public let port: String
    public let database: String
    public let sslmode: String?
    /// The `service` the address names (`~/.pg_service.conf`), if any.
    public let service: String?

    /// libpq's keywords, which start the keyword form (`host=… dbname=…`).
    static let keywords: Set<String> = [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service", "connect_timeout",
        "client_encoding", "options", "application_name", "sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl",
        "gssencmode", "krbsrvname", "target_session_attrs", "require_auth", "channel_binding", "keepalives",
    ]

    /// Whether a `--store` value is a PostgreSQL connection string rather than a file's path:
    /// a `postgresql://` or `postgres://` URL, or libpq's keyword form (`service=…`, `host=…`).
    public static func isPostgres(_ location: String) -> Bool {
        if location.hasPrefix("postgresql://") || location.hasPrefix("postgres://") { return true }
        let first = location.split(separator: " ").first.map(String.init) ?? ""
        guard let equals = first.firstIndex(of: "=") else { return false }
        return keywords.contains(String(first[..<equals]).trimmingCharacters(in: .whitespaces))
    }

    public struct ParseError: Error, Equatable {
        public var message: String
    }

    /// The default socket folder of Debian's PostgreSQL (libpq's own default there).
    public static let defaultSocketFolder = "/var/run/postgresql"

    public init(_ text: String, environment: [String: String]) throws(ParseError) {
        func fail(_ why: String) -> ParseError {
            ParseError(message: "Adressen till databasen går inte att läsa (\(why)). Skriv den som postgresql://användare@värd:5432/databas, postgresql:///databas?host=/mapp/för/socket eller service=namn.")
        }
        guard PostgresLocation.isPostgres(text) else { throw fail("den ska börja med postgresql:// eller vara libpq:s nyckelord, t.ex. service=bevaka") }
        // Without libpq nothing about the address can be said: the message is about libpq.
        if let missing = PGConnection.libraryMissing { throw ParseError(message: missing) }
        let parsed = PGConnection.parse(text)
        if let error = parsed.error {
            // libpq's own words (English), without the string, which may hold a password.
            throw fail(TerminalText.sanitize(error.replacingOccurrences(of: text, with: "…")))
        }
        let options = parsed.options
        conninfo = text
        let login = environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
        user = options["user"] ?? environment["PGUSER"] ?? login
        guard !user.isEmpty else { throw fail("användarnamnet är tomt") }
        let hostText = options["host"] ?? environment["PGHOST"] ?? ""
        hosts = hostText.split(separator: ",", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        port = options["port"] ?? environment["PGPORT"] ?? "5432"
        for part in port.split(separator: ",") where Int(part).map({ !(1...65535).contains($0) }) ?? true {
            throw fail("porten \"\(part)\" är ingen port")
        }
        database = options["dbname"] ?? environment["PGDATABASE"] ?? (options["service"].map { "service \($0)" } ?? user)
        sslmode = options["sslmode"] ?? environment["PGSSLMODE"]
        service = options["service"] ?? environment["PGSERVICE"]
        if let mode = sslmode, !["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(mode) {
            throw fail("sslmode \"\(mode)\" finns inte; välj disable, prefer, require, verify-ca eller verify-full")
        }
        if let file = options["sslrootcert"] ?? environment["PGSSLROOTCERT"], !file.isEmpty, file != "system",
           !FileManager.default.isReadableFile(atPath: file) {
            throw fail("filen med rotcertifikat (sslrootcert) \(file) kan inte läsas")
        }
        if let mode = options["target_session_attrs"],
           !["any", "read-write", "read-only", "primary", "standby", "prefer-standby"].contains(mode) {
            throw fail("target_session_attrs \"\(mode)\" finns inte; välj t.ex. read-write")
        }
    }

    /// For messages: never the password.
    public var display: String {
        if let service, hosts.isEmpty { return "service=\(service)" }
        if hosts.isEmpty || hosts.allSatisfy({ $0.hasPrefix("/") }) {
            return "postgresql://\(user)@/\(database)?host=\(hosts.first ?? PostgresLocation.defaultSocketFolder)"
        }
        return "postgresql://\(user)@\(hosts.joined(separator: ",")):\(port)/\(database)"
    }

    /// Where the server is, for "cannot connect" messages.
    public var serverDescription: String {
        if let service, hosts.isEmpty { return "tjänsten \(service) i ~/.pg_service.conf" }
        if hosts.isEmpty || hosts.allSatisfy({ $0.hasPrefix("/") }) {
            return "socketen i \(hosts.first ?? PostgresLocation.defaultSocketFolder)"
        }
        return hosts.count == 1 ? "\(hosts[0]):\(port)" : "\(hosts.joined(separator: ", ")) (port \(port))"
    }

    /// A short, file-name-safe name for the recovery file: user and database.
    public var recoveryName: String {
        "\(user)@\(database)".filter { $0.isLetter || $0.isNumber || "@._-".contains($0) }
    }
}
