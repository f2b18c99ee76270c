-- bevaka: enhetschefens planering utan fritext om verkställighet
--
-- Verkställighet: the manager's planning data keeps dates, offers' dates and answers and that a
-- decision is partly carried out, but none of the free text (the reason for a delay, its
-- consequences, what was offered, why support was interrupted).
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

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
$$;

