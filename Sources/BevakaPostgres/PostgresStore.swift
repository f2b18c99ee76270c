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
    var session: PGSession?
    var listener: PostgresListener?
    /// What the server last confirmed for each person: the version and the record.
    var confirmed: [String: (version: Int64, client: Client)] = [:]
    /// People others changed (heard through NOTIFY) and not yet fetched.
    var heard: Set<String> = []
    /// Called when a change is heard (the saver fetches it at once).
    var onHeard: (@Sendable () -> Void)?
    /// After a reconnect every person is compared, since notifications may have been missed.
    var checkAll = false
    /// The server the work connection reached last ("db2:5432"), to say so after a failover.
    var lastServer: String?
    /// Set when the work connection moved to another server; the app's status line says so once.
    var movedTo: String?
    /// An unencrypted connection over the network, said once (status line; stderr for a command).
    var plainTextNotice: String?
    var plainTextSaid = false
    /// This program's block of identifiers.
    var idBlock: ClosedRange<Int>?
    /// Who the user is in the unit; read at load and again when a cover changes.
    var unit: UnitContext? {
        didSet { generation &+= 1 }
    }
    /// Counts changes of `unit`, so the app compares contexts only when one changed.
    var generation = 0
    var generationLocked: Int { generation }
    /// A cover began or ended: the visible caseload and the context are read again.
    var unitChanged = false
    /// Where saves come from, for the access log: "sparande" (the app) or "import" (the command).
    public var saveScreen = "sparande"
    /// The unit manager's view: planning data only (no personnummer, no free text); read-only.
    public private(set) var planningOnly = false
    /// The ordinals per part of the manager's planning read (`planningParts`); tests make it small.
    var planningPartSize = PostgresStore.planningPartOrdinals
    /// Makes the second connection of the planning read (nil: none); tests replace it.
    var openHelper: @Sendable (String) -> PGSession? = PostgresStore.connectHelper

    /// Where changes the server could not take are kept when the app must close (nil: nowhere).
    let recoveryFolder: URL?

    public init(_ address: PostgresLocation, recoveryFolder: URL? = nil) {
        self.address = address
        self.recoveryFolder = recoveryFolder
    }

    deinit {
        listener?.stop()
    }

    /// The app is leaving: the listener's thread ends and closes its connection, then the work
    /// connection is closed, so that no libpq call runs on another thread while the process exits.
    public func shutDown() {
        lock.lock()
        let listening = listener
        listener = nil
        let work = session
        session = nil
        lock.unlock()
        listening?.stopAndWait()
        work?.close()
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
        // Asked before the store's lock is taken (the session's lock comes first elsewhere).
        let encrypted = made.sslInUse
        let server = made.server
        lock.lock()
        defer { lock.unlock() }
        if let existing = session { return existing }
        session = made
        lastServer = server.map { PostgresStore.describe($0) }
        // Over the network with a mode that does not check the server (disable, allow, prefer): said
        // once — unencrypted, or encrypted to a server nobody checked.
        let weak = ["disable", "allow", "prefer"].contains(address.sslmode ?? "prefer")
        if address.remote, encrypted == false || weak, !plainTextSaid {
            plainTextSaid = true
            let server = lastServer ?? address.serverDescription
            plainTextNotice = encrypted == false
                ? "Okrypterad anslutning till \(server) (sslmode=\(address.sslmode ?? "prefer")): personuppgifter går i klartext "
                    + "över nätet. Be databasens ägare om TLS och använd sslmode=verify-full."
                : "Anslutningen till \(server) är krypterad men serverns certifikat kontrolleras inte (sslmode=\(address.sslmode ?? "prefer")); "
                    + "använd sslmode=verify-full."
        }
        return made
    }

    /// "db2.kommun.se:5432", or the socket folder.
    static func describe(_ server: (host: String, port: String, user: String, database: String)) -> String {
        server.host.hasPrefix("/") ? "socketen i \(server.host)" : "\(server.host):\(server.port)"
    }

    /// A lost work connection was made again: compare every version at the next poll (changes
    /// may have been missed), and note when it is another server now (a failover).
    func reconnected() {
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
        if let plain = plainTextNotice {
            plainTextNotice = nil
            return plain
        }
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


    // MARK: Schema

    /// `bevaka db init`: creates or migrates the schema. Returns the migrations applied now.
    public func initialise() throws(StoreError) -> [String] {
        try initialise(through: Schema.latest)
    }

    /// Applies the migrations a database lacks up to `last`, each file in a transaction of its
    /// own with its row in `bevaka_migrations` (so a failed one leaves the database as the one
    /// before it). First the recorded checksums are compared with the files: a database whose
    /// applied migration differs from this program's is refused, not migrated further.
    func initialise(through last: Int) throws(StoreError) -> [String] {
        let client = try connected()
        let known = Schema.latest
        let location = self.location
        return try wait(what: "skapa schemat", limit: .seconds(120)) {
            // Two `db init` at once on a new database: CREATE TABLE IF NOT EXISTS is not safe against
            // itself, so the table is made under a transaction-scoped advisory lock.
            try client.transaction { connection in
                try connection.query("SELECT pg_advisory_xact_lock(\(Schema.initLock))")
                // "already exists, skipping" is no news; libpq would print it on standard error.
                try connection.query("SET LOCAL client_min_messages = warning")
                for statement in Schema.migrationsTable { try connection.query(SQL(unsafe: statement)) }
                // Migrations applied before their files had checksums are recorded now, once; from
                // then on they are compared like every other.
                for migration in Schema.migrations {
                    try connection.query("""
                        UPDATE bevaka_migrations SET checksum = \(migration.sha256)
                        WHERE version = \(migration.version) AND checksum IS NULL
                        """)
                }
            }
            var applied: [String] = []
            let recorded = try PostgresStore.recordedMigrations(client)
            let newest = recorded.map(\.0).max() ?? 0
            if newest > known { throw StoreError.newerSchema(path: location, found: newest, supported: known, database: true) }
            try PostgresStore.compareChecksums(recorded, location: location)
            for migration in Schema.migrations where migration.version > newest && migration.version <= last {
                try client.transaction { connection in
                    // Two `db init` at once: the second waits here and then finds the work done.
                    try connection.query("LOCK TABLE bevaka_migrations IN EXCLUSIVE MODE")
                    let rows = try connection.query(
                        "SELECT count(*) FROM bevaka_migrations WHERE version = \(migration.version)")
                    var present = 0
                    for count in try rows.decode(Int.self) { present = count }
                    guard present == 0 else { return }
                    try connection.query(SQL(script: migration.sql))
                    try connection.query("""
                        INSERT INTO bevaka_migrations (version, name, checksum)
                        VALUES (\(migration.version), \(migration.name), \(migration.sha256))
                        """)
                    applied.append("\(migration.version): \(migration.name)")
                }
            }
            try client.transaction { connection in try PostgresStore.ownSchemaByARoleThatCannotLogIn(connection) }
            return applied
        }
    }

    /// The schema's objects belong to a role of their own that cannot log in
    /// (`bevaka_agare_<database>`), of which the login that runs `db init` is a member: nobody
    /// works as the owner itself, and a password for it cannot leak. Members remain the
    /// administrators (`bevaka_is_admin()`). A table's owner can still switch its triggers off;
    /// the access log's chain shows what that changes (docs/postgresql.md).
    /// Run after every `db init`: it also hands objects a later migration made to that role. Only
    /// what is not yet the role's is altered, so a `db init` with nothing to do takes no table
    /// lock while the unit works (an ALTER OWNER locks its table whole).
    static func ownSchemaByARoleThatCannotLogIn(_ connection: PGSession) throws {
        // Two `db init` at once: one at a time here too.
        try connection.query("SELECT pg_advisory_xact_lock(\(Schema.initLock))")
        try connection.query("SET LOCAL client_min_messages = warning")
        try connection.query("""
            DO $$
            DECLARE
                owner_role text := 'bevaka_agare_' || left(current_database(), 50);
                r record;
            BEGIN
                -- Roles are the cluster's: a role of that name made by someone else, able to log in,
                -- is never handed the unit's data.
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = owner_role AND (rolcanlogin OR rolsuper)) THEN
                    RAISE EXCEPTION 'bevaka: rollen % finns redan och kan logga in; ta bort den eller ge den NOLOGIN', owner_role
                        USING ERRCODE = '42501';
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = owner_role) THEN
                    EXECUTE format('CREATE ROLE %I NOLOGIN', owner_role);
                END IF;
                IF NOT pg_has_role(current_user, owner_role, 'MEMBER') THEN
                    EXECUTE format('GRANT %I TO %I', owner_role, current_user);
                END IF;
                IF NOT has_schema_privilege(owner_role, current_schema(), 'CREATE') THEN
                    EXECUTE format('GRANT CREATE, USAGE ON SCHEMA %I TO %I', current_schema(), owner_role);
                END IF;
                FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                         WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'bevaka\\_%'
                           AND c.relkind IN ('r', 'v', 'm', 'p') AND c.relowner <> owner_role::regrole LOOP
                    EXECUTE format('ALTER TABLE %s OWNER TO %I', r.name, owner_role);
                END LOOP;
                FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                         WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'bevaka\\_%' AND c.relkind = 'S'
                           AND c.relowner <> owner_role::regrole AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
                    EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', r.name, owner_role);
                END LOOP;
                -- The owner's policy names the owner (migration 2): it follows the data.
                IF EXISTS (SELECT 1 FROM pg_policy WHERE polname = 'bevaka_admin' AND polrelid = 'bevaka_clients'::regclass
                           AND polroles <> ARRAY[owner_role::regrole::oid]) THEN
                    EXECUTE format('ALTER POLICY bevaka_admin ON bevaka_clients TO %I', owner_role);
                END IF;
                FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                         WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'bevaka\\_%'
                           AND p.proowner <> owner_role::regrole LOOP
                    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.name, owner_role);
                END LOOP;
            END $$
            """)
    }

    /// Every applied migration's version and recorded checksum ("" before checksums existed).
    static func recordedMigrations(_ client: PGSession) throws -> [(Int, String)] {
        try client.query("SELECT version, coalesce(checksum, '') FROM bevaka_migrations ORDER BY version").decode((Int, String).self)
    }

    /// Throws `schemaChanged` for the first applied migration whose recorded checksum is not its
    /// file's (one recorded before checksums existed, still empty, is not compared).
    static func compareChecksums(_ recorded: [(Int, String)], location: String) throws {
        let files = Dictionary(Schema.migrations.map { ($0.version, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        for (version, checksum) in recorded where !checksum.isEmpty && files[version].map({ $0 != checksum }) == true {
            throw StoreError.schemaChanged(location: location, version: version)
        }
    }

    /// Refuses a database without the schema, with a newer one, or with a migration changed.
    func checkSchema(_ client: PGSession) throws(StoreError) {
        let known = Schema.latest
        let location = self.location
        // One round trip (every command and start makes it): the recorded migrations give both
        // the version and the checksums to compare.
        let version = try wait(what: "läsa schemat") { () throws -> Int in
            let recorded = try PostgresStore.recordedMigrations(client)
            let version = recorded.map(\.0).max() ?? 0
            if version > 0 && version <= known { try PostgresStore.compareChecksums(recorded, location: location) }
            return version
        }
        if version == 0 { throw .schemaMissing(location: location) }
        if version > known { throw .newerSchema(path: location, found: version, supported: known, database: true) }
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
        // Room for every person's owner at once (the manager's 100,000 without growing 17 times).
        withOwners.owners.reserveCapacity(rows.count)
        lock.lock()
        planningOnly = context.kind == .chef
        for row in rows {
            if !planningOnly { confirmed[row.client.id] = (row.version, row.client) }
            withOwners.owners[row.client.id] = row.owner
            clients.append(row.client)
        }
        unit = withOwners
        let block = idBlock
        let readOnly = planningOnly
        lock.unlock()
        var caseload = Caseload(clients: clients, nextSerial: 1)
        // The manager's planning is read-only: nothing is made in it, so no serial is looked for.
        if !readOnly || block != nil {
            caseload.nextSerial = block?.lowerBound ?? (PostgresStore.highestSerial(in: caseload) + 1)
        }
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
        var answered = false
        for value in try rows.decode(Int64?.self) { made = value; answered = true }
        guard answered else { throw StoreError.server(location: "databasen", reason: "läsbegäran gav inget svar") }
        // NULL: too many requests in a minute (migration 11); the database has logged the burst.
        guard let made else {
            throw StoreError.server(location: "databasen", reason: "för många läsningar på en minut; vänta en stund och försök igen (det står i loggen)")
        }
        return made
    }

    /// Rows in the caseload's order, read through the database's logging function; `ids` limits
    /// them (and only those the user may see come back). `screen` is one of the database's own
    /// words for where the read is for (`Schema.screens`).
    func fetch(_ client: PGSession, ids: [String]?, purpose: String = "listed",
               screen: String? = nil) throws(StoreError) -> [Row] {
        let screen = screen ?? (ids == nil ? "ärendelistan" : "uppdatering")
        // Reading a whole unit's caseload takes longer than one person's save.
        return try readDocuments(client, what: "läsa ärendena", limit: ids == nil ? .seconds(60) : nil,
                                 purpose: purpose, screen: screen, ids: ids, columns: 6, documentColumn: 1,
                                 statement: { "SELECT id, doc, version, owner, updated_by, updated_at FROM bevaka_read(\($0))" }) { result, row throws(PGError) in
            (version: try Int64.decode(result.string(row, 2), column: "version"), owner: try String.decode(result.string(row, 3), column: "owner"),
             by: try String.decode(result.string(row, 4), column: "updated_by"), at: try Date.decode(result.string(row, 5), column: "updated_at"))
        }.map { client, row in Row(client: client, version: row.version, by: row.by, at: row.at, owner: row.owner) }
    }

    /// The ordinals of one part of the manager's planning read.
    static let planningPartOrdinals: Int64 = 12_500

    /// How many parts the manager's planning is read in (over two connections): one part for
    /// every `size` ordinals of its span, from one to eight. Two or more let the server send one
    /// part while the app reads another; eight keep a part's result (held while it is read) near
    /// 15 MB at 100,000 people, so the process peaks 67 MB lower than with the whole at once.
    static func planningParts(_ range: ClosedRange<Int64>, every size: Int64 = planningPartOrdinals) -> Int {
        Int(min(8, max(1, (range.upperBound - range.lowerBound + 1) / max(1, size))))
    }

    /// `range` (ordinals, both ends in) cut into `parts` spans of about the same width, as the
    /// bounds of `bevaka_unit_part(request, after, upto)`: `after` of each is `upto` of the one before,
    /// the first's is just below the range, the last's `upto` its end.
    static func planningBounds(_ range: ClosedRange<Int64>, parts: Int) -> [(after: Int64, upto: Int64)] {
        let parts = Int64(max(1, parts))
        let start = range.lowerBound - 1
        let span = range.upperBound - start
        let cuts = (0...parts).map { start + span / parts * $0 + min(span % parts, $0) }
        return (0..<Int(parts)).map { (cuts[$0], cuts[$0 + 1]) }
    }

    /// The unit manager's planning rows (no personnummer, no free text), read-only. One logged
    /// request (migration 21), read in parts (migration 22) on the work connection and a second
    /// one at once: while the server sends one part the app reads the one before, so neither
    /// side waits for the other with a core idle. Without the second connection (it could not be
    /// made) every part is read on the work connection. The rows come in the caseload's order.
    func fetchPlanning(_ client: PGSession) throws(StoreError) -> [Row] {
        let what = "läsa enhetens planering"
        let (request, range) = try wait(what: what, limit: .seconds(60)) { () throws -> (Int64, ClosedRange<Int64>?) in
            let request = try PostgresStore.request(client, purpose: "planning", screen: "enhetens planering")
            var range: ClosedRange<Int64>?
            for (lowest, through) in try client.query("SELECT lowest, through FROM bevaka_unit_range(\(request))")
                .decode((Int64?, Int64?).self) {
                if let lowest, let through, lowest <= through { range = lowest...through }
            }
            return (request, range)
        }
        guard let range else { return [] }
        let bounds = PostgresStore.planningBounds(range, parts: PostgresStore.planningParts(range, every: planningPartSize))
        // The second connection only when there is more than one part to share.
        let helper = bounds.count > 1 ? openHelper(address.conninfo) : nil
        defer { helper?.close() }
        let location = self.location
        let read = { (session: PGSession, part: Int) throws -> [Row] in
            try PostgresStore.planningPart(session, request: request, bounds: bounds[part], location: location)
        }
        // One minute for the whole read, as before it came in parts; each connection stops at its
        // first failure (a server that does not answer is said once, not once a part).
        let deadline = ContinuousClock.now + .seconds(60)
        let left = { max(Duration.milliseconds(1), deadline - ContinuousClock.now) }
        let some = { (session: PGSession, first: Int) -> [Int: Result<[Row], any Error>] in
            var done: [Int: Result<[Row], any Error>] = [:]
            for part in stride(from: first, to: bounds.count, by: 2) {
                let result = Result { try session.run(limit: left()) { try read(session, part) } }
                done[part] = result
                if case .failure = result { break }
            }
            return done
        }
        var parts: [Int: Result<[Row], any Error>] = [:]
        if let helper {
            // The work connection takes the even parts, the second one the odd parts.
            let (mine, theirs) = Parallel.both({ some(client, 0) }, { some(helper, 1) })
            parts = mine.merging(theirs) { first, _ in first }
        }
        var rows: [Row] = []
        for part in bounds.indices {
            // A part the second connection did not read (it failed or was lost) is read on the
            // work connection; an error there is the read's.
            var result = parts[part]
            if helper == nil || (part % 2 == 1 && (try? result?.get()) == nil) {
                result = Result { try wait(what: what, limit: left()) { try read(client, part) } }
            }
            do {
                rows += try result?.get() ?? []
            } catch let error as StoreError {
                throw error
            } catch {
                throw translate(error, what: what)
            }
        }
        return rows
    }

    /// A second connection for the planning's parts, or nil when it cannot be made (the work
    /// connection then reads them all).
    static func connectHelper(_ conninfo: String) -> PGSession? {
        let session = PGSession(conninfo: conninfo)
        do {
            try session.open()
            return session
        } catch {
            return nil
        }
    }

    /// One part of a planning request, read in place from libpq's result.
    static func planningPart(_ session: PGSession, request: Int64, bounds: (after: Int64, upto: Int64),
                             location: String) throws -> [Row] {
        let result = try session.queryResult("SELECT id, owner, plan FROM bevaka_unit_part(\(request), \(bounds.after), \(bounds.upto))")
        let rows = try PostgresStore.rows(of: result, columns: 3, documentColumn: 2) { result, row throws(PGError) in
            try String.decode(result.string(row, 1), column: "owner")
        }
        let clients = try PostgresStore.decode(result, column: 2, ids: rows.map(\.id), location: location)
        return zip(clients, rows).map { client, row in
            Row(client: client, version: 0, by: row.facts, at: Date(timeIntervalSince1970: 0), owner: row.facts)
        }
    }

    /// A logged read (the request, then `statement` naming it) whose rows have the id first and a
    /// document in `documentColumn`: each row's other columns by `facts`, and its document read in
    /// place from libpq's result (not copied into strings first: a caseload is held once, not twice).
    func readDocuments<Facts: Sendable>(_ client: PGSession, what: String, limit: Duration?, purpose: String, screen: String,
                                        ids: [String]?, columns: Int, documentColumn: Int, statement: (Int64) -> SQL,
                                        facts: (PGResult, Int) throws(PGError) -> Facts) throws(StoreError) -> [(Client, Facts)] {
        let location = self.location
        let (result, rows) = try wait(what: what, limit: limit) { () throws -> (PGResult, [(id: String, facts: Facts)]) in
            let request = try PostgresStore.request(client, purpose: purpose, screen: screen, ids: ids)
            let result = try client.queryResult(statement(request))
            return (result, try PostgresStore.rows(of: result, columns: columns, documentColumn: documentColumn, facts: facts))
        }
        let clients = try PostgresStore.decode(result, column: documentColumn, ids: rows.map(\.id), location: location)
        return Array(zip(clients, rows.map(\.facts)))
    }

    /// A result of documents checked (`expect`), and each row's id (the first column) and other
    /// columns by `facts`; the documents are read apart (`decode`).
    static func rows<Facts>(of result: PGResult, columns: Int, documentColumn: Int,
                            facts: (PGResult, Int) throws(PGError) -> Facts) throws(PGError) -> [(id: String, facts: Facts)] {
        try expect(result, columns: columns, documentColumn: documentColumn)
        var rows: [(id: String, facts: Facts)] = []
        rows.reserveCapacity(result.count)
        for row in 0..<result.count {
            rows.append((try String.decode(result.string(row, 0), column: "id"), try facts(result, row)))
        }
        return rows
    }

    /// The result has the columns asked for and a document in every row (as `PGRows.decode` checks).
    static func expect(_ result: PGResult, columns: Int, documentColumn: Int) throws(PGError) {
        guard result.columnCount == columns else { throw PGError.decoding("svaret har \(result.columnCount) kolumner, inte \(columns)") }
        for row in 0..<result.count where result.bytes(row, documentColumn) == nil {
            throw PGError.decoding("kolumnen \(documentColumn) är tom (NULL)")
        }
    }

    /// Records in `column` of a result, read in place: the store's own reader on all cores, and
    /// the reference (`JSONDecoder`) for any it gives up on, as `decode(_:location:)`.
    static func decode(_ result: PGResult, column: Int, ids: [String], location: String) throws(StoreError) -> [Client] {
        let read = withExtendedLifetime(result) {
            StoreCodec.readRecords(count: result.count) { index, reader in result.bytes(index, column).flatMap(reader) }
        }
        return try completed(read, location: location) { index in
            (index < ids.count ? ids[index] : "?", result.string(index, column) ?? "")
        }
    }

    /// Records as the database printed them (id, doc): the store's own reader on all cores, and
    /// the reference (`JSONDecoder`, which also says what is wrong) for any it gives up on.
    static func decode(_ records: [(id: String, text: String)], location: String) throws(StoreError) -> [Client] {
        try completed(StoreCodec.readRecords(records.map(\.text)), location: location) { records[$0] }
    }

    /// The reader's records, each one it gave up on read by the reference from its text.
    private static func completed(_ read: [Client?], location: String,
                                  record: (Int) -> (id: String, text: String)) throws(StoreError) -> [Client] {
        let decoder = JSONDecoder()
        var clients: [Client] = []
        clients.reserveCapacity(read.count)
        for (index, fast) in read.enumerated() {
            if let fast {
                clients.append(fast)
            } else {
                let (id, text) = record(index)
                clients.append(try decode(text, id: id, decoder: decoder, location: location))
            }
        }
        return clients
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
