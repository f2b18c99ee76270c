import BevakaDomain

/// The database schema: the SQL files in `Migrations/`, numbered, each applied once in a
/// transaction of its own by `bevaka db init` and recorded in `bevaka_migrations` with the
/// SHA-256 of its file. A released file is frozen; the schema changes by the next file. The
/// files are carried in the program byte for byte (`MigrationFiles.swift`, written by
/// `scripts/embed-migrations`; a test holds the two equal), so the installed program needs no
/// file beside it. `schema.sql` beside them is the whole schema they make, for a reviewer.
///
/// One row per person: the record (`doc`) is the same JSON as one client line of the file store,
/// so `export json` gives the file store's document; the columns beside it are what queries,
/// constraints and access policies need (docs/postgresql.md).
enum Schema {
    struct Migration: Sendable {
        var version: Int
        /// "0004_hardened.sql"
        var file: String
        /// The Swedish name in the file's first line (`-- bevaka: …`), recorded when applied.
        var name: String
        var sha256: String
        var sql: String
    }

    /// Every migration, in order. A file whose name or first line is not in the form is left
    /// out here and named by `MigrationFileTests`, which also checks the numbers run 1, 2, 3, ….
    static let migrations: [Migration] = MigrationFiles.all.compactMap { entry in
        guard let number = entry.file.split(separator: "_").first.flatMap({ Int($0) }),
              let first = entry.text.split(separator: "\n", maxSplits: 1).first,
              first.hasPrefix("-- bevaka: ") else { return nil }
        return Migration(version: number, file: entry.file, name: String(first.dropFirst("-- bevaka: ".count)),
                         sha256: entry.sha256, sql: entry.text)
    }

    static var latest: Int { migrations.map(\.version).max() ?? 0 }

    /// The advisory lock `db init` takes while it makes the migrations table ("bevaka" in ASCII).
    static let initLock: Int64 = 0x6265_7661_6b61

    /// The runner's own table, made before any migration. `checksum` came with migration files:
    /// a database migrated before then has it empty until the next `db init` records it.
    static let migrationsTable = [
        """
        CREATE TABLE IF NOT EXISTS bevaka_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            applied_by text NOT NULL DEFAULT current_user
        )
        """,
        "ALTER TABLE bevaka_migrations ADD COLUMN IF NOT EXISTS checksum text",
    ]

    /// The words a request may name as the screen or command it reads for (the log's detail);
    /// the database keeps the same list as `bevaka_vocabulary` kind `screen`.
    static let screens = [
        "ärendelistan", "uppdatering", "ärende", "uppföljning", "underlag", "journal", "formulär",
        "export", "sparande", "import", "enhetens planering", "db audit", "db reassign", "kommando", "IVO-rapport",
        "ärende: handläggarbyte", "ärende: tillsyn", "ärende: begäran från den enskilde", "ärende: annat",
    ]

    /// The closed vocabularies the database checks, as this program has them. A test compares
    /// each with `bevaka_vocabulary` and names the migration to write when they differ.
    static var vocabularies: [(kind: String, words: [String])] {
        [
            ("law", Law.allCases.map(\.rawValue)),
            ("service", ServiceCatalog.plainNames),
            ("decisionForm", DecisionForm.allCases.map(\.rawValue)),
            ("regi", Regi.allCases.map(\.rawValue)),
            ("consent", ConsentStatus.allCases.map(\.rawValue)),
            ("followUpOutcome", FollowUpOutcome.allCases.map(\.rawValue)),
            ("followUpForm", FollowUpForm.allCases.map(\.rawValue)),
            ("followUpTrigger", FollowUpTrigger.allCases.map(\.rawValue)),
            ("priority", Priority.allCases.map(\.rawValue)),
            ("reminderStatus", ReminderStatus.allCases.map(\.rawValue)),
            ("dueKind", DueKind.allCases.map(\.rawValue)),
            ("screen", screens),
        ]
    }
}
