import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// A unit of three handläggare (a, b, c) and a manager (m) on a database of its own, all checks
/// made by the real server: through psql as each role, and through the real binary.
struct UnitFixture {
    let server = PrivateServer.shared
    let database: String
    let admin: String
    let a: String, b: String, c: String, m: String
    /// The demo's first three people are a's, the next three b's.
    let people: [Client]

    init(origin: DatabaseOrigin = .fresh) throws {
        admin = try origin.database(server)
        guard let start = admin.range(of: "@/"), let end = admin.range(of: "?") else { throw PrivateServer.ServerFailure(message: admin) }
        database = String(admin[start.upperBound..<end.lowerBound])
        let suffix = String(database.suffix(8))
        (a, b, c, m) = ("a_\(suffix)", "b_\(suffix)", "c_\(suffix)", "m_\(suffix)")
        let store = PostgresStore(try PostgresLocation(admin, environment: [:]))
        _ = try store.addUser(a, kind: .handlaggare, name: "Anna Lind")
        _ = try store.addUser(b, kind: .handlaggare, name: "Bo Karlsson")
        _ = try store.addUser(c, kind: .handlaggare, name: "Cleo Svensson")
        _ = try store.addUser(m, kind: .chef, name: "Maja Chef")
        var demo = Array(DemoCaseload.make(today: today).clients.prefix(6))
        // Free text about verkställighet, which the manager's planning data must not carry.
        demo[4].decisions[0].delayReason = "Hemlig orsak om dröjsmålet"
        demo[4].decisions[0].consequences = "Hemliga konsekvenser"
        demo[4].decisions[0].notCarriedOut = "Hemlig del"
        demo[4].decisions[0].offers = [Offer(on: today.adding(days: -20), what: "Hemligt erbjudande", accepted: false)]
        demo[4].decisions[0].interruptions = [Interruption(from: today.adding(days: -30), reason: "Hemligt avbrott")]
        people = demo
        _ = try store.importCaseload(Caseload(clients: Array(people.prefix(3))), owner: a)
        _ = try store.importCaseload(Caseload(clients: Array(people.suffix(3))), owner: b)
        try setClock("2026-12-01")
    }

    var aPeople: [Client] { Array(people.prefix(3)) }
    var bPeople: [Client] { Array(people.suffix(3)) }

    func url(_ role: String) -> String { server.url(database, user: role) }

    /// The date the policies see (the owner's clock table; no handläggare can write it).
    func setClock(_ day: String) throws {
        try server.psql("INSERT INTO bevaka_clock VALUES (true, '\(day)') ON CONFLICT (only_row) DO UPDATE SET today = EXCLUDED.today",
                        database: database)
    }

