import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// Issue 34, items 6 and 7: no password in any message, from any address form; over the network
/// TLS with the certificate checked unless the address names another mode.
@Suite struct SecretsAndTLSDefaultTests {
    static let marker = "Zq7Hemligt%ZZpw"

    /// Every form an address can carry a password in, each broken the way that makes libpq quote
    /// it (a bad percent-encoding) or simply unreachable: the binary's output never holds it.
    @Test func noMessageHoldsThePassword() throws {
        let addresses = [
            "postgresql://anna:\(Self.marker)@/bevaka?host=/nonexistent/folder",
            "postgres://anna:\(Self.marker)@db.invalid:5432/bevaka",
            "postgresql://anna@/bevaka?host=/nonexistent/folder&password=\(Self.marker)",
            "host=/nonexistent/folder dbname=bevaka user=anna password=\(Self.marker)",
            "host=/nonexistent/folder dbname=bevaka user=anna password='\(Self.marker) med mellanslag'",
            "postgresql://anna:Zq7Hemligt@/bevaka?host=/nonexistent/folder",
        ]
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-secrets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        for address in addresses {
            for command in [["agenda"], ["db", "init"], ["rapport", "ivo"]] {
                let run = runProduct("bevaka", command + ["--store", address], environment: ["HOME": home.path])
                #expect(run.status != 0, "\(address)")
                for piece in ["Zq7Hemligt", "ZZpw", "med mellanslag"] {
                    #expect(!run.output.contains(piece), "\(command) \(address): \(run.output)")
                }
            }
            // The same address from the config file (0600), as a user would keep it.
            let folder = home.appendingPathComponent(".config/bevaka")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let config = folder.appendingPathComponent("config.json")
            try JSONSerialization.data(withJSONObject: ["store": address]).write(to: config)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config.path)
            let run = runProduct("bevaka", ["agenda"], environment: ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path])
            #expect(run.status != 0)
            for piece in ["Zq7Hemligt", "ZZpw", "med mellanslag"] { #expect(!run.output.contains(piece), "config \(address): \(run.output)") }
        }
        // The masking itself, for text that never saw the address.
        #expect(PostgresLocation.masked("could not connect: postgresql://anna:x%y@db/b and password=abc&x", conninfo: nil)
                == "could not connect: postgresql://anna:…@db/b and password=…&x")
    }

    @Test func overTheNetworkTLSIsVerifiedUnlessTheAddressSaysOtherwise() throws {
        let remote = try PostgresLocation("postgresql://anna@db.kommun.se/bevaka", environment: [:])
        #expect(remote.remote && remote.sslModeDefaulted && remote.sslmode == "verify-full")
        #expect(remote.conninfo == "postgresql://anna@db.kommun.se/bevaka?sslmode=verify-full")
        let query = try PostgresLocation("postgresql://anna@db1,db2/bevaka?target_session_attrs=read-write", environment: [:])
        #expect(query.conninfo.hasSuffix("target_session_attrs=read-write&sslmode=verify-full"))
        let keywords = try PostgresLocation("host=db.kommun.se dbname=bevaka", environment: [:])
        #expect(keywords.conninfo == "host=db.kommun.se dbname=bevaka sslmode=verify-full")
        // Named: kept as named (and said in the status line when it ends up unencrypted).
        for mode in ["disable", "prefer", "require"] {
            let named = try PostgresLocation("postgresql://anna@db.kommun.se/bevaka?sslmode=\(mode)", environment: [:])
            #expect(named.sslmode == mode && !named.sslModeDefaulted && !named.conninfo.contains("verify-full"))
        }
        #expect(try PostgresLocation("postgresql://anna@db.kommun.se/bevaka", environment: ["PGSSLMODE": "require"]).sslmode == "require")
        // This machine, a socket, a service: left to libpq and the service file.
        for local in ["postgresql://anna@localhost/bevaka", "postgresql://anna@127.0.0.1:5433/bevaka",
                      "postgresql:///bevaka?host=/var/run/postgresql", "service=bevaka"] {
            let location = try PostgresLocation(local, environment: [:])
            #expect(!location.sslModeDefaulted && location.conninfo == local, "\(local)")
        }
        // A name for the server and its address (hostaddr) is over the network: against the test
        // server with a certificate nobody vouches for, refused — never quietly in plain text.
        let tls = PrivateServer.withTLS
        if let failure = tls.failure { throw PrivateServer.ServerFailure(message: failure) }
        guard let portStart = tls.printed.range(of: "127.0.0.1:"), let slash = tls.printed[portStart.upperBound...].firstIndex(of: "/") else {
            throw PrivateServer.ServerFailure(message: tls.printed)
        }
        let port = tls.printed[portStart.upperBound..<slash]
        let named = try PostgresLocation("host=bevaka.test hostaddr=127.0.0.1 port=\(port) dbname=bevaka user=postgres", environment: [:])
        #expect(named.remote && named.sslmode == "verify-full")
        #expect {
            _ = try PostgresStore(named).load()
        } throws: { error in
            (error as? StoreError)?.message.contains("certifikat") == true
        }
        // Named prefer: TLS is found, but nobody checked the server; said once in the status line.
        let prefer = PostgresStore(try PostgresLocation("host=bevaka.test hostaddr=127.0.0.1 port=\(port) dbname=bevaka user=postgres sslmode=prefer",
                                                        environment: [:]))
        _ = try prefer.initialise()
        #expect(prefer.takeNotice()?.contains("serverns certifikat kontrolleras inte (sslmode=prefer)") == true)
        #expect(prefer.takeNotice() == nil)
        // This machine by name: nothing to say.
        let local = PostgresStore(try PostgresLocation("host=localhost port=\(port) dbname=bevaka user=postgres sslmode=require", environment: [:]))
        _ = try local.load()
        #expect(local.takeNotice() == nil)
    }
}
