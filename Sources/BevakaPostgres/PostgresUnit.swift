import BevakaDomain
import BevakaStore
import Foundation

/// The unit on the shared store: who the user is, covers, handovers, the access log and the
/// administration of users. Every rule is the database's (UnitSchema.swift); these methods call
/// its functions and turn their answers and refusals into Swedish.
extension PostgresStore {
    public func unitContext() -> UnitContext? {
        lock.lock()
        defer { lock.unlock() }
        return unit
    }

    public var unitGeneration: Int {
        lock.lock()
        defer { lock.unlock() }
        return generationLocked
    }

    /// Reads who the user is, the names of the unit's staff and the covers that involve the user.
    func readUnitContext(_ client: PGSession) throws(StoreError) -> UnitContext {
        let location = self.location
        let user = address.user
        let raw = try wait(what: "läsa vem du är") { () throws -> (String, Bool, Bool, Bool, [(String, String, String)], [(String, String, String)], Int?) in
            var me = "", admin = false, chef = false, handlaggare = false
            var gallring: Int?
            // Who the user is and the unit's gallring rule in one round trip.
            let who = try client.query("""
                SELECT session_user::text, bevaka_is_admin(), bevaka_is('chef'), bevaka_is('handlaggare'),
                       (SELECT gallring_months FROM bevaka_settings)
                """)
            for (role, isAdmin, isChef, isHandlaggare, months) in try who.decode((String, Bool, Bool, Bool, Int?).self) {
                me = role
                admin = isAdmin
                chef = isChef
                handlaggare = isHandlaggare
                gallring = months
            }
            var names: [(String, String, String)] = []
            var covers: [(String, String, String)] = []
            // Everyone's name (the log and handovers name removed people too; a removed person is
            // no "handlaggare" to cover for or to move cases to), and the covers that involve the
            // user — in one round trip, each part in its own order.
            let rows = try client.query("""
                SELECT part, a, b, c FROM (
                    SELECT 1 AS part, role AS a, name AS b, CASE WHEN ended_at IS NULL THEN kind ELSE 'ended' END AS c,
                           name AS k1, role AS k2, 0::bigint AS k3
                    FROM bevaka_staff
                    UNION ALL
                    SELECT 2, covered, covering, until::text, until::text, '', id FROM bevaka_covers
                    WHERE ended_at IS NULL AND bevaka_today() <= until
                      AND (covered = session_user OR covering = session_user OR bevaka_is('chef') OR bevaka_is_admin())
                ) parts ORDER BY part, k1, k2, k3
                """)
            for (part, a, b, c) in try rows.decode((Int, String, String, String).self) {
                if part == 1 { names.append((a, b, c)) } else { covers.append((a, b, c)) }
            }
            return (me, admin, chef, handlaggare, names, covers, gallring)
        }
        let (me, admin, chef, handlaggare, names, covers, gallring) = raw
        let kind: UnitContext.Kind
        if admin {
            kind = .admin
        } else if handlaggare {
            kind = .handlaggare
        } else if chef {
            kind = .chef
        } else {
            throw .server(location: location, reason: "rollen \(user) är inte med i Bevaka; be databasens ägare köra bevaka db user add \(user) --role handlaggare")
        }
        var context = UnitContext(
            me: me, kind: kind, names: Dictionary(names.map { ($0.0, $0.1) }, uniquingKeysWith: { _, last in last }),
            covers: covers.compactMap { covered, covering, until in
                Day(iso: until).map { UnitContext.Cover(covered: covered, covering: covering, until: $0) }
            })
        context.handlaggare = names.filter { $0.2 == "handlaggare" }.map(\.0)
        context.gallringMonths = gallring
        if kind == .chef {
            // The manager's monthly bevakning: is the last period's loggkontroll recorded?
            let (through, interval) = try wait(what: "läsa loggkontrollerna") { () throws -> (String?, Int) in
                var result: (String?, Int) = (nil, 1)
                for row in try client.query("""
                    SELECT reviewed_through::text, interval_months FROM bevaka_log_reviewed_through()
                    """).decode((String?, Int).self) { result = row }
                return result
            }
            context.logReviewedThrough = through.flatMap { Day(iso: $0) }
            context.logReviewIntervalMonths = interval
        }
        return context
    }