    /// psql as `role`; status and everything it printed.
    func psql(_ sql: String, as role: String) -> (status: Int32, output: String) {
        let run = PrivateServer.shell(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", server.folder, "-U", role,
                                       "-d", database, "-c", sql])
        return (run.status, run.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Searches every column of every table and view `role` may read (the catalogs too) for any
    /// of `needles`; returns the rows found and how many relations were searched.
    func search(as role: String, for needles: [String]) throws -> (hits: Int, relations: Int) {
        // Written reversed: the search's own text is visible to the role (pg_stat_activity) and
        // must not be what it finds.
        let list = needles.map { "'" + String($0.reversed()).replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ",")
        let sql = """
            DO $$
            DECLARE r record; cols text; hits bigint := 0; n bigint; checked int := 0;
                    needles text[] := ARRAY(SELECT reverse(x) FROM unnest(ARRAY[\(list)]::text[]) x);
            BEGIN
                FOR r IN SELECT c.oid, format('%I.%I', ns.nspname, c.relname) AS rel
                         FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
                         WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND ns.nspname NOT LIKE 'pg_toast%' LOOP
                    SELECT string_agg(format('coalesce(%I::text, '''')', a.attname), ' || ''|'' || ') INTO cols
                    FROM pg_attribute a
                    WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
                      AND has_column_privilege(r.oid, a.attnum, 'SELECT');
                    CONTINUE WHEN cols IS NULL;
                    BEGIN
                        EXECUTE format('SELECT count(*) FROM %s t WHERE EXISTS (SELECT 1 FROM unnest($1) x WHERE strpos(%s, x) > 0)',
                                       r.rel, cols) INTO n USING needles;
                        hits := hits + n;
                        checked := checked + 1;
                        IF n > 0 THEN RAISE NOTICE 'found in %', r.rel; END IF;
                    EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR object_not_in_prerequisite_state THEN NULL;
                    END;
                END LOOP;
                RAISE NOTICE 'hits=% relations=%', hits, checked;
            END $$
            """
        let run = psql(sql, as: role)
        guard run.status == 0, let line = run.output.split(separator: "\n").last(where: { $0.contains("hits=") }),
              let hits = Int(line.split(separator: "hits=").last?.split(separator: " ").first ?? ""),
              let relations = Int(line.split(separator: "relations=").last ?? "") else {
            throw PrivateServer.ServerFailure(message: "search failed: \(run.output)")
        }
        return (hits, relations)
    }

    /// What identifies `clients`: personnummer (12 and 10 digits) and names.
    static func needles(_ clients: [Client]) -> [String] {
        clients.flatMap { [$0.personnummer.digits, String($0.personnummer.digits.dropFirst(2)), $0.name] }
    }

    /// A psql script as `role`, each statement in its own transaction unless the script says
    /// otherwise (as a person at the psql prompt); `\\gset` and other meta-commands work.
    func script(_ sql: String, as role: String, stopOnError: Bool = true) -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-attack-\(UUID().uuidString).sql")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(sql.utf8))
        defer { try? FileManager.default.removeItem(at: file) }
        let run = PrivateServer.shell(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=\(stopOnError ? 1 : 0)", "-At", "-h", server.folder,
                                       "-U", role, "-d", database, "-f", file.path])
        return (run.status, run.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Reads as `role` the way the app does: a request committed first, then the read.
    func read(_ columns: String = "id", purpose: String = "listed", ids: [String]? = nil, as role: String) -> (status: Int32, output: String) {
        let list = ids.map { "ARRAY[" + $0.map { "'\($0)'" }.joined(separator: ",") + "]::text[]" } ?? "NULL"
        return script("""
            SELECT bevaka_request('\(purpose)', 'ärendelistan', \(list)) AS req \\gset
            SELECT \(columns) FROM (SELECT * FROM bevaka_read(:req) ORDER BY id) t;
            """, as: role)
    }

    func ids(as role: String) -> [String] {
        read(as: role).output.split(separator: "\n").map(String.init)
    }

    func store(as role: String) throws -> (PostgresStore, Caseload) { try openStore(url(role)) }

    func log(who: String) throws -> [String] {
        try server.psql("SELECT action || ' ' || coalesce(client_id, '-') FROM bevaka_access_log WHERE who = '\(who)' ORDER BY id",
                        database: database).split(separator: "\n").map(String.init)
    }
}

@Suite struct UnitAccessTests {
    @Test func aHandlaggareReachesNothingOfAColleaguesClients() throws {
        let unit = try UnitFixture()
        // Every relation a may read, catalogs included: none holds b's people.
        let asA = try unit.search(as: unit.a, for: UnitFixture.needles(unit.bPeople))
        #expect(asA.hits == 0)
        #expect(asA.relations > 50)
        // The same search finds them as the owner (it can fail); b reads them only through the function.
        #expect(try unit.search(as: "postgres", for: UnitFixture.needles(unit.bPeople)).hits > 0)
        #expect(try unit.search(as: unit.b, for: UnitFixture.needles(unit.bPeople)).hits == 0)
        let own = unit.read("doc", as: unit.b).output
        #expect(unit.bPeople.allSatisfy { own.contains($0.name) && own.contains($0.personnummer.digits) })
        #expect(unit.ids(as: unit.a) == unit.aPeople.map(\.id).sorted())
        #expect(unit.ids(as: unit.b) == unit.bPeople.map(\.id).sorted())
        #expect(unit.ids(as: unit.c).isEmpty)

        // The record and the personnummer are not readable directly, not even one's own.
        let direct = unit.psql("SELECT doc FROM bevaka_clients", as: unit.a)
        #expect(direct.status != 0 && direct.output.contains("permission denied"))
        #expect(unit.psql("SELECT pnr FROM bevaka_clients", as: unit.a).status != 0)
        #expect(unit.psql("SELECT count(*) FROM bevaka_clients", as: unit.a).output == "3")

        // Asking for b's people by id through every function a may call returns nothing.
        let bIDs = "ARRAY[" + unit.bPeople.map { "'\($0.id)'" }.joined(separator: ",") + "]"
        #expect(unit.read("count(*)", purpose: "opened", ids: unit.bPeople.map(\.id), as: unit.a).output == "0")
        #expect(unit.read("count(*)", purpose: "exported", ids: unit.bPeople.map(\.id), as: unit.a).output == "0")
        _ = bIDs
        #expect(unit.psql("SELECT count(*) FROM bevaka_lock('\(unit.bPeople[0].id)')", as: unit.a).status != 0)
        for refused in ["SELECT * FROM bevaka_unit(1)", "SELECT * FROM bevaka_audit(1, NULL, NULL, NULL, true)",
                        "SELECT bevaka_request('planning', 'enhetens planering')", "SELECT bevaka_request('audit', 'db audit')",
                        "SELECT * FROM bevaka_reassign('\(unit.bPeople[0].personnummer.digits)', '\(unit.a)')",
                        "SELECT * FROM bevaka_access_log", "SELECT bevaka_plan_doc('{}')"] {
            let run = unit.psql(refused, as: unit.a)
            #expect(run.status != 0, "\(refused) was allowed")
        }
    }

