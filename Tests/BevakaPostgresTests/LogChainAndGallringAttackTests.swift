import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// Migration 7 attacked as each role with raw SQL: gallring by the unit's rule only, a log whose
/// deleted, changed or inserted rows show, and a loggkontroll that takes no running or endless
/// period, no second review unasked and no personnummer.
@Suite struct LogChainAndGallringAttackTests {
    static func gallra(_ unit: UnitFixture, _ id: String, as role: String) -> String {
        unit.psql("SELECT count(*) FROM bevaka_gallra(ARRAY['\(id)'])", as: role).output
    }

    /// A handläggare cannot gallra an active or unexpired case, nor one made to look expired
    /// today: the period is the unit's, the facts the row's own, and they must have stood a day.
    @Test(arguments: DatabaseOrigin.allCases) func aHandlaggareCannotGallraWhatTheUnitsRuleKeeps(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let active = unit.aPeople[1]
        // The period is no argument (any months given is no function), and no role but the owner sets it.
        for sql in ["SELECT bevaka_gallra(ARRAY['\(active.id)'], 1)", "SELECT bevaka_gallra(ARRAY['\(active.id)'], 120)"] {
            #expect(unit.psql(sql, as: unit.a).status != 0, "\(sql)")
        }
        for role in [unit.a, unit.m] {
            #expect(unit.psql("UPDATE bevaka_settings SET gallring_months = 1", as: role).status != 0)
            #expect(unit.psql("UPDATE bevaka_clients SET settled_on = '2000-01-01', last_end = '2000-01-01'", as: role).output != "UPDATE 6")
        }
        #expect(Self.gallra(unit, active.id, as: unit.a) == "0")
        // Unexpired: archived, every decision ended six months ago.
        let (store, loaded) = try unit.store(as: unit.a)
        var caseload = loaded
        let index = try #require(caseload.clients.firstIndex { $0.id == active.id })
        caseload.clients[index].archived = true
        for d in caseload.clients[index].decisions.indices {
            caseload.clients[index].decisions[d].validTo = Day(year: 2026, month: 6, day: 1)
            caseload.clients[index].decisions[d].closedOn = nil
        }
        _ = try store.saveChanges(caseload)
        try unit.setClock("2026-12-05")
        #expect(Self.gallra(unit, active.id, as: unit.a) == "0")
        // Backdated to 2020 and archived again today, through the app's own save: not today,
        // not in a transaction that rolls the clock's table either, not with a temporary period.
        for d in caseload.clients[index].decisions.indices {
            caseload.clients[index].decisions[d].validTo = Day(year: 2020, month: 1, day: 1)
        }
        _ = try store.saveChanges(caseload)
        #expect(Self.gallra(unit, active.id, as: unit.a) == "0")
        let shadow = unit.script("""
            CREATE TEMP TABLE bevaka_settings (only_row boolean, log_keep_years integer, review_interval_months integer, gallring_months integer);
            INSERT INTO bevaka_settings VALUES (true, 5, 1, 1);
            CREATE TEMP TABLE bevaka_clock (only_row boolean, today date);
            INSERT INTO bevaka_clock VALUES (true, '2100-01-01');
            SELECT count(*) FROM bevaka_gallra(ARRAY['\(active.id)']);
            """, as: unit.a, stopOnError: false)
        #expect(!shadow.output.hasSuffix("\n1") && shadow.output.split(separator: "\n").last != "1", "\(shadow.output)")
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_clients WHERE id = '\(active.id)'", database: unit.database) == "1")
        // The next day the facts have stood a day; the change that made them stands in the log first.
        try unit.setClock("2026-12-06")
        #expect(Self.gallra(unit, active.id, as: unit.b) == "0")  // not b's
        #expect(Self.gallra(unit, active.id, as: unit.a) == "1")
        let log = try unit.log(who: unit.a).filter { $0.hasSuffix(" " + active.id) }
        #expect(log.last == "gallrad \(active.id)" && log.dropLast().contains("changed \(active.id)"), "\(log)")
    }

