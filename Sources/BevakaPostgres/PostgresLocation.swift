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
    /// True when the address reaches a server over the network (a host that is neither a Unix
    /// socket folder nor this machine).
    public let remote: Bool
    /// True when Bevaka set `sslmode=verify-full` because the address named no mode (never a
    /// quiet fall back to plain text; docs/postgresql.md).
    public let sslModeDefaulted: Bool
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
            // libpq's own words (English), without the string or any password in it.
            throw fail(TerminalText.sanitize(PostgresLocation.masked(error.replacingOccurrences(of: text, with: "…"), conninfo: text)))
        }
        let options = parsed.options
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
        service = options["service"] ?? environment["PGSERVICE"]
        let local: Set<String> = ["localhost", "127.0.0.1", "::1"]
        let addresses = hosts + (options["hostaddr"] ?? environment["PGHOSTADDR"] ?? "").split(separator: ",").map(String.init)
        remote = addresses.contains { !$0.isEmpty && !$0.hasPrefix("/") && !local.contains($0.lowercased()) }
        // Over the network: verify-full unless the address (or PGSSLMODE) names a mode. A service
        // decides in its own file, which libpq reads; it is left as it is.
        if let mode = options["sslmode"] ?? environment["PGSSLMODE"] {
            sslmode = mode
            sslModeDefaulted = false
            conninfo = text
        } else if remote && service == nil {
            sslmode = "verify-full"
            sslModeDefaulted = true
            if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") {
                conninfo = text + (text.contains("?") ? "&" : "?") + "sslmode=verify-full"
            } else {
                conninfo = text + " sslmode=verify-full"
            }
        } else {
            sslmode = nil
            sslModeDefaulted = false
            conninfo = text
        }
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

    /// The password an address names (`user:PASSWORD@` or `password=…`, as written and
    /// percent-decoded), so that no message passed on from libpq can hold it.
    public static func secrets(in conninfo: String) -> [String] {
        var found: [String] = []
        // URL form: between the user's ':' and the '@' before the host.
        for scheme in ["postgresql://", "postgres://"] where conninfo.hasPrefix(scheme) {
            let rest = conninfo.dropFirst(scheme.count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
        }
        // `password=` in the keyword form or in the URL's query (up to a space, '&' or a quote's end).
        var search = conninfo[...]
        while let range = search.range(of: "password") {
            var index = range.upperBound
            while index < search.endIndex, search[index] == " " { index = search.index(after: index) }
            guard index < search.endIndex, search[index] == "=" else { search = search[range.upperBound...]; continue }
            index = search.index(after: index)
            while index < search.endIndex, search[index] == " " { index = search.index(after: index) }
            var value = ""
            if index < search.endIndex, search[index] == "'" {
                index = search.index(after: index)
                while index < search.endIndex, search[index] != "'" {
                    if search[index] == "\\", search.index(after: index) < search.endIndex { index = search.index(after: index) }
                    value.append(search[index])
                    index = search.index(after: index)
                }
            } else {
                while index < search.endIndex, search[index] != " ", search[index] != "&" {
                    value.append(search[index])
                    index = search.index(after: index)
                }
            }
            found.append(value)
            search = search[index...]
        }
        var all = found
        for value in found {
            if let decoded = value.removingPercentEncoding { all.append(decoded) }
            // libpq quotes the part it could not decode: every piece between '%' signs too.
            all += value.split(separator: "%").map(String.init).filter { $0.count >= 4 }
        }
        return Array(Set(all.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    /// A message from libpq (or about an address) with no password in it: each password the
    /// address names is replaced, and any `user:…@` or `password=…` left in it is masked too.
    public static func masked(_ message: String, conninfo: String?) -> String {
        var text = message
        for secret in conninfo.map(secrets(in:)) ?? [] { text = text.replacingOccurrences(of: secret, with: "…") }
        if let url = try? Regex("(postgres(?:ql)?://[^:/@\\s]*):[^@\\s]*@") {
            text = text.replacing(url) { match in "\(match.output[1].substring ?? ""):…@" }
        }
        if let keyword = try? Regex("password\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|[^\\s&\"]+)") {
            text = text.replacing(keyword) { _ in "password=…" }
        }
        return text
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
