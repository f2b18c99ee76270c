import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// Issue 21: what a curious colleague tries from psql, as each role, against the real private
/// server. Each test fails if the attack gets through. Each runs on a new database and on one
/// upgraded step by step from migration 1 with data in it (`DatabaseOrigin`).
@Suite struct UnitAttackTests {
    /// How many rows `who` has in the access log (read as the owner).
    static func logCount(_ unit: UnitFixture, who: String) throws -> Int {
        Int(try unit.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = '\(who)'", database: unit.database)) ?? -1
    }

    static func idList(_ ids: [String]) -> String {
        "ARRAY[" + ids.map { "'\($0)'" }.joined(separator: ",") + "]::text[]"
    }

    // MARK: 1. Temporary tables in front of the unit's own

    /// Every function of the schema pins its search path, with pg_temp last.
    @Test(arguments: DatabaseOrigin.allCases) func everyFunctionPinsItsSearchPath(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let unpinned = try unit.server.psql("""
            SELECT p.oid::regprocedure FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'bevaka\\_%'
              AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, public, pg_temp'], false)
            """, database: unit.database)
        #expect(unpinned.isEmpty, "functions without a pinned search path: \(unpinned)")
        let count = try unit.server.psql("SELECT count(*) FROM pg_proc WHERE proname LIKE 'bevaka\\_%'", database: unit.database)
        #expect((Int(count) ?? 0) >= 20)
    }

    /// A temporary table for every table of the schema, each filled with what would open every
    /// door if the functions read it: a cover of every colleague until 9999, the caller as chef,
    /// a clock in the past, a committed request for every id. Nothing changes.
    @Test(arguments: DatabaseOrigin.allCases) func temporaryTablesShadowNothing(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        // PUBLIC lost TEMPORARY with migration 4; give it back to the attackers so the pinning
        // itself is what is tested.
        for role in [unit.a, unit.m] {
            try unit.server.psql("GRANT TEMPORARY ON DATABASE \(unit.database) TO \(role)", database: unit.database)
        }
        // A cover of b by a that ended yesterday, and one by c that runs: the fake clock must
        // not bring the first back.
        try unit.server.psql("""
            INSERT INTO bevaka_covers (covered, covering, until) VALUES ('\(unit.b)', '\(unit.a)', '2026-12-01')
            """, database: unit.database)
        try unit.setClock("2026-12-02")
        let tables = try unit.server.psql("""
            SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'bevaka\\_%'
            """, database: unit.database).split(separator: ",").map(String.init)
        #expect(Set(tables) == ["bevaka_access_log", "bevaka_clients", "bevaka_clock", "bevaka_covers", "bevaka_migrations",
                                "bevaka_requests", "bevaka_staff", "bevaka_settings", "bevaka_log_reviews", "bevaka_vocabulary",
                                "bevaka_log_head"])
        let everyone = [unit.a, unit.b, unit.c, unit.m]
        let allIDs = Self.idList(unit.people.map(\.id))
        for attacker in [unit.a, unit.m] {
            let rows = everyone.filter { $0 != attacker }
            let shadow = """
                CREATE TEMP TABLE bevaka_covers (id bigint, covered text, covering text, until date, granted_by text,
                                                 granted_at timestamptz, ended_at timestamptz, ended_by text);
                INSERT INTO bevaka_covers SELECT 1, x, '\(attacker)', '9999-12-31', 'x', now(), NULL, NULL
                    FROM unnest(\(Self.idList(rows))) x;
                CREATE TEMP TABLE bevaka_clock (only_row boolean, today date);
                INSERT INTO bevaka_clock VALUES (true, '2026-11-01');
                CREATE TEMP TABLE bevaka_staff (role text, name text, kind text, added_at timestamptz);
                INSERT INTO bevaka_staff VALUES ('\(attacker)', 'x', 'chef', now()), ('\(attacker)', 'x', 'handlaggare', now());
                CREATE TEMP TABLE bevaka_requests (id bigint, who text, xid xid8, at timestamptz, purpose text, screen text,
                                                   ids text[], pnrs bytea[], through bigint);
                INSERT INTO bevaka_requests VALUES (424242, '\(attacker)', '1', now(), 'opened', 'ärende', \(allIDs), '{}', NULL),
                                                   (424243, '\(attacker)', '1', now(), 'planning', 'ärende', \(allIDs), '{}',
                                                    9223372036854775807),
                                                   (424244, '\(attacker)', '1', now(), 'save', 'ärende', \(allIDs), '{}', NULL);
                CREATE TEMP TABLE bevaka_clients (id text, pnr text, doc jsonb, version bigint, ordinal bigint, owner text,
                                                  archived boolean, updated_at timestamptz, updated_by text);
                INSERT INTO bevaka_clients SELECT x, x, '{}', 1, 1, '\(attacker)', false, now(), 'x' FROM unnest(\(allIDs)) x;
                CREATE TEMP TABLE bevaka_access_log (id bigint, at timestamptz, who text, client_id text, action text, detail text);
                CREATE TEMP TABLE bevaka_migrations (version integer, name text, applied_at timestamptz, applied_by text);
                CREATE TEMP TABLE bevaka_settings (only_row boolean, log_keep_years integer, review_interval_months integer,
                                                   gallring_months integer);
                INSERT INTO bevaka_settings VALUES (true, 0, 1, 1);
                CREATE TEMP TABLE bevaka_log_head (only_row boolean, seq bigint, hash bytea, prev_hash bytea, base_seq bigint,
                                                   base_hash bytea);
                CREATE TEMP TABLE bevaka_log_reviews (id bigint, at timestamptz, reviewer text, period_from date, period_to date,
                                                      reviewed bigint[], standouts integer, finding text);
                CREATE TEMP TABLE bevaka_vocabulary (kind text, word text);
                INSERT INTO bevaka_vocabulary VALUES ('screen', 'Hemlig text i loggen');
                """
            // What the attacker reaches with the shadows in place, each line one probe.
            let probes = """
                \(shadow)
                \\echo own
                SELECT string_agg(id, ',' ORDER BY id) FROM public.bevaka_clients;
                \\echo chef
                SELECT bevaka_is('chef') OR bevaka_is_admin();
                \\echo owners
                SELECT array_to_string(bevaka_visible_owners(), ',');
                \\echo today
                SELECT bevaka_today();
                \\echo update
                WITH u AS (UPDATE public.bevaka_clients SET doc = '{}'::jsonb WHERE owner <> '\(attacker)' RETURNING 1) SELECT count(*) FROM u;
                """
            let run = unit.script(probes, as: attacker, stopOnError: false)
            let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            func after(_ label: String) -> String? {
                lines.firstIndex(of: label).flatMap { $0 + 1 < lines.count ? lines[$0 + 1] : nil }
            }
            let own = attacker == unit.a ? unit.aPeople.map(\.id).sorted().joined(separator: ",") : ""
            if attacker == unit.a {
                #expect(after("own") == own, "\(run.output)")
                #expect(after("owners") == attacker)
                #expect(after("chef") == "f")
                #expect(after("update") == "0", "\(run.output)")
            } else {
                // The manager reads no row directly at all.
                #expect(after("own")?.contains("permission denied") == true, "\(run.output)")
                #expect(after("update")?.contains("permission denied") == true, "\(run.output)")
                #expect(after("owners") == "")
                #expect(after("chef") == "t")  // m is the manager
            }
            #expect(after("today") == "2026-12-02", "\(run.output)")
            // A word of the attacker's own vocabulary is no screen the log takes.
            let word = unit.script(shadow + "\nSELECT bevaka_request('listed', 'Hemlig text i loggen');", as: attacker)
            #expect(word.status != 0 && !word.output.contains("Hemlig text i loggen\n"), "\(attacker): \(word.output)")
            // The fake requests do not open a read, a planning view, or a merge.
            for read in ["SELECT count(*) FROM bevaka_read(424242)", "SELECT count(*) FROM bevaka_unit(424243)",
                         "SELECT count(*) FROM bevaka_unit_part(424243, 0, 9223372036854775807)", "SELECT count(*) FROM bevaka_unit_range(424243)",
                         "SELECT set_config('bevaka.request', '424244', false); SELECT count(*) FROM bevaka_lock('\(unit.bPeople[0].id)')"] {
                let attempt = unit.script(shadow + "\n" + read + ";", as: attacker)
                #expect(attempt.status != 0, "\(attacker): \(read) gave \(attempt.output)")
            }
            // The whole read path with the shadows in place gives the attacker only their own.
            let listed = unit.script(shadow + """

                SELECT bevaka_request('listed', 'ärendelistan') AS req \\gset
                SELECT string_agg(id, ',' ORDER BY id) FROM bevaka_read(:req);
                """, as: attacker)
            if attacker == unit.a {
                #expect(listed.output.split(separator: "\n").last.map(String.init) == own, "\(listed.output)")
            } else {
                #expect(listed.status != 0)  // the manager reads no caseload
            }
        }
        // The expired cover stays expired, and no row of b's was touched.
        #expect(!unit.ids(as: unit.a).contains(unit.bPeople[0].id))
        #expect(try unit.server.psql("SELECT max(version) FROM bevaka_clients WHERE owner = '\(unit.b)'", database: unit.database) == "1")
    }

    // MARK: 2. A read rolled back keeps its log row

    @Test(arguments: DatabaseOrigin.allCases) func aReadRolledBackLeavesItsLogRowOrIsRefused(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let own = unit.aPeople[0].id
        let other = unit.bPeople[0].id
        // (role, purpose, screen, ids, the read that uses the request)
        let reads: [(String, String, String, String, String)] = [
            (unit.a, "opened", "ärende", Self.idList([own]), "SELECT doc FROM bevaka_read(:req)"),
            (unit.a, "listed", "ärendelistan", "NULL", "SELECT doc FROM bevaka_read(:req)"),
            (unit.a, "exported", "export", "NULL", "SELECT doc FROM bevaka_read(:req)"),
            (unit.m, "opened", "ärende", Self.idList([other]), "SELECT doc FROM bevaka_read(:req)"),
            (unit.m, "planning", "enhetens planering", "NULL", "SELECT plan FROM bevaka_unit(:req)"),
            (unit.m, "planning", "enhetens planering", "NULL", "SELECT plan FROM bevaka_unit_part(:req, 0, 9223372036854775807)"),
            (unit.m, "planning", "enhetens planering", "NULL", "SELECT through FROM bevaka_unit_range(:req)"),
            (unit.m, "audit", "db audit", "NULL", "SELECT count(*) FROM bevaka_audit(:req, NULL, NULL, NULL, true)"),
            (unit.a, "save", "sparande", Self.idList([own]),
             "SELECT set_config('bevaka.request', :'req', true); SELECT doc FROM bevaka_lock('\(own)')"),
        ]
        for (role, purpose, screen, ids, read) in reads {
            let request = "SELECT bevaka_request('\(purpose)', '\(screen)', \(ids)) AS req \\gset"
            let before = try Self.logCount(unit, who: role)
            // The request and the read in one transaction, rolled back: the read is refused.
            for wrapper in [("BEGIN;", "ROLLBACK;"), ("BEGIN; SAVEPOINT s;", "ROLLBACK TO s; ROLLBACK;")] {
                let together = unit.script("\(wrapper.0)\n\(request)\n\(read);\n\(wrapper.1)", as: role)
                #expect(together.status != 0 && together.output.contains("COMMIT"), "\(role) \(purpose): \(together.output)")
                #expect(!together.output.contains(unit.people[0].personnummer.digits))
            }
            // A request in a savepoint that is released is still uncommitted: refused too.
            let released = unit.script("BEGIN;\nSAVEPOINT s;\n\(request)\nRELEASE s;\n\(read);\nCOMMIT;", as: role)
            #expect(released.status != 0, "\(role) \(purpose): \(released.output)")
            #expect(try Self.logCount(unit, who: role) == before, "\(role) \(purpose): a log row outlived its rollback")
            // Committed first, then read and rolled back: the log row stays.
            let committed = unit.script("\(request)\nBEGIN;\n\(read);\nROLLBACK;", as: role)
            #expect(committed.status == 0, "\(role) \(purpose): \(committed.output)")
            #expect(try Self.logCount(unit, who: role) > before, "\(role) \(purpose) left no log row")
        }
        // Someone else's request is nobody's key.
        let mine = unit.script("SELECT bevaka_request('opened', 'ärende', \(Self.idList([own])))", as: unit.a).output
        #expect(unit.psql("SELECT count(*) FROM bevaka_read(\(mine))", as: unit.b).status != 0)
        // An old request is refused (the owner ages it).
        try unit.server.psql("UPDATE bevaka_requests SET at = at - interval '6 minutes' WHERE id = \(mine)", database: unit.database)
        let old = unit.psql("SELECT count(*) FROM bevaka_read(\(mine))", as: unit.a)
        #expect(old.status != 0 && old.output.contains("för gammal"))
    }

    // MARK: 3. Another unit's database in the same cluster

    @Test(arguments: DatabaseOrigin.allCases) func aManagerOfOneUnitHasNoRightsInAnother(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let other = try UnitFixture(origin: origin)
        // Without a grant, unit 1's manager and handläggare cannot even connect to unit 2's database.
        for role in [unit.m, unit.a] {
            let run = PrivateServer.shell(["psql", "-X", "-At", "-h", unit.server.folder, "-U", role, "-d", other.database,
                                           "-c", "SELECT 1"])
            #expect(run.status != 0 && run.output.contains("permission denied for database"), "\(role): \(run.output)")
        }
        // Let in by mistake, the cluster-wide group role still gives nothing there.
        try unit.server.psql("GRANT CONNECT ON DATABASE \(other.database) TO \(unit.m), \(unit.a)", database: other.database)
        // The manager's planning request of their own unit names nothing in the other one.
        let own = unit.psql("SELECT bevaka_request('planning', 'enhetens planering')", as: unit.m).output
        #expect(Int(own) != nil, "\(own)")
        let attempts = [
            "SELECT count(*) FROM bevaka_unit(\(own))",
            "SELECT count(*) FROM bevaka_unit_part(\(own), 0, 9223372036854775807)",
            "SELECT count(*) FROM bevaka_unit_range(\(own))",
            "SELECT bevaka_request('planning', 'enhetens planering')",
            "SELECT bevaka_request('opened', 'ärende', \(Self.idList(other.people.map(\.id))))",
            "SELECT bevaka_request('audit', 'db audit')",
            "SELECT bevaka_request('lookup', 'db audit', NULL, ARRAY['\(other.people[0].personnummer.digits)'])",
            "SELECT * FROM bevaka_reassign('\(other.people[0].id)', '\(other.a)')",
            "SELECT bevaka_cover('\(other.a)', '\(other.b)', '2026-12-24')",
        ]
        for role in [unit.m, unit.a] {
            for sql in attempts {
                let run = PrivateServer.shell(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", unit.server.folder, "-U", role,
                                               "-d", other.database, "-c", sql])
                #expect(run.status != 0, "\(role) in another unit: \(sql) gave \(run.output)")
            }
            let listed = PrivateServer.shell(["psql", "-X", "-At", "-h", unit.server.folder, "-U", role, "-d", other.database,
                                              "-c", "SELECT count(*) FROM bevaka_clients"])
            #expect(listed.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0" || listed.status != 0, "\(listed.output)")
        }
        #expect(try other.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who IN ('\(unit.m)', '\(unit.a)')",
                                      database: other.database) == "0")
    }

    // MARK: 4. The manager cannot test personnummer unlogged

    @Test(arguments: DatabaseOrigin.allCases) func everyLookUpByPersonnummerIsLoggedBeforeItIsAnswered(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let known = unit.people[0].personnummer.digits
        let candidates = (0..<10).map { String(known.prefix(8)) + String(format: "%04d", $0 * 7) } + [known]
        let before = try Self.logCount(unit, who: unit.m)
        // Asked and rolled back, the answer never comes.
        for candidate in candidates {
            let run = unit.script("""
                BEGIN;
                SELECT bevaka_request('lookup', 'db audit', NULL, ARRAY['\(candidate)']) AS req \\gset
                SELECT bevaka_lookup(:req);
                ROLLBACK;
                """, as: unit.m)
            #expect(run.status != 0 && !run.output.contains(unit.people[0].id) && !run.output.contains("finns inte i enhetens"),
                    "\(run.output)")
        }
        #expect(try Self.logCount(unit, who: unit.m) == before)
        // Asked properly, each answer has its row, the found one with the case id, none with a number.
        for candidate in candidates {
            _ = unit.script("""
                SELECT bevaka_request('lookup', 'db audit', NULL, ARRAY['\(candidate)']) AS req \\gset
                SELECT bevaka_lookup(:req);
                """, as: unit.m)
        }
        let rows = try unit.server.psql("""
            SELECT coalesce(client_id, '-') || ' ' || detail FROM bevaka_access_log WHERE who = '\(unit.m)' AND action = 'looked_up' ORDER BY id
            """, database: unit.database).split(separator: "\n")
        #expect(rows.count == candidates.count)
        #expect(rows.filter { $0.hasPrefix(unit.people[0].id + " ") }.count == 1)
        let everything = try unit.server.psql("SELECT string_agg(coalesce(client_id,'') || detail, '|') FROM bevaka_access_log",
                                              database: unit.database)
        #expect(candidates.allSatisfy { !everything.contains($0) && !everything.contains(String($0.dropFirst(2))) })
        // bevaka_audit takes a case id only, never a personnummer.
        let byNumber = unit.script("""
            SELECT bevaka_request('audit', 'db audit') AS req \\gset
            SELECT count(*) FROM bevaka_audit(:req, '\(known)', NULL, NULL, true);
            """, as: unit.m)
        #expect(byNumber.output.split(separator: "\n").last == "0")
    }

    // MARK: 5. No free text in the manager's planning data

    /// Every string anywhere in a person's record (but its id, personnummer and name) is set to
    /// a marker, unknown keys with markers are added at every level, and none of it comes out
    /// of `bevaka_unit()`.
    @Test(arguments: DatabaseOrigin.allCases) func thePlanningDataCarriesNoStringOfTheRecord(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        var person = unit.aPeople[0]
        person.notes = "n"
        person.representative = Representative(name: "r", role: "god man", contact: "c")
        person.address = Address(street: "s", postcode: "41101", town: "t")
        person.phones = [Phone(label: Phone.own, number: "0701234567")]
        person.doorCode = "1234"
        person.access = "a"
        person.ivoID = "19400101-T123"
        person.booking = Booking(date: today, start: 600, minutes: 60, place: "p", invited: ["i"])
        person.handovers = [Handover(from: unit.b, to: unit.a, on: today, by: unit.m)]
        person.decisions[0].provider = Provider(name: "p", regi: .private, caseSystemAccess: false, contact: "c", phone: "031123456")
        person.decisions[0].plan = CarePlan(received: today, established: nil, revised: nil, personTookPart: false,
                                            notTakenPartReason: "reason")
        person.decisions[0].offers = [Offer(on: today, what: "w", accepted: false)]
        person.decisions[0].interruptions = [Interruption(from: today, reason: "r")]
        person.decisions[0].delayReason = "d"
        person.decisions[0].consequences = "c"
        person.decisions[0].notCarriedOut = "n"
        person.decisions[0].performedMonth = "2026-10"
        person.decisions[0].ivoReported = ["2026-Q3"]
        person.reminders.append(Reminder(id: "r900", decisionID: person.decisions[0].id, kind: .manual, due: today, text: "t"))
        let data = try JSONEncoder().encode(person)
        var marked = 0
        func mark(_ value: Any, path: [String]) -> Any {
            switch value {
            case let object as [String: Any]:
                var result: [String: Any] = [:]
                for (key, inner) in object {
                    result[key] = path.isEmpty && ["id", "pnr", "name"].contains(key) ? inner : mark(inner, path: path + [key])
                }
                marked += 1
                result["zqxExtra"] = "ZQXMARK\(marked)"
                return result
            case let array as [Any]:
                return array.map { mark($0, path: path) }
            case is String:
                marked += 1
                return "ZQXMARK\(marked) \(path.joined(separator: "."))"
            default:
                return value
            }
        }
        let json = try JSONSerialization.jsonObject(with: data)
        let markedData = try JSONSerialization.data(withJSONObject: mark(json, path: []))
        let doc = String(decoding: markedData, as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        #expect(marked > 40)
        try unit.server.psql("UPDATE bevaka_clients SET doc = '\(doc)'::jsonb WHERE id = '\(person.id)'", database: unit.database)
        let view = unit.script("""
            SELECT bevaka_request('planning', 'enhetens planering') AS req \\gset
            SELECT plan FROM bevaka_unit(:req) WHERE id = '\(person.id)';
            """, as: unit.m)
        #expect(view.status == 0 && view.output.contains(person.name), "\(view.output)")
        #expect(!view.output.contains("ZQXMARK"), "free text reached the manager: \(view.output)")
        #expect(!view.output.contains(person.personnummer.digits))

        // The same person unmarked: the planning view keeps what planning needs.
        let plain = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        try unit.server.psql("UPDATE bevaka_clients SET doc = '\(plain)'::jsonb WHERE id = '\(person.id)'", database: unit.database)
        let (store, planning) = try unit.store(as: unit.m)
        #expect(store.planningOnly)
        let planned = try #require(planning.clients.first { $0.id == person.id })
        // The birth date and the sex digit's parity (for fullmäktige's statistics); nothing else of the number.
        let parity = (person.personnummer.digits.compactMap(\.wholeNumberValue).dropFirst(10).first ?? 0) % 2
        #expect(planned.name == person.name && planned.personnummer.digits == String(person.personnummer.digits.prefix(8)) + "00\(parity)0")
        #expect(planned.decisions.map(\.validFrom) == person.decisions.map(\.validFrom))
        #expect(planned.decisions.map(\.validTo) == person.decisions.map(\.validTo))
        #expect(planned.decisions.map(\.startedOn) == person.decisions.map(\.startedOn))
        #expect(planned.decisions.map(\.law) == person.decisions.map(\.law))
        #expect(planned.decisions[0].plan?.received == today && planned.decisions[0].plan?.notTakenPartReason == nil)
        #expect(planned.decisions[0].provider?.regi == .private && planned.decisions[0].provider?.name == "")
        #expect(planned.decisions[0].ivoReported == ["2026-Q3"] && planned.decisions[0].performedMonth == "2026-10")
        #expect(planned.followUps.map(\.date) == person.followUps.map(\.date))
        #expect(planned.reminders.map(\.due) == person.reminders.map(\.due) && planned.reminders.allSatisfy { $0.text == nil })
        #expect(planned.handovers == person.handovers)
        #expect(planned.notes == nil && planned.address == nil && planned.phones.isEmpty && planned.doorCode == nil
                && planned.booking == nil && planned.ivoID == nil && planned.representative == nil)
    }

    /// Every value of every closed vocabulary passes through the planning data (a case added to
    /// an enum without a migration that knows it fails here).
    @Test(arguments: DatabaseOrigin.allCases) func everyVocabularyValuePassesThePlanningData(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        var person = unit.aPeople[0]
        var decisions: [Decision] = []
        for (index, law) in Law.allCases.enumerated() {
            for (formIndex, form) in DecisionForm.allCases.enumerated() {
                var decision = person.decisions[0]
                decision.id = "d9\(index)\(formIndex)"
                decision.law = law
                decision.form = form
                decision.consent = ConsentStatus.allCases[(index + formIndex) % ConsentStatus.allCases.count]
                decision.provider = Provider(name: "x", regi: Regi.allCases[formIndex % Regi.allCases.count])
                decisions.append(decision)
            }
        }
        for (index, consent) in ConsentStatus.allCases.enumerated() {
            var decision = person.decisions[0]
            decision.id = "d8\(index)"
            decision.consent = consent
            decisions.append(decision)
        }
        person.decisions = decisions
        person.followUps = FollowUpForm.allCases.enumerated().flatMap { formIndex, form in
            FollowUpTrigger.allCases.enumerated().map { triggerIndex, trigger in
                FollowUp(id: "f9\(formIndex)\(triggerIndex)", date: today, form: form, trigger: trigger, participants: [],
                         outcome: FollowUpOutcome.allCases[(formIndex + triggerIndex) % FollowUpOutcome.allCases.count])
            }
        }
        person.reminders = DueKind.allCases.enumerated().map { index, kind in
            Reminder(id: "r9\(index)", decisionID: nil, kind: kind, due: today,
                     priority: Priority.allCases[index % Priority.allCases.count],
                     status: ReminderStatus.allCases[index % ReminderStatus.allCases.count])
        }
        let doc = String(decoding: try JSONEncoder().encode(person), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        try unit.server.psql("UPDATE bevaka_clients SET doc = '\(doc)'::jsonb WHERE id = '\(person.id)'", database: unit.database)
        let (_, planning) = try unit.store(as: unit.m)
        let planned = try #require(planning.clients.first { $0.id == person.id })
        #expect(planned.decisions.map(\.law) == person.decisions.map(\.law))
        #expect(planned.decisions.map(\.form) == person.decisions.map(\.form))
        #expect(planned.decisions.map(\.consent) == person.decisions.map(\.consent))
        #expect(planned.decisions.map { $0.provider?.regi } == person.decisions.map { $0.provider?.regi })
        #expect(planned.followUps.map(\.form) == person.followUps.map(\.form))
        #expect(planned.followUps.map(\.trigger) == person.followUps.map(\.trigger))
        #expect(planned.followUps.map(\.outcome) == person.followUps.map(\.outcome))
        #expect(planned.reminders.map(\.kind) == person.reminders.map(\.kind))
        #expect(planned.reminders.map(\.priority) == person.reminders.map(\.priority))
        #expect(planned.reminders.map(\.status) == person.reminders.map(\.status))
        // Services: every name the catalog knows stays, anything else is "annan insats".
        var named = person
        named.decisions = ServiceCatalog.plainNames.enumerated().map { index, name in
            var decision = person.decisions[0]
            decision.id = "d7\(index)"
            decision.service = name.uppercased()
            return decision
        } + [{ var d = person.decisions[0]; d.id = "d799"; d.service = "Hemlig egen insats"; return d }()]
        let namedDoc = String(decoding: try JSONEncoder().encode(named), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        try unit.server.psql("UPDATE bevaka_clients SET doc = '\(namedDoc)'::jsonb WHERE id = '\(person.id)'", database: unit.database)
        let (_, again) = try unit.store(as: unit.m)
        let services = try #require(again.clients.first { $0.id == person.id }).decisions.map(\.service)
        #expect(services == ServiceCatalog.plainNames + ["annan insats"])
    }

    // MARK: 6. Whether a person is in the unit, probed by insert

    @Test(arguments: DatabaseOrigin.allCases) func insertProbesAnswerNothingUnlogged(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let theirs = unit.bPeople[0]
        let mine = unit.aPeople[0]
        var probe = theirs
        probe.id = "c77"
        let doc = String(decoding: try JSONEncoder().encode(probe), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        let digits = theirs.personnummer.digits
        let before = try Self.logCount(unit, who: unit.a)
        var ownWithTheirNumber = mine
        ownWithTheirNumber.personnummer = theirs.personnummer
        let ownDoc = String(decoding: try JSONEncoder().encode(ownWithTheirNumber), as: UTF8.self)
            .replacingOccurrences(of: "'", with: "''")
        let attempts = [
            "INSERT INTO bevaka_clients (id, pnr, doc) VALUES ('c77', '\(digits)', '\(doc)')",
            "INSERT INTO bevaka_clients (id, pnr, doc) VALUES ('c77', '\(digits)', '\(doc)') ON CONFLICT DO NOTHING",
            "BEGIN; INSERT INTO bevaka_clients (id, pnr, doc) VALUES ('c77', '\(digits)', '\(doc)') ON CONFLICT DO NOTHING; ROLLBACK;",
            "UPDATE bevaka_clients SET doc = '\(ownDoc)' WHERE id = '\(mine.id)'",
            // A request in the same transaction does not count: it is not committed.
            """
            BEGIN;
            SELECT bevaka_request('save', 'sparande', NULL, ARRAY['\(digits)']) AS req \\gset
            SELECT set_config('bevaka.request', :'req', true);
            INSERT INTO bevaka_clients (id, pnr, doc) VALUES ('c77', '\(digits)', '\(doc)') ON CONFLICT DO NOTHING;
            ROLLBACK;
            """,
            // Someone else's number in the request does not cover this one.
            """
            SELECT bevaka_request('save', 'sparande', NULL, ARRAY['194001010000']) AS req \\gset
            BEGIN;
            SELECT set_config('bevaka.request', :'req', true);
            INSERT INTO bevaka_clients (id, pnr, doc) VALUES ('c77', '\(digits)', '\(doc)') ON CONFLICT DO NOTHING;
            ROLLBACK;
            """,
        ]
        for sql in attempts {
            let run = unit.script(sql, as: unit.a)
            #expect(run.status != 0, "\(sql): \(run.output)")
            #expect(!run.output.contains("duplicate key") && !run.output.contains("INSERT 0 0") && !run.output.contains("unique"),
                    "the database answered: \(run.output)")
        }
        // Only the request for the unrelated number was committed: one row, without the probed person.
        #expect(try Self.logCount(unit, who: unit.a) == before + 1)
        // With a committed request for it, the answer comes, and the log has already said so.
        let asked = unit.script("""
            SELECT bevaka_request('save', 'sparande', NULL, ARRAY['\(digits)']) AS req \\gset
            BEGIN;
            SELECT set_config('bevaka.request', :'req', true);
            INSERT INTO bevaka_clients (id, pnr, doc) VALUES ('c77', '\(digits)', '\(doc)') ON CONFLICT DO NOTHING;
            ROLLBACK;
            """, as: unit.a)
        #expect(asked.status == 0)
        #expect(try unit.log(who: unit.a).contains("looked_up \(theirs.id)"))
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_clients WHERE pnr = '\(digits)'", database: unit.database) == "1")
    }

    // MARK: 7. Importing a colleague's person

    @Test(arguments: DatabaseOrigin.allCases) func importingAColleaguesPersonSaysSoAndFails(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let theirs = unit.bPeople[0]
        let csv = "namn;personnummer;insats;beslut_fran;beslut_till;verkstallt\n"
            + "\(theirs.name);\(theirs.personnummer.formatted);hemtjänst;2026-01-01;2026-12-31;2026-01-05\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-colleague-\(UUID().uuidString).csv")
        try Data(csv.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        for _ in 0..<2 {
            let run = runProduct("bevaka", ["import", file.path, "--store", unit.url(unit.a), "--today", "2026-12-01"])
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("finns redan hos en annan handläggare i enheten; be enhetschefen om ett handläggarbyte"),
                    "\(run.output)")
            #expect(!run.output.contains("Sparat") && !run.output.contains("ändrades samtidigt"), "\(run.output)")
            #expect(!run.output.contains(theirs.personnummer.digits) && !run.output.contains(theirs.personnummer.formatted))
        }
        #expect(try unit.server.psql("SELECT count(*) || ' ' || min(owner) FROM bevaka_clients WHERE pnr = '\(theirs.personnummer.digits)'",
                                     database: unit.database) == "1 \(unit.b)")
    }

    // MARK: 8. The log takes no free text, and no rows but real reads

    @Test(arguments: DatabaseOrigin.allCases) func theLogHoldsOnlyTheDatabasesOwnWords(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let before = try Self.logCount(unit, who: unit.a)
        let long = String(repeating: "x", count: 5000)
        for sql in [
            "SELECT bevaka_request('opened', '\(long)', \(Self.idList([unit.aPeople[0].id])))",
            "SELECT bevaka_request('opened', 'ärende; fritext 19400101-1234', \(Self.idList([unit.aPeople[0].id])))",
            "SELECT bevaka_request('anything', 'ärende', NULL)",
            "INSERT INTO bevaka_access_log (action, detail) VALUES ('opened', 'x')",
            "SELECT bevaka_request('opened', 'ärende', ARRAY(SELECT 'c' || g FROM generate_series(1, 21) g))",
        ] {
            #expect(unit.psql(sql, as: unit.a).status != 0, "\(sql.prefix(80))")
        }
        // Asking for a colleague's person writes nothing (there is nothing the caller may read).
        _ = unit.psql("SELECT bevaka_request('opened', 'ärende', \(Self.idList(unit.bPeople.map(\.id))))", as: unit.a)
        #expect(try Self.logCount(unit, who: unit.a) == before)
        let details = try unit.server.psql("SELECT DISTINCT detail FROM bevaka_access_log WHERE detail IS NOT NULL", database: unit.database)
        #expect(details.split(separator: "\n").allSatisfy { $0.count <= 200 })
    }

    // MARK: 9. A role outside the unit

    @Test(arguments: DatabaseOrigin.allCases) func aRoleOutsideTheUnitCannotConnect(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let stranger = "x_" + String(unit.database.suffix(8))
        try unit.server.psql("CREATE ROLE \(stranger) LOGIN", database: unit.database)
        for sql in ["SELECT reltuples FROM pg_class WHERE relname = 'bevaka_clients'", "LISTEN bevaka_clients", "SELECT 1"] {
            let run = PrivateServer.shell(["psql", "-X", "-At", "-h", unit.server.folder, "-U", stranger, "-d", unit.database, "-c", sql])
            #expect(run.status != 0 && run.output.contains("permission denied for database"), "\(sql): \(run.output)")
        }
        // Even a member of the cluster-wide group, not added to this unit, is kept out.
        try unit.server.psql("GRANT bevaka_handlaggare TO \(stranger)", database: unit.database)
        let grouped = PrivateServer.shell(["psql", "-X", "-At", "-h", unit.server.folder, "-U", stranger, "-d", unit.database,
                                           "-c", "SELECT 1"])
        #expect(grouped.status != 0)
        // The app says it in Swedish, with what to do.
        let app = runProduct("bevaka", ["agenda", "--store", unit.url(stranger), "--today", "2026-12-01"])
        #expect(app.status != 0 && app.output.contains("får inte ansluta till databasen") && app.output.contains("db user add"),
                "\(app.output)")
        // Members of the unit still connect.
        #expect(unit.psql("SELECT 1", as: unit.c).output == "1")
    }
}