    /// The owner, or a superuser, with the log's triggers off: each kind of tampering is named
    /// where it happened, and `bevaka db verifiera-logg` says so (exit non-zero).
    @Test(arguments: ["deleted", "changed", "inserted", "rewritten"]) func theChainShowsTampering(kind: String) throws {
        let unit = try UnitFixture()
        _ = try unit.store(as: unit.a)
        _ = try unit.store(as: unit.b)
        let verify = ["db", "verifiera-logg", "--store", unit.url(unit.m)]
        let whole = runProduct("bevaka", verify)
        #expect(whole.status == 0 && whole.output.contains("Åtkomstloggen är hel"), "\(whole.output)")
        // Nobody but the owner reaches the head, and a handläggare does not verify.
        for sql in ["SELECT * FROM bevaka_log_head", "UPDATE bevaka_log_head SET seq = 0", "SELECT * FROM bevaka_verify_log()"] {
            #expect(unit.psql(sql, as: unit.a).status != 0, "\(sql)")
        }
        #expect(unit.psql("UPDATE bevaka_log_head SET seq = 0", as: unit.m).status != 0)
        // A loggkontroll of November records the head it saw.
        let review = runProduct("bevaka", ["db", "loggkontroll", "--period", "2026-11", "--fynd", "inga avvikelser",
                                           "--today", "2026-12-01", "--store", unit.url(unit.m)])
        #expect(review.status == 0, "\(review.output)")
        let tamper: String
        let said: String
        switch kind {
        case "deleted":
            tamper = "DELETE FROM bevaka_access_log WHERE chain_seq = 3"
            said = "rad 3 saknas: den är borttagen"
        case "changed":
            tamper = "UPDATE bevaka_access_log SET detail = 'ärendelistan: 0 ärenden' WHERE chain_seq = 2"
            said = "rad 2 är ändrad eller ersatt"
        case "inserted":
            tamper = "INSERT INTO bevaka_access_log (who, action, detail) VALUES ('\(unit.a)', 'listed', 'ärendelistan: 3 ärenden')"
            said = "har ingen plats i kedjan: den är tillagd utanför Bevaka"
        default:
            // Row 2 deleted and every hash after it computed again, head included: only the
            // review's recorded head shows it.
            tamper = """
                DELETE FROM bevaka_access_log WHERE chain_seq = 2;
                DO $$
                DECLARE r record; h bytea := (SELECT base_hash FROM bevaka_log_head); p bytea; n bigint := 0;
                BEGIN
                    FOR r IN SELECT * FROM bevaka_access_log ORDER BY chain_seq LOOP
                        n := n + 1; p := h;
                        h := sha256(p || bevaka_log_bytes(n, r.at, r.who, r.client_id, r.action, r.detail));
                        UPDATE bevaka_access_log SET chain_seq = -n, prev_hash = p, hash = h WHERE id = r.id;
                    END LOOP;
                    UPDATE bevaka_access_log SET chain_seq = -chain_seq;
                    UPDATE bevaka_log_head SET seq = n, hash = h, prev_hash = p;
                END $$
                """
            said = "såg en annan rad"
        }
        try unit.server.psql("""
            ALTER TABLE bevaka_access_log DISABLE TRIGGER USER;
            \(tamper);
            ALTER TABLE bevaka_access_log ENABLE TRIGGER USER;
            """, database: unit.database)
        let broken = runProduct("bevaka", verify)
        #expect(broken.status != 0 && broken.output.contains("Åtkomstloggen är inte hel") && broken.output.contains(said),
                "\(kind): \(broken.output)")
    }

    /// The manager records a loggkontroll only for a period that is over, once unless it is an
    /// addition, and never with a personnummer in the finding — in the database, whatever the
    /// program says; and the open app's monthly bevakning goes when the review is recorded.
    @Test func loggkontrollTakesOnlyAnEndedPeriodOnceAndNoPersonnummer() throws {
        let unit = try UnitFixture()
        for (from, to) in [("2026-12-01", "2026-12-31"), ("2026-11-01", "9999-12-31"), ("2026-12-01", "2026-12-01")] {
            let run = unit.psql("SELECT bevaka_record_review('\(from)', '\(to)', '{}', 0, 'inga avvikelser')", as: unit.m)
            #expect(run.status != 0 && run.output.contains("är inte slut"), "\(from)–\(to): \(run.output)")
        }
        for finding in ["kolla 19400101-1234", "kolla 194001011234", "se 400101-1234", "se 4001011234"] {
            let run = unit.psql("SELECT bevaka_record_review('2026-11-01', '2026-11-30', '{}', 0, '\(finding)')", as: unit.m)
            #expect(run.status != 0 && run.output.contains("skriv ärende-id, inte personnummer"), "\(finding): \(run.output)")
        }
        // The open app of the manager: the November bevakning is there until the review is recorded.
        let (manager, _) = try unit.store(as: unit.m)
        #expect(manager.unitContext()?.logReviewedThrough == nil)
        let base = ["db", "loggkontroll", "--today", "2026-12-01", "--store", unit.url(unit.m)]
        let running = runProduct("bevaka", base + ["--period", "2026-12", "--fynd", "x"])
        #expect(running.status != 0 && running.output.contains("är inte slut"), "\(running.output)")
        let first = runProduct("bevaka", base + ["--period", "2026-11", "--fynd", "inga avvikelser"])
        #expect(first.status == 0, "\(first.output)")
        let deadline = ContinuousClock.now + .seconds(10)
        while manager.unitContext()?.logReviewedThrough == nil && ContinuousClock.now < deadline {
            _ = try manager.changesElsewhere(local: Caseload())
        }
        #expect(manager.unitContext()?.logReviewedThrough == Day(year: 2026, month: 11, day: 30))
        let second = runProduct("bevaka", base + ["--period", "2026-11", "--fynd", "en sak till"])
        #expect(second.status != 0 && second.output.contains("--tillagg") && second.output.contains("inga avvikelser"), "\(second.output)")
        #expect(unit.psql("SELECT bevaka_record_review('2026-11-01', '2026-11-30', '{}', 0, 'en sak till')", as: unit.m).status != 0)
        let addition = runProduct("bevaka", base + ["--period", "2026-11", "--fynd", "en sak till", "--tillagg"])
        #expect(addition.status == 0 && addition.output.contains("Tillägget till loggkontrollen"), "\(addition.output)")
        let history = runProduct("bevaka", ["db", "loggkontroll", "--historik", "--store", unit.url(unit.m)])
        let lines = history.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0].contains("Fynd: inga avvikelser") && lines[1].hasPrefix("    tillägg ")
                && lines[1].contains("Fynd: en sak till"), "\(history.output)")
    }
}