    @Test func aChangeOfAColleaguesClientIsRefusedByTheDatabase() throws {
        let unit = try UnitFixture()
        let target = unit.bPeople[0]
        let before = try unit.server.psql("SELECT version FROM bevaka_clients WHERE id = '\(target.id)'", database: unit.database)
        var changed = target
        changed.notes = "ändrad av a"
        let doc = String(decoding: try JSONEncoder().encode(changed), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        let update = unit.psql("UPDATE bevaka_clients SET doc = '\(doc)'::jsonb WHERE id = '\(target.id)'", as: unit.a)
        #expect(update.status == 0 && update.output.isEmpty)  // no row reached: UPDATE 0
        let steal = unit.psql("UPDATE bevaka_clients SET owner = '\(unit.a)' WHERE id = '\(target.id)'", as: unit.a)
        #expect(steal.status != 0)
        let insert = unit.psql("INSERT INTO bevaka_clients (id, pnr, doc, owner) VALUES ('x1', '1', '{}', '\(unit.b)')", as: unit.a)
        #expect(insert.status != 0)
        let clock = unit.psql("UPDATE bevaka_clock SET today = '2099-01-01'", as: unit.a)
        #expect(clock.status != 0)
        // Through the store too: the save does not reach b's person and says the case is not a's.
        let (store, loaded) = try unit.store(as: unit.a)
        #expect(loaded.clients.map(\.id) == unit.aPeople.map(\.id))
        var caseload = loaded
        caseload.clients.append(changed)
        let result = try store.saveChanges(caseload)
        #expect(result.count == 1 && result.first?.gone == true && result.first?.client.id == target.id)
        #expect(try unit.server.psql("SELECT version FROM bevaka_clients WHERE id = '\(target.id)'", database: unit.database) == before)
        #expect(try unit.server.psql("SELECT doc->>'notes' FROM bevaka_clients WHERE id = '\(target.id)'", database: unit.database)
                != "ändrad av a")
    }

