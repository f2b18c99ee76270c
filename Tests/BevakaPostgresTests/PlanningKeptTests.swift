import BevakaTestSupport
import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import Foundation
import Testing

/// Migration 13: the manager's planning document is made when a record is written and kept in a
/// column beside it (`plan`), instead of being made for every person at every read of the unit
/// view. It must always be what `bevaka_plan_doc` makes of the record, the migration must fill it
/// without touching versions, the log or anyone's session, and nobody may read or write the
/// column except through `bevaka_unit`.
@Suite(.serialized) struct PlanningKeptTests {
    /// Rows whose kept document differs from the one the function makes now.
    func stale(_ unit: UnitFixture) throws -> String {
        try unit.server.psql("SELECT count(*) FROM bevaka_clients WHERE plan IS DISTINCT FROM bevaka_plan_doc(doc)::text",
                             database: unit.database)
    }

    @Test func theMigrationFillsTheColumnWithoutNewVersionsLogRowsOrNotifications() throws {
        let server = PrivateServer.shared
        let url = try server.database(initialised: false)
        let database = PrivateServer.databaseName(url)
        let store = PostgresStore(try PostgresLocation(url, environment: [:]))
        _ = try store.initialise(through: 12)
        // People written under migration 12 (the program's own commands want the latest schema).
        let owner = "p_" + database.suffix(8)
        _ = try server.psql("SELECT bevaka_user_add('\(owner)', 'handlaggare', 'Petra Plan')", database: database)
        let people = Array(DemoCaseload.make(today: today).clients.prefix(8))
        for (person, doc) in zip(people, try PostgresStore.encode(people)) {
            _ = try server.psql("""
                INSERT INTO bevaka_clients (id, pnr, doc, owner)
                VALUES ('\(person.id)', '\(person.personnummer.digits)', '\(doc.replacingOccurrences(of: "'", with: "''"))'::jsonb, '\(owner)')
                """, database: database)
        }
        _ = try server.psql("UPDATE bevaka_clients SET doc = jsonb_set(doc, '{notes}', '\"andra versionen\"')", database: database)
        func facts() throws -> String {
            try server.psql("""
                SELECT (SELECT string_agg(id || ':' || version || ':' || updated_at, ',' ORDER BY id) FROM bevaka_clients)
                       || '|' || (SELECT count(*) FROM bevaka_access_log)
                """, database: database)
        }
        let before = try facts()
        #expect(before.contains(":2:"))
        let listening = try PGConnection.connect(try PostgresLocation(url, environment: [:]).conninfo, timeout: .seconds(10))
        _ = try listening.query("LISTEN bevaka_clients", deadline: .now + .seconds(10))
        #expect(try store.initialise(through: 13).count == 1)
        #expect(try facts() == before)
        _ = try listening.query("SELECT 1", deadline: .now + .seconds(10))
        #expect(try listening.notifications().isEmpty)
        // The same connection hears a write after the migration (so an empty list above means something).
        _ = try server.psql("UPDATE bevaka_clients SET doc = doc WHERE ordinal = (SELECT max(ordinal) FROM bevaka_clients)", database: database)
        _ = try listening.query("SELECT 1", deadline: .now + .seconds(10))
        #expect(try listening.notifications().count == 1)
        #expect(try server.psql("SELECT count(*) FROM bevaka_clients WHERE plan IS NULL", database: database) == "0")
        #expect(try server.psql("SELECT count(*) FROM bevaka_clients WHERE plan IS DISTINCT FROM bevaka_plan_doc(doc)",
                                database: database) == "0")
        // The triggers are on again: the next write stamps a version and keeps the plan.
        _ = try server.psql("UPDATE bevaka_clients SET doc = jsonb_set(doc, '{archived}', 'true') WHERE ordinal = (SELECT min(ordinal) FROM bevaka_clients)",
                            database: database)
        #expect(try server.psql("SELECT count(*) FROM bevaka_clients WHERE version = 3 AND (plan->>'archived')::boolean",
                                database: database) == "1")

        // Migration 16 keeps the same documents as the text the view sends, with nothing else
        // touched: no version, no log row, no notification.
        _ = try store.initialise(through: 15)
        let documents = try server.psql("SELECT string_agg(id || '=' || plan::text, '|' ORDER BY id) FROM bevaka_clients", database: database)
        let atFifteen = try facts()
        _ = try listening.query("SELECT 1", deadline: .now + .seconds(10))
        _ = try listening.notifications()
        #expect(try store.initialise(through: 16).count == 1)
        #expect(try facts() == atFifteen)
        _ = try listening.query("SELECT 1", deadline: .now + .seconds(10))
        #expect(try listening.notifications().isEmpty)
        #expect(try server.psql("SELECT data_type FROM information_schema.columns WHERE table_name = 'bevaka_clients' AND column_name = 'plan'",
                                database: database) == "text")
        #expect(try server.psql("SELECT string_agg(id || '=' || plan, '|' ORDER BY id) FROM bevaka_clients", database: database) == documents)
        #expect(try server.psql("SELECT count(*) FROM bevaka_clients WHERE plan IS DISTINCT FROM bevaka_plan_doc(doc)::text",
                                database: database) == "0")
        _ = try server.psql("UPDATE bevaka_clients SET doc = jsonb_set(doc, '{archived}', 'false') WHERE ordinal = (SELECT min(ordinal) FROM bevaka_clients)",
                            database: database)
        #expect(try server.psql("SELECT count(*) FROM bevaka_clients WHERE version = 4 AND NOT (plan::jsonb->>'archived')::boolean",
                                database: database) == "1")
        #expect(try server.psql("SELECT count(*) FROM bevaka_clients WHERE plan IS DISTINCT FROM bevaka_plan_doc(doc)::text",
                                database: database) == "0")

        // Migration 20 packs the planning documents already written with lz4 (where the server
        // has it), with nothing else touched: no version, no log row, no notification, the same
        // text. People with many decisions, so that PostgreSQL compresses their documents.
        _ = try store.initialise(through: 19)
        _ = try server.psql("""
            UPDATE bevaka_clients SET doc = jsonb_set(doc, '{decisions}', coalesce((
                SELECT jsonb_agg(jsonb_set(x, '{id}', to_jsonb('d' || (1000 * n + k))))
                FROM jsonb_array_elements(doc->'decisions') WITH ORDINALITY e(x, k), generate_series(1, 12) n), doc->'decisions'))
            """, database: database)
        func packed(_ column: String, _ method: String) throws -> Int {
            Int(try server.psql("SELECT count(*) FROM bevaka_clients WHERE pg_column_compression(\(column)) = '\(method)'",
                                database: database)) ?? -1
        }
        #expect(try packed("plan", "pglz") > 0)
        let planned = try server.psql("SELECT string_agg(id || '=' || plan, '|' ORDER BY id) FROM bevaka_clients", database: database)
        let atNineteen = try facts()
        _ = try listening.query("SELECT 1", deadline: .now + .seconds(10))
        _ = try listening.notifications()
        #expect(try store.initialise(through: 20).count == 1)
        #expect(try facts() == atNineteen)
        _ = try listening.query("SELECT 1", deadline: .now + .seconds(10))
        #expect(try listening.notifications().isEmpty)
        #expect(try server.psql("SELECT string_agg(id || '=' || plan, '|' ORDER BY id) FROM bevaka_clients", database: database) == planned)
        let lz4 = try server.psql("SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'",
                                  database: database) == "t"
        if lz4 {
            #expect(try packed("plan", "pglz") == 0)
            #expect(try packed("plan", "lz4") > 0)
            // A record written after it is packed with lz4 too.
            _ = try server.psql("UPDATE bevaka_clients SET doc = jsonb_set(doc, '{notes}', '\"tredje versionen\"')", database: database)
            #expect(try packed("doc", "pglz") == 0)
            #expect(try packed("doc", "lz4") > 0)
        }
        #expect(try server.psql("SELECT count(*) FROM bevaka_clients WHERE plan IS DISTINCT FROM bevaka_plan_doc(doc)::text",
                                database: database) == "0")
    }

    /// People written under migration 1 and carried through every migration since: a later
    /// migration that changes `bevaka_plan_doc` without filling the column again fails here.
    @Test func aDatabaseUpgradedFromMigrationOneKeepsNoStalePlan() throws {
        let unit = try UnitFixture(origin: .upgradedFromOne)
        #expect(try unit.server.psql("SELECT count(*) FROM bevaka_clients", database: unit.database) != "0")
        #expect(try stale(unit) == "0")
    }

    @Test func everyWriteKeepsThePlanOfTheRecordAsStored() throws {
        let unit = try UnitFixture()
        #expect(try stale(unit) == "0")
        // A handläggare's own save through the app's store, a new person and a changed one.
        let (store, loaded) = try openStore(unit.url(unit.a))
        var caseload = loaded
        caseload.clients[0].decisions[0].validTo = today.adding(days: 40)
        caseload.clients[1].archived = true
        var person = DemoCaseload.make(today: today).clients[10]
        person.id = caseload.makeID("c")
        caseload.clients.append(person)
        _ = try store.saveChanges(caseload)
        #expect(try stale(unit) == "0")
        #expect(try unit.server.psql("SELECT plan::jsonb->'decisions'->0->>'to' FROM bevaka_clients WHERE id = '\(caseload.clients[0].id)'",
                                     database: unit.database) == today.adding(days: 40).description)
        // A reassignment by the manager, and the owner's own writes.
        let manager = PostgresStore(try PostgresLocation(unit.url(unit.m), environment: [:]))
        try manager.reassign(clientID: unit.bPeople[0].id, to: unit.a)
        #expect(try unit.server.psql("SELECT owner FROM bevaka_clients WHERE id = '\(unit.bPeople[0].id)'", database: unit.database) == unit.a)
        _ = try unit.server.psql("UPDATE bevaka_clients SET doc = jsonb_set(doc, '{protected}', 'true') WHERE id = '\(unit.bPeople[1].id)'",
                                 database: unit.database)
        #expect(try stale(unit) == "0")
        // What the unit view reads is the kept column, and it is the function's document.
        let planner = PostgresStore(try PostgresLocation(unit.url(unit.m), environment: [:]))
        try planner.prepareForWriting()
        let planning = try #require(try planner.load())
        #expect(planning.clients.count == unit.people.count + 1)
        #expect(planning.clients.allSatisfy { $0.notes == nil && $0.decisions.allSatisfy { $0.delayReason == nil } })
        #expect(planning.clients.first { $0.id == unit.bPeople[1].id }?.personnummer.digits.hasSuffix("01010000") == true)
    }

    @Test func noRoleReadsOrWritesTheKeptPlanExceptThroughTheUnitView() throws {
        let unit = try UnitFixture()
        let id = unit.aPeople[0].id
        for role in [unit.a, unit.b, unit.m] {
            // Read it straight, through a view of one's own, or a temporary copy.
            for sql in ["SELECT plan FROM bevaka_clients",
                        "SELECT count(*) FROM bevaka_clients WHERE plan IS NOT NULL",
                        "CREATE TEMP TABLE t AS SELECT plan FROM bevaka_clients",
                        "SELECT bevaka_keep_plan()",
                        "UPDATE bevaka_clients SET plan = '{\"name\":\"x\"}' WHERE id = '\(id)'",
                        "INSERT INTO bevaka_clients (id, pnr, doc, plan) VALUES ('c999999', '191212121212', '{}', '{}')"] {
                let run = unit.psql(sql, as: role)
                #expect(run.status != 0, "\(role): \(sql) → \(run.output)")
                #expect(run.output.contains("permission denied") || run.output.contains("behörighet") || run.output.contains("trigger"),
                        "\(role): \(sql) → \(run.output)")
            }
            // Statistics on the column say nothing of its values either.
            let stats = unit.psql("SELECT count(*) FROM pg_stats WHERE tablename = 'bevaka_clients' AND attname = 'plan'", as: role)
            #expect(stats.output == "0", "\(role): \(stats.output)")
        }
        // Writing the document (as the handläggare may) with a planning document in it that is not
        // the record's: the column keeps the one made from the record.
        let doc = try unit.server.psql("SELECT doc::text FROM bevaka_clients WHERE id = '\(id)'", database: unit.database)
        let forged = unit.psql("""
            BEGIN; SELECT set_config('bevaka.screen', 'sparande', true);
            UPDATE bevaka_clients SET doc = jsonb_set('\(doc.replacingOccurrences(of: "'", with: "''"))'::jsonb, '{plan}', '{"name":"x"}')
            WHERE id = '\(id)'; COMMIT;
            """, as: unit.a)
        #expect(forged.status == 0, "\(forged.output)")
        _ = try unit.server.psql("ANALYZE bevaka_clients", database: unit.database)
        #expect(try stale(unit) == "0")
        #expect(unit.psql("SELECT count(*) FROM pg_stats WHERE tablename = 'bevaka_clients' AND attname = 'plan'", as: unit.a).output == "0")
    }
}
