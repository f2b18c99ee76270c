import BevakaStore
import Foundation

/// A `postgresql://` or `postgres://` store location, the way libpq reads one:
///
///     postgresql://[user[:password]@][host][:port][/database][?host=/socket/dir&sslmode=require]
///
/// No host (or `?host=` with a folder) means a Unix socket on this machine; a host name means
/// TCP, with TLS as `sslmode` says (`disable`, `prefer` — the default —, `require`, `verify-full`).
/// The password comes from the URL (keep such a URL in the 0600 config file, never on the
/// command line, where `ps` shows it), else `PGPASSWORD`, else `~/.pgpass`. It never appears in
/// a message: `display` leaves it out.
public struct PostgresLocation: Equatable, Sendable {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require, verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    /// A TCP host; nil for a Unix socket.
    public var host: String?
    public var port: Int
    public var socketFolder: String?
    public var database: String
    public var tls: TLSMode
    /// CA certificates (PEM) to check the server's certificate against instead of the system's
    /// (`sslrootcert`, or `PGSSLROOTCERT`): a municipality's own CA.
    public var rootCertificates: String?

    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    public struct ParseError: Error, Equatable {
        public var message: String
    }

    /// The default socket folder of Debian's PostgreSQL.
    public static let defaultSocketFolder = "/var/run/postgresql"

    public init(_ text: String, environment: [String: String]) throws(ParseError) {
        func fail(_ why: String) -> ParseError {
            ParseError(message: "Adressen till databasen går inte att läsa (\(why)). Skriv den som postgresql://användare@värd:5432/databas eller postgresql:///databas?host=/mapp/för/socket.")
        }
        guard PostgresLocation.isPostgres(text), let components = URLComponents(string: text) else {
            throw fail("den ska börja med postgresql://")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            query[item.name] = item.value ?? ""
        }
        for key in query.keys where !["host", "port", "sslmode", "sslrootcert", "user", "password", "dbname"].contains(key) {
            throw fail("okänd inställning \"\(key)\"")
        }
        let login = environment["PGUSER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "postgres"
        user = query["user"] ?? components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? login
        guard !user.isEmpty else { throw fail("användarnamnet är tomt") }
        let portText = query["port"] ?? components.port.map(String.init) ?? environment["PGPORT"] ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else { throw fail("porten \"\(portText)\" är ingen port") }
        self.port = port
        var path = components.path
        if path.hasPrefix("/") { path.removeFirst() }
        database = query["dbname"] ?? (path.isEmpty ? (environment["PGDATABASE"] ?? user) : path)
        let hostText = query["host"] ?? (components.host.flatMap { $0.isEmpty ? nil : $0 }) ?? environment["PGHOST"]
        if let hostText, hostText.hasPrefix("/") {
            host = nil
            socketFolder = hostText
        } else if let hostText, !hostText.isEmpty {
            host = hostText
            socketFolder = nil
        } else {
            host = nil
            socketFolder = PostgresLocation.defaultSocketFolder
        }
        let mode = query["sslmode"] ?? environment["PGSSLMODE"] ?? (host == nil ? "disable" : "prefer")
        switch mode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require", "verify-ca": tls = .require
        case "verify-full": tls = .verifyFull
        default: throw fail("sslmode \"\(mode)\" finns inte; välj disable, prefer, require eller verify-full")
        }
        rootCertificates = (query["sslrootcert"] ?? environment["PGSSLROOTCERT"]).flatMap { $0.isEmpty ? nil : $0 }
        if let file = rootCertificates, !FileManager.default.isReadableFile(atPath: file) {
            throw fail("filen med rotcertifikat (sslrootcert) \(file) kan inte läsas")
        }
        password = query["password"] ?? components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
            ?? environment["PGPASSWORD"]
            ?? PostgresLocation.passwordFile(environment: environment, host: host ?? "localhost", port: port,
                                             database: database, user: user)
    }

    /// The socket file of a Unix-socket location.
    public var socketPath: String? {
        socketFolder.map { "\($0)/.s.PGSQL.\(port)" }
    }

    /// For messages: never the password.
    public var display: String {
        if let host { return "postgresql://\(user)@\(host):\(port)/\(database)" }
        return "postgresql://\(user)@/\(database)?host=\(socketFolder ?? "")"
    }

    /// Where the server is, for "cannot connect" messages.
    public var serverDescription: String {
        if let host { return "\(host):\(port)" }
        return "socketen i \(socketFolder ?? "")"
    }

    /// `~/.pgpass` (or `PGPASSFILE`): `host:port:database:user:password`, `*` matching anything.
    static func passwordFile(environment: [String: String], host: String, port: Int, database: String, user: String) -> String? {
        let path = environment["PGPASSFILE"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var fields: [String] = []
            var current = ""
            var escaped = false
            for character in line {
                if escaped { current.append(character); escaped = false; continue }
                if character == "\\" { escaped = true; continue }
                if character == ":" { fields.append(current); current = ""; continue }
                current.append(character)
            }
            fields.append(current)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}
