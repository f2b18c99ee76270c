-- bevaka: personer utan svenskt personnummer och verkställighetsstegen i planeringsdatan
--
-- Migration 9 (issue 33):
-- - A person without a Swedish personnummer (an asylum seeker, a reservnummer, no number) is
--   stored with `ÅÅÅÅMMDD` + `K`/`M` + `-` + a reference (`R` and the reservnummer, or `N` and
--   eight hex digits) where the personnummer stands. The manager's planning data gives them the
--   same shape as everyone else, `ÅÅÅÅMMDD00S0` (S = 0 a woman, 1 a man), nothing of the
--   reference; a protected identity keeps only the year, as before.
-- - The verkställighet ladder before R11: the due kinds `orderConfirmation`, `startCheck` and
--   `escalation`, and each decision's answers (`orderConfirmed`, `escalated`, dates only) in the
--   planning data, so the manager's `5 Enheten` counts stalled starts as the handläggare sees them.
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('dueKind', 'orderConfirmation'),
    ('dueKind', 'startCheck'),
    ('dueKind', 'escalation');

CREATE OR REPLACE FUNCTION bevaka_plan_doc(d jsonb) RETURNS jsonb LANGUAGE sql STABLE
    SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', d->'id',
        'name', to_jsonb(left(coalesce(d->>'name', ''), 200)),
        -- The birth date; for a protected identity only the year.
        'pnr', to_jsonb(CASE WHEN d->>'pnr' !~ '^[0-9]{12}$' AND d->>'pnr' !~ '^[0-9]{8}[KM]-(R[0-9A-Z]{1,20}|N[0-9A-F]{8})$' THEN NULL
                             WHEN ((CASE WHEN jsonb_typeof(d->'protected') = 'boolean' THEN d->'protected' END)) = 'true'::jsonb THEN left(d->>'pnr', 4) || '01010000'
                             -- Without a Swedish personnummer: the birth date and the sex (K 0, M 1), nothing of the reference.
                             WHEN d->>'pnr' !~ '^[0-9]{12}$' THEN left(d->>'pnr', 8) || '00' || (CASE WHEN substr(d->>'pnr', 9, 1) = 'M' THEN '1' ELSE '0' END) || '0'
                             -- The sex digit's parity only (0 a woman, 1 a man), for fullmäktige's statistics.
                             ELSE left(d->>'pnr', 8) || '00' || (substr(d->>'pnr', 11, 1)::integer % 2)::text || '0' END),
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
                'orderConfirmed', (CASE WHEN jsonb_typeof(x->'orderConfirmed') = 'string' AND (x->'orderConfirmed' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'orderConfirmed' END),
                'escalated', (CASE WHEN jsonb_typeof(x->'escalated') = 'string' AND (x->'escalated' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'escalated' END),
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