    @Test func aPersonAHandlaggareAddsIsTheirs() throws {
        let unit = try UnitFixture()
        let (store, loaded) = try unit.store(as: unit.c)
        #expect(loaded.clients.isEmpty)
        var caseload = loaded
        var person = DemoCaseload.make(today: today).clients[10]
        person.id = "c\(caseload.nextSerial)"
        caseload.clients.append(person)
        #expect(try store.saveChanges(caseload).isEmpty)
        #expect(try unit.server.psql("SELECT owner FROM bevaka_clients WHERE id = '\(person.id)'", database: unit.database) == unit.c)
        #expect(unit.ids(as: unit.c) == [person.id])
        #expect(!unit.ids(as: unit.a).contains(person.id))
        #expect(try unit.log(who: unit.c).contains("added \(person.id)"))
        // Someone a colleague already has cannot be added again: the save says the person is not the user's.
        var duplicate = unit.aPeople[0]
        duplicate.id = "c\(caseload.nextSerial + 1)"
        caseload.clients.append(duplicate)
        let refused = try store.saveChanges(caseload).first
        #expect(refused?.gone == true && refused?.alreadyInUnit == true)
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_clients WHERE pnr = '\(duplicate.personnummer.digits)'",
                                     database: unit.database) == "1")
    }

    @Test func aCoverGivesAccessAndEndsWhenTheDatePasses() throws {
        let unit = try UnitFixture()
        // c may not arrange a cover for b; b may.
        #expect(unit.psql("SELECT bevaka_cover('\(unit.b)', '\(unit.c)', '2026-12-24')", as: unit.c).status != 0)
        #expect(unit.psql("SELECT bevaka_cover('\(unit.b)', '\(unit.a)', '2026-11-30')", as: unit.b).status != 0)  // already passed
        #expect(unit.psql("SELECT bevaka_cover('\(unit.b)', '\(unit.a)', '2026-12-24')", as: unit.b).status == 0)
        #expect(unit.ids(as: unit.a) == unit.people.map(\.id).sorted())
        #expect(unit.ids(as: unit.c).isEmpty)

        // a works one of b's people; the person stays b's.
        let (store, loaded) = try unit.store(as: unit.a)
        #expect(store.unitContext()?.coveringFor == [UnitContext.Cover(covered: unit.b, covering: unit.a, until: Day(year: 2026, month: 12, day: 24)!)])
        #expect(store.unitContext()?.owners[unit.bPeople[0].id] == unit.b)
        var caseload = loaded
        guard let index = caseload.clients.firstIndex(where: { $0.id == unit.bPeople[0].id }) else {
            Issue.record("b's person not loaded while covering")
            return
        }
        caseload.clients[index].notes = "täckt av a"
        #expect(try store.saveChanges(caseload).isEmpty)
        #expect(try unit.server.psql("SELECT owner || ' ' || updated_by || ' ' || (doc->>'notes') FROM bevaka_clients WHERE id = '\(unit.bPeople[0].id)'",
                                     database: unit.database) == "\(unit.b) \(unit.a) täckt av a")

        // The last day still counts; the day after, nothing of b's is reachable.
        try unit.setClock("2026-12-24")
        #expect(unit.ids(as: unit.a).count == 6)
        try unit.setClock("2026-12-25")
        #expect(unit.ids(as: unit.a) == unit.aPeople.map(\.id).sorted())
        #expect(try unit.search(as: unit.a, for: UnitFixture.needles(unit.bPeople)).hits == 0)
        caseload.clients[index].notes = "efter vikariatet"
        let late = try store.saveChanges(caseload)
        #expect(late.first?.gone == true)
        #expect(try unit.server.psql("SELECT doc->>'notes' FROM bevaka_clients WHERE id = '\(unit.bPeople[0].id)'", database: unit.database)
                == "täckt av a")

        // Ended early by the manager.
        try unit.setClock("2026-12-01")
        #expect(unit.psql("SELECT bevaka_cover('\(unit.b)', '\(unit.a)', '2026-12-24')", as: unit.m).status == 0)
        #expect(unit.ids(as: unit.a).count == 6)
        #expect(unit.psql("SELECT bevaka_cover_end('\(unit.b)')", as: unit.m).output == "2")
        #expect(unit.ids(as: unit.a).count == 3)
    }

    @Test func reassignmentMovesAccessAndHistory() throws {
        let unit = try UnitFixture()
        let person = unit.bPeople[1]
        let run = runProduct("bevaka", ["db", "reassign", person.personnummer.formatted, "--to", unit.c, "--store", unit.url(unit.m),
                                        "--today", "2026-12-01"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("Bo K.") && run.output.contains("Cleo S.") && !run.output.contains(person.personnummer.digits))
        #expect(!unit.ids(as: unit.b).contains(person.id))
        #expect(unit.ids(as: unit.c) == [person.id])
        let (_, loaded) = try unit.store(as: unit.c)
        #expect(loaded.clients.first?.handovers == [Handover(from: unit.b, to: unit.c, on: Day(year: 2026, month: 12, day: 1)!, by: unit.m)])
        // History and decisions moved with it.
        #expect(loaded.clients.first?.decisions == person.decisions)
        #expect(loaded.clients.first?.followUps == person.followUps)
        #expect(try unit.log(who: unit.m).contains("reassigned \(person.id)"))
        // Only the manager may.
        let byB = runProduct("bevaka", ["db", "reassign", person.personnummer.formatted, "--to", unit.b, "--store", unit.url(unit.b)])
        #expect(byB.status != 0 && byB.output.contains("behörighet"))
    }

    @Test func everyOpenChangeAndExportIsLoggedAndTheLogCannotBeChanged() throws {
        let unit = try UnitFixture()
        let (store, loaded) = try unit.store(as: unit.a)
        let person = unit.aPeople[0]
        #expect(try store.recordOpen(person.id, what: "ärende") == nil)
        var caseload = loaded
        caseload.clients[0].notes = "ny anteckning"
        _ = try store.saveChanges(caseload)
        let export = runProduct("bevaka", ["export", "json", "--store", unit.url(unit.a)])
        #expect(export.status == 0 && export.output.contains(person.personnummer.digits))
        let log = try unit.log(who: unit.a)
        #expect(log == ["listed -", "opened \(person.id)", "changed \(person.id)"] + unit.aPeople.map { "exported \($0.id)" })
        // The manager's audit lists them, the caseload reads only with --all.
        let audit = runProduct("bevaka", ["db", "audit", "--user", unit.a, "--format", "csv", "--store", unit.url(unit.m)])
        #expect(audit.status == 0)
        #expect(audit.output.split(separator: "\n").count == 1 + 2 + 3)
        #expect(!audit.output.contains(person.personnummer.digits))
        let byClient = runProduct("bevaka", ["db", "audit", "--client", person.personnummer.formatted, "--store", unit.url(unit.m)])
        #expect(byClient.output.contains("öppnade") && byClient.output.contains("ändrade") && !byClient.output.contains(unit.aPeople[1].id + " "))

        // Nobody changes or empties the log: not a, not the manager, not the owner.
        for role in [unit.a, unit.m, "postgres"] {
            #expect(unit.psql("UPDATE bevaka_access_log SET who = 'x'", as: role).status != 0, "\(role) updated the log")
            #expect(unit.psql("DELETE FROM bevaka_access_log", as: role).status != 0, "\(role) deleted from the log")
            #expect(unit.psql("TRUNCATE bevaka_access_log", as: role).status != 0, "\(role) emptied the log")
            #expect(unit.psql("INSERT INTO bevaka_access_log (action) VALUES ('opened')", as: role == "postgres" ? unit.a : role).status != 0)
        }
        #expect(try unit.log(who: unit.a).count == log.count)
    }

    /// Migration 21: a planning request keeps the highest `ordinal` it counted, not a list of
    /// every id, and the read reads the unit up to it: the people counted in the log, less anyone
    /// removed since, and nobody added after it.
    @Test func thePlanningReadReadsThePeopleItsRequestCounted() throws {
        let unit = try UnitFixture()
        let request = try #require(Int(unit.psql("SELECT bevaka_request('planning', 'enhetens planering')", as: unit.m).output))
        #expect(try unit.server.psql("SELECT cardinality(ids) || ' ' || (through = (SELECT max(ordinal) FROM bevaka_clients)) FROM bevaka_requests WHERE id = \(request)",
                                     database: unit.database) == "0 true")
        #expect(try unit.server.psql("SELECT detail FROM bevaka_access_log WHERE who = '\(unit.m)' ORDER BY id DESC LIMIT 1",
                                     database: unit.database) == "enhetens planering: \(unit.people.count) ärenden")
        // After the request: a handläggare adds a person, and the owner removes one.
        let (store, loaded) = try unit.store(as: unit.a)
        var caseload = loaded
        var added = DemoCaseload.make(today: today).clients[10]
        added.id = caseload.makeID("c")
        caseload.clients.append(added)
        _ = try store.saveChanges(caseload)
        let removed = unit.bPeople[0].id
        _ = try unit.server.psql("DELETE FROM bevaka_clients WHERE id = '\(removed)'", database: unit.database)
        func read(_ request: Int) -> [String] {
            unit.psql("SELECT id FROM bevaka_unit(\(request))", as: unit.m).output.split(separator: "\n").map(String.init)
        }
        let ordered = try unit.server.psql("SELECT string_agg(id, ',' ORDER BY ordinal) FROM bevaka_clients", database: unit.database)
        let expected = unit.people.map(\.id).filter { $0 != removed }
        #expect(read(request).sorted() == expected.sorted())
        #expect(read(request).joined(separator: ",") == ordered.split(separator: ",").map(String.init).filter { $0 != added.id }.joined(separator: ","))
        // A new request counts the unit as it is now, and reads it in the caseload's order.
        let again = try #require(Int(unit.psql("SELECT bevaka_request('planning', 'enhetens planering')", as: unit.m).output))
        #expect(read(again).joined(separator: ",") == ordered)
        #expect(try unit.server.psql("SELECT detail FROM bevaka_access_log WHERE who = '\(unit.m)' ORDER BY id DESC LIMIT 1",
                                     database: unit.database) == "enhetens planering: \(unit.people.count) ärenden")
        // The bound is the database's: nobody but the owner writes a request, and a request with
        // no bound (one made before migration 21) reads nobody.
        for role in [unit.m, unit.a] {
            let moved = unit.psql("UPDATE bevaka_requests SET through = 9223372036854775807 WHERE id = \(request)", as: role)
            #expect(moved.status != 0 && moved.output.contains("permission denied"), "\(role): \(moved.output)")
            let made = unit.psql("INSERT INTO bevaka_requests (purpose, screen, through) VALUES ('planning', 'enhetens planering', 1)", as: role)
            #expect(made.status != 0 && made.output.contains("permission denied"), "\(role): \(made.output)")
        }
        // A handläggare's request, even one for the whole caseload, reads no planning.
        let listed = try #require(Int(unit.psql("SELECT bevaka_request('listed', 'ärendelistan')", as: unit.a).output))
        #expect(unit.psql("SELECT count(*) FROM bevaka_unit(\(listed))", as: unit.a).status != 0)
        _ = try unit.server.psql("UPDATE bevaka_requests SET through = NULL WHERE id = \(again)", database: unit.database)
        #expect(read(again).isEmpty)
    }

    /// Migration 22: a planning request read in parts, each bounded by the caller's values and
    /// never past the request's own bound; the parts together are the whole, in its order, and
    /// reading them logs nothing more than the request did.
    @Test func thePlanningIsReadInPartsThatMakeTheWhole() throws {
        let unit = try UnitFixture()
        let request = try #require(Int(unit.psql("SELECT bevaka_request('planning', 'enhetens planering')", as: unit.m).output))
        let managersRows = "SELECT count(*) FROM bevaka_access_log WHERE who = '\(unit.m)'"
        let logged = try unit.server.psql(managersRows, database: unit.database)
        func ids(_ sql: String, as role: String? = nil) -> [String] {
            unit.psql(sql, as: role ?? unit.m).output.split(separator: "\n").map(String.init)
        }
        let whole = ids("SELECT id FROM bevaka_unit(\(request))")
        #expect(whole.count == unit.people.count)
        let span = try unit.server.psql("SELECT min(ordinal) || ' ' || max(ordinal) FROM bevaka_clients", database: unit.database)
        #expect(unit.psql("SELECT lowest || ' ' || through FROM bevaka_unit_range(\(request))", as: unit.m).output == span)
        let ends = span.split(separator: " ").compactMap { Int64($0) }
        let range = try #require(ends.count == 2 ? ends[0]...ends[1] : nil)
        for parts in 1...8 {
            let bounds = PostgresStore.planningBounds(range, parts: parts)
            let read = bounds.flatMap { ids("SELECT id FROM bevaka_unit_part(\(request), \($0.after), \($0.upto))") }
            #expect(read == whole, "\(parts) parts")
        }
        // A person added after the request is past its bound, whatever bound the caller gives.
        let (store, loaded) = try unit.store(as: unit.a)
        var caseload = loaded
        var added = DemoCaseload.make(today: today).clients[10]
        added.id = caseload.makeID("c")
        caseload.clients.append(added)
        _ = try store.saveChanges(caseload)
        #expect(ids("SELECT id FROM bevaka_unit_part(\(request), -9223372036854775808, 9223372036854775807)") == whole)
        #expect(ids("SELECT id FROM bevaka_unit_part(\(request), \(range.upperBound), 9223372036854775807)").isEmpty)
        #expect(unit.psql("SELECT lowest || ' ' || through FROM bevaka_unit_range(\(request))", as: unit.m).output == span)
        // No bound is no part.
        let open = unit.psql("SELECT count(*) FROM bevaka_unit_part(\(request), NULL, 10)", as: unit.m)
        #expect(open.status != 0 && open.output.contains("båda gränserna"), "\(open.output)")
        // Reading the parts logged nothing (the request's one row stands for them).
        #expect(try unit.server.psql(managersRows, database: unit.database) == logged)
        // Neither function is a handläggare's, not even with a request of their own; nobody
        // reads parts with another's request or a request for something else.
        let listed = try #require(Int(unit.psql("SELECT bevaka_request('listed', 'ärendelistan')", as: unit.a).output))
        for (role, id) in [(unit.a, listed), (unit.a, request), (unit.b, request)] {
            for sql in ["SELECT count(*) FROM bevaka_unit_part(\(id), 0, 9223372036854775807)", "SELECT count(*) FROM bevaka_unit_range(\(id))"] {
                let refused = unit.psql(sql, as: role)
                #expect(refused.status != 0 && refused.output.contains("permission denied"), "\(role): \(refused.output)")
            }
        }
        let audit = try #require(Int(unit.psql("SELECT bevaka_request('audit', 'db audit')", as: unit.m).output))
        for sql in ["SELECT count(*) FROM bevaka_unit_part(\(audit), 0, 9223372036854775807)", "SELECT count(*) FROM bevaka_unit_range(\(audit))"] {
            let refused = unit.psql(sql, as: unit.m)
            #expect(refused.status != 0 && refused.output.contains("ingen sådan läsbegäran"), "\(refused.output)")
        }
    }

    /// The manager's app reads the planning in parts over two connections: the same people in the
    /// same order as one read, also when the second connection cannot be made or reads nothing.
    @Test func theManagersAppReadsThePlanningInPartsAsAWhole() throws {
        let unit = try UnitFixture()
        let (_, whole) = try unit.store(as: unit.m)
        #expect(whole.clients.map(\.id) == unit.people.map(\.id))
        let someoneElse = try PostgresLocation(unit.url(unit.a), environment: [:]).conninfo
        let helpers: [(String, @Sendable (String) -> PGSession?)] = [
            ("två anslutningar", PostgresStore.connectHelper),
            ("ingen andra anslutning", { _ in nil }),
            // A second connection as someone else: the request is not theirs, so its parts are read again on the first.
            ("fel användare", { _ in PostgresStore.connectHelper(someoneElse) }),
        ]
        for (name, helper) in helpers {
            let store = PostgresStore(try PostgresLocation(unit.url(unit.m), environment: [:]))
            store.planningPartSize = 1
            store.openHelper = helper
            try store.prepareForWriting()
            let read = try #require(try store.load())
            #expect(read.clients == whole.clients, "\(name)")
            #expect(store.unitContext()?.owners == Dictionary(uniqueKeysWithValues: unit.people.enumerated().map { ($1.id, $0 < 3 ? unit.a : unit.b) }), "\(name)")
            store.shutDown()
        }
        // One request logged per read, however many parts.
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = '\(unit.m)' AND detail LIKE 'enhetens planering%'",
                                     database: unit.database) == "4")
    }

    @Test func planningBoundsCoverTheSpanOnce() {
        for range in [Int64(1)...1, 1...6, 5...100_000, -3...7, 40...41] {
            for parts in 1...9 {
                let bounds = PostgresStore.planningBounds(range, parts: parts)
                #expect(bounds.count == parts)
                #expect(bounds.first?.after == range.lowerBound - 1 && bounds.last?.upto == range.upperBound)
                #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0.upto == $1.after && $0.after <= $0.upto })
                let widths = bounds.map { $0.upto - $0.after }
                #expect((widths.max() ?? 0) - (widths.min() ?? 0) <= 1, "\(range) in \(parts): \(widths)")
            }
        }
        #expect(PostgresStore.planningParts(1...100_000) == 8)
        #expect(PostgresStore.planningParts(1...30_000) == 2)
        #expect(PostgresStore.planningParts(1...3_000) == 1)
        #expect(PostgresStore.planningParts(1...6, every: 1) == 6)
    }

    @Test func theManagersViewAndReportHoldNoPersonnummer() throws {
        let unit = try UnitFixture()
        let numbers = unit.people.flatMap { [$0.personnummer.digits, String($0.personnummer.digits.dropFirst(2))] }
        let view = unit.script("""
            SELECT bevaka_request('planning', 'enhetens planering') AS req \\gset
            SELECT id, owner, plan FROM bevaka_unit(:req);
            """, as: unit.m)
        #expect(view.status == 0 && view.output.split(separator: "\n").count == 6)
        #expect(numbers.allSatisfy { !view.output.contains($0) })
        #expect(unit.people.allSatisfy { view.output.contains($0.name) })
        #expect(try unit.search(as: unit.m, for: numbers).hits == 0)
        for format in ["text", "csv", "json"] {
            let report = runProduct("bevaka", ["rapport", "--format", format, "--today", "2026-12-01", "--store", unit.url(unit.m)])
            #expect(report.status == 0, "\(report.output)")
            #expect(report.output.contains("Anna Lind") && report.output.contains("Bo Karlsson"))
            #expect(numbers.allSatisfy { !report.output.contains($0) })
            #expect(unit.people.allSatisfy { !report.output.contains($0.name) })
        }
        // The IVO report from the manager is the unit's (issue 33): it reads the reported cases
        // whole, each read logged, so it is no planning view (PrivacyTests checks it in full).
        let ivo = runProduct("bevaka", ["rapport", "ivo", "--kvartal", "2026-3", "--today", "2026-12-01", "--store", unit.url(unit.m)])
        #expect(ivo.status == 0 && ivo.output.contains("Enhetens rapport"), "\(ivo.output)")
        let reads = try unit.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = '\(unit.m)' AND detail = 'IVO-rapport'",
                                         database: unit.database)
        let reported = Set(ivo.output.split(separator: "\n").filter { $0.wholeMatch(of: /\ \ [0-9]{8}-[0-9]{4}\ \ .*/) != nil }.map { $0.prefix(15) })
        #expect(Int(reads) == reported.count && !reported.isEmpty, "\(reads) \(reported)")
        let own = runProduct("bevaka", ["rapport", "ivo", "--kvartal", "2026-3", "--today", "2026-12-01", "--store", unit.url(unit.a)])
        #expect(own.status == 0 && own.output.contains("Rapport till IVO"), "\(own.output)")
        // The manager opens a full case only through the logging function.
        let (store, planning) = try unit.store(as: unit.m)
        #expect(store.planningOnly && planning.clients.count == 6)
        #expect(planning.clients.allSatisfy { $0.notes == nil && $0.draft == nil && $0.personnummer.digits.wholeMatch(of: /[0-9]{8}00[01]0/) != nil })
        #expect(!view.output.contains("Hemlig"))
        let planned = try #require(planning.clients.first { $0.id == unit.people[4].id }?.decisions.first)
        #expect(planned.delayReason == nil && planned.consequences == nil && planned.notCarriedOut == "delvis verkställt")
        #expect(planned.offers.map(\.on) == unit.people[4].decisions[0].offers.map(\.on) && planned.offers.allSatisfy { $0.what.isEmpty })
        #expect(planned.interruptions.map(\.from) == unit.people[4].decisions[0].interruptions.map(\.from)
                && planned.interruptions.allSatisfy { $0.reason == nil })
        let full = try store.recordOpen(unit.bPeople[0].id, what: "ärende")
        #expect(full == unit.bPeople[0])
        #expect(try unit.log(who: unit.m).contains("opened \(unit.bPeople[0].id)"))
    }
}
