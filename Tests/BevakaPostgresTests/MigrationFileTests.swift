import BevakaDomain
@testable import BevakaPostgres
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// The schema as SQL files: what the program carries is the files, a released file never
/// changes, a database whose applied migration differs is refused, `schema.sql` is what the
/// migrations make, the vocabularies the database checks are the program's, and a database made
/// by migration 1 upgrades with its data kept.
@Suite struct MigrationFileTests {
    static let folder = PrivateServer.repository.appendingPathComponent("Sources/BevakaPostgres/Migrations")
    static let schemaFile = PrivateServer.repository.appendingPathComponent("Sources/BevakaPostgres/schema.sql")

    /// The SHA-256 of every released migration file. A unit that applied one keeps its text, so
    /// the file may never change: write the next migration instead. Add a line when releasing one.
    static let released: [Int: String] = [
        1: "5e7839b3725d599b8dc28e940f4d2a24d9ed95aa9903670aac432b7cd242c45c",
        2: "b517d62269f38bf21820ee41ee4244545f179710e414755fa74e0237038c11fc",
        3: "15f3c9e01b217c82ec0f53619ee122cb673372db27a8f89e470197aa78c4edd8",
        4: "d00335813f132669918bba190c429825a3a6aaf7b70d12603c70a14d5e398809",
        5: "957453e2d325845929afcc794c333381afd50e5338e37022d93abc79052ffda6",
        6: "a80c12c2b9ef93ae733418968bb14847aaa795bb9d978c1c79b371536e14b51d",
        7: "913219d3b1a32d897f4954953430e9c7e6a32a1f82ec99b804a51be27826c11f",
        8: "5213702110e4f211bd159c1a96a17891f7e9b1757d7813b701fe6e6361505831",
        9: "b3ac0ee49aabd2762aa8ca37f40a78a1e4c1febb1b53c482b0746aeada4a7f81",
        10: "ef6df628b565cc4475301bdcbb80bffd496756300cc44927224b9c8129e521e1",
        11: "80d8c6a4b7c59fd5f0f44a20bc2ac667de1a7356cdf1dd1b01040492bb6a9264",
        12: "3b70bb0766be1e9cbda4b73876df570c648815a906419d1e3e729903f575f5cc",
        13: "01d3adf7a5cd502367fa331ebd0eb6882309357351e8aa4da7cb8202a47b75b5",
        14: "12b0d755371988d32d992644667537d38991f31bb99f217d47ed89f7aef08546",
        15: "6ab20fb5efb050baa527379b2e36a64bf9b05ab4cdef883dc46b780cb89faf9e",
        16: "81537846c882ae21515f7551e423d58c064616cf5455fb21624f2663aefd2143",
        17: "c1dbb824648a66b10a8efafba3e47ee37709482be9fc17e112c649d0c23699f6",
        18: "aea94eb82d7e34f574d85bafbca4b7623b603a65659a55018c41c13f858d5a66",
        19: "90ebaef511a071dd8c0b99ea1f073c1ec36e5505f36e970868a85d1ad5146c85",
        20: "f9875686e10ffe9968912e0cf99ba0642abcfc2b563f0d0ef80fc7a1b477a50f",
        21: "8e5adb499452bc480f263ef6824151bf63f3de2f8a64393f45945ad4bc2de03e",
        22: "42e5d51b02f90d73dc0a5860024cdd7f4eda7e23433a3d2453890676ded9e2d6",
    ]

    static func sha256(_ url: URL) -> String {
        let run = PrivateServer.shell(["sha256sum", url.path])
        return String(run.output.split(separator: " ").first ?? "")
    }