    public func recordOpen(_ clientID: String, what: String) throws(StoreError) -> Client? {
        let client = try connected()
        // The log's detail is the database's own word for the screen; anything else is "ärende".
        let rows = try fetch(client, ids: [clientID], purpose: "opened", screen: Schema.screens.contains(what) ? what : "ärende")
        guard let row = rows.first else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if planningOnly {
            unit?.owners[row.client.id] = row.owner
            return row.client
        }
        // A protected person read in the list without contact data: the opened record is the
        // whole one; the app takes it (it is what the database holds at that version).
        if let known = confirmed[row.client.id], known.client.contactWithheld, row.version == known.version {
            confirmed[row.client.id] = (row.version, row.client)
            return row.client
        }
        // Newer than what the app holds: the next poll merges it like any change made elsewhere.
        if let known = confirmed[row.client.id], row.version > known.version { heardLocked(row.client.id) }
        return nil
    }

    /// The unit manager moves a case (by its id) to another handläggare, from the app.
    public func reassign(clientID: String, to role: String) throws(StoreError) {
        let client = try connected()
        try wait(what: "byta handläggare") {
            try client.query("SELECT client_id FROM bevaka_reassign(\(clientID), \(role))")
        }
        lock.lock()
        unit?.owners[clientID] = role
        lock.unlock()
    }

    // MARK: The unit's IVO report (the manager's)

