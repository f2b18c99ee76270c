import BevakaDomain
import BevakaStore
import Foundation

/// The unit's caseload on PostgreSQL: one row per person, saved person by person with a version
/// check, others' changes heard through LISTEN/NOTIFY and merged, never overwritten.
///
/// Talks to the server through libpq (`Libpq/`): one work connection that the app's saver and
/// the commands take turns on, and one of its own for LISTEN (`PostgresListener`). Every wait is
/// bounded, so a lost server gives a Swedish message instead of a hang; a lost connection is made
/// again at the next call, to whichever host libpq finds (a standby promoted after a failover,
/// with `target_session_attrs=read-write`).
public final class PostgresStore: CaseloadStore, @unchecked Sendable {
    public let address: PostgresLocation
    public var location: String { address.display }
    /// How long one call may wait for the server.
    public var timeout: Duration = .seconds(3)

    let lock = NSLock()
    private var session: PGSession?
    private var listener: PostgresListener?
    /// What the server last confirmed for each person: the version and the record.
    var confirmed: [String: (version: Int64, client: Client)] = [:]
    /// People others changed (heard through NOTIFY) and not yet fetched.
    private var heard: Set<String> = []
    /// After a reconnect every person is compared, since notifications may have been missed.
    private var checkAll = false
    /// The server the work connection reached last ("db2:5432"), to say so after a failover.
    private var lastServer: String?
    /// Set when the work connection moved to another server; the app's status line says so once.
    private var movedTo: String?
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

    /// Where changes the server could not take are kept when the app must close (nil: nowhere).
    let recoveryFolder: URL?

    public init(_ address: PostgresLocation, recoveryFolder: URL? = nil) {
        self.address = address
        self.recoveryFolder = recoveryFolder
    }

    deinit {
        listener?.stop()
    }

    // MARK: Connection

    /// The work connection; the first call connects, so that a person at start learns at once
    /// that the server cannot be reached, and why.
    func connected() throws(StoreError) -> PGSession {
        lock.lock()
        if let session {
            lock.unlock()
            return session
        }
        lock.unlock()
        let made = PGSession(conninfo: address.conninfo)
        made.onReconnect = { [weak self] in self?.reconnected() }
        do {
            try made.open()
        } catch {
            throw translate(error, what: "ansluta")
        }
        lock.lock()
        defer { lock.unlock() }
        if let existing = session { return existing }
        session = made
        lastServer = made.server.map { PostgresStore.describe($0) }
        return made
    }

    /// "db2.kommun.se:5432", or the socket folder.
    static func describe(_ server: (host: String, port: String, user: String, database: String)) -> String {
        server.host.hasPrefix("/") ? "socketen i \(server.host)" : "\(server.host):\(server.port)"
    }

    /// A lost work connection was made again: compare every version at the next poll (changes
    /// may have been missed), and note when it is another server now (a failover).
    private func reconnected() {
        let now = session?.server.map { PostgresStore.describe($0) }
        lock.lock()
        checkAll = true
        if let now, let last = lastServer, now != last { movedTo = now }
        if let now { lastServer = now }
        lock.unlock()
    }

    /// Said once after the store moved to another server (a failover): "Bevaka använder nu …".
    public func takeNotice() -> String? {
        lock.lock()
        defer { lock.unlock() }
        let moved = movedTo
        movedTo = nil
        return moved.map { "Databasen bytte server; Bevaka sparar nu till \($0)." }
    }

    /// Runs work on the work connection, its statements waiting at most `limit` (or `timeout`)
    /// in all; errors become Swedish sentences.
    @discardableResult
    func wait<T>(what: String, limit: Duration? = nil, _ work: () throws -> T) throws(StoreError) -> T {
        let session = try connected()
        do {
            return try session.run(limit: limit ?? timeout, work)
        } catch {
            throw translate(error, what: what)
        }
    }

    /// The transaction's COMMIT was sent and its answer lost with the connection.
    struct OutcomeUnknown: Error {}

