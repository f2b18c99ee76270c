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

    static let hardened: [String] = [
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
        // Read requests: the log is written and committed with the request, before any read.
        """
        CREATE TABLE bevaka_requests (
            id bigserial PRIMARY KEY,
            who text NOT NULL DEFAULT session_user,
            xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            at timestamptz NOT NULL DEFAULT clock_timestamp(),
            purpose text NOT NULL,
            screen text NOT NULL,
            ids text[] NOT NULL DEFAULT '{}',
            pnrs bytea[] NOT NULL DEFAULT '{}'
        )
        """,
        """
        CREATE INDEX bevaka_requests_at ON bevaka_requests (at)
        """,
        """
        CREATE FUNCTION bevaka_request(purpose text, screen text, ids text[] DEFAULT NULL, pnrs text[] DEFAULT NULL)
            RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            admin boolean := bevaka_is_admin();
            chef boolean := bevaka_is('chef');
            handlaggare boolean := bevaka_is('handlaggare');
            owners text[] := bevaka_visible_owners();
            allowed text[] := '{}';
            hashes bytea[] := '{}';
            p text;
            found_id text;
            fresh integer := 0;
            made bigint;
        BEGIN
            IF NOT (admin OR chef OR handlaggare) THEN
                RAISE EXCEPTION 'bevaka: rollen % är inte handläggare eller chef i den här enhetens Bevaka', session_user
                    USING ERRCODE = '42501';
            END IF;
            IF screen IS NULL OR NOT (screen = ANY (\(sqlArray(screens)))) THEN
                RAISE EXCEPTION 'bevaka: okänd skärm eller okänt kommando' USING ERRCODE = '22023';
            END IF;
            IF coalesce(cardinality(ids), 0) > 200000 OR coalesce(cardinality(pnrs), 0) > 200000 THEN
                RAISE EXCEPTION 'bevaka: för många ärenden i en begäran' USING ERRCODE = '22023';
            END IF;
            IF purpose IN ('listed', 'exported') THEN
                IF NOT (admin OR handlaggare) THEN
                    RAISE EXCEPTION 'bevaka: enhetschefen läser planeringen, inte ärendelistor' USING ERRCODE = '42501';
                END IF;
                allowed := ARRAY(SELECT c.id FROM bevaka_clients c
                                 WHERE (ids IS NULL OR c.id = ANY (ids)) AND (admin OR c.owner = ANY (owners))
                                 ORDER BY c.ordinal);
            ELSIF purpose = 'opened' THEN
                IF ids IS NULL OR cardinality(ids) > 20 THEN
                    RAISE EXCEPTION 'bevaka: öppna högst 20 ärenden åt gången, med id' USING ERRCODE = '22023';
                END IF;
                allowed := ARRAY(SELECT c.id FROM bevaka_clients c
                                 WHERE c.id = ANY (ids) AND (admin OR chef OR c.owner = ANY (owners)) ORDER BY c.ordinal);
            ELSIF purpose = 'save' THEN
                IF NOT (admin OR handlaggare) THEN
                    RAISE EXCEPTION 'bevaka: enhetschefens planering ändrar inga ärenden' USING ERRCODE = '42501';
                END IF;
                allowed := ARRAY(SELECT c.id FROM bevaka_clients c
                                 WHERE c.id = ANY (coalesce(ids, '{}')) AND (admin OR c.owner = ANY (owners)) ORDER BY c.ordinal);
                hashes := ARRAY(SELECT sha256(convert_to(x, 'UTF8')) FROM unnest(coalesce(pnrs, '{}')) x);
            ELSIF purpose IN ('planning', 'lookup', 'audit') THEN
                IF NOT (admin OR chef) THEN
                    RAISE EXCEPTION 'bevaka: det här är enhetschefens' USING ERRCODE = '42501';
                END IF;
                IF purpose = 'planning' THEN
                    allowed := ARRAY(SELECT c.id FROM bevaka_clients c ORDER BY c.ordinal);
                ELSIF purpose = 'lookup' THEN
                    IF cardinality(pnrs) IS DISTINCT FROM 1 THEN
                        RAISE EXCEPTION 'bevaka: ett personnummer åt gången' USING ERRCODE = '22023';
                    END IF;
                    allowed := ARRAY(SELECT c.id FROM bevaka_clients c WHERE c.pnr = pnrs[1]);
                END IF;
            ELSE
                RAISE EXCEPTION 'bevaka: okänt syfte' USING ERRCODE = '22023';
            END IF;

            -- The log first, in this request's transaction: committed before anything is read.
            IF purpose IN ('opened', 'exported') THEN
                INSERT INTO bevaka_access_log (client_id, action, detail) SELECT x, purpose, screen FROM unnest(allowed) x;
            ELSIF purpose = 'listed' AND cardinality(allowed) > 0 THEN
                INSERT INTO bevaka_access_log (action, detail) VALUES ('listed', screen || ': ' || cardinality(allowed) || ' ärenden');
            ELSIF purpose = 'planning' THEN
                INSERT INTO bevaka_access_log (action, detail) VALUES ('listed', 'enhetens planering: ' || cardinality(allowed) || ' ärenden');
            ELSIF purpose = 'save' THEN
                INSERT INTO bevaka_access_log (client_id, action, detail)
                    SELECT x, 'listed', 'sammanfogning vid sparande' FROM unnest(allowed) x;
                FOREACH p IN ARRAY coalesce(pnrs, '{}') LOOP
                    found_id := NULL;
                    SELECT c.id INTO found_id FROM bevaka_clients c WHERE c.pnr = p;
                    IF found_id IS NULL THEN
                        fresh := fresh + 1;
                    ELSE
                        INSERT INTO bevaka_access_log (client_id, action, detail)
                            VALUES (found_id, 'looked_up', screen || ': personnumret finns redan i enheten');
                    END IF;
                END LOOP;
                IF fresh > 0 THEN
                    INSERT INTO bevaka_access_log (action, detail)
                        VALUES ('looked_up', screen || ': ' || fresh || ' personnummer som inte finns i enheten');
                END IF;
            ELSIF purpose = 'lookup' THEN
                INSERT INTO bevaka_access_log (client_id, action, detail)
                    VALUES (allowed[1], 'looked_up',
                            screen || CASE WHEN allowed[1] IS NULL THEN ': personnumret finns inte i enheten' ELSE ': personnummer' END);
            ELSIF purpose = 'audit' THEN
                INSERT INTO bevaka_access_log (action, detail) VALUES ('listed', screen || ': åtkomstloggen');
            END IF;
            DELETE FROM bevaka_requests r WHERE r.at < clock_timestamp() - interval '1 day';
            INSERT INTO bevaka_requests (purpose, screen, ids, pnrs) VALUES (purpose, screen, allowed, hashes)
                RETURNING bevaka_requests.id INTO made;
            RETURN made;
        END $$
        """,
        // The caller's own request, committed by an earlier transaction, at most five minutes old.
        """
        CREATE FUNCTION bevaka_request_row(request bigint, purposes text[]) RETURNS bevaka_requests
            LANGUAGE plpgsql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            r bevaka_requests;
        BEGIN
            SELECT * INTO r FROM bevaka_requests q WHERE q.id = request AND q.who = session_user;
            IF NOT FOUND OR NOT (r.purpose = ANY (purposes)) THEN
                RAISE EXCEPTION 'bevaka: ingen sådan läsbegäran' USING ERRCODE = '42501';
            END IF;
            IF pg_xact_status(r.xid) IS DISTINCT FROM 'committed' THEN
                RAISE EXCEPTION 'bevaka: läsbegäran måste vara sparad (COMMIT) i en egen transaktion innan något läses'
                    USING ERRCODE = '55000';
            END IF;
            IF r.at < clock_timestamp() - interval '5 minutes' THEN
                RAISE EXCEPTION 'bevaka: läsbegäran är för gammal; gör en ny' USING ERRCODE = '55000';
            END IF;
            RETURN r;
        END $$
        """,
        // The request a save names for its transaction (SET LOCAL bevaka.request).
        """
        CREATE FUNCTION bevaka_save_request() RETURNS bevaka_requests LANGUAGE plpgsql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            setting text := current_setting('bevaka.request', true);
        BEGIN
            IF setting IS NULL OR setting !~ '^[0-9]{1,18}$' THEN
                RAISE EXCEPTION 'bevaka: personnummer sparas och ärenden sammanfogas bara efter en loggad begäran (bevaka_request)'
                    USING ERRCODE = '42501';
            END IF;
            RETURN bevaka_request_row(setting::bigint, ARRAY['save']);
        END $$
        """,
        """
        CREATE FUNCTION bevaka_may_store_pnr(pnr text) RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            RETURN sha256(convert_to(pnr, 'UTF8')) = ANY ((bevaka_save_request()).pnrs);
        END $$
        """,
        // A new person, or a new personnummer on a person, only with a committed save request
        // naming it: checked before the unique index can say whether the number is taken.
        """
        CREATE OR REPLACE FUNCTION bevaka_stamp() RETURNS trigger LANGUAGE plpgsql
            SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            IF NEW.doc->>'id' IS DISTINCT FROM NEW.id THEN
                RAISE EXCEPTION 'bevaka: doc id % does not match row id %', NEW.doc->>'id', NEW.id;
            END IF;
            NEW.pnr := NEW.doc->>'pnr';
            NEW.archived := coalesce((NEW.doc->>'archived')::boolean, false);
            NEW.updated_at := clock_timestamp();
            NEW.updated_by := session_user;
            IF TG_OP = 'UPDATE' THEN
                NEW.version := OLD.version + 1;
                NEW.ordinal := OLD.ordinal;
                IF coalesce(current_setting('bevaka.reassigning', true), '') <> 'on' OR NOT bevaka_is_admin() AND NOT bevaka_is('chef') THEN
                    NEW.owner := OLD.owner;
                END IF;
                IF NEW.pnr IS DISTINCT FROM OLD.pnr AND NOT bevaka_is_admin() AND NOT bevaka_may_store_pnr(NEW.pnr) THEN
                    RAISE EXCEPTION 'bevaka: personnumret är inte med i läsbegäran' USING ERRCODE = '42501';
                END IF;
            ELSE
                NEW.version := 1;
                IF NOT bevaka_is_admin() THEN
                    NEW.owner := session_user;
                    IF NOT bevaka_may_store_pnr(NEW.pnr) THEN
                        RAISE EXCEPTION 'bevaka: personnumret är inte med i läsbegäran' USING ERRCODE = '42501';
                    END IF;
                END IF;
            END IF;
            RETURN NEW;
        END $$
        """,
        // Reading: each function takes a committed request and returns only what it named.
        """
        DROP FUNCTION bevaka_read(text[], text, text)
        """,
        """
        CREATE FUNCTION bevaka_read(request bigint)
            RETURNS TABLE (id text, doc text, version bigint, owner text, updated_by text, updated_at timestamptz)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            r bevaka_requests := bevaka_request_row(request, ARRAY['listed', 'opened', 'exported']);
            admin boolean := bevaka_is_admin();
            chef boolean := bevaka_is('chef');
            owners text[] := bevaka_visible_owners();
        BEGIN
            RETURN QUERY SELECT c.id, c.doc::text, c.version, c.owner, c.updated_by, c.updated_at
                FROM bevaka_clients c
                WHERE c.id = ANY (r.ids) AND (admin OR c.owner = ANY (owners) OR (chef AND r.purpose = 'opened'))
                ORDER BY c.ordinal;
        END $$
        """,
        """
        CREATE OR REPLACE FUNCTION bevaka_lock(client text)
            RETURNS TABLE (doc text, version bigint, updated_by text, updated_at timestamptz)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            r bevaka_requests := bevaka_save_request();
            admin boolean := bevaka_is_admin();
            owners text[] := bevaka_visible_owners();
        BEGIN
            -- Not named in the request (or not the caller's to see when it was made): nothing.
            IF NOT (client = ANY (r.ids)) THEN
                RETURN;
            END IF;
            RETURN QUERY SELECT c.doc::text, c.version, c.updated_by, c.updated_at FROM bevaka_clients c
                WHERE c.id = client AND (admin OR c.owner = ANY (owners)) FOR UPDATE;
        END $$
        """,
        planDocument,
        """
        DROP FUNCTION bevaka_unit()
        """,
        """
        CREATE FUNCTION bevaka_unit(request bigint) RETURNS TABLE (id text, owner text, plan text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
        BEGIN
            RETURN QUERY SELECT c.id, c.owner, bevaka_plan_doc(c.doc)::text FROM bevaka_clients c
                WHERE c.id = ANY (r.ids) ORDER BY c.ordinal;
        END $$
        """,
        """
        CREATE FUNCTION bevaka_lookup(request bigint) RETURNS text
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            r bevaka_requests := bevaka_request_row(request, ARRAY['lookup']);
        BEGIN
            IF cardinality(r.ids) = 0 THEN
                RAISE EXCEPTION 'bevaka: personnumret finns inte i enhetens ärenden' USING ERRCODE = 'P0002';
            END IF;
            RETURN r.ids[1];
        END $$
        """,
        // A handläggarbyte names the case by its id; a personnummer is looked up first (logged).
        """
        CREATE OR REPLACE FUNCTION bevaka_reassign(person text, to_role text)
            RETURNS TABLE (client_id text, from_role text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            found_row record;
        BEGIN
            IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
                RAISE EXCEPTION 'bevaka: bara enhetschefen kan byta handläggare' USING ERRCODE = '42501';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = to_role AND s.kind = 'handlaggare') THEN
                RAISE EXCEPTION 'bevaka: % är inte handläggare i Bevaka', to_role USING ERRCODE = 'P0002';
            END IF;
            SELECT c.id, c.owner INTO found_row FROM bevaka_clients c WHERE c.id = person FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'bevaka: ärendet finns inte i enheten' USING ERRCODE = 'P0002';
            END IF;
            IF found_row.owner = to_role THEN
                RAISE EXCEPTION 'bevaka: ärendet är redan tilldelat %', to_role USING ERRCODE = 'P0001';
            END IF;
            PERFORM set_config('bevaka.reassigning', 'on', true);
            UPDATE bevaka_clients c SET owner = to_role,
                doc = jsonb_set(c.doc, '{handovers}', coalesce(c.doc->'handovers', '[]'::jsonb) || jsonb_build_array(
                    jsonb_build_object('from', found_row.owner, 'to', to_role, 'on', bevaka_today()::text, 'by', session_user::text)))
                WHERE c.id = found_row.id;
            PERFORM set_config('bevaka.reassigning', '', true);
            client_id := found_row.id;
            from_role := found_row.owner;
            RETURN NEXT;
        END $$
        """,
        """
        DROP FUNCTION bevaka_audit(text, text, date, boolean)
        """,
        """
        CREATE FUNCTION bevaka_audit(request bigint, client text, by_role text, since date, include_lists boolean)
            RETURNS TABLE (at timestamptz, who text, client_id text, action text, detail text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            r bevaka_requests := bevaka_request_row(request, ARRAY['audit']);
        BEGIN
            RETURN QUERY SELECT l.at, l.who, l.client_id, l.action, l.detail FROM bevaka_access_log l
                WHERE (client IS NULL OR l.client_id = client)
                  AND (by_role IS NULL OR l.who = by_role)
                  AND (since IS NULL OR l.at >= since)
                  AND (include_lists OR l.action <> 'listed')
                ORDER BY l.at, l.id;
        END $$
        """,
        // Every change is logged by the database; the detail is the database's own words.
        """
        CREATE OR REPLACE FUNCTION bevaka_log_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (NEW.id, 'added', left(NEW.owner, 63));
            ELSIF NEW.owner IS DISTINCT FROM OLD.owner THEN
                INSERT INTO bevaka_access_log (client_id, action, detail)
                    VALUES (NEW.id, 'reassigned', left(OLD.owner, 63) || ' → ' || left(NEW.owner, 63));
            ELSE
                INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (NEW.id, 'changed', 'version ' || NEW.version);
            END IF;
            RETURN NULL;
        END $$
        """,
        // `db user add` also lets the role connect to this database (and no other of Bevaka's).
        """
        CREATE OR REPLACE FUNCTION bevaka_user_add(new_role text, kind text, display_name text) RETURNS boolean
            LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            created boolean := false;
        BEGIN
            IF kind NOT IN ('handlaggare', 'chef') THEN
                RAISE EXCEPTION 'bevaka: okänd roll %', kind;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = new_role) THEN
                EXECUTE format('CREATE ROLE %I LOGIN', new_role);
                created := true;
            END IF;
            EXECUTE format('GRANT %I TO %I', 'bevaka_' || kind, new_role);
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), new_role);
            INSERT INTO bevaka_staff (role, name, kind) VALUES (new_role, display_name, kind)
                ON CONFLICT (role) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind;
            RETURN created;
        END $$
        """,
        // Nobody outside the staff table connects; nobody makes temporary tables or objects in
        // the schema. A database owner that cannot do this gets a clear refusal.
        """
        DO $$
        DECLARE
            staff_role text;
        BEGIN
            EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
            FOR staff_role IN SELECT s.role FROM bevaka_staff s JOIN pg_roles r ON r.rolname = s.role LOOP
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), staff_role);
            END LOOP;
            EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
            IF EXISTS (SELECT 1 FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                       WHERE d.datname = current_database() AND a.grantee = 0) THEN
                RAISE EXCEPTION 'bevaka: alla roller kan fortfarande ansluta till databasen %; kör bevaka db init som databasens ägare', current_database();
            END IF;
        END $$
        """,
        // Privileges: reading only through the requests; adding and merging checked by them.
        """
        REVOKE ALL ON bevaka_requests FROM PUBLIC
        """,
        """
        REVOKE EXECUTE ON FUNCTION bevaka_request(text, text, text[], text[]), bevaka_request_row(bigint, text[]),
            bevaka_save_request(), bevaka_may_store_pnr(text), bevaka_read(bigint), bevaka_unit(bigint),
            bevaka_lookup(bigint), bevaka_audit(bigint, text, text, date, boolean) FROM PUBLIC
        """,
        """
        GRANT EXECUTE ON FUNCTION bevaka_request(text, text, text[], text[]), bevaka_read(bigint) TO bevaka_handlaggare, bevaka_chef
        """,
        """
        GRANT EXECUTE ON FUNCTION bevaka_may_store_pnr(text), bevaka_save_request() TO bevaka_handlaggare
        """,
        """
        GRANT EXECUTE ON FUNCTION bevaka_unit(bigint), bevaka_lookup(bigint), bevaka_audit(bigint, text, text, date, boolean)
            TO bevaka_chef
        """,
        pinSearchPaths,
    ]
}
