/// What libpq or the server said went wrong, before it becomes a Swedish sentence
/// (`PostgresStore.translate`).
enum PGError: Error, Sendable {
    /// The server refused a statement: its SQLSTATE and message (`PQresultErrorField`).
    case server(state: String, message: String)
    /// No connection could be made (libpq's message, e.g. "connection refused", "password
    /// authentication failed"); the server's SQLSTATE when it sent one.
    case connect(message: String)
    /// The connection broke while a statement ran (before or after it was sent).
    case lost(message: String)
    /// The wait for the server ran out; the statement was cancelled (`PQcancel`).
    case timedOut
    /// A value in an answer was not what the column must hold.
    case decoding(String)
}