    /// The cases the unit's IVO report names, read whole by the manager or the owner: 20 at a
    /// time through the logging function, each read logged as opened for "IVO-rapport". Returns
    /// each case with its handläggare's name.
    public func readForUnitIVOReport(_ ids: [String]) throws(StoreError) -> [(client: Client, handlaggare: String)] {
        let client = try connected()
        try checkSchema(client)
        var result: [(client: Client, handlaggare: String)] = []
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start..<min(ids.count, start + 20)])
            start += batch.count
            for row in try fetch(client, ids: batch, purpose: "opened", screen: "IVO-rapport") {
                lock.lock()
                let name = unit?.names[row.owner] ?? row.owner
                lock.unlock()
                result.append((row.client, name))
            }
        }
        return result
    }

    /// The manager marks the unit's report sent: only IVO's quarter labels are written, by the
    /// database's own function (`bevaka_ivo_mark_sent`). Returns how many cases changed.
    public func markUnitIVOReportSent(_ report: IVOReport) throws(StoreError) -> Int {
        let client = try connected()
        try checkSchema(client)
        let marks: [[String: Any]] = report.entries.map { entry in
            var mark: [String: Any] = ["client": entry.clientID, "decision": entry.decisionID, "closing": entry.status == .closing]
            if entry.kind == .interrupted, let from = entry.interruptionFrom { mark["interruption"] = from.description }
            return mark
        }
        let json = (try? JSONSerialization.data(withJSONObject: marks)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let label = report.quarter.description
        return try wait(what: "markera IVO-rapporten som skickad", limit: .seconds(60)) { () throws -> Int in
            var changed = 0
            for value in try client.query("SELECT bevaka_ivo_mark_sent(\(label), \(json)::jsonb)").decode(Int.self) { changed = value }
            return changed
        }
    }

    /// Every person the user may export, read through the logging function as an export.
    public func loadForExport() throws(StoreError) -> Caseload {
        let client = try connected()
        try checkSchema(client)
        let rows = try fetch(client, ids: nil, purpose: "exported", screen: "export")
        return Caseload(clients: rows.map(\.client), nextSerial: PostgresStore.highestSerial(in: Caseload(clients: rows.map(\.client))) + 1)
    }

    // MARK: Administration

    /// A role name as PostgreSQL takes it unquoted: lower-case letters, digits and `_`.
    public static func validRole(_ role: String) -> Bool {
        guard let first = role.unicodeScalars.first, role.unicodeScalars.count <= 63 else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_".unicodeScalars)
        return (first == "_" || ("a"..."z").contains(first)) && role.unicodeScalars.allSatisfy(allowed.contains)
    }

    /// `db user add`: creates the login role when missing, grants the group and records the name.
    /// Returns true when the role was created.
    public func addUser(_ role: String, kind: UnitContext.Kind, name: String) throws(StoreError) -> Bool {
        let client = try connectedForAdmin()
        let kindName = kind == .chef ? "chef" : "handlaggare"
        return try wait(what: "lägga till användaren") { () throws -> Bool in
            var created = false
            let rows = try client.query("SELECT bevaka_user_add(\(role), \(kindName), \(name))")
            for value in try rows.decode(Bool.self) { created = value }
            return created
        }
    }

    /// `db user remove`: every right in this unit taken (the owner runs it). Returns the number of
    /// covers ended. Refused while the person has cases.
    public func removeUser(_ role: String) throws(StoreError) -> Int {
        let client = try connectedForAdmin()
        return try wait(what: "ta bort användaren") { () throws -> Int in
            var ended = 0
            for value in try client.query("SELECT bevaka_user_remove(\(role))").decode(Int.self) { ended = value }
            return ended
        }
    }

    /// `db cover`: `covering` works `covered`'s caseload through `until`.
    public func grantCover(covered: String, covering: String, until: Day) throws(StoreError) {
        let client = try connectedForAdmin()
        let day = until.description
        try wait(what: "ordna vikariatet") {
            try client.query("SELECT bevaka_cover(\(covered), \(covering), \(day)::date)")
        }
    }

    /// `db cover --end`: ends the active covers of `covered` (by `covering` only, when given).
    public func endCover(covered: String, covering: String?) throws(StoreError) -> Int {
        let client = try connectedForAdmin()
        return try wait(what: "avsluta vikariatet") { () throws -> Int in
            var ended = 0
            let rows = try client.query("SELECT bevaka_cover_end(\(covered), \(covering))")
            for value in try rows.decode(Int.self) { ended = value }
            return ended
        }
    }

    /// `db reassign`: the case of `personnummer` moves to `role`, with its history. Returns the
    /// case's id and the role it came from. The personnummer is looked up first, through a
    /// request the database logs before it answers.
    public func reassign(_ personnummer: Personnummer, to role: String) throws(StoreError) -> (id: String, from: String) {
        let client = try connectedForAdmin()
        let digits = personnummer.digits
        return try wait(what: "byta handläggare") { () throws -> (id: String, from: String) in
            let id = try PostgresStore.lookUp(client, digits, screen: "db reassign")
            var result = ("", "")
            let rows = try client.query("SELECT client_id, from_role FROM bevaka_reassign(\(id), \(role))")
            for row in try rows.decode((String, String).self) { result = row }
            return (result.0, result.1)
        }
    }

    /// The case id of a personnummer, for the manager: the look-up is logged (committed) before
    /// the database answers whether the person is in the unit.
    static func lookUp(_ client: PGSession, _ digits: String, screen: String) throws -> String {
        let request = try PostgresStore.request(client, purpose: "lookup", screen: screen, pnrs: [digits])
        var id = ""
        for value in try client.query("SELECT bevaka_lookup(\(request))")
            .decode(String.self) { id = value }
        return id
    }

    /// A registerutdrag (GDPR art. 15) for the manager or the owner: the person is looked up
    /// (logged), the whole record read as an opening for export (logged per case), and the access
    /// log's rows about the case. Nil when the personnummer is not in the unit.
    public func registerutdrag(_ personnummer: Personnummer) throws(StoreError) -> (client: Client, log: [AuditRow])? {
        let client = try connectedForAdmin()
        let digits = personnummer.digits
        let id = try wait(what: "söka personen") { () throws -> String in
            try PostgresStore.lookUp(client, digits, screen: "export")
        }
        guard !id.isEmpty, let row = try fetch(client, ids: [id], purpose: "opened", screen: "export").first else { return nil }
        let log = try audit(client: personnummer, user: nil, since: nil, includeLists: false)
        return (row.client, log)
    }

    public struct AuditRow: Sendable, Equatable {
        public var at: Date
        public var who: String
        public var clientID: String?
        public var action: String
        public var detail: String?
    }

    /// `db audit`: the access log, filtered; reading the whole caseload is left out unless asked for.
    public func audit(client person: Personnummer?, user: String?, since: Day?, includeLists: Bool) throws(StoreError) -> [AuditRow] {
        let client = try connectedForAdmin()
        let digits = person?.digits
        let sinceText = since?.description
        return try wait(what: "läsa åtkomstloggen", limit: .seconds(60)) { () throws -> [AuditRow] in
            var result: [AuditRow] = []
            var id: String?
            if let digits { id = try PostgresStore.lookUp(client, digits, screen: "db audit") }
            let request = try PostgresStore.request(client, purpose: "audit", screen: "db audit")
            let rows = try client.query("""
                SELECT at, who, client_id, action, detail FROM bevaka_audit(\(request), \(id), \(user), \(sinceText)::date, \(includeLists))
                """)
            for (at, who, id, action, detail) in try rows.decode((Date, String, String?, String, String?).self) {
                result.append(AuditRow(at: at, who: who, clientID: id, action: action, detail: detail))
            }
            return result
        }
    }

    /// The unit's staff: role, name and kind.
    public func staff() throws(StoreError) -> [(role: String, name: String, kind: String)] {
        let client = try connectedForAdmin()
        return try wait(what: "läsa enhetens handläggare") { () throws -> [(role: String, name: String, kind: String)] in
            var result: [(role: String, name: String, kind: String)] = []
            let rows = try client.query("SELECT role, name, CASE WHEN ended_at IS NULL THEN kind ELSE 'ended' END FROM bevaka_staff ORDER BY kind, name")
            for row in try rows.decode((String, String, String).self) { result.append(row) }
            return result
        }
    }

    /// Who the user is, read now (for the commands).
    public func whoAmI() throws(StoreError) -> UnitContext {
        let client = try connectedForAdmin()
        return try readUnitContext(client)
    }
}

