import BevakaDomain

/// Migration 4: the unit's rules hold against its own users with psql (docs/postgresql.md,
/// "What each role can learn").
///
/// - Every function and trigger pins its search path (`pg_catalog`, the schema, `pg_temp` last),
///   so a caller's temporary `bevaka_covers` or `bevaka_clock` cannot stand in for the unit's own
///   inside a policy, a trigger or a security-definer function.
/// - A full record leaves the database only after the access log says so durably. Reading is two
///   steps: `bevaka_request(…)` writes the log rows and a request, and must be committed on its
///   own; `bevaka_read(request)` (and `bevaka_unit`, `bevaka_audit`, `bevaka_lookup`,
///   `bevaka_lock`) then check that the request was committed by an earlier transaction
///   (`pg_xact_status`). A reader who rolls back the read cannot take the log row with it: it
///   is already committed. A request is valid for five minutes, for its caller only.
/// - Whether a personnummer is in the unit is answered only after a committed log row: adding a
///   person (or changing a personnummer) needs a committed 'save' request naming the number
///   (kept as a SHA-256 hash), checked by the stamp trigger before the unique index can answer;
///   the manager's look-ups by personnummer go through a 'lookup' request.
/// - Manager and handläggare rights are this database's (`bevaka_staff`), not only the
///   cluster-wide group roles. Nobody outside the staff table may connect to the database.
/// - The manager's planning data is an allow-list: dates, closed vocabularies, numbers, flags and
///   identifiers; the name and the birth date identify the person (a handläggarbyte needs that);
///   every other string is left out or replaced by a fixed word.
/// - Log details are the database's own words from a fixed list, never the caller's text.
extension Schema {
    /// The words a request may name as the screen or command it reads for (the log's detail).
    static let screens = [
        "ärendelistan", "uppdatering", "ärende", "uppföljning", "underlag", "journal", "formulär",
        "export", "sparande", "import", "enhetens planering", "db audit", "db reassign", "kommando",
    ]

