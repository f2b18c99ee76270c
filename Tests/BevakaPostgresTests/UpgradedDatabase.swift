import BevakaDomain
@testable import BevakaPostgres
import BevakaTestSupport
import Foundation
import Testing

/// How a unit's database is made for a test: by the latest `db init` at once, or the way a unit
/// that started with the first release has it — migration 1 with people in it, then each
/// migration in turn with what that release wrote (covers and log rows, a loggkontroll), up to
/// the latest.
enum DatabaseOrigin: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case fresh
    case upgradedFromOne

    var testDescription: String { self == .fresh ? "a new database" : "a database upgraded from migration 1" }

    /// A new database of `server` in this origin; its URL as the superuser.
    func database(_ server: PrivateServer) throws -> String {
        switch self {
        case .fresh: return try server.database()
        case .upgradedFromOne: return try UpgradeHistory.make(server).url
        }
    }
}

/// The history an upgraded database holds: three people of a former colleague's, added under
/// migration 1, their covers and log rows under migration 2, a loggkontroll under migration 5.
struct UpgradeHistory {
    let url: String
    let database: String
    /// The handläggare who owns the historical people (staff, not one of a fixture's roles).
    let owner: String
    let people: [Client]
    /// Each person's record as it was written under migration 1.
    let docs: [String]

    static func make(_ server: PrivateServer) throws -> UpgradeHistory {
        let url = try server.database(initialised: false)
        let database = PrivateServer.databaseName(url)
        let store = PostgresStore(try PostgresLocation(url, environment: [:]))
        let owner = "h_" + database.suffix(8)
        let colleague = "g_" + database.suffix(8)
        // People the demo has beyond the six the unit fixtures use.
        let people = Array(DemoCaseload.make(today: today).clients.dropFirst(6).prefix(3))
        let docs = try PostgresStore.encode(people)
        func sql(_ text: String) throws { try server.psql(text, database: database) }
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

        #expect(try store.initialise(through: 1).count == 1)
        for (person, doc) in zip(people, docs) {
            try sql("INSERT INTO bevaka_clients (id, doc, owner) VALUES (\(quoted(person.id)), \(quoted(doc))::jsonb, \(quoted(owner)))")
        }
        #expect(try store.initialise(through: 2).count == 1)
        for role in [owner, colleague] {
            try sql("""
                DO $$ BEGIN CREATE ROLE \(role) LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
                GRANT bevaka_handlaggare TO \(role);
                INSERT INTO bevaka_staff (role, name, kind) VALUES ('\(role)', 'Historisk \(role.prefix(1))', 'handlaggare');
                """)
        }
        try sql("""
            INSERT INTO bevaka_covers (covered, covering, until, ended_at, ended_by)
                VALUES ('\(owner)', '\(colleague)', '2025-08-31', '2025-08-20', 'postgres');
            INSERT INTO bevaka_covers (covered, covering, until) VALUES ('\(colleague)', '\(owner)', '2025-12-31');
            INSERT INTO bevaka_access_log (who, client_id, action, detail)
                SELECT '\(owner)', id, 'opened', 'ärende' FROM bevaka_clients;
            INSERT INTO bevaka_access_log (who, action, detail) VALUES ('\(colleague)', 'listed', 'ärendelistan: 3 ärenden');
            """)
        #expect(try store.initialise(through: 4).count == 2)
        #expect(try store.initialise(through: 5).count == 1)
        try sql("""
            INSERT INTO bevaka_log_reviews (reviewer, period_from, period_to, reviewed, standouts, finding)
                VALUES ('postgres', '2025-10-01', '2025-10-31', ARRAY(SELECT id FROM bevaka_access_log), 0, 'Inget avvikande');
            """)
        #expect(try store.initialise().count == Schema.latest - 5)
        return UpgradeHistory(url: url, database: database, owner: owner, people: people, docs: docs)
    }
}