// MARK: Gallring and loggkontroll (migration 5)

extension PostgresStore {
    /// The database decides by the unit's own period and the row's own facts (migration 7); the
    /// program only names whom it asks for.
    public func removeForGood(_ ids: Set<String>, from caseload: Caseload) throws(StoreError) -> (Caseload, Int) {
        guard !ids.isEmpty else { return (caseload, 0) }
        let client = try connected()
        let list = ids.sorted()
        let removed = try wait(what: "gallra") { () throws -> [String] in
            var result: [String] = []
            for id in try client.query("SELECT bevaka_gallra(\(list))")
                .decode(String.self) { result.append(id) }
            return result
        }
        let gone = Set(removed)
        lock.lock()
        for id in gone {
            confirmed[id] = nil
            unit?.owners[id] = nil
        }
        lock.unlock()
        // A recovery file (changes kept for a server that did not answer) keeps none of them.
        if let url = recoveryFile, var kept = readRecovery(url) {
            kept.entries.removeAll { gone.contains($0.mine.id) }
            if kept.entries.isEmpty {
                unlink(url.path)
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                if let data = try? encoder.encode(kept) { try FileStore(url: url).writeAtomically(data) }
            }
        }
        var remaining = caseload
        remaining.clients.removeAll { gone.contains($0.id) }
        return (remaining, gone.count)
    }

    /// The database decides with the server's own clock (`bevaka_today()`).
    public var lastSavedAt: Date? { nil }

    public var copiesOutsideBevaka: String? {
        "Serverns egna säkerhetskopior (pg_dump, basbackuper, WAL-arkiv) ligger utanför Bevaka: de rensas enligt "
            + "IT:s rutin, och personerna finns kvar i dem tills dess (docs/postgresql.md, \"Backups\")."
    }

    /// One opening (or export) of a case in the period under review, as the database knows it.
    public struct ReviewRow: Sendable, Equatable {
        public var logID: Int64
        public var at: Date
        public var who: String
        public var clientID: String
        public var action: String
        public var detail: String?
        /// The reader's own case, or one they covered, at that moment.
        public var ownOrCovered: Bool
        public var protectedIdentity: Bool
    }

    /// The period's openings for the manager's loggkontroll (a read of the log, itself logged).
    public func reviewRows(from: Day, to: Day) throws(StoreError) -> [ReviewRow] {
        let client = try connectedForAdmin()
        let (fromText, toText) = (from.description, to.description)
        return try wait(what: "läsa åtkomstloggen", limit: .seconds(60)) { () throws -> [ReviewRow] in
            let request = try PostgresStore.request(client, purpose: "audit", screen: "db audit")
            var rows: [ReviewRow] = []
            let query = try client.query("""
                SELECT log_id, at, who, client_id, action, detail, own_or_covered, protected
                FROM bevaka_review(\(request), \(fromText)::date, \(toText)::date)
                """)
            for (id, at, who, clientID, action, detail, own, protected) in try query
                .decode((Int64, Date, String, String, String, String?, Bool, Bool).self) {
                rows.append(ReviewRow(logID: id, at: at, who: who, clientID: clientID, action: action, detail: detail,
                                      ownOrCovered: own, protectedIdentity: protected))
            }
            return rows
        }
    }

