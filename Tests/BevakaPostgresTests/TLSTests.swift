import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// The shared store over TCP with TLS, against a real server with a self-signed certificate that
/// refuses plain-text connections (scripts/dev-postgres start-tls).
@Suite struct TLSTests {
    let server = PrivateServer.withTLS

    func url(_ query: String, host: String = "127.0.0.1") throws -> String {
        if let failure = server.failure { throw PrivateServer.ServerFailure(message: failure) }
        guard let portStart = server.printed.range(of: "127.0.0.1:"), let slash = server.printed[portStart.upperBound...].firstIndex(of: "/") else {
            throw PrivateServer.ServerFailure(message: server.printed)
        }
        let port = server.printed[portStart.upperBound..<slash]
        return "postgresql://postgres@\(host):\(port)/bevaka?\(query)"
    }

    /// Whether the store's own connection is encrypted, as the server sees it.
    func encrypted(_ store: PostgresStore) throws -> Bool {
        let client = try store.connected()
        return try store.wait(what: "test") { () throws -> Bool in
            var ssl = false
            for value in try client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").decode(Bool.self) { ssl = value }
            return ssl
        }
    }

    @Test func requireEncryptsAndTheStoreWorks() throws {
        let store = PostgresStore(try PostgresLocation(try url("sslmode=require"), environment: [:]))
        _ = try store.initialise()
        try store.prepareForWriting()
        #expect(try encrypted(store))
        let person = DemoCaseload.make(today: today).clients[0]
        var caseload = try store.load() ?? Caseload()
        if !caseload.clients.contains(where: { $0.personnummer == person.personnummer }) {
            caseload.clients.append(person)
            _ = try store.saveChanges(caseload)
        }
        let again = try PostgresStore(try PostgresLocation(try url("sslmode=require"), environment: [:])).load()
        #expect(again?.clients.contains { $0.personnummer == person.personnummer } == true)
    }

    @Test func verifyFullChecksTheCertificateAgainstTheGivenRoot() throws {
        // Not signed by a CA the system trusts: refused, in Swedish, never quietly in plain text.
        let unknown = PostgresStore(try PostgresLocation(try url("sslmode=verify-full"), environment: [:]))
        do {
            _ = try unknown.load()
            Issue.record("a certificate nobody vouches for was accepted")
        } catch {
            #expect(error.message.contains("certifikat"), "\(error.message)")
        }
        // With the server's certificate as the root (sslrootcert), and the name it was made for.
        let trusted = PostgresStore(try PostgresLocation(try url("sslmode=verify-full&sslrootcert=\(server.folder)/server.crt"),
                                                         environment: [:]))
        _ = try trusted.initialise()
        _ = try trusted.load()
        #expect(try encrypted(trusted))
        #expect(throws: PostgresLocation.ParseError.self) {
            try PostgresLocation(try url("sslmode=verify-full&sslrootcert=/nonexistent/ca.crt"), environment: [:])
        }
    }

    @Test func plainTextIsRefusedByTheServerAndNeverUsedQuietly() throws {
        let plain = PostgresStore(try PostgresLocation(try url("sslmode=disable"), environment: [:]))
        do {
            _ = try plain.load()
            Issue.record("a plain-text connection got through")
        } catch {
            #expect(error.message.contains("nekades"), "\(error.message)")
        }
    }
}