    @Test func theProgramCarriesEveryFileByteForByte() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(MigrationFiles.all.map(\.file) == files, "run scripts/embed-migrations")
        for entry in MigrationFiles.all {
            let url = Self.folder.appendingPathComponent(entry.file)
            let bytes = try Data(contentsOf: url)
            #expect(Data(entry.text.utf8) == bytes, "\(entry.file) differs from MigrationFiles.swift: run scripts/embed-migrations")
            #expect(entry.sha256 == Self.sha256(url), "\(entry.file): run scripts/embed-migrations")
        }
        // Every file is a migration: numbered 1, 2, 3, … with its name on the first line.
        #expect(Schema.migrations.count == files.count, "a file is not named NNNN_name.sql or lacks '-- bevaka: NAME' on its first line")
        #expect(Schema.migrations.map(\.version) == Array(1...files.count))
        #expect(Schema.latest == files.count)
    }

    @Test func aReleasedMigrationNeverChanges() throws {
        for migration in Schema.migrations {
            if let frozen = Self.released[migration.version] {
                #expect(migration.sha256 == frozen,
                        "\(migration.file) changed after it was released; put it back and write migration \(Schema.latest + 1)")
            }
        }
        #expect(Self.released.count >= 11)
    }

    @Test func aDatabaseWhoseAppliedMigrationDiffersIsRefused() throws {
        let server = PrivateServer.shared
        let url = try server.database()
        let name = PrivateServer.databaseName(url)
        let recorded = try server.psql("SELECT string_agg(checksum, ',' ORDER BY version) FROM bevaka_migrations", database: name)
        #expect(recorded == Schema.migrations.map(\.sha256).joined(separator: ","))
        // Someone changed migration 4 in this database (or a program with another file ran it).
        try server.psql("UPDATE bevaka_migrations SET checksum = repeat('0', 64) WHERE version = 4", database: name)
        let store = PostgresStore(try PostgresLocation(url, environment: [:]))
        #expect(throws: StoreError.schemaChanged(location: store.location, version: 4)) { try store.load() }
        #expect(throws: StoreError.schemaChanged(location: store.location, version: 4)) { try store.initialise() }
        #expect(StoreError.schemaChanged(location: "x", version: 4).message.hasPrefix("Databasens schema har ändrats utanför Bevaka: migration 4"))
        // Through the command line too, in Swedish, and nothing is changed.
        let run = runProduct("bevaka", ["--store", url, "agenda", "--today", "2026-12-01"])
        #expect(run.status != 0)
        #expect(run.output.contains("Databasens schema har ändrats utanför Bevaka: migration 4"), "\(run.output)")
    }

    @Test func aDatabaseMigratedBeforeChecksumsGetsThemAtTheNextInit() throws {
        let server = PrivateServer.shared
        let url = try server.database()
        let name = PrivateServer.databaseName(url)
        try server.psql("UPDATE bevaka_migrations SET checksum = NULL", database: name)
        let store = PostgresStore(try PostgresLocation(url, environment: [:]))
        _ = try store.load()
        #expect(try store.initialise().isEmpty)
        #expect(try server.psql("SELECT count(*) FROM bevaka_migrations WHERE checksum IS NULL", database: name) == "0")
    }

    /// What the database checks and what the program writes: a word one has and the other lacks
    /// is a planning value silently dropped, or a screen the log refuses.
    @Test func theVocabularyTablesAreTheProgramsVocabularies() throws {
        let server = PrivateServer.shared
        let url = try server.database()
        let name = PrivateServer.databaseName(url)
        let rows = try server.psql("SELECT kind || '|' || word FROM bevaka_vocabulary ORDER BY 1", database: name)
        var table: [String: Set<String>] = [:]
        for line in rows.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1).map(String.init)
            if parts.count == 2 { table[parts[0], default: []].insert(parts[1]) }
        }
        let differences = Self.vocabularyDifferences(table: table, program: Schema.vocabularies)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // The comparison itself: a DueKind the program gained without a migration is named.
        var gained = Schema.vocabularies
        if let index = gained.firstIndex(where: { $0.kind == "dueKind" }) { gained[index].words.append("nyBevakning") }
        let named = Self.vocabularyDifferences(table: table, program: gained)
        #expect(named == ["Write migration \(Schema.latest + 1) (Sources/BevakaPostgres/Migrations/"
                          + String(format: "%04d", Schema.latest + 1) + "_….sql): bevaka_vocabulary kind 'dueKind' lacks nyBevakning"])
    }

    static func vocabularyDifferences(table: [String: Set<String>], program: [(kind: String, words: [String])]) -> [String] {
        let next = Schema.latest + 1
        let file = "Sources/BevakaPostgres/Migrations/" + String(format: "%04d", next) + "_….sql"
        var said: [String] = []
        for (kind, words) in program {
            let have = table[kind] ?? []
            let lacking = words.filter { !have.contains($0) }
            let extra = have.subtracting(words).sorted()
            if !lacking.isEmpty { said.append("Write migration \(next) (\(file)): bevaka_vocabulary kind '\(kind)' lacks \(lacking.joined(separator: ", "))") }
            if !extra.isEmpty { said.append("Write migration \(next) (\(file)): bevaka_vocabulary kind '\(kind)' has \(extra.joined(separator: ", ")), which the program no longer writes") }
        }
        for kind in table.keys.sorted() where !program.contains(where: { $0.kind == kind }) {
            said.append("bevaka_vocabulary kind '\(kind)' is not one of Schema.vocabularies")
        }
        return said
    }

    /// `schema.sql` is the schema the migrations make (pg_dump of a new database, normalised):
    /// what a DBA reviews. RECORD_SNAPSHOTS=1 writes it anew; read the diff before committing.
    @Test func schemaSQLIsWhatTheMigrationsMake() throws {
        let server = PrivateServer.shared
        let url = try server.database()
        let name = PrivateServer.databaseName(url)
        let made = try Self.dump(server, database: name)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try made.write(to: Self.schemaFile, atomically: true, encoding: .utf8)
        }
        let kept = (try? String(contentsOf: Self.schemaFile, encoding: .utf8)) ?? ""
        #expect(kept == made, "Sources/BevakaPostgres/schema.sql is not what the migrations make: RECORD_SNAPSHOTS=1 swift test --filter schemaSQLIsWhatTheMigrationsMake, and review the diff")
        // Each function once, every one with the search path pinned.
        let functions = made.split(separator: "\n").filter { $0.hasPrefix("CREATE FUNCTION ") }.map { $0.split(separator: "(").first ?? "" }
        #expect(Set(functions).count == functions.count)
        #expect(functions.count >= 20)
    }

    /// pg_dump --schema-only, without what differs from one database or run to another: its
    /// comments (version, time), SET lines, \restrict keys, owners.
    static func dump(_ server: PrivateServer, database: String) throws -> String {
        let run = PrivateServer.shell(["pg_dump", "--schema-only", "--no-owner", "-h", server.folder, "-p", server.port,
                                       "-U", "postgres", "-d", database])
        guard run.status == 0 else { throw PrivateServer.ServerFailure(message: "pg_dump: \(run.output)") }
        var lines: [String] = []
        for line in run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("--") || line.hasPrefix("SET ") || line.hasPrefix("SELECT pg_catalog.set_config")
                || line.hasPrefix("\\restrict") || line.hasPrefix("\\unrestrict") { continue }
            if line.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        // The schema's owner role is named after the database (`bevaka_agare_<database>`).
        lines = lines.map { $0.replacingOccurrences(of: "bevaka_agare_" + database.prefix(50), with: "bevaka_agare_DATABAS") }
        let header = """
            -- The whole schema of a unit's database as Bevaka's migrations make it: a pg_dump --schema-only
            -- --no-owner of a new `bevaka db init`, without pg_dump's comments and settings. Read this to
            -- review the schema; change it only through a new file in Migrations/ (docs/postgresql.md).
            -- MigrationFileTests.schemaSQLIsWhatTheMigrationsMake fails when the two differ.


            """
        return header + lines.joined(separator: "\n") + "\n"
    }

    /// Nobody works as the schema's owner: after `db init` every object of the schema belongs to a
    /// role that cannot log in, and the login that ran it administers as a member. Also when IT's
    /// own login (CREATEROLE, owner of the database, no superuser) runs it, as docs/postgresql.md says.
    @Test func theSchemasOwnerIsARoleThatCannotLogIn() throws {
        let server = PrivateServer.shared
        for asIT in [false, true] {
            var url = try server.database(initialised: !asIT)
            var name = PrivateServer.databaseName(url)
            if asIT {
                let it = "it_" + name.suffix(8)
                name += "_it"
                try server.psql("CREATE ROLE \(it) LOGIN CREATEROLE", database: "bevaka")
                try server.psql("CREATE DATABASE \(name) OWNER \(it)", database: "bevaka")
                url = server.url(name, user: it)
                #expect(try PostgresStore(try PostgresLocation(url, environment: [:])).initialise().count == Schema.latest)
                #expect(try server.psql("SELECT bevaka_is_admin()", database: name, user: it) == "t")
                #expect(try server.psql("SELECT count(*) FROM bevaka_log_head", database: name, user: it) == "1")
            }
            let owner = try server.psql("SELECT relowner::regrole FROM pg_class WHERE oid = 'bevaka_clients'::regclass", database: name)
            #expect(owner == "bevaka_agare_" + name.prefix(50))
            #expect(try server.psql("SELECT rolcanlogin FROM pg_roles WHERE rolname = '\(owner)'", database: name) == "f")
            #expect(try server.psql("""
                SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname LIKE 'bevaka\\_%'
                   AND relkind IN ('r', 'v', 'm', 'p') AND relowner <> '\(owner)'::regrole
                """, database: name) == "0")
            #expect(try server.psql("""
                SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname LIKE 'bevaka\\_%'
                   AND proowner <> '\(owner)'::regrole
                """, database: name) == "0")
            let login = PrivateServer.shell(["psql", "-X", "-h", server.folder, "-p", server.port, "-U", owner, "-d", name, "-c", "SELECT 1"])
            #expect(login.status != 0 && login.output.contains("not permitted to log in"), "\(login.output)")
            // Again: nothing to apply, the owner stays.
            #expect(try PostgresStore(try PostgresLocation(url, environment: [:])).initialise().isEmpty)
            #expect(try server.psql("SELECT relowner::regrole FROM pg_class WHERE oid = 'bevaka_clients'::regclass", database: name) == owner)
        }
    }

    /// A unit that started with the first release: its people, covers, log rows and review are
    /// all there after the upgrade, unchanged, and the schema is the new database's.
    @Test func anUpgradeFromMigrationOneKeepsEveryRowAndEndsInTheSameSchema() throws {
        let server = PrivateServer.shared
        let history = try UpgradeHistory.make(server)
        func value(_ sql: String) throws -> String { try server.psql(sql, database: history.database) }
        for (person, doc) in zip(history.people, history.docs) {
            let quoted = doc.replacingOccurrences(of: "'", with: "''")
            #expect(try value("SELECT doc = '\(quoted)'::jsonb AND owner = '\(history.owner)' FROM bevaka_clients WHERE id = '\(person.id)'") == "t")
            #expect(try value("SELECT pnr FROM bevaka_clients WHERE id = '\(person.id)'") == person.personnummer.digits)
        }
        #expect(try value("SELECT count(*) FROM bevaka_covers") == "2")
        #expect(try value("SELECT count(*) FROM bevaka_access_log WHERE action = 'opened' AND who = '\(history.owner)'") == "3")
        #expect(try value("SELECT finding FROM bevaka_log_reviews") == "Inget avvikande")
        #expect(try value("SELECT string_agg(version::text, ',' ORDER BY version) FROM bevaka_migrations")
                == Schema.migrations.map { String($0.version) }.joined(separator: ","))
        // The same schema as a new database's (the functions, policies, grants and vocabularies).
        let fresh = try server.database()
        let freshName = PrivateServer.databaseName(fresh)
        #expect(try Self.dump(server, database: history.database) == Self.dump(server, database: freshName))
        #expect(try value("SELECT count(*) FROM bevaka_vocabulary") == server.psql("SELECT count(*) FROM bevaka_vocabulary", database: freshName))
    }
}
