-- bevaka: ordförråd som tabeller, kommentarer för databasadministratören
--
-- Migration 6: the closed vocabularies the database checks are a table, filled here, instead of
-- lists written into functions. The manager's planning data (`bevaka_plan_doc`) and the screens a
-- read may name (`bevaka_request`) check a word against `bevaka_vocabulary`; a later migration
-- adds a word with an INSERT, and nothing else has to be rewritten. The tests compare this table
-- with the program's own lists and name the migration to write when they differ
-- (Tests/BevakaPostgresTests/MigrationFileTests.swift).
--
-- Every function and table also gets a comment that a DBA reads with \d+ and \df+ and in
-- Sources/BevakaPostgres/schema.sql, among them why each session setting used as a flag
-- (bevaka.reassigning, bevaka.log_purge, bevaka.screen, bevaka.request) is safe although any
-- session can set it.
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

CREATE TABLE bevaka_vocabulary (
    kind text NOT NULL,
    word text NOT NULL CHECK (length(word) BETWEEN 1 AND 100),
    PRIMARY KEY (kind, word)
);

REVOKE ALL ON bevaka_vocabulary FROM PUBLIC;

-- The words are no secret (they are the program's own): staff may read them.
GRANT SELECT ON bevaka_vocabulary TO bevaka_handlaggare, bevaka_chef;

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('law', 'SoL'),
    ('law', 'LSS');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('service', 'avlösarservice i hemmet'),
    ('service', 'boende för barn och ungdomar'),
    ('service', 'boendestöd'),
    ('service', 'bostad med särskild service för vuxna'),
    ('service', 'daglig verksamhet'),
    ('service', 'dagverksamhet'),
    ('service', 'hemtjänst'),
    ('service', 'kontaktperson'),
    ('service', 'korttidstillsyn för skolungdom över 12 år'),
    ('service', 'korttidsvistelse'),
    ('service', 'ledsagarservice'),
    ('service', 'matdistribution'),
    ('service', 'personlig assistans'),
    ('service', 'personlig omvårdnad'),
    ('service', 'rådgivning och annat personligt stöd'),
    ('service', 'sabo'),
    ('service', 'serviceinsatser'),
    ('service', 'särskilt boende'),
    ('service', 'särskilt boende för äldre'),
    ('service', 'trygghetslarm'),
    ('service', 'vobo'),
    ('service', 'vård och omsorgsboende'),
    ('service', 'vård- och omsorgsboende');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('decisionForm', 'frame'),
    ('decisionForm', 'itemized');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('regi', 'municipal'),
    ('regi', 'private');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('consent', 'given'),
    ('consent', 'refused'),
    ('consent', 'notAsked');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('followUpOutcome', 'asDecided'),
    ('followUpOutcome', 'notAsDecided'),
    ('followUpOutcome', 'needsChanged'),
    ('followUpOutcome', 'decisionEnded');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('followUpForm', 'homeVisit'),
    ('followUpForm', 'phone'),
    ('followUpForm', 'meeting'),
    ('followUpForm', 'digital');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('followUpTrigger', 'ownPlan'),
    ('followUpTrigger', 'decisionEnding'),
    ('followUpTrigger', 'personReported'),
    ('followUpTrigger', 'providerReported');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('priority', 'high'),
    ('priority', 'normal'),
    ('priority', 'low');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('reminderStatus', 'notStarted'),
    ('reminderStatus', 'inProgress'),
    ('reminderStatus', 'waiting'),
    ('reminderStatus', 'done');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('dueKind', 'annualFollowUp'),
    ('dueKind', 'decisionEnding'),
    ('dueKind', 'carePlanMissing'),
    ('dueKind', 'carePlanStale'),
    ('dueKind', 'prepareFollowUp'),
    ('dueKind', 'timeDeviation'),
    ('dueKind', 'decisionEnded'),
    ('dueKind', 'consentMissing'),
    ('dueKind', 'notStarted'),
    ('dueKind', 'interrupted'),
    ('dueKind', 'ivoReport'),
    ('dueKind', 'manual');

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('screen', 'ärendelistan'),
    ('screen', 'uppdatering'),
    ('screen', 'ärende'),
    ('screen', 'uppföljning'),
    ('screen', 'underlag'),
    ('screen', 'journal'),
    ('screen', 'formulär'),
    ('screen', 'export'),
    ('screen', 'sparande'),
    ('screen', 'import'),
    ('screen', 'enhetens planering'),
    ('screen', 'db audit'),
    ('screen', 'db reassign'),
    ('screen', 'kommando');

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
                'service', to_jsonb(CASE WHEN EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'service' AND v.word = lower(translate(regexp_replace(btrim(x->>'service'), '[ \t]+', ' ', 'g'), 'ÅÄÖÉÜ', 'åäöéü')))
                                         THEN lower(translate(regexp_replace(btrim(x->>'service'), '[ \t]+', ' ', 'g'), 'ÅÄÖÉÜ', 'åäöéü')) ELSE 'annan insats' END),
                'form', (CASE WHEN jsonb_typeof(x->'form') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'decisionForm' AND v.word = (x->'form' #>> '{}')) THEN x->'form' END),
                'granted', (CASE WHEN jsonb_typeof(x->'granted') = 'number' THEN x->'granted' END),
                'performed', (CASE WHEN jsonb_typeof(x->'performed') = 'number' THEN x->'performed' END),
                'performedMonth', CASE WHEN x->>'performedMonth' ~ '^[0-9]{4}-[0-9]{2}$' THEN x->'performedMonth' END,
                'from', x->'from',
                'to', (CASE WHEN jsonb_typeof(x->'to') = 'string' AND (x->'to' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'to' END),
                'started', (CASE WHEN jsonb_typeof(x->'started') = 'string' AND (x->'started' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'started' END),
                'closed', (CASE WHEN jsonb_typeof(x->'closed') = 'string' AND (x->'closed' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'closed' END),
                'decided', (CASE WHEN jsonb_typeof(x->'decided') = 'string' AND (x->'decided' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'decided' END),
                'provider', CASE WHEN (CASE WHEN jsonb_typeof(x->'provider'->'regi') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'regi' AND v.word = (x->'provider'->'regi' #>> '{}')) THEN x->'provider'->'regi' END) IS NOT NULL
                                 THEN jsonb_strip_nulls(jsonb_build_object(
                                     'name', '', 'regi', x->'provider'->'regi',
                                     'access', (CASE WHEN jsonb_typeof(x->'provider'->'access') = 'boolean' THEN x->'provider'->'access' END))) END,
                'consent', (CASE WHEN jsonb_typeof(x->'consent') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'consent' AND v.word = (x->'consent' #>> '{}')) THEN x->'consent' END),
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
              AND (CASE WHEN jsonb_typeof(x->'law') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'law' AND v.word = (x->'law' #>> '{}')) THEN x->'law' END) IS NOT NULL), '[]'::jsonb),
        'followUps', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', f->'id', 'date', f->'date', 'form', f->'form', 'trigger', f->'trigger', 'participants', '[]'::jsonb,
                'outcome', (CASE WHEN jsonb_typeof(f->'outcome') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'followUpOutcome' AND v.word = (f->'outcome' #>> '{}')) THEN f->'outcome' END),
                'decisions', (SELECT jsonb_agg(e) FROM jsonb_array_elements((CASE WHEN jsonb_typeof(f->'decisions') = 'array' THEN f->'decisions' ELSE '[]'::jsonb END)) e
                              WHERE (CASE WHEN jsonb_typeof(e) = 'string' AND (e #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN e END) IS NOT NULL))))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'followUps') = 'array' THEN d->'followUps' ELSE '[]'::jsonb END)) f
            WHERE (CASE WHEN jsonb_typeof(f->'id') = 'string' AND (f->'id' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN f->'id' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(f->'date') = 'string' AND (f->'date' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN f->'date' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(f->'form') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'followUpForm' AND v.word = (f->'form' #>> '{}')) THEN f->'form' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(f->'trigger') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'followUpTrigger' AND v.word = (f->'trigger' #>> '{}')) THEN f->'trigger' END) IS NOT NULL), '[]'::jsonb),
        'reminders', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', r->'id', 'decision', (CASE WHEN jsonb_typeof(r->'decision') = 'string' AND (r->'decision' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN r->'decision' END), 'kind', r->'kind', 'due', r->'due',
                'ruleDue', (CASE WHEN jsonb_typeof(r->'ruleDue') = 'string' AND (r->'ruleDue' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'ruleDue' END),
                'priority', (CASE WHEN jsonb_typeof(r->'priority') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'priority' AND v.word = (r->'priority' #>> '{}')) THEN r->'priority' END),
                'status', (CASE WHEN jsonb_typeof(r->'status') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'reminderStatus' AND v.word = (r->'status' #>> '{}')) THEN r->'status' END),
                'done', (CASE WHEN jsonb_typeof(r->'done') = 'string' AND (r->'done' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'done' END))))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'reminders') = 'array' THEN d->'reminders' ELSE '[]'::jsonb END)) r
            WHERE (CASE WHEN jsonb_typeof(r->'id') = 'string' AND (r->'id' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN r->'id' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(r->'due') = 'string' AND (r->'due' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'due' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(r->'kind') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'dueKind' AND v.word = (r->'kind' #>> '{}')) THEN r->'kind' END) IS NOT NULL), '[]'::jsonb),
        'handovers', coalesce((SELECT jsonb_agg(jsonb_build_object('from', h->'from', 'to', h->'to', 'on', h->'on', 'by', h->'by'))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'handovers') = 'array' THEN d->'handovers' ELSE '[]'::jsonb END)) h
            WHERE (CASE WHEN jsonb_typeof(h->'on') = 'string' AND (h->'on' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN h->'on' END) IS NOT NULL AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'from') AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'to')
              AND (EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'by')
                   OR h->>'by' = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'bevaka_clients'::regclass))),
            '[]'::jsonb)))
$$;


CREATE OR REPLACE FUNCTION bevaka_request(purpose text, screen text, ids text[] DEFAULT NULL, pnrs text[] DEFAULT NULL)
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
    IF screen IS NULL OR NOT EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'screen' AND v.word = screen) THEN
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

-- Names resolve in pg_catalog and the schema only, as for every other function.
ALTER FUNCTION bevaka_plan_doc(jsonb) SET search_path = pg_catalog, public, pg_temp;

COMMENT ON TABLE bevaka_vocabulary IS
    'The closed vocabularies the database checks (law, service, dueKind, screen, …). Filled by migrations only; the tests compare it with the program''s lists.';
COMMENT ON TABLE bevaka_clients IS
    'One row per person: doc is the record (the file store''s JSON for one person); pnr, archived, version and the stamps are filled by the trigger bevaka_stamp from doc and the session. Row-level security with FORCE: a handläggare reaches own and covered rows, the manager none.';
COMMENT ON TABLE bevaka_staff IS
    'This unit''s staff: role (the login), name, kind (handlaggare or chef). Rights come from this table, in this database.';
COMMENT ON TABLE bevaka_covers IS
    'Covers (vikariat): covering may work covered''s cases until the date; ended_at ends one early. Written only through bevaka_cover and bevaka_cover_end.';
COMMENT ON TABLE bevaka_clock IS
    'The date the policies compare with. Empty in use (the server''s date); only the owner may set it, for a test or a drill.';
COMMENT ON TABLE bevaka_access_log IS
    'The access log: who, when, which case, what. Append-only (the trigger bevaka_log_is_append_only refuses UPDATE and DELETE, also for the owner, but for bevaka_log_purge of rows older than the kept years).';
COMMENT ON TABLE bevaka_requests IS
    'Read requests: each read is named and logged in its own committed transaction before any record leaves the database (two-step read). Rows older than a day are removed by the next request.';
COMMENT ON TABLE bevaka_settings IS
    'The unit''s settings: how many years the access log is kept (at least 5) and how often it is reviewed.';
COMMENT ON TABLE bevaka_log_reviews IS
    'Loggkontroll: the manager''s recorded reviews of the access log, append-only.';
COMMENT ON TABLE bevaka_migrations IS
    'The migrations applied, each with the SHA-256 of its file (Sources/BevakaPostgres/Migrations); Bevaka refuses a database whose applied migration differs from its own.';

COMMENT ON FUNCTION bevaka_stamp() IS
    'Fills the columns beside doc and stamps every write. Reads the session setting bevaka.reassigning: any session can set it, but it only lets the owner column change when the caller is also the schema owner or a manager of this unit (bevaka_is), and bevaka_reassign sets it for its own transaction only.';
COMMENT ON FUNCTION bevaka_reassign(text, text) IS
    'Handläggarbyte: moves cases to another handläggare of the unit (manager or owner), logged per case. Sets bevaka.reassigning for its own transaction (set_config(…, true)) so that bevaka_stamp lets the owner change.';
COMMENT ON FUNCTION bevaka_log_is_append_only() IS
    'Refuses every UPDATE and DELETE of the access log. The one exception needs the session setting bevaka.log_purge = on AND the schema owner (bevaka_is_admin) AND a row older than the kept years: a handläggare who sets the flag gains nothing. bevaka_log_purge sets it for its own transaction only.';
COMMENT ON FUNCTION bevaka_log_purge(date) IS
    'The owner''s only way to remove access-log rows, and only those older than bevaka_settings.log_keep_years (at least 5); itself logged.';
COMMENT ON FUNCTION bevaka_log_change() IS
    'Logs every insert and change of a person with the changed field names. Reads the session setting bevaka.screen only as a label for the log row, and only when it is one of a fixed list of words (sparande, import, återställning); anything else is left out, so a caller cannot write text into the log through it.';
COMMENT ON FUNCTION bevaka_save_request() IS
    'The committed save request that the session setting bevaka.request names. Any session can set the setting, but bevaka_request_row accepts only a request of the caller''s own, committed by an earlier transaction and at most five minutes old: naming someone else''s request gives an error, not a read.';
COMMENT ON FUNCTION bevaka_request(text, text, text[], text[]) IS
    'Step one of every read: names the purpose, the screen (a word of bevaka_vocabulary kind screen) and the cases; writes the access log; must be committed before step two.';
COMMENT ON FUNCTION bevaka_read(bigint) IS
    'Step two: the records a committed request of the caller''s named, and only those the caller may see.';
COMMENT ON FUNCTION bevaka_plan_doc(jsonb) IS
    'The manager''s planning document of one person: an allow-list of dates, identifiers, numbers, flags and words of bevaka_vocabulary; no personnummer, no free text.';
