import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// Issue 34: rights come from this database's own staff list. Two units (two databases in one
/// cluster) and a role that is staff in both, with another role in each; a removed handläggare;
/// each attack made as the role would make it, with psql and with the binary.
@Suite(.serialized) struct UnitRightsTests {
    /// `hugo` is handläggare in the first unit and chef in the second (both with `db user add`).
    struct TwoUnits {
        let first: UnitFixture
        let second: UnitFixture
        let hugo: String

        init() throws {
            first = try UnitFixture()
            second = try UnitFixture()
            hugo = "h_" + String(first.database.suffix(8))
            #expect(runProduct("bevaka", ["db", "user", "add", hugo, "--role", "handlaggare", "--name", "Hugo Hansson",
                                          "--store", first.admin]).status == 0)
            #expect(runProduct("bevaka", ["db", "user", "add", hugo, "--role", "chef", "--name", "Hugo Hansson",
                                          "--store", second.admin]).status == 0)
        }
    }

    /// Item 1: the log and the findings are not readable across units — not as tables, not
    /// through the functions, not through the planner's statistics.
    @Test func theLogAndTheFindingsAreNotReadableFromAnotherUnitsRole() throws {
        let units = try TwoUnits()
        let first = units.first
        // Something in the log and a finding in the first unit.
        _ = first.read(as: first.a)
        #expect(first.psql("SELECT bevaka_is('chef'), bevaka_is('handlaggare')", as: units.hugo).output == "f|t")
        for attack in ["SELECT who, client_id, action, detail FROM bevaka_access_log",
                       "SELECT * FROM bevaka_log_reviews",
                       "SELECT * FROM bevaka_log_reviews_read()",
                       "SELECT * FROM bevaka_log_reviewed_through()",
                       "BEGIN; CREATE TEMP TABLE bevaka_access_log AS SELECT 1; SELECT * FROM public.bevaka_access_log; ROLLBACK"] {
            let run = first.psql(attack, as: units.hugo)
            #expect(run.status != 0, "\(attack): \(run.output)")
        }
        // The planner's statistics show no column of a table the role cannot read.
        #expect(first.psql("SELECT count(*) FROM pg_stats WHERE tablename IN ('bevaka_access_log', 'bevaka_log_reviews')",
                           as: units.hugo).output == "0")
        // The first unit's own manager reads the findings through the function, and that is logged.
        #expect(first.psql("SELECT count(*) >= 0 FROM bevaka_log_reviews_read()", as: first.m).status == 0)
        #expect(try first.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = '\(first.m)' AND detail = 'loggkontrollerna'",
                                      database: first.database) == "1")
        // In the second unit hugo is the manager: there it works.
        #expect(units.second.psql("SELECT count(*) >= 0 FROM bevaka_log_reviews_read()", as: units.hugo).status == 0)
        // The second unit's manager cannot even connect to the first.
        let stranger = first.psql("SELECT 1", as: units.second.m)
        #expect(stranger.status != 0 && stranger.output.contains("permission denied for database"), "\(stranger.output)")
        // db audit / loggkontroll through the binary: the first unit's log is not hugo's to read.
        let audit = runProduct("bevaka", ["db", "audit", "--store", first.url(units.hugo)])
        #expect(audit.status != 0 && !audit.output.contains(first.a), "\(audit.output)")
    }

    /// Items 2 and 3: `db user remove` takes every right; nothing another unit does gives one back.
    @Test func aRemovalTakesEveryRightAndAnotherUnitCannotGiveOneBack() throws {
        let units = try TwoUnits()
        let first = units.first
        // With cases: refused, and told what to do.
        let busy = runProduct("bevaka", ["db", "user", "remove", first.a, "--store", first.admin])
        #expect(busy.status != 0 && busy.output.contains("flytta dem först"), "\(busy.output)")
        // Cleo covers for Bo and Bo for Cleo's nothing; then Cleo is removed.
        #expect(first.psql("SELECT bevaka_cover('\(first.b)', '\(first.c)', '2026-12-24')", as: first.b).status == 0)
        #expect(first.ids(as: first.c).count == 3)
        let removed = runProduct("bevaka", ["db", "user", "remove", first.c, "--store", first.admin])
        #expect(removed.status == 0 && removed.output.contains("borttagen ur enheten") && removed.output.contains("1 avslutade"),
                "\(removed.output)")
        #expect(try first.server.psql("SELECT count(*) FROM bevaka_covers WHERE covering = '\(first.c)' AND ended_at IS NULL",
                                      database: first.database) == "0")
        #expect(try first.server.psql("SELECT name, ended_at IS NOT NULL FROM bevaka_staff WHERE role = '\(first.c)'",
                                      database: first.database) == "Cleo Svensson|t")
        // Item 3: no connection at all (no notifications, no statistics views).
        let connect = first.psql("SELECT 1", as: first.c)
        #expect(connect.status != 0 && connect.output.contains("permission denied for database"), "\(connect.output)")
        let app = runProduct("bevaka", ["agenda", "--store", first.url(first.c)])
        #expect(app.status != 0 && app.output.contains("får inte ansluta"), "\(app.output)")
        // Another unit adds Cleo (the cluster-wide group again) and someone grants CONNECT here by
        // mistake: still no right in this unit — the staff row here is ended.
        #expect(runProduct("bevaka", ["db", "user", "add", first.c, "--role", "handlaggare", "--store", units.second.admin]).status == 0)
        try first.server.psql("GRANT CONNECT ON DATABASE \(first.database) TO \(first.c)", database: first.database)
        #expect(first.psql("SELECT bevaka_is('handlaggare')", as: first.c).output == "f")
        #expect(first.read(as: first.c).status != 0)
        #expect(first.psql("SELECT count(*) FROM bevaka_clients", as: first.c).output == "0")
        // A colleague cannot grant the removed person a cover either.
        let cover = first.psql("SELECT bevaka_cover('\(first.b)', '\(first.c)', '2026-12-24')", as: first.b)
        #expect(cover.status != 0 && cover.output.contains("är inte handläggare"), "\(cover.output)")
        // The log names the removal; the name stays for the log's sake.
        #expect(try first.server.psql("SELECT detail FROM bevaka_access_log WHERE action = 'staff_removed'", database: first.database)
                .contains(first.c))
        let list = runProduct("bevaka", ["db", "user", "list", "--store", first.admin])
        #expect(list.output.contains("borttagen   Cleo Svensson"), "\(list.output)")
        // Added again here by the owner: active again.
        #expect(runProduct("bevaka", ["db", "user", "add", first.c, "--role", "handlaggare", "--store", first.admin]).status == 0)
        #expect(first.psql("SELECT bevaka_is('handlaggare')", as: first.c).output == "t")
    }

    /// Item 8: a case id is Bevaka's own form, checked by the database.
    @Test func aCaseIdIsBevakasOwnForm() throws {
        let unit = try UnitFixture()
        let number = "192307319224"
        let doc = #"{"id": "ID", "name": "Ny Person", "pnr": "\#(number)", "decisions": []}"#
        for id in ["Detta är en mening", "c1; DROP", "C12", "c12345678901234567"] {
            let run = unit.script("""
                SELECT bevaka_request('save', 'sparande', NULL, ARRAY['\(number)']) AS req \\gset
                BEGIN;
                SELECT set_config('bevaka.request', :'req', true);
                INSERT INTO bevaka_clients (id, pnr, doc) VALUES ('\(id)', '\(number)', '\(doc.replacingOccurrences(of: "ID", with: id))'::jsonb);
                COMMIT;
                """, as: unit.a)
            #expect(run.status != 0 && run.output.contains("bevaka_clients_id_form"), "\(id): \(run.output)")
        }
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_clients WHERE pnr = '\(number)'", database: unit.database) == "0")
        // Bevaka's own form goes in.
        let good = unit.script("""
            SELECT bevaka_request('save', 'sparande', NULL, ARRAY['\(number)']) AS req \\gset
            BEGIN;
            SELECT set_config('bevaka.request', :'req', true);
            INSERT INTO bevaka_clients (id, pnr, doc) VALUES ('c9000001', '\(number)', '\(doc.replacingOccurrences(of: "ID", with: "c9000001"))'::jsonb);
            COMMIT;
            """, as: unit.a)
        #expect(good.status == 0, "\(good.output)")
    }

    /// Item 10: a case removed leaves no request naming it — not its id, not its personnummer's hash.
    @Test func aRemovedCaseLeavesNoRequestNamingIt() throws {
        let unit = try UnitFixture()
        let person = unit.people[0]
        _ = unit.read(purpose: "opened", ids: [person.id], as: unit.a)
        #expect(unit.psql("SELECT bevaka_request('save', 'sparande', ARRAY['\(person.id)'], ARRAY['\(person.personnummer.digits)'])",
                          as: unit.a).status == 0)
        let naming = """
            SELECT count(*) FROM bevaka_requests
            WHERE '\(person.id)' = ANY (ids) OR sha256(convert_to('\(person.personnummer.digits)', 'UTF8')) = ANY (pnrs)
            """
        #expect(try unit.server.psql(naming, database: unit.database) != "0")
        try unit.server.psql("DELETE FROM bevaka_clients WHERE id = '\(person.id)'", database: unit.database)
        #expect(try unit.server.psql(naming, database: unit.database) == "0")
    }

    /// Item 11: a burst of requests is refused once the limit is reached, said in Swedish, and
    /// flagged once a minute in the log (which the loggkontroll shows).
    @Test func aBurstOfRequestsIsRefusedAndFlagged() throws {
        let unit = try UnitFixture()
        let burst = unit.psql("SELECT count(*) FILTER (WHERE r IS NULL) FROM (SELECT bevaka_request('listed', 'ärendelistan') AS r FROM generate_series(1, 1220)) t",
                              as: unit.a)
        #expect(burst.status == 0 && burst.output == "20", "\(burst.output)")
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = '\(unit.a)' AND action = 'rate_limited'",
                                     database: unit.database) == "1")
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = '\(unit.a)' AND action = 'listed'",
                                     database: unit.database) == "1200")
        // The app's next read is refused with a sentence, not a crash or a silent empty list.
        let run = runProduct("bevaka", ["agenda", "--store", unit.url(unit.a)])
        #expect(run.status != 0 && run.output.contains("för många läsningar på en minut"), "\(run.output)")
        // A reading of nothing (NULL) is refused by the database too.
        #expect(unit.psql("SELECT * FROM bevaka_read(NULL)", as: unit.a).status != 0)
        // Another handläggare is not affected.
        #expect(unit.read(as: unit.b).status == 0)
    }

    /// Migration 19: the list read calls the withholding only for a person whose `protected` is
    /// JSON true; every other person's record is the function's answer all the same. Compared on
    /// every person of the fixture with `protected` true, false, missing, null, the string "true"
    /// and the number 1, each with contact data the function would take.
    @Test func theListReadWithholdsExactlyAsTheFunctionDoes() throws {
        let unit = try UnitFixture()
        // Two rounds over a's three people: what the database takes as protected, and what not.
        for round in [["'true'::jsonb", "'\"true\"'::jsonb", "'1'::jsonb"], ["'false'::jsonb", "'null'::jsonb", ""]] {
            for (person, value) in zip(unit.aPeople, round) {
                let protected = value.isEmpty ? "(doc - 'protected')" : "jsonb_set(doc, '{protected}', \(value))"
                try unit.server.psql("""
                    UPDATE bevaka_clients
                    SET doc = \(protected) || '{"doorCode": "4711", "access": "Nyckeln", "address": {"street": "Gatan 1"}}'::jsonb
                    WHERE id = '\(person.id)'
                    """, database: unit.database)
            }
            let expected = try unit.server.psql("""
                SELECT id, bevaka_withhold_contact(doc)::text FROM bevaka_clients WHERE owner = '\(unit.a)' ORDER BY id
                """, database: unit.database)
            let listed = unit.read("id, doc", purpose: "listed", as: unit.a)
            #expect(listed.status == 0 && listed.output == expected && expected.split(separator: "\n").count == 3, "\(listed.output)")
            // In the first round one record is withheld (JSON true), in the second none.
            #expect(expected.components(separatedBy: "contactWithheld").count == (round.first == "'true'::jsonb" ? 2 : 1)
                    && expected.components(separatedBy: "4711").count == (round.first == "'true'::jsonb" ? 3 : 4))
        }
    }

    /// Item 4: a protected person's contact data comes only with an 'opened' read, logged per
    /// case; a list read or a save's merge (as a covering colleague would try) gets none of it; a
    /// save of the record read without it keeps what the database has; after opening, an edit
    /// of the door code goes through.
    @Test func aProtectedPersonsContactDataComesOnlyWithAnOpenedRead() throws {
        let unit = try UnitFixture()
        var person = unit.people[3]
        person.protectedIdentity = true
        person.doorCode = "4711"
        person.address = Address(street: "Hemliga gatan 1", postcode: "463 30", town: "Lilla Edet")
        person.access = "Nyckeln under mattan"
        person.phones = [Phone(label: Phone.own, number: "070-111 22 33")]
        person.booking = Booking(date: d("2026-12-10"), start: 600, place: "Hemma hos Bo")
        let doc = String(decoding: try JSONEncoder().encode(person), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        try unit.server.psql("UPDATE bevaka_clients SET doc = '\(doc)'::jsonb WHERE id = '\(person.id)'", database: unit.database)
        let secrets = ["4711", "Hemliga gatan", "mattan", "111 22 33", "Hemma hos"]
        #expect(unit.psql("SELECT bevaka_cover('\(unit.b)', '\(unit.a)', '2026-12-24')", as: unit.b).status == 0)
        // A list read naming the person: the record without contact data, marked.
        let listed = unit.read("doc", purpose: "listed", ids: [person.id], as: unit.a)
        #expect(listed.status == 0 && listed.output.contains("contactWithheld") && listed.output.contains(person.name), "\(listed.output)")
        for secret in secrets { #expect(!listed.output.contains(secret), "listed: \(secret)") }
        // A save request and the merge's lock: the same.
        let merge = unit.script("""
            SELECT bevaka_request('save', 'sparande', ARRAY['\(person.id)']) AS req \\gset
            BEGIN;
            SELECT set_config('bevaka.request', :'req', true);
            SELECT doc FROM bevaka_lock('\(person.id)');
            ROLLBACK;
            """, as: unit.a)
        #expect(merge.status == 0 && merge.output.contains("contactWithheld"), "\(merge.output)")
        for secret in secrets { #expect(!merge.output.contains(secret), "lock: \(secret)") }
        // Opened: the whole record, and a log row for this case.
        let opened = unit.read("doc", purpose: "opened", ids: [person.id], as: unit.a)
        #expect(opened.output.contains("4711") && opened.output.contains("Hemma hos Bo") && !opened.output.contains("contactWithheld"))
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = '\(unit.a)' AND action = 'opened' AND client_id = '\(person.id)'",
                                     database: unit.database) == "1")
        // The app's store: listed without contact data; a change saved keeps the database's.
        let (store, caseload) = try unit.store(as: unit.a)
        var mine = caseload
        let index = try #require(mine.clients.firstIndex { $0.id == person.id })
        #expect(mine.clients[index].contactWithheld && mine.clients[index].doorCode == nil && mine.clients[index].booking?.place == nil)
        mine.clients[index].notes = "Ändrad av Anna"
        _ = try store.saveChanges(mine)
        let saved = try unit.server.psql("SELECT doc FROM bevaka_clients WHERE id = '\(person.id)'", database: unit.database)
        for secret in secrets { #expect(saved.contains(secret), "lost on save: \(secret)") }
        #expect(saved.contains("Ändrad av Anna") && !saved.contains("contactWithheld"))
        // Opened in the app: the whole record; an edit of the door code then goes through.
        var whole = try #require(try store.recordOpen(person.id, what: "ärende"))
        #expect(whole.doorCode == "4711" && !whole.contactWithheld)
        mine.clients[index] = whole
        whole.doorCode = "2580"
        mine.clients[index] = whole
        _ = try store.saveChanges(mine)
        #expect(try unit.server.psql("SELECT doc->>'doorCode' FROM bevaka_clients WHERE id = '\(person.id)'", database: unit.database) == "2580")
        store.shutDown()
    }

    /// Issue 35, item 18: the manager's app hears that a loggkontroll was recorded and stops
    /// saying it is missing, without a restart.
    @Test func theManagersReviewStatusFollowsARecordedReview() throws {
        let unit = try UnitFixture()
        try unit.setClock("2026-12-01")
        let (store, planning) = try unit.store(as: unit.m)
        #expect(store.unitContext()?.logReviewedThrough == nil)
        let listening = "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN bevaka_clients' AND usename = '\(unit.m)'"
        let started = Date().addingTimeInterval(20)
        while try unit.server.psql(listening, database: unit.database) != "1", Date() < started { usleep(50_000) }
        let recorder = PostgresStore(try PostgresLocation(unit.url(unit.m), environment: [:]))
        _ = try recorder.recordReview(from: d("2026-11-01"), to: d("2026-11-30"), reviewed: [], standouts: 0, finding: "inga avvikelser")
        recorder.shutDown()
        let deadline = Date().addingTimeInterval(20)
        while store.unitContext()?.logReviewedThrough == nil, Date() < deadline {
            _ = try store.changesElsewhere(local: planning)
            usleep(100_000)
        }
        #expect(store.unitContext()?.logReviewedThrough == d("2026-11-30"))
        store.shutDown()
    }

    /// Item 9: a notification is a hint to compare versions the reader may see; a forged one
    /// changes nothing the app shows.
    @Test func aForgedNotificationChangesNothing() throws {
        let unit = try UnitFixture()
        let (store, caseload) = try unit.store(as: unit.a)
        let deadline = Date().addingTimeInterval(20)
        let listening = "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN bevaka_clients' AND usename = '\(unit.a)'"
        while try unit.server.psql(listening, database: unit.database) != "1", Date() < deadline { usleep(50_000) }
        for payload in [caseload.clients[0].id, unit.people[4].id, "*", "c1'; DROP TABLE x; --", String(repeating: "x", count: 7000)] {
            #expect(unit.psql("SELECT pg_notify('bevaka_clients', $$\(payload)$$)", as: unit.b).status == 0)
        }
        // A real change after them, by a second session of the same handläggare: notifications
        // come in order, so once it is heard the forged ones have been (issue 36, item 7: no
        // sleep-and-hope). It is the only change there is.
        let (second, copy) = try unit.store(as: unit.a)
        var changed = copy
        changed.clients[0].notes = "Ändrad i en annan session"
        _ = try second.saveChanges(changed)
        second.shutDown()
        var heard: [ChangedElsewhere] = []
        let heardBy = Date().addingTimeInterval(20)
        while heard.isEmpty, Date() < heardBy {
            heard = try store.changesElsewhere(local: caseload)
            if heard.isEmpty { usleep(50_000) }
        }
        #expect(heard.map(\.client.id) == [caseload.clients[0].id] && heard.first?.client.notes == "Ändrad i en annan session",
                "\(heard.map(\.client.id))")
        let (_, again) = try unit.store(as: unit.a)
        #expect(again.clients.map(\.id) == caseload.clients.map(\.id))
        store.shutDown()
    }
}
