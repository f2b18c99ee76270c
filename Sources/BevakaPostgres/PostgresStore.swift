import BevakaDomain
import BevakaStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The unit's caseload on PostgreSQL: one row per person, saved person by person with a version
/// check, others' changes heard through LISTEN/NOTIFY and merged, never overwritten.
///
/// The store's methods are synchronous (the app's saver calls them on its own queue, the commands
/// on the main thread); each waits for the async client with a time limit, so a lost server
/// gives a Swedish message instead of a hang.
public final class PostgresStore: CaseloadStore, @unchecked Sendable {
    public let address: PostgresLocation
    public var location: String { address.display }
    /// How long one call may wait for the server.
    public var timeout: Duration = .seconds(3)

    private let configuration: PostgresClient.Configuration
    let lock = NSLock()
    private var client: PostgresClient?
    private var runner: Task<Void, Never>?
    private var listener: Task<Void, Never>?
    /// What the server last confirmed for each person: the version and the record.
    var confirmed: [String: (version: Int64, client: Client)] = [:]
    /// People others changed (heard through NOTIFY) and not yet fetched.
    private var heard: Set<String> = []
    /// After a reconnect every person is compared, since notifications may have been missed.
    private var checkAll = false
    /// This program's block of identifiers.
    private var idBlock: ClosedRange<Int>?
    /// Who the user is in the unit; read at load and again when a cover changes.
    var unit: UnitContext? {
        didSet { generation &+= 1 }
    }
    /// Counts changes of `unit`, so the app compares contexts only when one changed.
    private var generation = 0
    var generationLocked: Int { generation }
    /// A cover began or ended: the visible caseload and the context are read again.
    private var unitChanged = false
    /// Where saves come from, for the access log: "sparande" (the app) or "import" (the command).
    public var saveScreen = "sparande"
    /// The unit manager's view: planning data only (no personnummer, no free text); read-only.
    public private(set) var planningOnly = false
    /// Silent: the app owns the terminal (a log line would tear the screen), and nothing that
    /// could carry personal data goes to a log.
    static let logger = Logger(label: "bevaka.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Where changes the server could not take are kept when the app must close (nil: nowhere).
    let recoveryFolder: URL?

    public init(_ address: PostgresLocation, recoveryFolder: URL? = nil) {
        self.address = address
        self.recoveryFolder = recoveryFolder
        var configuration: PostgresClient.Configuration
        if let socket = address.socketPath {
            configuration = .init(unixSocketPath: socket, username: address.user, password: address.password,
                                  database: address.database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch PostgresStore.tls(address) {
            case nil: tls = .disable
            case (let settings, false)?: tls = .prefer(settings)
            case (let settings, true)?: tls = .require(settings)
            }
            configuration = .init(host: address.host ?? "localhost", port: address.port, username: address.user,
                                  password: address.password, database: address.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(4)
        configuration.options.maximumConnections = 4
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(10))
        self.configuration = configuration
    }

    deinit {
        listener?.cancel()
        runner?.cancel()
    }

    /// The TLS an `sslmode` asks for, and whether it is required; nil for none. `require` is
    /// encrypted without checking the certificate (as libpq's); `verify-full` checks it and the name.
    static func tls(_ address: PostgresLocation) -> (settings: TLSConfiguration, required: Bool)? {
        var settings = TLSConfiguration.makeClientConfiguration()
        if let file = address.rootCertificates { settings.trustRoots = .file(file) }
        let mode = address.tls
        switch mode {
        case .disable: return nil
        case .verifyFull: return (settings, true)
        case .prefer, .require:
            settings.certificateVerification = .none
            return (settings, mode == .require)
        }
    }

    // MARK: Connection

    /// The running client; the first call checks that the server answers, with one clear message.
    func connected() throws(StoreError) -> PostgresClient {
        lock.lock()
        if let client {
            lock.unlock()
            return client
        }
        lock.unlock()
        // One direct connection first: the pool would retry quietly; a person at start wants to
        // know at once that the server cannot be reached, and why.
        let direct = try PostgresStore.connectionConfiguration(address)
        try wait(what: "ansluta") {
            let connection = try await PostgresConnection.connect(configuration: direct, id: 0, logger: PostgresStore.logger)
            try await connection.close()
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: PostgresStore.logger)
        lock.lock()
        defer { lock.unlock() }
        if let existing = self.client { return existing }
        self.client = client
        runner = Task(executorPreference: StoreExecutor.shared) { await client.run() }
        return client
    }

    /// The same settings for one direct connection. TLS that cannot be set up is an error, never
    /// a quiet fall back to plain text.
    static func connectionConfiguration(_ address: PostgresLocation) throws(StoreError) -> PostgresConnection.Configuration {
        var result: PostgresConnection.Configuration
        if let socket = address.socketPath {
            result = .init(unixSocketPath: socket, username: address.user, password: address.password,
                           database: address.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            if let (settings, required) = PostgresStore.tls(address) {
                guard let context = try? NIOSSLContext(configuration: settings) else {
                    throw .server(location: address.display, reason: address.rootCertificates.map {
                        "TLS kunde inte ställas in: rotcertifikaten i \($0) gick inte att läsa som PEM"
                    } ?? "TLS kunde inte ställas in (systemets certifikat?)")
                }
                tls = required ? .require(context) : .prefer(context)
            } else {
                tls = .disable
            }
            result = .init(host: address.host ?? "localhost", port: address.port, username: address.user,
                           password: address.password, database: address.database, tls: tls)
        }
        result.options.connectTimeout = .seconds(4)
        return result
    }

    /// Runs async work and waits for it, at most `timeout`; errors become Swedish sentences.
    @discardableResult
    func wait<T: Sendable>(what: String, limit: Duration? = nil,
                           _ work: @escaping @Sendable () async throws -> T) throws(StoreError) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let limit = limit ?? timeout
        let task = Task(executorPreference: StoreExecutor.shared) {
            do {
                box.set(.success(try await work()))
            } catch {
                box.set(.failure(error))
            }
            done.signal()
        }
        // The wait is bounded here, not inside the task: a request queued for a connection to a
        // server that is gone may not end when cancelled, and nothing may wait for it.
        let (seconds, attoseconds) = limit.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        if done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
            task.cancel()
            throw translate(TimedOut(), what: what)
        }
        switch box.get() {
        case .success(let value): return value
        case .failure(let error): throw translate(error, what: what)
        case nil: throw .server(location: location, reason: "okänt fel")
        }
    }

    struct TimedOut: Error {}
    /// The transaction's COMMIT was sent and its answer lost with the connection.
    struct OutcomeUnknown: Error {}

    /// The Swedish sentence for what went wrong.
    func translate(_ error: any Error, what: String) -> StoreError {
        if ProcessInfo.processInfo.environment["BEVAKA_DEBUG_PG"] != nil {
            FileHandle.standardError.write(Data("debug: \(String(reflecting: error))\n".utf8))
        }
        if error is OutcomeUnknown || (error is TimedOut && what == "spara") {
            // The next save compares versions: what did land is recognised as the user's own.
            return .unreachable(location: address.serverDescription,
                                reason: "anslutningen bröts medan ändringen sparades; den är kanske sparad och kontrolleras när servern svarar")
        }
        if error is TimedOut {
            return .unreachable(location: address.serverDescription, reason: "servern svarade inte i tid (\(what))")
        }
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError {
                return translate(inner, what: what)
            }
        }
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState] {
                let message = error.serverInfo?[.message] ?? ""
                switch state {
                case "28P01", "28000":
                    return .server(location: location, reason: "inloggningen nekades för \(address.user)")
                case "3D000":
                    return .server(location: location, reason: "databasen \(address.database) finns inte")
                case "42P01":
                    return .schemaMissing(location: location)
                case "42501" where message.hasPrefix("permission denied for database"):
                    return .server(location: location, reason: "rollen \(address.user) får inte ansluta till databasen \(address.database); be databasens ägare köra bevaka db user add \(address.user)")
                case "42501":
                    return .server(location: location, reason: "behörighet saknas" + (PostgresStore.ownWords(message).map { ": \($0)" } ?? ""))
                case "57P01", "57P02", "57P03":
                    return .unreachable(location: address.serverDescription, reason: "servern stängs eller startar om")
                default:
                    // The schema's own refusals are Swedish sentences ("bevaka: …"); others are
                    // the server's words, never a bare code.
                    let reason = PostgresStore.ownWords(message)
                        ?? TerminalText.maskPersonalNumbers(TerminalText.sanitize(message))
                    return .server(location: location, reason: reason)
                }
            }
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed, .clientClosedConnection:
                return .unreachable(location: address.serverDescription, reason: PostgresStore.reason(error.underlying))
            case .sslUnsupported:
                return .unreachable(location: address.serverDescription, reason: "servern erbjuder inte TLS (sslmode=\(address.tls.rawValue))")
            case .authMechanismRequiresPassword:
                return .server(location: location, reason: "servern kräver lösenord för \(address.user); ange det i ~/.pgpass eller PGPASSWORD")
            default:
                return .unreachable(location: address.serverDescription, reason: "\(error.code)")
            }
        }
        return .unreachable(location: address.serverDescription, reason: PostgresStore.reason(error))
    }

    /// The sentence of a refusal raised by Bevaka's own schema, without its "bevaka: " prefix.
    static func ownWords(_ message: String) -> String? {
        guard message.hasPrefix("bevaka: ") else { return nil }
        return TerminalText.maskPersonalNumbers(TerminalText.sanitize(String(message.dropFirst("bevaka: ".count))))
    }

    static func reason(_ error: (any Error)?) -> String {
        guard let error else { return "anslutningen bröts" }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNRESET, EPIPE: return "anslutningen bröts"
            case ECONNREFUSED: return "anslutningen nekades; körs servern?"
            case ENOENT: return "socketen finns inte; körs servern?"
            case EACCES: return "behörighet saknas till socketen"
            case ETIMEDOUT: return "tidsgränsen gick ut"
            default: return "anslutningen bröts (\(String(cString: strerror(io.errnoCode))))"
            }
        }
        if error is NIOSSLError || String(reflecting: error).contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS-anslutningen godtogs inte: serverns certifikat kunde inte kontrolleras (sslmode=verify-full kräver ett certifikat från en betrodd utfärdare, se sslrootcert, och rätt värdnamn)"
        }
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("timeout") { return "tidsgränsen gick ut" }
        if text.contains("refused") { return "anslutningen nekades; körs servern?" }
        if text.contains("NXDOMAIN") || text.contains("resolve") || text.contains("No address") {
            return "värdnamnet finns inte"
        }
        return "anslutningen misslyckades"
    }

    // MARK: Schema

    /// `bevaka db init`: creates or migrates the schema. Returns the migrations applied now.
    public func initialise() throws(StoreError) -> [String] {
        let client = try connected()
        let known = Schema.latest
        let location = self.location
        return try wait(what: "skapa schemat", limit: .seconds(120)) {
            // Two `db init` at once on a new database: CREATE TABLE IF NOT EXISTS is not safe against
            // itself, so the table is made under a transaction-scoped advisory lock.
            try await client.withTransaction(logger: PostgresStore.logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Schema.initLock))", logger: PostgresStore.logger)
                try await connection.query(PostgresQuery(unsafeSQL: Schema.migrationsTable), logger: PostgresStore.logger)
            }
            var applied: [String] = []
            let newest = try await PostgresStore.schemaVersion(client)
            if newest > known { throw StoreError.newerSchema(path: location, found: newest, supported: known) }
            for migration in Schema.migrations where migration.version > newest {
                try await client.withTransaction(logger: PostgresStore.logger) { connection in
                    // Two `db init` at once: the second waits here and then finds the work done.
                    try await connection.query("LOCK TABLE bevaka_migrations IN EXCLUSIVE MODE", logger: PostgresStore.logger)
                    let rows = try await connection.query(
                        "SELECT count(*) FROM bevaka_migrations WHERE version = \(migration.version)", logger: PostgresStore.logger)
                    var present = 0
                    for try await count in rows.decode(Int.self) { present = count }
                    guard present == 0 else { return }
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: PostgresStore.logger)
                    }
                    try await connection.query(
                        "INSERT INTO bevaka_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                        logger: PostgresStore.logger)
                    applied.append("\(migration.version): \(migration.name)")
                }
            }
            return applied
        }
    }

    static func schemaVersion(_ client: PostgresClient) async throws -> Int {
        let rows = try await client.query("SELECT coalesce(max(version), 0) FROM bevaka_migrations", logger: logger)
        var version = 0
        for try await value in rows.decode(Int.self) { version = value }
        return version
    }

    /// Refuses a database without the schema, or with a newer one.
    func checkSchema(_ client: PostgresClient) throws(StoreError) {
        let known = Schema.latest
        let location = self.location
        let version = try wait(what: "läsa schemat") { try await PostgresStore.schemaVersion(client) }
        if version == 0 { throw .schemaMissing(location: location) }
        if version > known { throw .newerSchema(path: location, found: version, supported: known) }
        if version < known { throw .schemaOld(location: location, found: version, supported: known) }
    }

    /// A connection to a database with the current schema, for the administrative commands.
    func connectedForAdmin() throws(StoreError) -> PostgresClient {
        let client = try connected()
        try checkSchema(client)
        return client
    }

    // MARK: CaseloadStore

    public func prepareForWriting() throws(StoreError) {
        let client = try connected()
        try checkSchema(client)
        let context = try readUnitContext(client)
        lock.lock()
        unit = context
        lock.unlock()
        // The manager's planning view adds nobody and takes no identifiers; it still listens.
        if context.kind == .chef {
            startListening(client)
            return
        }
        let block = try wait(what: "reservera id-nummer") { () async throws -> Int in
            let rows = try await client.query("SELECT nextval('bevaka_id_blocks')", logger: PostgresStore.logger)
            var start = 0
            for try await value in rows.decode(Int.self) { start = value }
            return start
        }
        lock.lock()
        idBlock = block...(block + 999_999)
        lock.unlock()
        startListening(client)
    }

    public func load() throws(StoreError) -> Caseload? {
        let client = try connected()
        try checkSchema(client)
        // Read by prepareForWriting already when the app starts; the commands read it here.
        lock.lock()
        let known = unit
        lock.unlock()
        let context: UnitContext
        if let known {
            context = known
        } else {
            context = try readUnitContext(client)
        }
        let rows: [Row]
        if context.kind == .chef {
            rows = try fetchPlanning(client)
        } else {
            rows = try fetch(client, ids: nil)
        }
        var clients: [Client] = []
        clients.reserveCapacity(rows.count)
        var withOwners = context
        lock.lock()
        planningOnly = context.kind == .chef
        for row in rows {
            if !planningOnly { confirmed[row.client.id] = (row.version, row.client) }
            withOwners.owners[row.client.id] = row.owner
            clients.append(row.client)
        }
        unit = withOwners
        let block = idBlock
        lock.unlock()
        var caseload = Caseload(clients: clients, nextSerial: 1)
        caseload.nextSerial = block?.lowerBound ?? (PostgresStore.highestSerial(in: caseload) + 1)
        return caseload
    }

    struct Row: Sendable {
        var client: Client
        var version: Int64
        var by: String
        var at: Date
        var owner: String = ""
    }

    /// Asks the database to log a read and returns the request that allows it. The request is
    /// its own statement, committed before the read that names it (the pool runs each query
    /// outside a transaction): the log row exists before any record leaves the database, and no
    /// rollback of the read can take it back (migration 4).
    static func request(_ client: PostgresClient, purpose: String, screen: String, ids: [String]? = nil,
                        pnrs: [String]? = nil) async throws -> Int64 {
        let rows = try await client.query("SELECT bevaka_request(\(purpose), \(screen), \(ids), \(pnrs))",
                                          logger: PostgresStore.logger)
        var made: Int64?
        for try await value in rows.decode(Int64.self) { made = value }
        guard let made else { throw StoreError.server(location: "databasen", reason: "läsbegäran gav inget svar") }
        return made
    }

    /// Rows in the caseload's order, read through the database's logging function; `ids` limits
    /// them (and only those the user may see come back). `screen` is one of the database's own
    /// words for where the read is for (`Schema.screens`).
    func fetch(_ client: PostgresClient, ids: [String]?, purpose: String = "listed",
               screen: String? = nil) throws(StoreError) -> [Row] {
        let location = self.location
        let screen = screen ?? (ids == nil ? "ärendelistan" : "uppdatering")
        // Reading a whole unit's caseload takes longer than one person's save.
        let texts = try wait(what: "läsa ärendena", limit: ids == nil ? .seconds(60) : nil) { () async throws -> [(String, String, Int64, String, String, Date)] in
            let request = try await PostgresStore.request(client, purpose: purpose, screen: screen, ids: ids)
            let rows = try await client.query("""
                SELECT id, doc, version, owner, updated_by, updated_at FROM bevaka_read(\(request))
                """, logger: PostgresStore.logger)
            var result: [(String, String, Int64, String, String, Date)] = []
            for try await row in rows.decode((String, String, Int64, String, String, Date).self) { result.append(row) }
            return result
        }
        var result: [Row] = []
        result.reserveCapacity(texts.count)
        let decoder = JSONDecoder()
        for (id, text, version, owner, by, at) in texts {
            result.append(Row(client: try PostgresStore.decode(text, id: id, decoder: decoder, location: location),
                              version: version, by: by, at: at, owner: owner))
        }
        return result
    }

    /// The unit manager's planning rows (no personnummer, no free text), read-only.
    func fetchPlanning(_ client: PostgresClient) throws(StoreError) -> [Row] {
        let location = self.location
        let texts = try wait(what: "läsa enhetens planering", limit: .seconds(60)) { () async throws -> [(String, String, String)] in
            let request = try await PostgresStore.request(client, purpose: "planning", screen: "enhetens planering")
            let rows = try await client.query("SELECT id, owner, plan FROM bevaka_unit(\(request))", logger: PostgresStore.logger)
            var result: [(String, String, String)] = []
            for try await row in rows.decode((String, String, String).self) { result.append(row) }
            return result
        }
        let decoder = JSONDecoder()
        var result: [Row] = []
        result.reserveCapacity(texts.count)
        for (id, owner, text) in texts {
            result.append(Row(client: try PostgresStore.decode(text, id: id, decoder: decoder, location: location),
                              version: 0, by: owner, at: Date(timeIntervalSince1970: 0), owner: owner))
        }
        return result
    }

    static func decode(_ text: String, id: String, decoder: JSONDecoder, location: String) throws(StoreError) -> Client {
        do {
            return try decoder.decode(Client.self, from: Data(text.utf8))
        } catch {
            let detail: String
            if let error = error as? DecodingError {
                detail = StoreCodec.locate(error, in: Data()).2
            } else {
                detail = "okänt fel"
            }
            throw .damaged(path: location, line: nil, column: nil,
                           detail: "ärende \(TerminalText.maskPersonalNumbers(id)): \(detail)", backup: nil)
        }
    }

    /// What one save did to one person.
    enum Written: Sendable {
        case saved(version: Int64, client: Client)
        /// Someone else had saved the person: theirs, merged with ours, written at `version`.
        case merged(version: Int64, theirs: Client, by: String, at: Date, result: ClientMerge.Result, mine: Client)
        /// The person is not the user's to change (handed over, a cover ended, or a colleague's).
        case gone(mine: Client, added: Bool)
    }

    public func saveChanges(_ caseload: Caseload) throws(StoreError) -> [ChangedElsewhere] {
        let client = try connected()
        lock.lock()
        if planningOnly {
            lock.unlock()
            return []  // the manager's planning view changes nothing (the app refuses it first)
        }
        let changed = caseload.clients.filter { confirmed[$0.id]?.client != $0 }
        let block = idBlock
        lock.unlock()
        if let block, caseload.nextSerial > block.upperBound + 1 {
            throw .server(location: location, reason: "fler än en miljon nya id-nummer i en session; starta om Bevaka")
        }
        guard !changed.isEmpty else { return [] }
        let encoded = try PostgresStore.encode(changed)
        let versions = lockedVersions()
        let bases = confirmedSnapshot().mapValues(\.client)
        // One transaction for the whole change. A person someone else saved in between (the
        // version check finds it) is locked, read, merged and written in the same transaction,
        // so the save always gets through and never overwrites. The database lets the merge read
        // a record, and lets a new personnummer be stored, only after a request it has logged
        // and committed (migration 4): a new person or number is named in that request at once;
        // a merge, which is found only inside the transaction, rolls the transaction back, asks,
        // and runs it again.
        let newNumbers = changed.filter { versions[$0.id] == nil || bases[$0.id]?.personnummer != $0.personnummer }
            .map(\.personnummer.digits)
        var merging: Set<String> = []
        var written: [Written] = []
        for _ in 0..<3 {
            let mergeIDs = merging
            let outcome = try wait(what: "spara") { () async throws -> SaveAttempt in
                var request: Int64?
                if !newNumbers.isEmpty || !mergeIDs.isEmpty {
                    request = try await PostgresStore.request(client, purpose: "save", screen: "sparande",
                                                              ids: mergeIDs.sorted(), pnrs: newNumbers)
                }
                do {
                    return .done(try await self.write(client, changed: changed, encoded: encoded, versions: versions,
                                                      bases: bases, request: request, merging: mergeIDs))
                } catch let error as PostgresTransactionError {
                    if let needed = error.closureError as? NeedsMerge { return .needsMerge(needed.ids) }
                    // COMMIT was sent and no answer came: the server may have saved it.
                    if error.commitError != nil && error.closureError == nil { throw OutcomeUnknown() }
                    throw error
                }
            }
            switch outcome {
            case .done(let result):
                written = result
            case .needsMerge(let ids):
                merging.formUnion(ids)
                continue
            }
            break
        }
        guard written.count == changed.count else {
            throw .server(location: location, reason: "andra sparade samma personer hela tiden; försök igen")
        }
        var elsewhere: [ChangedElsewhere] = []
        lock.lock()
        for outcome in written {
            switch outcome {
            case .saved(let version, let person):
                confirmed[person.id] = (version, person)
            case .merged(let version, let theirs, let by, let at, let result, let mine):
                confirmed[mine.id] = (version, result.client)
                elsewhere.append(ChangedElsewhere(client: result.client, local: mine, by: by, at: at,
                                                  notApplied: result.notApplied, localKept: result.client != theirs))
            case .gone(let mine, let added):
                confirmed[mine.id] = nil
                elsewhere.append(ChangedElsewhere(client: mine, local: mine, by: "", at: Date(), notApplied: [], gone: true,
                                                  alreadyInUnit: added))
            }
        }
        lock.unlock()
        return elsewhere
    }

    enum SaveAttempt: Sendable {
        case done([Written])
        case needsMerge(Set<String>)
    }

    /// Someone else saved these people meanwhile: the transaction is rolled back so that the
    /// merge read can be logged first.
    struct NeedsMerge: Error {
        var ids: Set<String>
    }

    /// One attempt at the save's transaction.
    private func write(_ client: PostgresClient, changed: [Client], encoded: [String], versions: [String: Int64],
                       bases: [String: Client], request: Int64?, merging: Set<String>) async throws -> [Written] {
        try await client.withTransaction(logger: PostgresStore.logger) { connection in
            // Where the change comes from (the log says it) and, when needed, the logged request.
            let requestText = request.map(String.init) ?? ""
            try await connection.query("""
                SELECT set_config('bevaka.screen', \(self.saveScreen), true), set_config('bevaka.request', \(requestText), true)
                """, logger: PostgresStore.logger)
            var result: [Written] = []
            var needed: Set<String> = []
            for (person, doc) in zip(changed, encoded) {
                if let version = versions[person.id] {
                    let rows = try await connection.query("""
                        UPDATE bevaka_clients SET doc = \(doc)::jsonb
                        WHERE id = \(person.id) AND version = \(version) RETURNING version
                        """, logger: PostgresStore.logger)
                    var saved: Int64?
                    for try await value in rows.decode(Int64.self) { saved = value }
                    if let saved {
                        result.append(.saved(version: saved, client: person))
                        continue
                    }
                } else {
                    let rows = try await connection.query("""
                        INSERT INTO bevaka_clients (id, pnr, doc) VALUES (\(person.id), \(person.personnummer.digits), \(doc)::jsonb)
                        ON CONFLICT DO NOTHING RETURNING version
                        """, logger: PostgresStore.logger)
                    var saved: Int64?
                    for try await value in rows.decode(Int64.self) { saved = value }
                    if let saved {
                        result.append(.saved(version: saved, client: person))
                        continue
                    }
                }
                // Added: the personnummer is someone else's in the unit (the id is this program's own).
                if versions[person.id] == nil {
                    result.append(.gone(mine: person, added: true))
                    continue
                }
                // Changed by someone else meanwhile, or not the user's any more.
                guard merging.contains(person.id) else {
                    needed.insert(person.id)
                    continue
                }
                let rows = try await connection.query("""
                    SELECT doc, version, updated_by, updated_at FROM bevaka_lock(\(person.id))
                    """, logger: PostgresStore.logger)
                var current: (String, Int64, String, Date)?
                for try await row in rows.decode((String, Int64, String, Date).self) { current = row }
                guard let (text, version, by, at) = current else {
                    result.append(.gone(mine: person, added: versions[person.id] == nil))
                    continue
                }
                guard let theirs = try? JSONDecoder().decode(Client.self, from: Data(text.utf8)) else {
                    throw StoreError.server(location: self.location, reason: "ärende \(person.id) kunde inte läsas")
                }
                // The user's own save landed though its answer was lost (a connection that broke
                // at COMMIT): nothing to merge.
                if theirs == person {
                    result.append(.saved(version: version, client: person))
                    continue
                }
                let merged = bases[person.id].map { ClientMerge.merge(base: $0, mine: person, theirs: theirs) }
                    ?? ClientMerge.Result(client: theirs, notApplied: ["hela ärendet"])
                var finalVersion = version
                if merged.client != theirs {
                    let mergedDoc = try PostgresStore.encode([merged.client]).first ?? doc
                    let update = try await connection.query("""
                        UPDATE bevaka_clients SET doc = \(mergedDoc)::jsonb WHERE id = \(person.id) RETURNING version
                        """, logger: PostgresStore.logger)
                    for try await value in update.decode(Int64.self) { finalVersion = value }
                }
                result.append(.merged(version: finalVersion, theirs: theirs, by: by, at: at, result: merged, mine: person))
            }
            if !needed.isEmpty { throw NeedsMerge(ids: needed) }
            return result
        }
    }

    static func encode(_ clients: [Client]) throws(StoreError) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var result: [String] = []
        for client in clients {
            guard let data = try? encoder.encode(client) else {
                throw .saveFailed(path: "databasen", reason: "kunde inte koda ärende \(client.id)")
            }
            result.append(String(decoding: data, as: UTF8.self))
        }
        return result
    }

    public func changesElsewhere(local: Caseload) throws(StoreError) -> [ChangedElsewhere] {
        lock.lock()
        var ids = Array(heard)
        heard = []
        let all = checkAll || unitChanged
        let contextChanged = unitChanged
        checkAll = false
        unitChanged = false
        let client = self.client
        let planning = planningOnly
        lock.unlock()
        guard let client, !planning else { return [] }
        if contextChanged {
            let context = try readUnitContext(client)
            lock.lock()
            let owners = unit?.owners ?? [:]
            unit = context
            unit?.owners = owners
            lock.unlock()
        }
        let known = lockedVersions()
        if all {
            // Notifications may have been missed while the connection was down, or a cover began
            // or ended: compare the versions of the rows the user may reach now.
            let current = try wait(what: "jämföra versioner") { () async throws -> [(String, Int64)] in
                let rows = try await client.query("SELECT id, version FROM bevaka_clients", logger: PostgresStore.logger)
                var result: [(String, Int64)] = []
                for try await row in rows.decode((String, Int64).self) { result.append(row) }
                return result
            }
            let now = Set(current.map(\.0))
            ids = current.filter { known[$0.0] != $0.1 }.map(\.0) + known.keys.filter { !now.contains($0) }
        }
        guard !ids.isEmpty else { return [] }
        let localByID = Dictionary(local.clients.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [ChangedElsewhere] = []
        let rows = try fetch(client, ids: ids)
        let returned = Set(rows.map(\.client.id))
        // Asked for, known, and not returned: no longer the user's to see.
        for id in ids where !returned.contains(id) && known[id] != nil {
            lock.lock()
            let last = confirmed[id]?.client
            confirmed[id] = nil
            unit?.owners[id] = nil
            lock.unlock()
            if let gone = localByID[id] ?? last {
                changes.append(ChangedElsewhere(client: gone, local: localByID[id], by: "", at: Date(), notApplied: [], gone: true))
            }
        }
        for row in rows {
            lock.lock()
            let known = confirmed[row.client.id]
            guard known.map({ row.version > $0.version }) ?? true else {
                lock.unlock()
                continue  // our own write, heard back
            }
            confirmed[row.client.id] = (row.version, row.client)
            unit?.owners[row.client.id] = row.owner
            lock.unlock()
            let mine = localByID[row.client.id]
            var merged = ClientMerge.Result(client: row.client, notApplied: [])
            if let mine, let base = known?.client { merged = ClientMerge.merge(base: base, mine: mine, theirs: row.client) }
            changes.append(ChangedElsewhere(client: merged.client, local: mine, by: row.by, at: row.at,
                                            notApplied: merged.notApplied, localKept: merged.client != row.client))
        }
        return changes
    }

    func confirmedSnapshot() -> [String: (version: Int64, client: Client)] {
        lock.lock()
        defer { lock.unlock() }
        return confirmed
    }

    /// Makes `base` at `version` what the server is taken to hold for a person (recovery).
    func restoreBase(_ id: String, base: Client?, version: Int64?) {
        lock.lock()
        defer { lock.unlock() }
        if let base, let version {
            confirmed[id] = (version, base)
        } else {
            confirmed[id] = nil
        }
    }

    private func lockedVersions() -> [String: Int64] {
        lock.lock()
        defer { lock.unlock() }
        return confirmed.mapValues(\.version)
    }

    /// LISTEN on a connection of its own; after a lost connection it listens again and has the
    /// next poll compare every version.
    private func startListening(_ client: PostgresClient) {
        lock.lock()
        defer { lock.unlock() }
        guard listener == nil else { return }
        listener = Task(executorPreference: StoreExecutor.shared) { [weak self] in
            var first = true
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: "bevaka_clients") { notifications in
                            if !first { self?.markCheckAll() }
                            first = false
                            for try await notification in notifications {
                                self?.hear(notification.payload)
                            }
                        }
                    }
                } catch {
                    // The server went away: try again shortly.
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Marks a person to be fetched at the next poll; the lock is held by the caller.
    func heardLocked(_ id: String) {
        heard.insert(id)
    }

    private func hear(_ id: String) {
        lock.lock()
        if id == "*" {
            unitChanged = true
        } else {
            heard.insert(id)
        }
        lock.unlock()
    }

    private func markCheckAll() {
        lock.lock()
        checkAll = true
        lock.unlock()
    }

    /// The highest serial number in any identifier of the caseload (`c12`, `d40`, …).
    static func highestSerial(in caseload: Caseload) -> Int {
        var highest = 0
        func see(_ id: String) {
            if let number = Int(id.drop(while: { !$0.isNumber })) { highest = max(highest, number) }
        }
        for client in caseload.clients {
            see(client.id)
            client.decisions.forEach { see($0.id) }
            client.followUps.forEach { see($0.id) }
            client.reminders.forEach { see($0.id) }
        }
        return highest
    }
}

/// A result handed from a task to a waiting thread.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    let lock = NSLock()
    private var value: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) {
        lock.lock()
        self.value = value
        lock.unlock()
    }

    func get() -> Result<T, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// Runs the store's async work on threads of its own. The store's synchronous methods wait
/// for that work; if it ran on Swift's shared cooperative threads, a caller that is itself on
/// one of them (a test, an async caller) could block the very thread the work needs.
final class StoreExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = StoreExecutor()
    private let queue = DispatchQueue(label: "bevaka.postgres.work", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
