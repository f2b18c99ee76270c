import BevakaTestSupport
import BevakaDomain
import BevakaPostgres
import Foundation
import Testing

/// Issue 37: the hot queries use the index they must, on a unit of 30,000 people and their
/// access log — checked in the plans PostgreSQL itself chose for the statements inside Bevaka's
/// functions (auto_explain, nested statements), never by timing.
@Suite(.serialized) struct QueryPlanTests {
    /// Every plan auto_explain logs while `role` runs `sql` (as its session user, as the app does).
    func plans(_ unit: UnitFixture, as role: String, _ sql: String) -> String {
        let run = PrivateServer.shell(["psql", "-X", "-q", "-At", "-h", unit.server.folder, "-p", unit.server.port, "-U", "postgres",
                                       "-d", unit.database,
                                       "-c", "LOAD 'auto_explain'",
                                       "-c", "SET auto_explain.log_min_duration = 0",
                                       "-c", "SET auto_explain.log_nested_statements = on",
                                       "-c", "SET client_min_messages = log",
                                       "-c", "SET SESSION AUTHORIZATION \(role)",
                                       "-c", sql])
        return run.output
    }

    /// A committed read request of `role`'s (step one of every read), its id.
    func request(_ unit: UnitFixture, as role: String, _ arguments: String) throws -> String {
        let run = PrivateServer.shell(["psql", "-X", "-q", "-At", "-h", unit.server.folder, "-p", unit.server.port, "-U", "postgres",
                                       "-d", unit.database, "-c", "SET SESSION AUTHORIZATION \(role)",
                                       "-c", "SELECT bevaka_request(\(arguments))"])
        let id = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard run.status == 0, Int64(id) != nil else { throw PrivateServer.ServerFailure(message: run.output) }
        return id
    }

    /// The plan logged for the statement whose text contains `marker`.
    func plan(in log: String, for marker: String) -> String? {
        log.components(separatedBy: "LOG:").first { $0.contains("Query Text:") && $0.contains(marker) }
    }

    @Test func theHotQueriesUseTheirIndexesOnAUnitOf30000() throws {
        let unit = try UnitFixture()
        // 30,000 people among 30 handläggare (a has every 30th), and a year of openings in the
        // access log, as a large unit's would be. Written without the tables' triggers (the
        // planner sees the same rows; the log's hash chain is not what is tested here), which
        // makes this a second instead of a minute. Each record about the size of a real one (a
        // kilobyte and more: the planner weighs a table by its pages).
        try unit.server.psql("""
            SET session_replication_role = replica;
            INSERT INTO bevaka_clients (id, pnr, doc, ordinal, owner)
            SELECT 'x' || g, 'p' || g, jsonb_build_object('id', 'x' || g, 'pnr', 'p' || g, 'name', 'Person ' || g,
                                                          'notes', repeat(md5(g::text), 40)), 100000 + g,
                   CASE WHEN g % 30 = 0 THEN '\(unit.a)' ELSE 'h' || (g % 30) END
            FROM generate_series(1, 30000) g;
            INSERT INTO bevaka_access_log (at, who, client_id, action, detail)
            SELECT timestamptz '2025-12-01' + (g * interval '10 minutes'), 'h' || (g % 30), 'x' || (g % 30000 + 1), 'opened', 'ärende'
            FROM generate_series(1, 50000) g;
            -- Each person's history: added once, listed and changed many times (what the review's
            -- question "whose was the case then" must not walk through).
            INSERT INTO bevaka_access_log (at, who, client_id, action, detail)
            SELECT timestamptz '2025-01-01', 'h' || (g % 30), 'x' || g, 'added', 'h' || (g % 30) || ' (import)'
            FROM generate_series(1, 30000) g;
            INSERT INTO bevaka_access_log (at, who, client_id, action, detail)
            SELECT timestamptz '2025-12-01' + (g * interval '1 minute'), 'h' || (g % 30), 'x' || (g % 3000 + 1),
                   CASE WHEN g % 2 = 0 THEN 'listed' ELSE 'changed' END, 'ärendelistan'
            FROM generate_series(1, 150000) g;
            -- Fourteen hours of a busy unit's read requests (kept a day; the load bench's pace).
            INSERT INTO bevaka_requests (who, at, purpose, screen, ids)
            SELECT 'h' || (g % 30), clock_timestamp() - (g * interval '500 milliseconds'), 'listed', 'ärendelistan', '{}'
            FROM generate_series(1, 100000) g;
            ANALYZE;
            """, database: unit.database)
        // As autovacuum keeps a live unit's table (the visibility map lets an index answer alone).
        try unit.server.psql("VACUUM ANALYZE bevaka_clients", database: unit.database)

        // A handläggare's caseload (bevaka_read, the whole list): by owner, not the whole table.
        // Read six times: after five, PostgreSQL may switch the function's statement to a generic
        // plan, which must use the index too.
        var readPlans: [String] = []
        for _ in 0..<6 {
            let id = try request(unit, as: unit.a, "'listed', 'ärendelistan'")
            readPlans.append(plans(unit, as: unit.a, "SELECT count(*) FROM bevaka_read(\(id))"))
        }
        for log in readPlans {
            let read = try #require(plan(in: log, for: "FROM bevaka_clients c"), "\(log)")
            #expect(read.contains("bevaka_clients_owner") && !read.contains("Seq Scan on bevaka_clients"), "\(read)")
        }

        // Step one of every read (bevaka_request): the rate limit counts the user's last minute and
        // the clean-up removes requests older than a day, each by index (migration 17), not by
        // reading the day's requests.
        let asked = plans(unit, as: unit.a, "SELECT bevaka_request('listed', 'ärendelistan')")
        let limit = try #require(plan(in: asked, for: "FROM bevaka_requests q WHERE q.who"), "\(asked)")
        // (Either of the requests' indexes, as long as the minute bounds the index's range.)
        #expect(limit.split(separator: "\n").contains { $0.contains("Index Cond:") && $0.contains("(at >") }
                && !limit.contains("Seq Scan"), "\(limit)")
        let cleanUp = try #require(plan(in: asked, for: "DELETE FROM bevaka_requests"), "\(asked)")
        #expect(cleanUp.contains("bevaka_requests_at") && !cleanUp.contains("Seq Scan on bevaka_requests"), "\(cleanUp)")

