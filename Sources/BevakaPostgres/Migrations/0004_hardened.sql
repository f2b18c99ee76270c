-- bevaka: radsäkerheten håller mot enhetens egna användare
--
-- Migration 4: the unit's rules hold against its own users with psql (docs/postgresql.md,
-- "What each role can learn").
--
-- - Every function and trigger pins its search path (`pg_catalog`, the schema, `pg_temp` last),
--   so a caller's temporary `bevaka_covers` or `bevaka_clock` cannot stand in for the unit's own
--   inside a policy, a trigger or a security-definer function.
-- - A full record leaves the database only after the access log says so durably. Reading is two
--   steps: `bevaka_request(…)` writes the log rows and a request, and must be committed on its
--   own; `bevaka_read(request)` (and `bevaka_unit`, `bevaka_audit`, `bevaka_lookup`,
--   `bevaka_lock`) then check that the request was committed by an earlier transaction
--   (`pg_xact_status`). A reader who rolls back the read cannot take the log row with it: it
--   is already committed. A request is valid for five minutes, for its caller only.
-- - Whether a personnummer is in the unit is answered only after a committed log row: adding a
--   person (or changing a personnummer) needs a committed 'save' request naming the number
--   (kept as a SHA-256 hash), checked by the stamp trigger before the unique index can answer;
--   the manager's look-ups by personnummer go through a 'lookup' request.
-- - Manager and handläggare rights are this database's (`bevaka_staff`), not only the
--   cluster-wide group roles. Nobody outside the staff table may connect to the database.
-- - The manager's planning data is an allow-list: dates, closed vocabularies, numbers, flags and
--   identifiers; the name and the birth date identify the person (a handläggarbyte needs that);
--   every other string is left out or replaced by a fixed word.
-- - Log details are the database's own words from a fixed list, never the caller's text.
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

ALTER FUNCTION bevaka_stamp() SET search_path = pg_catalog, public, pg_temp;

ALTER FUNCTION bevaka_notify() SET search_path = pg_catalog, public, pg_temp;

ALTER FUNCTION bevaka_plan_doc(jsonb) SET search_path = pg_catalog, public, pg_temp;

ALTER FUNCTION bevaka_today() SET search_path = pg_catalog, public, pg_temp;

ALTER FUNCTION bevaka_log_is_append_only() SET search_path = pg_catalog, public, pg_temp;

ALTER FUNCTION bevaka_is_admin() SET search_path = pg_catalog, public, pg_temp;

ALTER FUNCTION bevaka_is(text) SET search_path = pg_catalog, public, pg_temp;

ALTER FUNCTION bevaka_visible_owners() SET search_path = pg_catalog, public, pg_temp;

CREATE OR REPLACE FUNCTION bevaka_is(kind text) RETURNS boolean LANGUAGE sql STABLE
    SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = session_user AND s.kind = $1)
       AND EXISTS (SELECT 1 FROM pg_auth_members m
                   JOIN pg_roles g ON g.oid = m.roleid
                   JOIN pg_roles u ON u.oid = m.member
                   WHERE u.rolname = session_user AND g.rolname = 'bevaka_' || $1)
$$;

CREATE OR REPLACE FUNCTION bevaka_visible_owners() RETURNS text[] LANGUAGE sql STABLE
    SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE WHEN bevaka_is('handlaggare') THEN
        array_append(coalesce((SELECT array_agg(c.covered) FROM bevaka_covers c
                               WHERE c.covering = session_user AND c.ended_at IS NULL AND bevaka_today() <= c.until
                                 AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = c.covered)), '{}'::text[]),
                     session_user::text)
    ELSE '{}'::text[] END
$$;

ALTER TABLE bevaka_access_log DROP CONSTRAINT bevaka_access_log_action_check;

ALTER TABLE bevaka_access_log ADD CONSTRAINT bevaka_access_log_action_check
    CHECK (action IN ('listed', 'opened', 'exported', 'added', 'changed', 'reassigned',
                      'cover_granted', 'cover_ended', 'looked_up'));

ALTER TABLE bevaka_access_log ADD CONSTRAINT bevaka_access_log_detail_length
    CHECK (length(detail) <= 200) NOT VALID;

CREATE TABLE bevaka_requests (
    id bigserial PRIMARY KEY,
    who text NOT NULL DEFAULT session_user,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    purpose text NOT NULL,
    screen text NOT NULL,
    ids text[] NOT NULL DEFAULT '{}',
    pnrs bytea[] NOT NULL DEFAULT '{}'
);