    /// The Swedish sentence for what went wrong.
    func translate(_ error: any Error, what: String) -> StoreError {
        if ProcessInfo.processInfo.environment["BEVAKA_DEBUG_PG"] != nil {
            FileHandle.standardError.write(Data("debug: \(String(reflecting: error))\n".utf8))
        }
        if error is OutcomeUnknown || error is PGSession.CommitOutcomeUnknown
            || (what == "spara" && { if case PGError.timedOut = error { return true } else { return false } }()) {
            // The next save compares versions: what did land is recognised as the user's own.
            return .unreachable(location: address.serverDescription,
                                reason: "anslutningen bröts medan ändringen sparades; den är kanske sparad och kontrolleras när servern svarar")
        }
        if let error = error as? StoreError { return error }
        guard let error = error as? PGError else {
            return .unreachable(location: address.serverDescription, reason: "anslutningen misslyckades")
        }
        switch error {
        case .timedOut:
            return .unreachable(location: address.serverDescription, reason: "servern svarade inte i tid (\(what))")
        case .lost(let message):
            return .unreachable(location: address.serverDescription, reason: PostgresStore.reason(message))
        case .decoding(let detail):
            return .server(location: location, reason: "databasens svar gick inte att läsa: \(detail)")
        case .connect(let message):
            return connectFailure(message)
        case .server(let state, let message):
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
            case "25006":
                return .unreachable(location: address.serverDescription, reason: "servern tar bara emot läsningar (en standby); ange alla servrar och target_session_attrs=read-write i adressen")
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
    }

    /// A connection that could not be made, from libpq's message (English; with several hosts,
    /// one line per host tried). Unknown messages are shown as libpq's own words.
    func connectFailure(_ message: String) -> StoreError {
        let text = message.lowercased()
        let server = address.serverDescription
        if text.contains("password authentication failed") || text.contains("authentication failed for user") {
            return .server(location: location, reason: "inloggningen nekades för \(address.user)")
        }
        if text.contains("no password supplied") {
            return .server(location: location, reason: "servern kräver lösenord för \(address.user); ange det i ~/.pgpass (0600) eller PGPASSWORD, eller använd Kerberos")
        }
        if text.contains("peer authentication failed") {
            return .server(location: location, reason: "inloggningen nekades: ditt användarnamn i systemet är inte rollen \(address.user) (peer)")
        }
        if text.contains("gssapi") || text.contains("kerberos") || text.contains("credentials cache") {
            return .server(location: location, reason: "inloggningen med Kerberos misslyckades; logga in på nytt i Windows eller kör kinit, och försök igen")
        }
        if text.contains("does not exist") && text.contains("database") {
            return .server(location: location, reason: "databasen \(address.database) finns inte")
        }
        if text.contains("role") && text.contains("does not exist") {
            return .server(location: location, reason: "rollen \(address.user) finns inte i databasen; be databasens ägare köra bevaka db user add \(address.user)")
        }
        if text.contains("permission denied for database") {
            return .server(location: location, reason: "rollen \(address.user) får inte ansluta till databasen \(address.database); be databasens ägare köra bevaka db user add \(address.user)")
        }
        if text.contains("no pg_hba.conf entry") || text.contains("pg_hba.conf rejects") {
            return .server(location: location, reason: "anslutningen nekades för rollen \(address.user) härifrån (pg_hba.conf)"
                + (text.contains("no encryption") ? "; servern kräver TLS (sslmode=require eller verify-full)" : ""))
        }
        if text.contains("certificate") || text.contains("ssl error") || text.contains("sslrootcert") {
            return .unreachable(location: server, reason: "TLS-anslutningen godtogs inte: serverns certifikat kunde inte kontrolleras (sslmode=verify-full kräver ett certifikat från en betrodd utfärdare, se sslrootcert, och rätt värdnamn)")
        }
        if text.contains("server does not support ssl") {
            return .unreachable(location: server, reason: "servern erbjuder inte TLS (sslmode=\(address.sslmode ?? "prefer"))")
        }
        if text.contains("read-only") || text.contains("hot standby") || text.contains("is not the primary") {
            return .unreachable(location: server, reason: "ingen av servrarna tar emot ändringar just nu (alla är standby); försök igen om en stund")
        }
        return .unreachable(location: server, reason: PostgresStore.reason(message))
    }

    /// The sentence of a refusal raised by Bevaka's own schema, without its "bevaka: " prefix.
    static func ownWords(_ message: String) -> String? {
        guard message.hasPrefix("bevaka: ") else { return nil }
        return TerminalText.maskPersonalNumbers(TerminalText.sanitize(String(message.dropFirst("bevaka: ".count))))
    }

    /// Why a connection failed or broke, from libpq's message.
    static func reason(_ message: String) -> String {
        let text = message.lowercased()
        if text.contains("connection refused") { return "anslutningen nekades; körs servern?" }
        if text.contains("no such file or directory") { return "socketen finns inte; körs servern?" }
        if text.contains("permission denied") { return "behörighet saknas till socketen" }
        if text.contains("timeout expired") || text.contains("timed out") { return "tidsgränsen gick ut" }
        if text.contains("could not translate host name") || text.contains("name or service not known") {
            return "värdnamnet finns inte"
        }
        if text.contains("terminating connection") || text.contains("server closed the connection")
            || text.contains("connection closed") || text.contains("reset by peer") || text.contains("broken pipe")
            || text.contains("no connection") || text.isEmpty {
            return "anslutningen bröts"
        }
        // libpq's own words (perhaps in the user's language): the first line, cleaned.
        let first = message.split(separator: "\n").first.map(String.init) ?? message
        return "anslutningen misslyckades: " + TerminalText.maskPersonalNumbers(TerminalText.sanitize(first))
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
            try client.transaction { connection in
                try connection.query("SELECT pg_advisory_xact_lock(\(Schema.initLock))")
                try connection.query(SQL(unsafe: Schema.migrationsTable))
            }
            var applied: [String] = []
            let newest = try PostgresStore.schemaVersion(client)
            if newest > known { throw StoreError.newerSchema(path: location, found: newest, supported: known) }
            for migration in Schema.migrations where migration.version > newest {
                try client.transaction { connection in
                    // Two `db init` at once: the second waits here and then finds the work done.
                    try connection.query("LOCK TABLE bevaka_migrations IN EXCLUSIVE MODE")
                    let rows = try connection.query(
                        "SELECT count(*) FROM bevaka_migrations WHERE version = \(migration.version)")
                    var present = 0
                    for count in try rows.decode(Int.self) { present = count }
                    guard present == 0 else { return }
                    for statement in migration.statements {
                        try connection.query(SQL(unsafe: statement))
                    }
                    try connection.query(
                        "INSERT INTO bevaka_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
                    applied.append("\(migration.version): \(migration.name)")
                }
            }
            return applied
        }
    }

    static func schemaVersion(_ client: PGSession) throws -> Int {
        let rows = try client.query("SELECT coalesce(max(version), 0) FROM bevaka_migrations")
        var version = 0
        for value in try rows.decode(Int.self) { version = value }
        return version
    }

    /// Refuses a database without the schema, or with a newer one.
    func checkSchema(_ client: PGSession) throws(StoreError) {
        let known = Schema.latest
        let location = self.location
        let version = try wait(what: "läsa schemat") { try PostgresStore.schemaVersion(client) }
        if version == 0 { throw .schemaMissing(location: location) }
        if version > known { throw .newerSchema(path: location, found: version, supported: known) }
        if version < known { throw .schemaOld(location: location, found: version, supported: known) }
    }

    /// A connection to a database with the current schema, for the administrative commands.
    func connectedForAdmin() throws(StoreError) -> PGSession {
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
        let block = try wait(what: "reservera id-nummer") { () throws -> Int in
            let rows = try client.query("SELECT nextval('bevaka_id_blocks')")
            var start = 0
            for value in try rows.decode(Int.self) { start = value }
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
    static func request(_ client: PGSession, purpose: String, screen: String, ids: [String]? = nil,
                        pnrs: [String]? = nil) throws -> Int64 {
        let rows = try client.query("SELECT bevaka_request(\(purpose), \(screen), \(ids), \(pnrs))")
        var made: Int64?
        for value in try rows.decode(Int64.self) { made = value }
        guard let made else { throw StoreError.server(location: "databasen", reason: "läsbegäran gav inget svar") }
        return made
    }

    /// Rows in the caseload's order, read through the database's logging function; `ids` limits
    /// them (and only those the user may see come back). `screen` is one of the database's own
    /// words for where the read is for (`Schema.screens`).
    func fetch(_ client: PGSession, ids: [String]?, purpose: String = "listed",
               screen: String? = nil) throws(StoreError) -> [Row] {
        let location = self.location
        let screen = screen ?? (ids == nil ? "ärendelistan" : "uppdatering")
        // Reading a whole unit's caseload takes longer than one person's save.
        let texts = try wait(what: "läsa ärendena", limit: ids == nil ? .seconds(60) : nil) { () throws -> [(String, String, Int64, String, String, Date)] in
            let request = try PostgresStore.request(client, purpose: purpose, screen: screen, ids: ids)
            let rows = try client.query("""
                SELECT id, doc, version, owner, updated_by, updated_at FROM bevaka_read(\(request))
                """)
            var result: [(String, String, Int64, String, String, Date)] = []
            for row in try rows.decode((String, String, Int64, String, String, Date).self) { result.append(row) }
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
    func fetchPlanning(_ client: PGSession) throws(StoreError) -> [Row] {
        let location = self.location
        let texts = try wait(what: "läsa enhetens planering", limit: .seconds(60)) { () throws -> [(String, String, String)] in
            let request = try PostgresStore.request(client, purpose: "planning", screen: "enhetens planering")
            let rows = try client.query("SELECT id, owner, plan FROM bevaka_unit(\(request))")
            var result: [(String, String, String)] = []
            for row in try rows.decode((String, String, String).self) { result.append(row) }
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
            let outcome = try wait(what: "spara") { () throws -> SaveAttempt in
                var request: Int64?
                if !newNumbers.isEmpty || !mergeIDs.isEmpty {
                    request = try PostgresStore.request(client, purpose: "save", screen: "sparande",
                                                              ids: mergeIDs.sorted(), pnrs: newNumbers)
                }
                do {
                    return .done(try self.write(client, changed: changed, encoded: encoded, versions: versions,
                                                      bases: bases, request: request, merging: mergeIDs))
                } catch let needed as NeedsMerge {
                    return .needsMerge(needed.ids)
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
    private func write(_ client: PGSession, changed: [Client], encoded: [String], versions: [String: Int64],
                       bases: [String: Client], request: Int64?, merging: Set<String>) throws -> [Written] {
        try client.transaction { connection in
            // Where the change comes from (the log says it) and, when needed, the logged request.
            let requestText = request.map(String.init) ?? ""
            try connection.query("""
                SELECT set_config('bevaka.screen', \(self.saveScreen), true), set_config('bevaka.request', \(requestText), true)
                """)
            var result: [Written] = []
            var needed: Set<String> = []
            for (person, doc) in zip(changed, encoded) {
                if let version = versions[person.id] {
                    let rows = try connection.query("""
                        UPDATE bevaka_clients SET doc = \(doc)::jsonb
                        WHERE id = \(person.id) AND version = \(version) RETURNING version
                        """)
                    var saved: Int64?
                    for value in try rows.decode(Int64.self) { saved = value }
                    if let saved {
                        result.append(.saved(version: saved, client: person))
                        continue
                    }
                } else {
                    let rows = try connection.query("""
                        INSERT INTO bevaka_clients (id, pnr, doc) VALUES (\(person.id), \(person.personnummer.digits), \(doc)::jsonb)
                        ON CONFLICT DO NOTHING RETURNING version
                        """)
                    var saved: Int64?
                    for value in try rows.decode(Int64.self) { saved = value }
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
                let rows = try connection.query("""
                    SELECT doc, version, updated_by, updated_at FROM bevaka_lock(\(person.id))
                    """)
                var current: (String, Int64, String, Date)?
                for row in try rows.decode((String, Int64, String, Date).self) { current = row }
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
                    let update = try connection.query("""
                        UPDATE bevaka_clients SET doc = \(mergedDoc)::jsonb WHERE id = \(person.id) RETURNING version
                        """)
                    for value in try update.decode(Int64.self) { finalVersion = value }
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
        let client = self.session
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
            let current = try wait(what: "jämföra versioner") { () throws -> [(String, Int64)] in
                let rows = try client.query("SELECT id, version FROM bevaka_clients")
                var result: [(String, Int64)] = []
                for row in try rows.decode((String, Int64).self) { result.append(row) }
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

    /// LISTEN on a connection of its own (a thread waiting on its socket); after a lost
    /// connection it listens again and has the next poll compare every version.
    private func startListening(_ client: PGSession) {
        lock.lock()
        defer { lock.unlock() }
        guard listener == nil else { return }
        listener = PostgresListener(conninfo: address.conninfo, channel: "bevaka_clients",
                                    heard: { [weak self] payload in self?.hear(payload) },
                                    reconnected: { [weak self] in self?.markCheckAll() })
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