    static func sqlArray(_ values: [String]) -> String {
        "ARRAY[" + values.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ", ") + "]::text[]"
    }

    /// The manager's planning document: only what planning needs, each value checked against its
    /// form or its closed vocabulary (the domain's own enums, so a value the app cannot have
    /// does not pass either). The checks are written out as expressions, not helper functions:
    /// a function with a pinned search path is not inlined, and this runs for every value of a
    /// whole unit.
    static var planDocument: String {
        func day(_ e: String) -> String {
            "(CASE WHEN jsonb_typeof(\(e)) = 'string' AND (\(e) #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN \(e) END)"
        }
        func word(_ e: String, _ allowed: [String]) -> String {
            "(CASE WHEN jsonb_typeof(\(e)) = 'string' AND (\(e) #>> '{}') = ANY (\(sqlArray(allowed))) THEN \(e) END)"
        }
        func number(_ e: String) -> String { "(CASE WHEN jsonb_typeof(\(e)) = 'number' THEN \(e) END)" }
        func flag(_ e: String) -> String { "(CASE WHEN jsonb_typeof(\(e)) = 'boolean' THEN \(e) END)" }
        func id(_ e: String) -> String {
            "(CASE WHEN jsonb_typeof(\(e)) = 'string' AND (\(e) #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN \(e) END)"
        }
        func quarter(_ e: String) -> String {
            "(CASE WHEN jsonb_typeof(\(e)) = 'string' AND (\(e) #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN \(e) END)"
        }
        func quarters(_ e: String) -> String {
            "(SELECT jsonb_agg(q) FROM jsonb_array_elements(\(array(e))) q WHERE \(quarter("q")) IS NOT NULL)"
        }
        func array(_ e: String) -> String { "(CASE WHEN jsonb_typeof(\(e)) = 'array' THEN \(e) ELSE '[]'::jsonb END)" }
        func role(_ e: String) -> String { "EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = \(e))" }
        let laws = Law.allCases.map(\.rawValue)
        // lower() follows the database's locale, which may be C: the Swedish capitals are folded first.
        let service = "lower(translate(regexp_replace(btrim(x->>'service'), '[ \\t]+', ' ', 'g'), 'ÅÄÖÉÜ', 'åäöéü'))"
        return """
        CREATE OR REPLACE FUNCTION bevaka_plan_doc(d jsonb) RETURNS jsonb LANGUAGE sql STABLE
            SET search_path = pg_catalog, public, pg_temp AS $$
            SELECT jsonb_strip_nulls(jsonb_build_object(
                'id', d->'id',
                'name', to_jsonb(left(coalesce(d->>'name', ''), 200)),
                -- The birth date; for a protected identity only the year.
                'pnr', to_jsonb(CASE WHEN d->>'pnr' !~ '^[0-9]{12}$' THEN NULL
                                     WHEN (\(flag("d->'protected'"))) = 'true'::jsonb THEN left(d->>'pnr', 4) || '01010000'
                                     ELSE left(d->>'pnr', 8) || '0000' END),
                'protected', \(flag("d->'protected'")),
                'children', \(flag("d->'children'")),
                'archived', \(flag("d->'archived'")),
                'decisions', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                        'id', x->'id',
                        'law', x->'law',
                        'service', to_jsonb(CASE WHEN \(service) = ANY (\(sqlArray(ServiceCatalog.plainNames)))
                                                 THEN \(service) ELSE 'annan insats' END),
                        'form', \(word("x->'form'", DecisionForm.allCases.map(\.rawValue))),
                        'granted', \(number("x->'granted'")),
                        'performed', \(number("x->'performed'")),
                        'performedMonth', CASE WHEN x->>'performedMonth' ~ '^[0-9]{4}-[0-9]{2}$' THEN x->'performedMonth' END,
                        'from', x->'from',
                        'to', \(day("x->'to'")),
                        'started', \(day("x->'started'")),
                        'closed', \(day("x->'closed'")),
                        'decided', \(day("x->'decided'")),
                        'provider', CASE WHEN \(word("x->'provider'->'regi'", Regi.allCases.map(\.rawValue))) IS NOT NULL
                                         THEN jsonb_strip_nulls(jsonb_build_object(
                                             'name', '', 'regi', x->'provider'->'regi',
                                             'access', \(flag("x->'provider'->'access'")))) END,
                        'consent', \(word("x->'consent'", ConsentStatus.allCases.map(\.rawValue))),
                        'plan', CASE WHEN jsonb_typeof(x->'plan') = 'object' THEN jsonb_strip_nulls(jsonb_build_object(
                                    'received', \(day("x->'plan'->'received'")),
                                    'established', \(day("x->'plan'->'established'")),
                                    'revised', \(day("x->'plan'->'revised'")),
                                    'tookPart', \(flag("x->'plan'->'tookPart'")))) END,
                        'offers', (SELECT jsonb_agg(jsonb_build_object('on', o->'on', 'what', '', 'accepted', o->'accepted'))
                                   FROM jsonb_array_elements(\(array("x->'offers'"))) o
                                   WHERE \(day("o->'on'")) IS NOT NULL AND \(flag("o->'accepted'")) IS NOT NULL),
                        'notCarriedOut', CASE WHEN coalesce(x->>'notCarriedOut', '') <> '' THEN to_jsonb('delvis verkställt'::text) END,
                        'interruptions', (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                                              'from', i->'from', 'resumed', \(day("i->'resumed'")),
                                              'ivoReported', \(quarters("i->'ivoReported'")),
                                              'ivoClosingReported', \(quarter("i->'ivoClosingReported'")))))
                                          FROM jsonb_array_elements(\(array("x->'interruptions'"))) i
                                          WHERE \(day("i->'from'")) IS NOT NULL),
                        'ivoReported', \(quarters("x->'ivoReported'")),
                        'ivoClosingReported', \(quarter("x->'ivoClosingReported'")))))
                    FROM jsonb_array_elements(\(array("d->'decisions'"))) x
                    WHERE \(id("x->'id'")) IS NOT NULL AND \(day("x->'from'")) IS NOT NULL
                      AND \(word("x->'law'", laws)) IS NOT NULL), '[]'::jsonb),
                'followUps', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                        'id', f->'id', 'date', f->'date', 'form', f->'form', 'trigger', f->'trigger', 'participants', '[]'::jsonb,
                        'outcome', \(word("f->'outcome'", FollowUpOutcome.allCases.map(\.rawValue))),
                        'decisions', (SELECT jsonb_agg(e) FROM jsonb_array_elements(\(array("f->'decisions'"))) e
                                      WHERE \(id("e")) IS NOT NULL))))
                    FROM jsonb_array_elements(\(array("d->'followUps'"))) f
                    WHERE \(id("f->'id'")) IS NOT NULL AND \(day("f->'date'")) IS NOT NULL
                      AND \(word("f->'form'", FollowUpForm.allCases.map(\.rawValue))) IS NOT NULL
                      AND \(word("f->'trigger'", FollowUpTrigger.allCases.map(\.rawValue))) IS NOT NULL), '[]'::jsonb),
                'reminders', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                        'id', r->'id', 'decision', \(id("r->'decision'")), 'kind', r->'kind', 'due', r->'due',
                        'ruleDue', \(day("r->'ruleDue'")),
                        'priority', \(word("r->'priority'", Priority.allCases.map(\.rawValue))),
                        'status', \(word("r->'status'", ReminderStatus.allCases.map(\.rawValue))),
                        'done', \(day("r->'done'")))))
                    FROM jsonb_array_elements(\(array("d->'reminders'"))) r
                    WHERE \(id("r->'id'")) IS NOT NULL AND \(day("r->'due'")) IS NOT NULL
                      AND \(word("r->'kind'", DueKind.allCases.map(\.rawValue))) IS NOT NULL), '[]'::jsonb),
                'handovers', coalesce((SELECT jsonb_agg(jsonb_build_object('from', h->'from', 'to', h->'to', 'on', h->'on', 'by', h->'by'))
                    FROM jsonb_array_elements(\(array("d->'handovers'"))) h
                    WHERE \(day("h->'on'")) IS NOT NULL AND \(role("h->>'from'")) AND \(role("h->>'to'"))
                      AND (\(role("h->>'by'"))
                           OR h->>'by' = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'bevaka_clients'::regclass))),
                    '[]'::jsonb)))
        $$
        """
    }

    /// Last in a migration: every function of the schema, old and new, resolves names in
    /// pg_catalog and the schema only (pg_temp last, never before the unit's own tables).
    static let pinSearchPaths = """
        DO $$
        DECLARE
            f regprocedure;
        BEGIN
            FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
                     WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'bevaka\\_%' LOOP
                EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp', f, current_schema());
            END LOOP;
        END $$
        """

    /// The statements of migration 4, in order: rights, the log and requests, then reading.
    static var hardened: [String] { hardenedRights + hardenedRequests + hardenedReads }

    static let hardenedRights: [String] = [
        // The functions of migrations 1–3 by name (the loop at the end pins every one, in whatever
        // schema it lives; these say it where a reader looks for it).
        "ALTER FUNCTION bevaka_stamp() SET search_path = pg_catalog, public, pg_temp",
        "ALTER FUNCTION bevaka_notify() SET search_path = pg_catalog, public, pg_temp",
        "ALTER FUNCTION bevaka_plan_doc(jsonb) SET search_path = pg_catalog, public, pg_temp",
        "ALTER FUNCTION bevaka_today() SET search_path = pg_catalog, public, pg_temp",
        "ALTER FUNCTION bevaka_log_is_append_only() SET search_path = pg_catalog, public, pg_temp",
        "ALTER FUNCTION bevaka_is_admin() SET search_path = pg_catalog, public, pg_temp",
        "ALTER FUNCTION bevaka_is(text) SET search_path = pg_catalog, public, pg_temp",
        "ALTER FUNCTION bevaka_visible_owners() SET search_path = pg_catalog, public, pg_temp",
        // Rights are this unit's: the staff table of this database, and the group role.
        """
        CREATE OR REPLACE FUNCTION bevaka_is(kind text) RETURNS boolean LANGUAGE sql STABLE
            SET search_path = pg_catalog, public, pg_temp AS $$
            SELECT EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = session_user AND s.kind = $1)
               AND EXISTS (SELECT 1 FROM pg_auth_members m
                           JOIN pg_roles g ON g.oid = m.roleid
                           JOIN pg_roles u ON u.oid = m.member
                           WHERE u.rolname = session_user AND g.rolname = 'bevaka_' || $1)
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION bevaka_visible_owners() RETURNS text[] LANGUAGE sql STABLE
            SET search_path = pg_catalog, public, pg_temp AS $$
            SELECT CASE WHEN bevaka_is('handlaggare') THEN
                array_append(coalesce((SELECT array_agg(c.covered) FROM bevaka_covers c
                                       WHERE c.covering = session_user AND c.ended_at IS NULL AND bevaka_today() <= c.until
                                         AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = c.covered)), '{}'::text[]),
                             session_user::text)
            ELSE '{}'::text[] END
        $$
        """,
        // The log takes new kinds of rows, and its detail is bounded (older rows are as they were).
        """
        ALTER TABLE bevaka_access_log DROP CONSTRAINT bevaka_access_log_action_check
        """,
        """
        ALTER TABLE bevaka_access_log ADD CONSTRAINT bevaka_access_log_action_check
            CHECK (action IN ('listed', 'opened', 'exported', 'added', 'changed', 'reassigned',
                              'cover_granted', 'cover_ended', 'looked_up'))
        """,
        """
        ALTER TABLE bevaka_access_log ADD CONSTRAINT bevaka_access_log_detail_length
            CHECK (length(detail) <= 200) NOT VALID
        """,
    ]
}
