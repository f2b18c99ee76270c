import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// The ways a municipality logs in, against a real server (`dev-postgres start-auth`): a SCRAM
/// password from `~/.pgpass`, a client certificate signed by the unit's CA, and peer
/// authentication for an account on the machine itself. Each through the real `bevaka` binary,
/// with nothing but the connection string and the files libpq reads.
@Suite(.serialized) struct AuthenticationTests {
    static let server = PrivateServer(command: "start-auth")

    /// A database with the schema, a handläggare `role` in it, and the demo's first person theirs.
    func unit(_ role: String) throws -> (name: String, person: Client) {
        let server = AuthenticationTests.server
        if let failure = server.failure { throw PrivateServer.ServerFailure(message: failure) }
        let admin = try server.database()
        guard let start = admin.range(of: "@/"), let end = admin.range(of: "?") else { throw PrivateServer.ServerFailure(message: admin) }
        let name = String(admin[start.upperBound..<end.lowerBound])
        let store = PostgresStore(try PostgresLocation(admin, environment: [:]))
        _ = try store.addUser(role, kind: .handlaggare, name: "Anna Lind")
        let person = DemoCaseload.make(today: today).clients[0]
        _ = try store.importCaseload(Caseload(clients: [person]), owner: role)
        return (name, person)
    }

    func home() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func agenda(_ store: String, home: URL) -> (status: Int32, output: String) {
        runProduct("bevaka", ["agenda", "--store", store, "--today", "2026-11-22", "--days", "400"], environment: ["HOME": home.path])
    }

    @Test func aScramPasswordFromPgpassAndNothingElse() throws {
        let role = "scram_" + String(UUID().uuidString.prefix(6)).lowercased().filter { $0.isLetter || $0.isNumber }
        let (name, person) = try unit(role)
        let server = AuthenticationTests.server
        try server.psql("ALTER ROLE \(role) PASSWORD 'Hemligt-7'", database: name)
        #expect(try server.psql("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = '\(role)'", database: "postgres") == "t")
        let folder = try home()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "postgresql://\(role)@127.0.0.1:\(server.port)/\(name)"
        // No password anywhere: refused, said in Swedish with where to put it.
        let none = agenda(url, home: folder)
        #expect(none.status != 0)
        #expect(none.output.contains("kräver lösenord") && none.output.contains(".pgpass"), "\(none.output)")
        // A wrong one: refused, and the password is never printed.
        let pgpass = folder.appendingPathComponent(".pgpass")
        try "127.0.0.1:\(server.port):*:\(role):Fel-lösen\n".write(to: pgpass, atomically: true, encoding: .utf8)
        chmod(pgpass.path, 0o600)
        let wrong = agenda(url, home: folder)
        #expect(wrong.status != 0 && wrong.output.contains("inloggningen nekades"), "\(wrong.output)")
        #expect(!wrong.output.contains("Fel-lösen"))
        // The right one in ~/.pgpass: the agenda of the role's own person.
        try "127.0.0.1:\(server.port):*:\(role):Hemligt-7\n".write(to: pgpass, atomically: true, encoding: .utf8)
        chmod(pgpass.path, 0o600)
        let right = agenda(url, home: folder)
        #expect(right.status == 0, "\(right.output)")
        #expect(right.output.contains(String(person.name.split(separator: " ").first ?? "")), "\(right.output)")
        #expect(!right.output.contains("Hemligt-7"))
        // The keyword form and a service file say the same.
        let service = folder.appendingPathComponent(".pg_service.conf")
        try "[bevaka]\nhost=127.0.0.1\nport=\(server.port)\ndbname=\(name)\nuser=\(role)\n".write(to: service, atomically: true, encoding: .utf8)
        let byService = agenda("service=bevaka", home: folder)
        #expect(byService.status == 0 && byService.output == right.output, "\(byService.output)")
        let unknownService = agenda("service=finnsinte", home: folder)
        #expect(unknownService.status != 0 && unknownService.output.contains("service finns inte i ~/.pg_service.conf"), "\(unknownService.output)")
        let byKeywords = agenda("host=127.0.0.1 port=\(server.port) dbname=\(name) user=\(role)", home: folder)
        #expect(byKeywords.status == 0 && byKeywords.output == right.output, "\(byKeywords.output)")
    }