        // One person fetched again after a colleague's change: by id.
        let one = try request(unit, as: unit.a, "'listed', 'uppdatering', ARRAY['x30']")
        let fetched = try #require(plan(in: plans(unit, as: unit.a, "SELECT count(*) FROM bevaka_read(\(one))"), for: "FROM bevaka_clients c"))
        #expect(fetched.contains("bevaka_clients_pkey") && !fetched.contains("Seq Scan on bevaka_clients"), "\(fetched)")

        // The monthly loggkontroll (bevaka_review): the month's openings, not the whole log.
        let review = try request(unit, as: unit.m, "'audit', 'db audit'")
        let reviewLog = plans(unit, as: unit.m, "SELECT count(*) FROM bevaka_review(\(review), '2026-03-01', '2026-03-31')")
        let openings = try #require(plan(in: reviewLog, for: "WITH openings AS"), "\(reviewLog)")
        #expect(openings.contains("bevaka_access_log_openings") && !openings.contains("Seq Scan on bevaka_access_log l"), "\(openings)")
        // Whose each opened case was then (its last reassignment, else its addition): from the
        // partial index of those rows (migration 15), not the person's whole history.
        #expect(openings.contains("bevaka_access_log_owner_changes") && !openings.contains("Seq Scan on bevaka_access_log x")
                && !openings.contains("Index Scan Backward using bevaka_access_log_client"), "\(openings)")

        // The manager's planning (migration 21): the request counts the people and notes the
        // highest `ordinal` from an index alone, and the read walks the index on `ordinal` up to
        // it (the caseload's order), with no sort, no list of ids and no look-up per id. (The
        // statement is planned at each call, EXECUTE, for the bound it is given: the whole unit.)
        let planning = plans(unit, as: unit.m, "SELECT bevaka_request('planning', 'enhetens planering')")
        let counted = try #require(plan(in: planning, for: "max(c.ordinal)"), "\(planning)")
        #expect(counted.contains("Index Only Scan") && !counted.contains("Seq Scan"), "\(counted)")
        let planned = try request(unit, as: unit.m, "'planning', 'enhetens planering'")
        let unitLog = plans(unit, as: unit.m, "SELECT count(*) FROM bevaka_unit(\(planned))")
        let read = try #require(plan(in: unitLog, for: "WHERE c.ordinal <= $1"), "\(unitLog)")
        #expect(read.contains("Index Scan using bevaka_clients_ordinal_id") && !read.contains("Sort")
                && !read.contains("bevaka_clients_pkey") && !read.contains("Seq Scan"), "\(read)")
        // Read in parts (migration 22): the span from the index alone, and each part (here the
        // middle third of 30,000) an index range of its own, in order, with no sort.
        let rangeLog = plans(unit, as: unit.m, "SELECT count(*) FROM bevaka_unit_range(\(planned))")
        let span = try #require(plan(in: rangeLog, for: "min(c.ordinal)"), "\(rangeLog)")
        #expect(span.contains("Index Only Scan") && !span.contains("Seq Scan"), "\(span)")
        let partLog = plans(unit, as: unit.m, "SELECT count(*) FROM bevaka_unit_part(\(planned), 10000, 20000)")
        let part = try #require(plan(in: partLog, for: "WHERE c.ordinal > $1 AND c.ordinal <= $2"), "\(partLog)")
        #expect(part.contains("Index Scan using bevaka_clients_ordinal_id") && part.contains("Index Cond") && !part.contains("Sort")
                && !part.contains("bevaka_clients_pkey") && !part.contains("Seq Scan"), "\(part)")

        // One person's access log (db audit --client): by person.
        let audit = try request(unit, as: unit.m, "'audit', 'db audit'")
        let auditLog = plans(unit, as: unit.m, "SELECT count(*) FROM bevaka_audit(\(audit), 'x30', NULL, NULL, false)")
        let byPerson = try #require(plan(in: auditLog, for: "bevaka_access_log"), "\(auditLog)")
        #expect(byPerson.contains("bevaka_access_log_client") && !byPerson.contains("Seq Scan on bevaka_access_log"), "\(byPerson)")
    }
}
