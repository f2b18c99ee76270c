import CLibpq
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection, used from one thread at a time. Every wait is bounded: connecting and
/// each statement wait on the connection's socket with `poll` until a deadline, and a statement
/// that runs past it is cancelled with `PQcancel`. libpq reads the connection string itself, so
/// every setting a DBA knows works: URL and keyword forms, several hosts with
/// `target_session_attrs`, `service` (`~/.pg_service.conf`), `PG*` variables, `~/.pgpass`,
/// `sslmode`, client certificates, GSSAPI (Kerberos) and peer authentication.
final class PGConnection: @unchecked Sendable {
    private var handle: OpaquePointer?

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        if let handle { bevaka_PQfinish(handle) }
    }

    /// Connects, waiting at most `timeout` in all (over every host the string names).
    static func connect(_ conninfo: String, timeout: Duration) throws(PGError) -> PGConnection {
        do {
            return try connectUnmasked(conninfo, timeout: timeout)
        } catch .connect(let message) {
            // libpq may quote a part of the address (a bad percent-encoding): never a password.
            throw .connect(message: PostgresLocation.masked(message, conninfo: conninfo))
        } catch .lost(let message) {
            throw .lost(message: PostgresLocation.masked(message, conninfo: conninfo))
        } catch {
            throw error
        }
    }

    private static func connectUnmasked(_ conninfo: String, timeout: Duration) throws(PGError) -> PGConnection {
        if let missing = libraryMissing { throw .connect(message: missing) }
        guard let handle = bevaka_PQconnectStart(conninfo) else { throw .connect(message: "out of memory") }
        let connection = PGConnection(handle: handle)
        if bevaka_PQstatus(handle) == CONNECTION_BAD { throw .connect(message: connection.errorMessage) }
        let deadline = ContinuousClock.now + timeout
        // PQconnectPoll's protocol: wait for the socket as it asks, then call it again.
        var state = PGRES_POLLING_WRITING
        while true {
            switch state {
            case PGRES_POLLING_OK:
                // Dates in one form whatever the server's default (PGTimestamp reads ISO); the
                // server says its setting at the start, so the usual ISO costs no round trip.
                if !(bevaka_PQparameterStatus(handle, "DateStyle").map { String(cString: $0).hasPrefix("ISO") } ?? false) {
                    _ = try connection.query("SET DateStyle = ISO", deadline: deadline)
                }
                return connection
            case PGRES_POLLING_FAILED:
                throw .connect(message: connection.errorMessage)
            default:
                // libpq may change sockets between hosts: ask for the current one each time.
                let socket = bevaka_PQsocket(handle)
                guard socket >= 0 else { throw .connect(message: connection.errorMessage) }
                let events = state == PGRES_POLLING_READING ? Int16(POLLIN) : Int16(POLLOUT)
                guard try wait(socket, events, until: deadline) else {
                    throw .connect(message: "timeout expired")
                }
                state = bevaka_PQconnectPoll(handle)
            }
        }
    }

    /// Waits until the socket is ready for `events`; false when the deadline passed first.
    static func wait(_ socket: Int32, _ events: Int16, until deadline: ContinuousClock.Instant) throws(PGError) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { return false }
            let (seconds, attoseconds) = left.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { throw .lost(message: String(cString: strerror(errno))) }
        }
    }

    var errorMessage: String {
        guard let handle, let text = bevaka_PQerrorMessage(handle) else { return "" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the connection is encrypted with TLS.
    var sslInUse: Bool {
        guard let handle else { return false }
        return bevaka_PQsslInUse(handle) != 0
    }

    /// Whether the connection still stands, as far as libpq knows.
    var isOpen: Bool {
        guard let handle else { return false }
        return bevaka_PQstatus(handle) == CONNECTION_OK
    }

    /// Closes the connection now; later statements fail as lost.
    func close() {
        if let handle { bevaka_PQfinish(handle) }
        handle = nil
    }

    /// The socket to wait on for notifications.
    var socket: Int32 {
        handle.map { bevaka_PQsocket($0) } ?? -1
    }

    /// What the connection ended up on: host (or socket folder), port, user, database.
    var server: (host: String, port: String, user: String, database: String) {
        guard let handle else { return ("", "", "", "") }
        func text(_ value: UnsafeMutablePointer<CChar>?) -> String { value.map { String(cString: $0) } ?? "" }
        return (text(bevaka_PQhost(handle)), text(bevaka_PQport(handle)), text(bevaka_PQuser(handle)), text(bevaka_PQdb(handle)))
    }

    /// Runs one statement with its parameters (or a script of several, `SQL(script:)`) and returns
    /// its rows (a script's first result); waits until `deadline`.
    @discardableResult
    func query(_ sql: SQL, deadline: ContinuousClock.Instant) throws(PGError) -> PGRows {
        guard let result = try execute(sql, deadline: deadline) else { return PGRows(columns: [], cells: [], affected: 0) }
        defer { bevaka_PQclear(result) }
        return PGConnection.copy(result)
    }

    /// The same, the rows kept as libpq holds them (read in place, not copied into strings): for
    /// a result of many large documents.
    func queryResult(_ sql: SQL, deadline: ContinuousClock.Instant) throws(PGError) -> PGResult {
        guard let result = try execute(sql, deadline: deadline) else { throw .decoding("svaret saknar rader") }
        return PGResult(result)
    }

    /// Sends the statement and reads every result; the first with rows (or none) is the caller's
    /// to clear, every other is cleared here.
    private func execute(_ sql: SQL, deadline: ContinuousClock.Instant) throws(PGError) -> OpaquePointer? {
        guard let handle, bevaka_PQstatus(handle) == CONNECTION_OK else {
            throw .lost(message: errorMessage.isEmpty ? "connection closed" : errorMessage)
        }
        let sent: Int32 = sql.isScript ? bevaka_PQsendQuery(handle, sql.text) : sql.values.withCStrings { pointers in
            sql.types.withUnsafeBufferPointer { types in
                bevaka_PQsendQueryParams(handle, sql.text, Int32(sql.values.count), types.baseAddress, pointers, nil, nil, 0)
            }
        }
        guard sent == 1 else { throw .lost(message: errorMessage) }
        // Flush what libpq could not send at once (a large document).
        while true {
            let flushed = bevaka_PQflush(handle)
            if flushed == 0 { break }
            if flushed < 0 { throw .lost(message: errorMessage) }
            guard try PGConnection.wait(bevaka_PQsocket(handle), Int16(POLLIN | POLLOUT), until: deadline) else {
                cancelAndDrain()
                throw .timedOut
            }
            if bevaka_PQconsumeInput(handle) == 0 { throw .lost(message: errorMessage) }
        }
        var kept: OpaquePointer?
        var failure: PGError?
        func fail(_ error: PGError) -> PGError {
            if let kept { bevaka_PQclear(kept) }
            return error
        }
        while true {
            while bevaka_PQisBusy(handle) == 1 {
                guard try PGConnection.wait(bevaka_PQsocket(handle), Int16(POLLIN), until: deadline) else {
                    cancelAndDrain()
                    throw fail(.timedOut)
                }
                if bevaka_PQconsumeInput(handle) == 0 { throw fail(.lost(message: errorMessage)) }
            }
            guard let result = bevaka_PQgetResult(handle) else { break }
            switch bevaka_PQresultStatus(result) {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                if kept == nil {
                    kept = result
                    continue
                }
            case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
                if failure == nil { failure = PGConnection.error(result, connection: self) }
            default:
                if failure == nil { failure = .server(state: "", message: "unexpected answer") }
            }
            bevaka_PQclear(result)
        }
        if let failure { throw fail(failure) }
        if bevaka_PQstatus(handle) != CONNECTION_OK { throw fail(.lost(message: errorMessage)) }
        return kept
    }

    /// After a deadline: asks the server to stop the statement and reads what is left, for at
    /// most two seconds more; a connection that does not answer then is closed.
    private func cancelAndDrain() {
        guard let handle else { return }
        if let cancel = bevaka_PQgetCancel(handle) {
            var buffer = [CChar](repeating: 0, count: 256)
            _ = bevaka_PQcancel(cancel, &buffer, Int32(buffer.count))
            bevaka_PQfreeCancel(cancel)
        }
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            while bevaka_PQisBusy(handle) == 1 {
                guard (try? PGConnection.wait(bevaka_PQsocket(handle), Int16(POLLIN), until: deadline)) == true,
                      bevaka_PQconsumeInput(handle) == 1 else {
                    close()
                    return
                }
            }
            guard let result = bevaka_PQgetResult(handle) else { return }
            bevaka_PQclear(result)
        }
    }

    /// Notifications that have arrived (reads what the socket holds, without waiting).
    func notifications() throws(PGError) -> [String] {
        guard let handle else { throw .lost(message: "connection closed") }
        if bevaka_PQconsumeInput(handle) == 0 { throw .lost(message: errorMessage) }
        var payloads: [String] = []
        while let notice = bevaka_PQnotifies(handle) {
            payloads.append(String(cString: notice.pointee.extra))
            bevaka_PQfreemem(notice)
        }
        if bevaka_PQstatus(handle) != CONNECTION_OK { throw .lost(message: errorMessage) }
        return payloads
    }

    private static func copy(_ result: OpaquePointer) -> PGRows {
        let rowCount = Int(bevaka_PQntuples(result)), columnCount = Int(bevaka_PQnfields(result))
        var columns: [String] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(bevaka_PQfname(result, Int32(column)).map { String(cString: $0) } ?? "\(column)")
        }
        var cells: [[String?]] = []
        cells.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if bevaka_PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else if let value = bevaka_PQgetvalue(result, Int32(row), Int32(column)) {
                    values.append(String(cString: value))
                } else {
                    values.append(nil)
                }
            }
            cells.append(values)
        }
        let affected = bevaka_PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return PGRows(columns: columns, cells: cells, affected: affected)
    }

    private static func error(_ result: OpaquePointer, connection: PGConnection) -> PGError {
        func field(_ code: Int32) -> String? {
            bevaka_PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let state = field(Int32(UInt8(ascii: "C"))) ?? ""
        let message = field(Int32(UInt8(ascii: "M"))) ?? connection.errorMessage
        // A broken connection reports itself as a result without a SQLSTATE.
        if state.isEmpty, !connection.isOpen { return .lost(message: message) }
        return .server(state: state, message: message)
    }

    /// nil when libpq is loaded (at its first use, not at start: see bevaka_libpq.h); else why not.
    static var libraryMissing: String? {
        var error: UnsafePointer<CChar>?
        if bevaka_libpq_load(&error) == 1 { return nil }
        let detail = error.map { String(cString: $0) } ?? "libpq.so.5"
        return "PostgreSQL:s klientbibliotek libpq saknas (installera det med apt-get install -y libpq5): \(detail)"
    }

    /// Parses a connection string with libpq's own parser: nil and libpq's message when it
    /// cannot be read; else each keyword's value.
    static func parse(_ conninfo: String) -> (options: [String: String], error: String?) {
        if let missing = libraryMissing { return ([:], missing) }
        var error: UnsafeMutablePointer<CChar>?
        guard let options = bevaka_PQconninfoParse(conninfo, &error) else {
            let message = error.map { String(cString: $0) } ?? "out of memory"
            if let error { bevaka_PQfreemem(error) }
            return ([:], message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { bevaka_PQconninfoFree(options) }
        var result: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { result[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return (result, nil)
    }
}

extension Array where Element == String? {
    /// The values as C strings for the length of `body` (nil stays NULL).
    func withCStrings<R>(_ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = map { value in value.map { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) })
    }
}
