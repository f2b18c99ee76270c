import Foundation

/// The store's work connection: one libpq connection, used by one caller at a time (the app's
/// saver and the commands take turns), made again when it was lost. Each `run` sets how long
/// its statements may wait in all; a statement past that is cancelled.
final class PGSession: @unchecked Sendable {
    let conninfo: String
    private let lock = NSRecursiveLock()
    private var connection: PGConnection?
    private var deadline = ContinuousClock.now
    /// How long a new connection may take (over every host the string names).
    let connectTimeout: Duration
    /// Called (under the session's lock) when a lost connection was replaced: notifications may
    /// have been missed meanwhile.
    var onReconnect: (@Sendable () -> Void)?
    private var hadConnection = false

    init(conninfo: String, connectTimeout: Duration = .seconds(4)) {
        self.conninfo = conninfo
        self.connectTimeout = connectTimeout
    }

    /// Runs `body` with the connection to itself, its statements waiting at most `limit` in all.
    func run<T>(limit: Duration, _ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let outer = deadline
        deadline = ContinuousClock.now + limit
        defer { deadline = outer }
        try open()
        return try body()
    }

    /// Connects when there is no open connection.
    func open() throws(PGError) {
        lock.lock()
        defer { lock.unlock() }
        if let connection, connection.isOpen { return }
        connection = nil
        let made = try PGConnection.connect(conninfo, timeout: connectTimeout)
        connection = made
        if hadConnection { onReconnect?() }
        hadConnection = true
    }

    /// Whether the open connection is encrypted (nil without one).
    var sslInUse: Bool? {
        lock.lock()
        defer { lock.unlock() }
        return connection?.sslInUse
    }

    /// What the open connection is connected to.
    var server: (host: String, port: String, user: String, database: String)? {
        lock.lock()
        defer { lock.unlock() }
        return connection?.server
    }

    /// One statement on the connection (inside `run`).
    @discardableResult
    func query(_ sql: SQL) throws(PGError) -> PGRows {
        try onConnection { connection, deadline throws(PGError) in try connection.query(sql, deadline: deadline) }
    }

    /// The rows kept as libpq holds them (`PGResult`), for a result of many large documents.
    func queryResult(_ sql: SQL) throws(PGError) -> PGResult {
        try onConnection { connection, deadline throws(PGError) in try connection.queryResult(sql, deadline: deadline) }
    }

    /// `body` on the open connection; a connection it finds closed is let go.
    private func onConnection<T>(_ body: (PGConnection, ContinuousClock.Instant) throws(PGError) -> T) throws(PGError) -> T {
        guard let connection else { throw .lost(message: "connection closed") }
        do {
            return try body(connection, deadline)
        } catch {
            if !connection.isOpen { self.connection = nil }
            throw error
        }
    }

    /// The COMMIT was sent and no answer came: the server may have saved the transaction.
    struct CommitOutcomeUnknown: Error {}

    /// BEGIN, `body`, COMMIT; ROLLBACK when `body` throws (its error is thrown on).
    func transaction<T>(_ body: (PGSession) throws -> T) throws -> T {
        try query("BEGIN")
        let result: T
        do {
            result = try body(self)
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
        do {
            try query("COMMIT")
        } catch PGError.lost, PGError.timedOut {
            throw CommitOutcomeUnknown()
        }
        return result
    }

    /// Closes the connection (the next `run` connects again).
    func close() {
        lock.lock()
        defer { lock.unlock() }
        connection?.close()
        connection = nil
    }
}
