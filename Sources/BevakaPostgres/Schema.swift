/// The database schema, as numbered migrations. `bevaka db init` applies the ones a database
/// lacks, each in its own transaction, and records it in `bevaka_migrations`; applying them again
/// changes nothing. A database with a migration this program does not know is refused.
///
/// One row per person: the record (`doc`) is the same JSON as one client line of the file store,
/// so `export json` gives the file store's document. The columns beside it are what queries,
/// constraints and access policies need; a trigger fills them from `doc`, so they can
/// never disagree with it, and stamps every write with the database role and the time.
enum Schema {
    struct Migration {
        var version: Int
        var name: String
        /// One statement each: the extended protocol takes one at a time.
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "en rad per person med version, ändrad av och ändrad när", statements: [
            """
            CREATE TABLE bevaka_clients (
                id text PRIMARY KEY,
                pnr text NOT NULL UNIQUE,
                doc jsonb NOT NULL,
                version bigint NOT NULL DEFAULT 1,
                ordinal bigserial NOT NULL,
                owner text NOT NULL DEFAULT current_user,
                archived boolean NOT NULL DEFAULT false,
                updated_at timestamptz NOT NULL DEFAULT now(),
                updated_by text NOT NULL DEFAULT current_user,
                CHECK (jsonb_typeof(doc) = 'object')
            )
            """,
            """
            CREATE INDEX bevaka_clients_owner ON bevaka_clients (owner)
            """,
            """
            CREATE INDEX bevaka_clients_ordinal ON bevaka_clients (ordinal)
            """,
            // Identifiers (c12, d40, …) are made by each program from a block of its own, so two
            // handläggare adding people at once never make the same one.
            """
            CREATE SEQUENCE bevaka_id_blocks START WITH 1000000 INCREMENT BY 1000000
            """,
            // The columns beside the record come from it, and every write is stamped by the
            // database: version, time and role cannot be set by a client.
            """
            CREATE FUNCTION bevaka_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.doc->>'id' IS DISTINCT FROM NEW.id THEN
                    RAISE EXCEPTION 'bevaka: doc id % does not match row id %', NEW.doc->>'id', NEW.id;
                END IF;
                NEW.pnr := NEW.doc->>'pnr';
                NEW.archived := coalesce((NEW.doc->>'archived')::boolean, false);
                NEW.updated_at := clock_timestamp();
                NEW.updated_by := current_user;
                IF TG_OP = 'UPDATE' THEN
                    NEW.version := OLD.version + 1;
                    NEW.ordinal := OLD.ordinal;
                    NEW.owner := OLD.owner;
                ELSE
                    NEW.version := 1;
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER bevaka_stamp BEFORE INSERT OR UPDATE ON bevaka_clients
                FOR EACH ROW EXECUTE FUNCTION bevaka_stamp()
            """,
            // Open programs hear of every change: the payload is the id only, no personal data.
            """
            CREATE FUNCTION bevaka_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('bevaka_clients', NEW.id);
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER bevaka_notify AFTER INSERT OR UPDATE ON bevaka_clients
                FOR EACH ROW EXECUTE FUNCTION bevaka_notify()
            """,
        ]),
        Migration(version: 2, name: "enheten: roller, radsäkerhet, vikariat, handläggarbyte och åtkomstlogg",
                  statements: Schema.unit),
        // Verkställighet: the manager's planning data keeps dates, offers' dates and
        // answers and that a decision is partly carried out, but none of the free text (the reason
        // for a delay, its consequences, what was offered, why support was interrupted).
        Migration(version: 3, name: "enhetschefens planering utan fritext om verkställighet", statements: [
            """
            CREATE OR REPLACE FUNCTION bevaka_plan_doc(d jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
                SELECT (d - 'notes' - 'representative' - 'draft' - 'visit' - 'address' - 'phones' - 'doorCode' - 'access' - 'booking')
                    || jsonb_build_object(
                        'pnr', left(d->>'pnr', 8) || '0000',
                        'followUps', coalesce((SELECT jsonb_agg((f - 'notes' - 'journal') || '{"participants": []}'::jsonb)
                                               FROM jsonb_array_elements(coalesce(d->'followUps', '[]'::jsonb)) f), '[]'::jsonb),
                        'reminders', coalesce((SELECT jsonb_agg(r - 'text')
                                               FROM jsonb_array_elements(coalesce(d->'reminders', '[]'::jsonb)) r), '[]'::jsonb),
                        'decisions', coalesce((SELECT jsonb_agg(
                                (x - 'delayReason' - 'consequences' - 'notCarriedOut' - 'offers' - 'interruptions')
                                || CASE WHEN coalesce(x->>'notCarriedOut', '') <> ''
                                        THEN '{"notCarriedOut": "delvis verkställt"}'::jsonb ELSE '{}'::jsonb END
                                || jsonb_build_object(
                                    'offers', coalesce((SELECT jsonb_agg(o || '{"what": ""}'::jsonb)
                                                        FROM jsonb_array_elements(coalesce(x->'offers', '[]'::jsonb)) o), '[]'::jsonb),
                                    'interruptions', coalesce((SELECT jsonb_agg(i - 'reason')
                                                               FROM jsonb_array_elements(coalesce(x->'interruptions', '[]'::jsonb)) i), '[]'::jsonb)))
                            FROM jsonb_array_elements(coalesce(d->'decisions', '[]'::jsonb)) x), '[]'::jsonb))
            $$
            """,
        ]),
        // Issue 21: pinned search paths, reads logged durably before they happen, rights per unit,
        // no unlogged answer to "is this personnummer in the unit?", planning data as an allow-list,
        // no connection for roles outside the unit (HardenedSchema.swift).
        Migration(version: 4, name: "radsäkerheten håller mot enhetens egna användare", statements: Schema.hardened),
        // Issue 22: gallring, a log kept five years and reviewed, protected identities (PrivacySchema.swift).
        Migration(version: 5, name: "gallring, loggkontroll och skyddade personuppgifter", statements: Schema.privacy),
    ]

    static var latest: Int { migrations.map(\.version).max() ?? 0 }

    /// The advisory lock `db init` takes while it makes the migrations table ("bevaka" in ASCII).
    static let initLock: Int64 = 0x6265_7661_6b61

    static let migrationsTable = """
        CREATE TABLE IF NOT EXISTS bevaka_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            applied_by text NOT NULL DEFAULT current_user
        )
        """
}