    @Test func aClientCertificateSignedByTheUnitsCA() throws {
        let (name, person) = try unit("cert_user")
        let server = AuthenticationTests.server
        let folder = try home()
        defer { try? FileManager.default.removeItem(at: folder) }
        // libpq wants the key readable by its owner only.
        let key = folder.appendingPathComponent("client.key")
        try FileManager.default.copyItem(atPath: server.folder + "/client.key", toPath: key.path)
        chmod(key.path, 0o600)
        let url = "postgresql://cert_user@localhost:\(server.port)/\(name)?sslmode=verify-full&sslrootcert=\(server.folder)/ca.crt"
            + "&sslcert=\(server.folder)/client.crt&sslkey=\(key.path)"
        let run = agenda(url, home: folder)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains(String(person.name.split(separator: " ").first ?? "")), "\(run.output)")
        // Without the certificate the server asks for one; no password is tried.
        let without = agenda("postgresql://cert_user@localhost:\(server.port)/\(name)?sslmode=verify-full&sslrootcert=\(server.folder)/ca.crt",
                             home: folder)
        #expect(without.status != 0, "\(without.output)")
        #expect(!without.output.isEmpty && !without.output.contains("Fatal error"))
    }

    /// An account on this machine logs in as the role of the same name over the socket: no
    /// password, no ticket (`local all all peer`), the simplest deployment on a shared host.
    @Test func peerAuthenticationForAnAccountOnThisMachine() throws {
        guard getuid() == 0 else {
            // Making an OS account needs root (CI runs as root); said, not passed quietly.
            Issue.record("peer authentication is tested as root only (useradd)")
            return
        }
        let account = "bevakapeer"
        _ = PrivateServer.shell(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", account])
        #expect(PrivateServer.shell(["id", account]).status == 0)
        let (name, person) = try unit(account)
        let server = AuthenticationTests.server
        let folder = try home()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = PrivateServer.shell(["chown", account, folder.path])
        let url = "postgresql:///\(name)?host=\(server.folder)&port=\(server.port)"
        let binary = builtProduct("bevaka").path
        let env = ["HOME=\(folder.path)", "LANG=C.UTF-8", "PATH=/usr/bin:/bin"]
        let run = PrivateServer.shell(["runuser", "-u", account, "--", "env", "-i"] + env
                                      + [binary, "agenda", "--store", url, "--today", "2026-11-22", "--days", "400"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains(String(person.name.split(separator: " ").first ?? "")), "\(run.output)")
        // Another account cannot claim the role: peer checks who is really asking.
        let other = PrivateServer.shell(["runuser", "-u", "nobody", "--", "env", "-i"] + env
                                        + [binary, "agenda", "--store", "postgresql://\(account)@/\(name)?host=\(server.folder)&port=\(server.port)",
                                           "--today", "2026-11-22"])
        #expect(other.status != 0 && other.output.contains("peer"), "\(other.output)")
    }

    /// Single sign-on: a Kerberos ticket (from kinit here; from the Windows login at the
    /// municipality) is all the user has; pg_hba says `gss include_realm=0`. A real MIT KDC of
    /// the test's own (Debian's krb5-kdc, which `.ci/run` installs).
    @Test func kerberosWithTheUsersTicketAndNoPassword() throws {
        let server = AuthenticationTests.server
        let config = server.folder + "/krb5.conf"
        guard FileManager.default.fileExists(atPath: config) else {
            Issue.record("krb5-kdc is not installed (apt-get install -y krb5-kdc krb5-admin-server krb5-user): Kerberos untested")
            return
        }
        let (name, person) = try unit("krb_user")
        let folder = try home()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = "FILE:" + folder.appendingPathComponent("krb5cc").path
        let kerberos = ["KRB5_CONFIG": config, "KRB5CCNAME": cache]
        let url = "postgresql://krb_user@localhost:\(server.port)/\(name)"
        // No ticket yet: refused, and told how to get one.
        let before = runProduct("bevaka", ["agenda", "--store", url, "--today", "2026-11-22", "--days", "400"],
                                environment: ["HOME": folder.path].merging(kerberos) { $1 })
        #expect(before.status != 0 && before.output.contains("Kerberos"), "\(before.output)")
        // kinit with the user's password (what the Windows login does), then Bevaka with the ticket only.
        let password = try String(contentsOfFile: server.folder + "/krb_user.pw", encoding: .utf8)
        let kinit = PrivateServer.shell(["sh", "-c", "printf '%s\\n' \"$1\" | KRB5_CONFIG=\"$2\" KRB5CCNAME=\"$3\" kinit krb_user >/dev/null",
                                         "kinit", password.trimmingCharacters(in: .whitespacesAndNewlines), config, cache])
        #expect(kinit.status == 0, "\(kinit.output)")
        let after = runProduct("bevaka", ["agenda", "--store", url, "--today", "2026-11-22", "--days", "400"],
                               environment: ["HOME": folder.path].merging(kerberos) { $1 })
        #expect(after.status == 0, "\(after.output)")
        #expect(after.output.contains(String(person.name.split(separator: " ").first ?? "")), "\(after.output)")
        // pg_hba lets krb_user in by GSSAPI only; the read was logged under the role.
        let logged = try server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = 'krb_user'", database: name)
        #expect((Int(logged) ?? 0) > 0, "\(logged)")
    }
}