CREATE INDEX bevaka_requests_at ON bevaka_requests (at);

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
    IF screen IS NULL OR NOT (screen = ANY (ARRAY['ärendelistan', 'uppdatering', 'ärende', 'uppföljning', 'underlag', 'journal', 'formulär', 'export', 'sparande', 'import', 'enhetens planering', 'db audit', 'db reassign', 'kommando']::text[])) THEN
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
END $$;

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
END $$;

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
END $$;

CREATE FUNCTION bevaka_may_store_pnr(pnr text) RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN sha256(convert_to(pnr, 'UTF8')) = ANY ((bevaka_save_request()).pnrs);
END $$;

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
END $$;

DROP FUNCTION bevaka_read(text[], text, text);

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
END $$;

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
END $$;

CREATE OR REPLACE FUNCTION bevaka_plan_doc(d jsonb) RETURNS jsonb LANGUAGE sql STABLE
    SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', d->'id',
        'name', to_jsonb(left(coalesce(d->>'name', ''), 200)),
        -- The birth date; for a protected identity only the year.
        'pnr', to_jsonb(CASE WHEN d->>'pnr' !~ '^[0-9]{12}$' THEN NULL
                             WHEN ((CASE WHEN jsonb_typeof(d->'protected') = 'boolean' THEN d->'protected' END)) = 'true'::jsonb THEN left(d->>'pnr', 4) || '01010000'
                             ELSE left(d->>'pnr', 8) || '0000' END),
        'protected', (CASE WHEN jsonb_typeof(d->'protected') = 'boolean' THEN d->'protected' END),
        'children', (CASE WHEN jsonb_typeof(d->'children') = 'boolean' THEN d->'children' END),
        'archived', (CASE WHEN jsonb_typeof(d->'archived') = 'boolean' THEN d->'archived' END),
        'decisions', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', x->'id',
                'law', x->'law',
                'service', to_jsonb(CASE WHEN lower(translate(regexp_replace(btrim(x->>'service'), '[ \t]+', ' ', 'g'), 'ÅÄÖÉÜ', 'åäöéü')) = ANY (ARRAY['avlösarservice i hemmet', 'boende för barn och ungdomar', 'boendestöd', 'bostad med särskild service för vuxna', 'daglig verksamhet', 'dagverksamhet', 'hemtjänst', 'kontaktperson', 'korttidstillsyn för skolungdom över 12 år', 'korttidsvistelse', 'ledsagarservice', 'matdistribution', 'personlig assistans', 'personlig omvårdnad', 'rådgivning och annat personligt stöd', 'sabo', 'serviceinsatser', 'särskilt boende', 'särskilt boende för äldre', 'trygghetslarm', 'vobo', 'vård och omsorgsboende', 'vård- och omsorgsboende']::text[])
                                         THEN lower(translate(regexp_replace(btrim(x->>'service'), '[ \t]+', ' ', 'g'), 'ÅÄÖÉÜ', 'åäöéü')) ELSE 'annan insats' END),
                'form', (CASE WHEN jsonb_typeof(x->'form') = 'string' AND (x->'form' #>> '{}') = ANY (ARRAY['frame', 'itemized']::text[]) THEN x->'form' END),
                'granted', (CASE WHEN jsonb_typeof(x->'granted') = 'number' THEN x->'granted' END),
                'performed', (CASE WHEN jsonb_typeof(x->'performed') = 'number' THEN x->'performed' END),
                'performedMonth', CASE WHEN x->>'performedMonth' ~ '^[0-9]{4}-[0-9]{2}$' THEN x->'performedMonth' END,
                'from', x->'from',
                'to', (CASE WHEN jsonb_typeof(x->'to') = 'string' AND (x->'to' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'to' END),
                'started', (CASE WHEN jsonb_typeof(x->'started') = 'string' AND (x->'started' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'started' END),
                'closed', (CASE WHEN jsonb_typeof(x->'closed') = 'string' AND (x->'closed' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'closed' END),
                'decided', (CASE WHEN jsonb_typeof(x->'decided') = 'string' AND (x->'decided' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'decided' END),
                'provider', CASE WHEN (CASE WHEN jsonb_typeof(x->'provider'->'regi') = 'string' AND (x->'provider'->'regi' #>> '{}') = ANY (ARRAY['municipal', 'private']::text[]) THEN x->'provider'->'regi' END) IS NOT NULL
                                 THEN jsonb_strip_nulls(jsonb_build_object(
                                     'name', '', 'regi', x->'provider'->'regi',
                                     'access', (CASE WHEN jsonb_typeof(x->'provider'->'access') = 'boolean' THEN x->'provider'->'access' END))) END,
                'consent', (CASE WHEN jsonb_typeof(x->'consent') = 'string' AND (x->'consent' #>> '{}') = ANY (ARRAY['given', 'refused', 'notAsked']::text[]) THEN x->'consent' END),
                'plan', CASE WHEN jsonb_typeof(x->'plan') = 'object' THEN jsonb_strip_nulls(jsonb_build_object(
                            'received', (CASE WHEN jsonb_typeof(x->'plan'->'received') = 'string' AND (x->'plan'->'received' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'plan'->'received' END),
                            'established', (CASE WHEN jsonb_typeof(x->'plan'->'established') = 'string' AND (x->'plan'->'established' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'plan'->'established' END),
                            'revised', (CASE WHEN jsonb_typeof(x->'plan'->'revised') = 'string' AND (x->'plan'->'revised' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'plan'->'revised' END),
                            'tookPart', (CASE WHEN jsonb_typeof(x->'plan'->'tookPart') = 'boolean' THEN x->'plan'->'tookPart' END))) END,
                'offers', (SELECT jsonb_agg(jsonb_build_object('on', o->'on', 'what', '', 'accepted', o->'accepted'))
                           FROM jsonb_array_elements((CASE WHEN jsonb_typeof(x->'offers') = 'array' THEN x->'offers' ELSE '[]'::jsonb END)) o
                           WHERE (CASE WHEN jsonb_typeof(o->'on') = 'string' AND (o->'on' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN o->'on' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(o->'accepted') = 'boolean' THEN o->'accepted' END) IS NOT NULL),
                'notCarriedOut', CASE WHEN coalesce(x->>'notCarriedOut', '') <> '' THEN to_jsonb('delvis verkställt'::text) END,
                'interruptions', (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                                      'from', i->'from', 'resumed', (CASE WHEN jsonb_typeof(i->'resumed') = 'string' AND (i->'resumed' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN i->'resumed' END),
                                      'ivoReported', (SELECT jsonb_agg(q) FROM jsonb_array_elements((CASE WHEN jsonb_typeof(i->'ivoReported') = 'array' THEN i->'ivoReported' ELSE '[]'::jsonb END)) q WHERE (CASE WHEN jsonb_typeof(q) = 'string' AND (q #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN q END) IS NOT NULL),
                                      'ivoClosingReported', (CASE WHEN jsonb_typeof(i->'ivoClosingReported') = 'string' AND (i->'ivoClosingReported' #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN i->'ivoClosingReported' END))))
                                  FROM jsonb_array_elements((CASE WHEN jsonb_typeof(x->'interruptions') = 'array' THEN x->'interruptions' ELSE '[]'::jsonb END)) i
                                  WHERE (CASE WHEN jsonb_typeof(i->'from') = 'string' AND (i->'from' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN i->'from' END) IS NOT NULL),
                'ivoReported', (SELECT jsonb_agg(q) FROM jsonb_array_elements((CASE WHEN jsonb_typeof(x->'ivoReported') = 'array' THEN x->'ivoReported' ELSE '[]'::jsonb END)) q WHERE (CASE WHEN jsonb_typeof(q) = 'string' AND (q #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN q END) IS NOT NULL),
                'ivoClosingReported', (CASE WHEN jsonb_typeof(x->'ivoClosingReported') = 'string' AND (x->'ivoClosingReported' #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN x->'ivoClosingReported' END))))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'decisions') = 'array' THEN d->'decisions' ELSE '[]'::jsonb END)) x
            WHERE (CASE WHEN jsonb_typeof(x->'id') = 'string' AND (x->'id' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN x->'id' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(x->'from') = 'string' AND (x->'from' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'from' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(x->'law') = 'string' AND (x->'law' #>> '{}') = ANY (ARRAY['SoL', 'LSS']::text[]) THEN x->'law' END) IS NOT NULL), '[]'::jsonb),
        'followUps', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', f->'id', 'date', f->'date', 'form', f->'form', 'trigger', f->'trigger', 'participants', '[]'::jsonb,
                'outcome', (CASE WHEN jsonb_typeof(f->'outcome') = 'string' AND (f->'outcome' #>> '{}') = ANY (ARRAY['asDecided', 'notAsDecided', 'needsChanged', 'decisionEnded']::text[]) THEN f->'outcome' END),
                'decisions', (SELECT jsonb_agg(e) FROM jsonb_array_elements((CASE WHEN jsonb_typeof(f->'decisions') = 'array' THEN f->'decisions' ELSE '[]'::jsonb END)) e
                              WHERE (CASE WHEN jsonb_typeof(e) = 'string' AND (e #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN e END) IS NOT NULL))))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'followUps') = 'array' THEN d->'followUps' ELSE '[]'::jsonb END)) f
            WHERE (CASE WHEN jsonb_typeof(f->'id') = 'string' AND (f->'id' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN f->'id' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(f->'date') = 'string' AND (f->'date' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN f->'date' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(f->'form') = 'string' AND (f->'form' #>> '{}') = ANY (ARRAY['homeVisit', 'phone', 'meeting', 'digital']::text[]) THEN f->'form' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(f->'trigger') = 'string' AND (f->'trigger' #>> '{}') = ANY (ARRAY['ownPlan', 'decisionEnding', 'personReported', 'providerReported']::text[]) THEN f->'trigger' END) IS NOT NULL), '[]'::jsonb),
        'reminders', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', r->'id', 'decision', (CASE WHEN jsonb_typeof(r->'decision') = 'string' AND (r->'decision' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN r->'decision' END), 'kind', r->'kind', 'due', r->'due',
                'ruleDue', (CASE WHEN jsonb_typeof(r->'ruleDue') = 'string' AND (r->'ruleDue' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'ruleDue' END),
                'priority', (CASE WHEN jsonb_typeof(r->'priority') = 'string' AND (r->'priority' #>> '{}') = ANY (ARRAY['high', 'normal', 'low']::text[]) THEN r->'priority' END),
                'status', (CASE WHEN jsonb_typeof(r->'status') = 'string' AND (r->'status' #>> '{}') = ANY (ARRAY['notStarted', 'inProgress', 'waiting', 'done']::text[]) THEN r->'status' END),
                'done', (CASE WHEN jsonb_typeof(r->'done') = 'string' AND (r->'done' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'done' END))))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'reminders') = 'array' THEN d->'reminders' ELSE '[]'::jsonb END)) r
            WHERE (CASE WHEN jsonb_typeof(r->'id') = 'string' AND (r->'id' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN r->'id' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(r->'due') = 'string' AND (r->'due' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'due' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(r->'kind') = 'string' AND (r->'kind' #>> '{}') = ANY (ARRAY['annualFollowUp', 'decisionEnding', 'carePlanMissing', 'carePlanStale', 'prepareFollowUp', 'timeDeviation', 'decisionEnded', 'consentMissing', 'notStarted', 'interrupted', 'ivoReport', 'manual']::text[]) THEN r->'kind' END) IS NOT NULL), '[]'::jsonb),
        'handovers', coalesce((SELECT jsonb_agg(jsonb_build_object('from', h->'from', 'to', h->'to', 'on', h->'on', 'by', h->'by'))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'handovers') = 'array' THEN d->'handovers' ELSE '[]'::jsonb END)) h
            WHERE (CASE WHEN jsonb_typeof(h->'on') = 'string' AND (h->'on' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN h->'on' END) IS NOT NULL AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'from') AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'to')
              AND (EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'by')
                   OR h->>'by' = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'bevaka_clients'::regclass))),
            '[]'::jsonb)))
$$;

DROP FUNCTION bevaka_unit();

CREATE FUNCTION bevaka_unit(request bigint) RETURNS TABLE (id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    RETURN QUERY SELECT c.id, c.owner, bevaka_plan_doc(c.doc)::text FROM bevaka_clients c
        WHERE c.id = ANY (r.ids) ORDER BY c.ordinal;
END $$;

CREATE FUNCTION bevaka_lookup(request bigint) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['lookup']);
BEGIN
    IF cardinality(r.ids) = 0 THEN
        RAISE EXCEPTION 'bevaka: personnumret finns inte i enhetens ärenden' USING ERRCODE = 'P0002';
    END IF;
    RETURN r.ids[1];
END $$;

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
END $$;

DROP FUNCTION bevaka_audit(text, text, date, boolean);

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
END $$;

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
END $$;

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
END $$;

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
END $$;

REVOKE ALL ON bevaka_requests FROM PUBLIC;

REVOKE EXECUTE ON FUNCTION bevaka_request(text, text, text[], text[]), bevaka_request_row(bigint, text[]),
    bevaka_save_request(), bevaka_may_store_pnr(text), bevaka_read(bigint), bevaka_unit(bigint),
    bevaka_lookup(bigint), bevaka_audit(bigint, text, text, date, boolean) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION bevaka_request(text, text, text[], text[]), bevaka_read(bigint) TO bevaka_handlaggare, bevaka_chef;

GRANT EXECUTE ON FUNCTION bevaka_may_store_pnr(text), bevaka_save_request() TO bevaka_handlaggare;

GRANT EXECUTE ON FUNCTION bevaka_unit(bigint), bevaka_lookup(bigint), bevaka_audit(bigint, text, text, date, boolean)
    TO bevaka_chef;

DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'bevaka\_%' LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp', f, current_schema());
    END LOOP;
END $$;

