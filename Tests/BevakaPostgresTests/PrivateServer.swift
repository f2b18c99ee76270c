import BevakaDomain
import BevakaPostgres
import BevakaProcess
import BevakaStore
import BevakaTestSupport
import Foundation
import Glibc
import Testing

/// A real PostgreSQL server of the tests' own, started once per test process by
/// `scripts/dev-postgres` (initdb in a temporary folder, a Unix socket there, no TCP port) and
/// stopped when the process ends. Each test gets a database of its own. Never mocked.
final class PrivateServer: @unchecked Sendable {
    static let shared = PrivateServer()
    /// A second server for the tests that kill and restart it, so they never disturb the others
    /// (suites run in parallel).
    static let forCrashes = PrivateServer()
    nonisolated(unsafe) static var started: [String] = []
    static let startedLock = NSLock()

    let folder: String
    let failure: String?
    private let lock = NSLock()

    /// The URL printed by the script: the socket one, or for the TLS server the TCP one.
    let printed: String

    private convenience init(tls: Bool = false) {
        self.init(command: tls ? "start-tls" : "start")
    }

    /// A server started by `scripts/dev-postgres COMMAND [ARGUMENTS…] DIR` (start, start-tls,
    /// start-auth, start-standby PRIMARY), stopped when the test process ends.
    init(command: String, arguments: [String] = []) {
        let script = PrivateServer.repository.appendingPathComponent("scripts/dev-postgres").path
        let dir = "/tmp/bevaka-pg-" + UUID().uuidString.prefix(8).lowercased()
        let made = (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)) != nil
        let run = PrivateServer.shell([script, command] + arguments + [dir])
        if made, run.status == 0, let url = run.output.split(separator: "\n").last {
            folder = dir
            printed = String(url)
            failure = nil
            PrivateServer.startedLock.lock()
            if PrivateServer.started.isEmpty { atexit { PrivateServer.stopAtExit() } }
            PrivateServer.started.append(folder)
            PrivateServer.startedLock.unlock()
        } else {
            folder = ""
            printed = ""
            failure = "The private PostgreSQL server did not start (apt-get install -y postgresql): \(run.output)"
        }
    }

    /// A server that also listens on 127.0.0.1 with TLS only (self-signed, `folder/server.crt`).
    static let withTLS = PrivateServer(tls: true)

    static func stopAtExit() {
        let script = repository.appendingPathComponent("scripts/dev-postgres").path
        startedLock.lock()
        let folders = started
        startedLock.unlock()
        for folder in folders { _ = shell([script, "stop", folder]) }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A new, empty database with Bevaka's schema; its URL as the superuser `postgres`.
    /// The database a URL of `database()` names (`…@/NAME?host=…`).
    static func databaseName(_ url: String) -> String {
        String(url.components(separatedBy: "@/").last?.split(separator: "?").first ?? "")
    }

    func database(initialised: Bool = true) throws -> String {
        if let failure { throw ServerFailure(message: failure) }
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try psql("CREATE DATABASE \(name)", database: "bevaka")
        let url = self.url(name)
        if initialised {
            _ = try PostgresStore(PostgresLocation(url, environment: [:])).initialise()
        }
        return url
    }

    func url(_ database: String, user: String = "postgres") -> String {
        "postgresql://\(user)@/\(database)?host=\(folder)" + (port == "5432" ? "" : "&port=\(port)")
    }

    /// Runs `scripts/dev-postgres COMMAND DIR` on this server (crash, promote, stop).
    func script(_ command: String) throws {
        let script = PrivateServer.repository.appendingPathComponent("scripts/dev-postgres").path
        let run = PrivateServer.shell([script, command, folder])
        guard run.status == 0 else { throw ServerFailure(message: "dev-postgres \(command) failed: \(run.output)") }
    }

    struct ServerFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The port of a server that listens on TCP too (start-auth prints `127.0.0.1:PORT`).
    var port: String {
        printed.hasPrefix("127.0.0.1:") ? String(printed.dropFirst("127.0.0.1:".count)) : "5432"
    }

    /// Runs SQL with psql as the superuser; returns its unaligned output.
    @discardableResult
    func psql(_ sql: String, database: String, user: String = "postgres") throws -> String {
        let run = PrivateServer.shell(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", folder, "-p", port, "-U", user,
                                       "-d", database, "-c", sql])
        guard run.status == 0 else { throw ServerFailure(message: "psql failed: \(run.output)") }
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The server's data folder, for killing and restarting it.
    var dataFolder: String { folder + "/data" }

    /// Stops the server with SIGKILL on the postmaster (a crash), or restarts it cleanly.
    func kill() throws {
        let pidLine = try String(contentsOfFile: dataFolder + "/postmaster.pid", encoding: .utf8)
            .split(separator: "\n").first.map(String.init) ?? ""
        guard let pid = Int32(pidLine) else { throw ServerFailure(message: "no postmaster.pid") }
        Foundation.kill(pid, SIGKILL)
        // The backends go away with their postmaster; wait until the socket is gone or refused.
        for _ in 0..<100 where PrivateServer.shell(["pg_isready", "-h", folder, "-q"]).status == 0 {
            usleep(50_000)
        }
        // The children may linger a moment; pg_ctl start waits for a clean slate.
        _ = PrivateServer.shell(["sh", "-c", "pkill -9 -f -- '-D \(dataFolder)' || true"])
    }

    func start() throws {
        let bin = PrivateServer.shell(["sh", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let command = ["\(bin)/pg_ctl", "-D", dataFolder, "-l", folder + "/server.log", "-w", "-o",
                       "-c listen_addresses='' -c unix_socket_directories='\(folder)' -c max_connections=60", "start"]
        let run = getuid() == 0 ? PrivateServer.shell(["runuser", "-u", "postgres", "--"] + command) : PrivateServer.shell(command)
        guard run.status == 0 else { throw ServerFailure(message: "pg_ctl start failed: \(run.output)") }
    }

    static func shell(_ arguments: [String]) -> (status: Int32, output: String) {
        spawn(URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: nil)
    }
}

/// Runs a program and collects what it prints, errors included.
func spawn(_ executable: URL, _ arguments: [String], environment: [String: String]?) -> (status: Int32, output: String) {
    ChildProcess.capture(executable.path, arguments, environment: environment)
}


/// A store on a test database, prepared for writing and loaded.
func openStore(_ url: String, environment: [String: String] = [:], recovery: URL? = nil) throws -> (PostgresStore, Caseload) {
    let store = PostgresStore(try PostgresLocation(url, environment: environment), recoveryFolder: recovery)
    try store.prepareForWriting()
    return (store, try store.load() ?? Caseload())
}

/// Runs a product with arguments; stdout and stderr together.
func runProduct(_ name: String, _ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-pg-home-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    let env = ["HOME": home.path, "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"].merging(environment) { _, new in new }
    return spawn(builtProduct(name), arguments, environment: env)
}
