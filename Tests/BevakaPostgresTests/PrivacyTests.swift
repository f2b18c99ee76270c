import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// Issue 22 on the shared store, against the real private server: gallring, a log no role can
/// shorten, an audit a reviewer can read, loggkontroll kept append-only.
@Suite struct PrivacyTests {
    /// a's first person archived, every decision closed 13 months before the policies' date.
    static func ended(_ unit: UnitFixture) throws -> Client {
        var person = unit.aPeople[0]
        person.archived = true
        for index in person.decisions.indices {
            person.decisions[index].closedOn = Day(year: 2025, month: 10, day: 15)
            person.decisions[index].validTo = Day(year: 2025, month: 12, day: 31)
        }
        let doc = String(decoding: try JSONEncoder().encode(person), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        try unit.server.psql("UPDATE bevaka_clients SET doc = '\(doc)'::jsonb WHERE id = '\(person.id)'", database: unit.database)
        return person
    }

    @Test func gallringRemovesTheRowAndLogsTheIdOnly() throws {
        let unit = try UnitFixture()
        let person = try Self.ended(unit)
        // The facts were recorded today: not before tomorrow.
        #expect(unit.psql("SELECT count(*) FROM bevaka_gallra(ARRAY['\(person.id)'])", as: unit.a).output == "0")
        try unit.setClock("2026-12-02")
        // Not b's, not the manager's to remove; a not-archived person of a's is not removed either.
        #expect(unit.psql("SELECT count(*) FROM bevaka_gallra(ARRAY['\(person.id)'])", as: unit.b).output == "0")
        #expect(unit.psql("SELECT count(*) FROM bevaka_gallra(ARRAY['\(person.id)'])", as: unit.m).status != 0)
        #expect(unit.psql("SELECT count(*) FROM bevaka_gallra(ARRAY['\(unit.aPeople[1].id)'])", as: unit.a).output == "0")
        // Not yet due when the unit keeps people 24 months (the owner's setting, not the caller's).
        try unit.server.psql("UPDATE bevaka_settings SET gallring_months = 24", database: unit.database)
        #expect(unit.psql("SELECT count(*) FROM bevaka_gallra(ARRAY['\(person.id)'])", as: unit.a).output == "0")
        try unit.server.psql("UPDATE bevaka_settings SET gallring_months = 12", database: unit.database)
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_clients WHERE id = '\(person.id)'", database: unit.database) == "1")

        // Through the app's store: due with the default, gone from the database.
        let (store, loaded) = try unit.store(as: unit.a)
        let due = Gallring.candidates(loaded, months: 12, today: Day(year: 2026, month: 12, day: 1)!)
        #expect(due.map(\.client.id) == [person.id])
        let (remaining, removed) = try store.removeForGood(Set(due.map(\.client.id)), from: loaded)
        #expect(removed == 1 && remaining.clients.map(\.id) == Array(unit.aPeople.dropFirst()).map(\.id))
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_clients WHERE id = '\(person.id)'", database: unit.database) == "0")
        #expect(try unit.log(who: unit.a).contains("gallrad \(person.id)"))
        // Nothing in any table the owner can read holds the person any more.
        #expect(try unit.search(as: "postgres", for: UnitFixture.needles([person])).hits == 0)
        // Everyone else is there.
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_clients", database: unit.database) == "5")
    }

    @Test func noRoleShortensTheLog() throws {
        let unit = try UnitFixture()
        _ = try unit.store(as: unit.a)  // a list read: a row in the log
        // The log's first row, as if written six years ago (only the owner, with the table's
        // triggers off, can make one like this).
        try unit.server.psql("""
            ALTER TABLE bevaka_access_log DISABLE TRIGGER bevaka_log_no_change;
            UPDATE bevaka_access_log SET at = now() - interval '6 years', detail = 'gammal'
                WHERE chain_seq = (SELECT min(chain_seq) FROM bevaka_access_log);
            ALTER TABLE bevaka_access_log ENABLE TRIGGER bevaka_log_no_change;
            """, database: unit.database)
        let count = { try unit.server.psql("SELECT count(*) FROM bevaka_access_log", database: unit.database) }
        let before = try count()
        for role in [unit.a, unit.m, "postgres"] {
            for sql in ["DELETE FROM bevaka_access_log", "DELETE FROM bevaka_access_log WHERE at > now() - interval '1 year'",
                        "SET bevaka.log_purge = 'on'; DELETE FROM bevaka_access_log WHERE at > now() - interval '1 year'",
                        "TRUNCATE bevaka_access_log", "UPDATE bevaka_access_log SET detail = 'x'",
                        "SELECT bevaka_log_purge(current_date)", "SELECT bevaka_log_purge((now() - interval '4 years')::date)",
                        "UPDATE bevaka_settings SET log_keep_years = 1",
                        "BEGIN; SET LOCAL bevaka.log_purge = 'on'; DELETE FROM bevaka_access_log WHERE detail <> 'gammal'; COMMIT;"] {
                #expect(unit.psql(sql, as: role).status != 0, "\(role): \(sql)")
            }
        }
        #expect(try count() == before)
        // The owner's purge of rows older than five years works, and says so in the log.
        #expect(unit.psql("SELECT bevaka_log_purge((now() - interval '5 years 1 day')::date)", as: "postgres").output == "1")
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_access_log WHERE detail = 'gammal'", database: unit.database) == "0")
        #expect(try unit.server.psql("SELECT action FROM bevaka_access_log ORDER BY id DESC LIMIT 1", database: unit.database) == "log_purged")
        // A lawful purge leaves the chain whole: its base moved with it.
        #expect(unit.psql("SELECT whole FROM bevaka_verify_log()", as: unit.m).output == "t")
    }

    @Test func theAuditNamesPeopleInLocalTimeWithTheFieldsChanged() throws {
        let unit = try UnitFixture()
        let (store, loaded) = try unit.store(as: unit.a)
        let person = unit.aPeople[0]
        _ = try store.recordOpen(person.id, what: "ärende")
        var caseload = loaded
        caseload.clients[0].doorCode = "1234"
        caseload.clients[0].decisions[0].grantedHours = 41
        _ = try store.saveChanges(caseload)
        let run = runProduct("bevaka", ["db", "audit", "--user", unit.a, "--store", unit.url(unit.m)])
        #expect(run.status == 0, "\(run.output)")
        let born = String(person.personnummer.digits.prefix(8))
        #expect(run.output.contains("Anna Lind (\(unit.a))") && run.output.contains("\(person.name), \(born)"), "\(run.output)")
        #expect(run.output.contains("ändrade beslut: beviljad tid, portkod (version 2, sparande)"), "\(run.output)")
        #expect(run.output.hasPrefix("Tid ") && run.output.contains("Händelse  Person  Detalj"), "\(run.output)")
        #expect(!run.output.contains(person.personnummer.digits) && !run.output.contains("c2000000"))
        // The time as Stockholm's clock shows it.
        let at = try unit.server.psql("""
            SELECT to_char(at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI:SS') FROM bevaka_access_log
            WHERE who = '\(unit.a)' AND action = 'changed'
            """, database: unit.database)
        #expect(run.output.contains(at), "\(at) not in \(run.output)")
        // Reading the names is itself logged.
        #expect(try unit.log(who: unit.m).contains("listed -"))
    }

    @Test func loggkontrollIsKeptAppendOnlyAndTheManagersBevakningGoes() throws {
        let unit = try UnitFixture()
        // November's openings, written by the owner with their times (Stockholm): the manager
        // opens one of b's cases (not the manager's own), a opens her own at 21:00, on a Saturday,
        // and a protected person of b's (b); and three ordinary openings.
        try unit.server.psql("UPDATE bevaka_clients SET doc = doc || '{\"protected\": true}' WHERE id = '\(unit.bPeople[1].id)'",
                             database: unit.database)
        let rows: [(String, String, String)] = [
            ("2026-11-10 10:00", unit.m, unit.bPeople[0].id), ("2026-11-10 21:00", unit.a, unit.aPeople[0].id),
            ("2026-11-14 10:00", unit.a, unit.aPeople[1].id), ("2026-11-11 09:00", unit.b, unit.bPeople[1].id),
            ("2026-11-12 09:00", unit.a, unit.aPeople[2].id), ("2026-11-12 09:30", unit.b, unit.bPeople[2].id),
            ("2026-11-13 14:00", unit.a, unit.aPeople[0].id),
        ]
        for (at, who, id) in rows {
            try unit.server.psql("""
                INSERT INTO bevaka_access_log (at, who, client_id, action, detail)
                VALUES ('\(at)'::timestamp AT TIME ZONE 'Europe/Stockholm', '\(who)', '\(id)', 'opened', 'ärende')
                """, database: unit.database)
        }
        let november = Day(year: 2026, month: 11, day: 30)!
        #expect(try unit.store(as: unit.m).0.unitContext()?.logReviewedThrough == nil)
        #expect(LogReview.duePeriod(today: november.adding(days: 1), lastReviewedThrough: nil, intervalMonths: 1)?.to == november)
        let arguments = ["db", "loggkontroll", "--period", "2026-11", "--stickprov", "2", "--today", "2026-12-01", "--store", unit.url(unit.m)]
        let shown = runProduct("bevaka", arguments)
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("7 öppningar, 4 avvikande, stickprov 2"), "\(shown.output)")
        #expect(shown.output.contains("Maja Chef  öppnade (ärende)  \(unit.bPeople[0].name)"), "\(shown.output)")
        for reason in ["inte eget eller täckt ärende", "utanför 07–19", "helgdag", "skyddade personuppgifter"] {
            #expect(shown.output.contains(reason), "\(reason) missing: \(shown.output)")
        }
        #expect(shown.output.contains("Skyddad") && !unit.people.contains { shown.output.contains($0.personnummer.digits) })
        // The same sample the next time.
        #expect(runProduct("bevaka", arguments).output == shown.output)
        // A finding with a personnummer is refused; a plain one is kept.
        let refused = runProduct("bevaka", arguments + ["--fynd", "kolla 19400101-1234"])
        #expect(refused.status != 0 && refused.output.contains("personnummer"))
        let kept = runProduct("bevaka", arguments + ["--fynd", "Chefens öppning gällde ett handläggarbyte."])
        #expect(kept.status == 0 && kept.output.contains("är sparad: 6 rader granskade, 4 avvikande"), "\(kept.output)")
        let history = runProduct("bevaka", ["db", "loggkontroll", "--historik", "--store", unit.url(unit.m)])
        #expect(history.output.contains("Maja Chef  2026-11-01–2026-11-30: 6 granskade, 4 avvikande. Fynd: Chefens öppning gällde ett handläggarbyte."),
                "\(history.output)")
        // Nobody changes or removes a review; a handläggare cannot read or write one.
        for role in [unit.a, unit.m, "postgres"] {
            #expect(unit.psql("UPDATE bevaka_log_reviews SET finding = 'x'", as: role).status != 0)
            #expect(unit.psql("DELETE FROM bevaka_log_reviews", as: role).status != 0)
            #expect(unit.psql("TRUNCATE bevaka_log_reviews", as: role).status != 0)
        }
        #expect(unit.psql("SELECT count(*) FROM bevaka_log_reviews", as: unit.a).status != 0)
        #expect(unit.psql("SELECT bevaka_record_review(current_date, current_date, '{}', 0, 'x')", as: unit.a).status != 0)
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_log_reviews", database: unit.database) == "1")
        // The manager's bevakning for November is gone once the review exists.
        let context = try unit.store(as: unit.m).0.unitContext()
        #expect(context?.logReviewedThrough == november)
        #expect(LogReview.duePeriod(today: november.adding(days: 1), lastReviewedThrough: context?.logReviewedThrough,
                                    intervalMonths: 1) == nil)
    }

    /// A registerutdrag from the shared store: the manager makes it, the look-up and the read are
    /// logged, it carries the log's rows about the case and nobody else's data; a handläggare
    /// cannot make one of a colleague's person.
    @Test func theManagerMakesARegisterutdragAndItIsLogged() throws {
        let unit = try UnitFixture()
        let person = unit.bPeople[0]
        _ = try unit.store(as: unit.b)
        let run = runProduct("bevaka", ["export", "registerutdrag", person.personnummer.digits, "--store", unit.url(unit.m),
                                        "--today", "2026-12-01"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains(person.name) && run.output.contains("Åtkomstloggen") && run.output.contains("Maja Chef"),
                "\(run.output)")
        for other in unit.people where other.id != person.id {
            #expect(!run.output.contains(other.personnummer.digits) && !run.output.contains(other.name), "\(other.name) is in it")
        }
        let logged = try unit.log(who: unit.m)
        #expect(logged.contains("looked_up \(person.id)") && logged.contains("opened \(person.id)"), "\(logged)")
        let refused = runProduct("bevaka", ["export", "registerutdrag", person.personnummer.digits, "--store", unit.url(unit.a)])
        #expect(refused.status != 0 && !refused.output.contains(person.name)
                && refused.output.contains("görs av enhetschefen eller databasens ägare"), "\(refused.output)")
        // And the database refuses a handläggare who asks it directly.
        #expect(unit.psql("SELECT bevaka_request('lookup', 'export', NULL, ARRAY['\(person.personnummer.digits)'])", as: unit.a).status != 0)
    }

    /// A person without a Swedish personnummer on the shared store (issue 33, item 2): saved by
    /// the handläggare through the logged request like any new person, read back whole; the
    /// manager's planning data has the birth date and the sex in the usual shape and nothing of
    /// the reservnummer, and the ladder's answers (dates only).
    @Test(arguments: DatabaseOrigin.allCases) func aPersonWithoutASwedishPersonnummerIsSavedAndPlannedLikeAnyone(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        let (store, before) = try unit.store(as: unit.a)
        var caseload = before
        var person = Client(id: caseload.makeID("c"), name: "Omar Hassan",
                            personnummer: Personnummer.withoutSwedishNumber(born: d("1948-11-30"), sex: .man, reservnummer: "RV4411", name: "Omar Hassan"))
        var decision = Decision(id: caseload.makeID("d"), law: .sol, service: "hemtjänst", validFrom: d("2026-11-02"))
        decision.decidedOn = d("2026-11-02")
        decision.orderConfirmedOn = d("2026-11-04")
        person.decisions = [decision]
        caseload.clients.append(person)
        _ = try store.saveChanges(caseload)
        let (_, again) = try unit.store(as: unit.a)
        let read = try #require(again.clients.first { $0.id == person.id })
        #expect(read.personnummer == person.personnummer && read.personnummer.reservnummer == "RV4411")
        #expect(read.decisions.first?.orderConfirmedOn == d("2026-11-04"))
        // The colleague does not see them; the manager's planning data: birth date, sex, no reference.
        #expect(try unit.store(as: unit.b).1.clients.allSatisfy { $0.id != person.id })
        let (_, planning) = try unit.store(as: unit.m)
        let planned = try #require(planning.clients.first { $0.id == person.id })
        #expect(planned.personnummer.digits == "194811300010")
        #expect(planned.decisions.first?.orderConfirmedOn == d("2026-11-04"))
        let raw = unit.script("""
            SELECT bevaka_request('planning', 'enhetens planering') AS req \\gset
            SELECT plan FROM bevaka_unit(:req) WHERE id = '\(person.id)';
            """, as: unit.m)
        #expect(raw.status == 0 && raw.output.contains("19481130") && !raw.output.contains("4411"), "\(raw.output)")
    }

    /// The unit's IVO report from the manager (issue 33, item 3): every handläggare's decision
    /// once, grouped by handläggare, each person by personnummer, what lacks a reason marked; each
    /// case read whole is logged ("IVO-rapport"); `--markera-skickad` writes only IVO's labels, through
    /// the database's function, which nobody else may call and which changes nothing else.
    @Test(arguments: DatabaseOrigin.allCases) func theManagersUnitIVOReportHasEveryDecisionOnce(origin: DatabaseOrigin) throws {
        let unit = try UnitFixture(origin: origin)
        var late: [Client] = []
        for (index, var person) in [unit.aPeople[0], unit.bPeople[0]].enumerated() {
            person.decisions[0].startedOn = nil
            person.decisions[0].closedOn = nil
            person.decisions[0].validTo = nil
            person.decisions[0].validFrom = Day(year: 2026, month: 3, day: 1)!
            person.decisions[0].decidedOn = Day(year: 2026, month: 3, day: 1)
            person.decisions[0].delayReason = index == 0 ? "Ingen ledig plats" : nil
            late.append(person)
            let doc = String(decoding: try JSONEncoder().encode(person), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
            try unit.server.psql("UPDATE bevaka_clients SET doc = '\(doc)'::jsonb WHERE id = '\(person.id)'", database: unit.database)
        }
        // Anna covers for Bo: Bo's case is still reported once, as his.
        try unit.setClock("2026-12-01")
        #expect(unit.psql("SELECT bevaka_cover('\(unit.b)', '\(unit.a)', '2026-12-24')", as: unit.b).status == 0)
        let logBefore = try unit.server.psql("SELECT count(*) FROM bevaka_access_log WHERE who = '\(unit.m)' AND detail = 'IVO-rapport'",
                                             database: unit.database)
        let run = runProduct("bevaka", ["rapport", "ivo", "--kvartal", "2026-3", "--store", unit.url(unit.m), "--today", "2026-12-01"])
        #expect(run.status == 0, "\(run.output)")
        for person in late {
            #expect(run.output.components(separatedBy: person.personnummer.formatted).count == 2, "once: \(person.name)\n\(run.output)")
            #expect(!run.output.contains(person.name))
        }
        #expect(run.output.contains("Handläggare: Anna Lind") && run.output.contains("Handläggare: Bo Karlsson"), "\(run.output)")
        // Bo has one more late decision in the fixture; his new one has no reason yet.
        #expect(run.output.contains("Per handläggare: Anna Lind 1, Bo Karlsson 2 (1 ofullständiga)"), "\(run.output)")
        #expect(run.output.contains("OFULLSTÄNDIG: skäl till dröjsmålet saknas"))
        let logged = try unit.server.psql("SELECT client_id FROM bevaka_access_log WHERE who = '\(unit.m)' AND action = 'opened' AND detail = 'IVO-rapport' ORDER BY client_id",
                                          database: unit.database).split(separator: "\n").map(String.init)
        #expect(logBefore == "0" && Set(late.map(\.id)).isSubset(of: Set(logged)) && logged.count == 3, "\(logged)")

        // Marked sent for the unit: the decisions carry the quarter, nothing else changed.
        let before = try unit.server.psql("SELECT doc - 'decisions' FROM bevaka_clients WHERE id = '\(late[0].id)'", database: unit.database)
        let sent = runProduct("bevaka", ["rapport", "ivo", "--kvartal", "2026-3", "--markera-skickad", "--store", unit.url(unit.m),
                                         "--today", "2026-12-01", "--output", unit.server.folder + "/ivo-enheten.txt"])
        #expect(sent.status == 0 && sent.output.contains("markerat som skickat till IVO för hela enheten"), "\(sent.output)")
        for person in late {
            #expect(try unit.server.psql("SELECT doc->'decisions'->0->'ivoReported' FROM bevaka_clients WHERE id = '\(person.id)'",
                                         database: unit.database) == "[\"2026-Q3\"]")
        }
        #expect(try unit.server.psql("SELECT doc - 'decisions' FROM bevaka_clients WHERE id = '\(late[0].id)'", database: unit.database) == before)
        // The next quarter: continued, not new.
        let next = runProduct("bevaka", ["rapport", "ivo", "--kvartal", "2026-4", "--store", unit.url(unit.m), "--today", "2027-01-10"])
        #expect(next.output.contains("Fortsatta rapporter (3)"), "\(next.output)")

        // Attacks on the marking function: a handläggare may not call it; the manager cannot
        // write anything but the labels through it (a field smuggled in a mark is not written).
        let handlaggare = unit.psql("SELECT bevaka_ivo_mark_sent('2026-Q4', '[{\"client\": \"\(late[0].id)\", \"decision\": \"\(late[0].decisions[0].id)\", \"closing\": false}]')", as: unit.a)
        #expect(handlaggare.status != 0 && handlaggare.output.contains("permission denied"), "\(handlaggare.output)")
        let stranger = unit.psql("SELECT bevaka_ivo_mark_sent('2026-Q4', '[]')", as: unit.c)
        #expect(stranger.status != 0)
        for bad in ["'x', '[]'", "'2026-Q4', '{}'", "'2026-Q4', '[{\"client\": 1}]'",
                    "'2026-Q4', '[{\"client\": \"a\", \"decision\": \"b\", \"closing\": false, \"interruption\": \"igår\"}]'"] {
            let refused = unit.psql("SELECT bevaka_ivo_mark_sent(\(bad))", as: unit.m)
            #expect(refused.status != 0, "\(bad): \(refused.output)")
        }
        let smuggled = unit.psql("SELECT bevaka_ivo_mark_sent('2026-Q4', '[{\"client\": \"\(late[0].id)\", \"decision\": \"\(late[0].decisions[0].id)\", \"closing\": false, \"doorCode\": \"1234\", \"startedOn\": \"2026-01-01\"}]')", as: unit.m)
        #expect(smuggled.status == 0)
        let after = try unit.server.psql("SELECT doc->'decisions'->0 FROM bevaka_clients WHERE id = '\(late[0].id)'", database: unit.database)
        #expect(after.contains("2026-Q4") && !after.contains("\"started\"") && !after.contains("1234"), "\(after)")
        #expect(try unit.server.psql("SELECT doc - 'decisions' FROM bevaka_clients WHERE id = '\(late[0].id)'", database: unit.database) == before)
        // Nor may anyone call the helper that builds the label.
        #expect(unit.psql("SELECT bevaka_ivo_marked('{}'::jsonb, 'x', NULL, true)", as: unit.m).status != 0)
    }

    /// Fullmäktige's statistics for the whole unit from the manager's planning data: the same
    /// counts, by sex too, as the handläggare's own reports added up, and no name in it.
    @Test func theManagersUnitStatisticsAreTheHandlaggaresAddedUp() throws {
        let unit = try UnitFixture()
        // One decision of a's and one of b's not carried out, six months at the quarter's end.
        for var person in [unit.aPeople[0], unit.bPeople[0]] {
            person.decisions[0].startedOn = nil
            person.decisions[0].closedOn = nil
            person.decisions[0].validTo = nil
            person.decisions[0].validFrom = Day(year: 2026, month: 3, day: 1)!
            person.decisions[0].decidedOn = Day(year: 2026, month: 3, day: 1)
            let doc = String(decoding: try JSONEncoder().encode(person), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
            try unit.server.psql("UPDATE bevaka_clients SET doc = '\(doc)'::jsonb WHERE id = '\(person.id)'", database: unit.database)
        }
        func rows(_ role: String) throws -> [String: Int] {
            let run = runProduct("bevaka", ["rapport", "statistik", "--kvartal", "2026-3", "--format", "csv", "--store", unit.url(role),
                                            "--today", "2026-12-01"])
            #expect(run.status == 0, "\(role): \(run.output)")
            for person in unit.people { #expect(!run.output.contains(person.name) && !run.output.contains(person.personnummer.digits)) }
            var counts: [String: Int] = [:]
            for line in run.output.split(whereSeparator: \.isNewline).dropFirst() {
                let fields = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").map(String.init)
                guard fields.count == 7, let count = Int(fields[6]) else { continue }
                counts[fields[1...5].joined(separator: ";"), default: 0] += count
            }
            return counts
        }
        let manager = try rows(unit.m)
        let mine = try rows(unit.a)
        let theirs = try rows(unit.b)
        #expect(manager == mine.merging(theirs, uniquingKeysWith: +))
        #expect(manager.values.reduce(0, +) >= 2, "the fixture has something to count: \(manager)")
        #expect(manager.keys.contains { $0.contains("6–9 mån") }, "\(manager)")
    }
}