    /// Keeps the manager's finding for a period, append-only. Returns the review's number.
    public func recordReview(from: Day, to: Day, reviewed: [Int64], standouts: Int, finding: String,
                             addition: Bool = false) throws(StoreError) -> Int64 {
        let client = try connectedForAdmin()
        let (fromText, toText) = (from.description, to.description)
        return try wait(what: "spara loggkontrollen") { () throws -> Int64 in
            var made: Int64 = 0
            for id in try client.query("""
                SELECT bevaka_record_review(\(fromText)::date, \(toText)::date, \(reviewed), \(standouts)::integer, \(finding),
                                            \(addition))
                """).decode(Int64.self) { made = id }
            return made
        }
    }

    public struct Review: Sendable, Equatable {
        public var at: Date
        public var reviewer: String
        public var from: Day
        public var to: Day
        public var reviewed: Int
        public var standouts: Int
        public var finding: String
        /// An addition to an earlier review of the same period.
        public var addition: Bool
    }

    /// Every review recorded, oldest first.
    public func reviews() throws(StoreError) -> [Review] {
        let client = try connectedForAdmin()
        return try wait(what: "läsa loggkontrollerna") { () throws -> [Review] in
            var result: [Review] = []
            for (at, reviewer, from, to, reviewed, standouts, finding, addition) in try client.query("""
                SELECT at, reviewer, period_from::text, period_to::text, reviewed, standouts, finding, addition
                FROM bevaka_log_reviews_read()
                """).decode((Date, String, String, String, Int, Int, String, Bool).self) {
                guard let from = Day(iso: from), let to = Day(iso: to) else { continue }
                result.append(Review(at: at, reviewer: reviewer, from: from, to: to, reviewed: reviewed,
                                     standouts: standouts, finding: finding, addition: addition))
            }
            return result
        }
    }

    /// The access log's hash chain walked by the database: whole, or where it first breaks.
    public struct ChainCheck: Sendable, Equatable {
        public var whole: Bool
        public var rowsChecked: Int64
        public var brokenAt: Int64?
        public var reason: String?
    }

    public func verifyLog() throws(StoreError) -> ChainCheck {
        let client = try connectedForAdmin()
        return try wait(what: "kontrollera åtkomstloggen", limit: .seconds(600)) { () throws -> ChainCheck in
            var check = ChainCheck(whole: false, rowsChecked: 0, brokenAt: nil, reason: "inget svar")
            for (whole, rows, broken, reason) in try client.query("SELECT whole, rows_checked, broken_at, reason FROM bevaka_verify_log()")
                .decode((Bool, Int64, Int64?, String?).self) {
                check = ChainCheck(whole: whole, rowsChecked: rows, brokenAt: broken, reason: reason)
            }
            return check
        }
    }

    /// The name and birth date of cases, for the manager's review of the log: read through the
    /// planning data (a logged read; no personnummer). Cases removed since are not in it.
    public func namesForReview() throws(StoreError) -> [String: (name: String, born: String, protected: Bool)] {
        let client = try connectedForAdmin()
        let rows = try wait(what: "läsa namnen", limit: .seconds(60)) { () throws -> [(String, String)] in
            let request = try PostgresStore.request(client, purpose: "planning", screen: "db audit")
            var result: [(String, String)] = []
            for row in try client.query("SELECT id, plan FROM bevaka_unit(\(request))")
                .decode((String, String).self) { result.append(row) }
            return result
        }
        var names: [String: (name: String, born: String, protected: Bool)] = [:]
        for (id, text) in rows {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            let protected = object["protected"] as? Bool ?? false
            let pnr = object["pnr"] as? String ?? ""
            names[id] = (TerminalText.sanitize(object["name"] as? String ?? ""),
                         protected ? "Skyddad" : String(pnr.prefix(8)), protected)
        }
        return names
    }
}
