-- bevaka: enhetens IVO-rapport från enhetschefen
--
-- Migration 10 (issue 33): IVO takes one report per nämnd, through its huvudrapportör. The
-- manager (or the owner) makes the unit's report: the cases with something to report are read
-- whole through `bevaka_request('opened', 'IVO-rapport', ids)` (the manager may already open any
-- case by id; each read is logged with this screen word), and the quarter is marked sent for the
-- unit with `bevaka_ivo_mark_sent`, which writes only IVO's quarter labels into the decisions it
-- names — nothing else of a case can be changed through it.
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('screen', 'IVO-rapport');

-- One decision (or one of its interruptions) with the quarter's label added: the quarters it was
-- reported in, or the quarter of its closing report.
CREATE FUNCTION bevaka_ivo_marked(decision jsonb, label text, interruption text, closing boolean) RETURNS jsonb
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE
        WHEN interruption IS NULL AND closing THEN decision || jsonb_build_object('ivoClosingReported', label)
        WHEN interruption IS NULL THEN
            CASE WHEN coalesce(CASE WHEN jsonb_typeof(decision->'ivoReported') = 'array' THEN decision->'ivoReported' END, '[]'::jsonb) @> jsonb_build_array(label)
                 THEN decision
                 ELSE decision || jsonb_build_object('ivoReported',
                          coalesce(CASE WHEN jsonb_typeof(decision->'ivoReported') = 'array' THEN decision->'ivoReported' END, '[]'::jsonb) || jsonb_build_array(label)) END
        ELSE decision || jsonb_build_object('interruptions', (
            SELECT coalesce(jsonb_agg(CASE
                WHEN i->>'from' IS DISTINCT FROM interruption THEN i
                WHEN closing THEN i || jsonb_build_object('ivoClosingReported', label)
                WHEN coalesce(CASE WHEN jsonb_typeof(i->'ivoReported') = 'array' THEN i->'ivoReported' END, '[]'::jsonb) @> jsonb_build_array(label) THEN i
                ELSE i || jsonb_build_object('ivoReported',
                          coalesce(CASE WHEN jsonb_typeof(i->'ivoReported') = 'array' THEN i->'ivoReported' END, '[]'::jsonb) || jsonb_build_array(label))
                END ORDER BY o), '[]'::jsonb)
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(decision->'interruptions') = 'array' THEN decision->'interruptions' ELSE '[]'::jsonb END)
                 WITH ORDINALITY AS t(i, o)))
        END
$$;

-- The manager marks the unit's report for `quarter` ('2026-Q3') sent. `marks` is an array of
-- {"client": id, "decision": id, "interruption": "ÅÅÅÅ-MM-DD" or absent, "closing": true/false}.
-- Returns how many cases were changed; each change is logged as the manager's, like any change.
CREATE FUNCTION bevaka_ivo_mark_sent(quarter text, marks jsonb) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    m jsonb;
    changed integer := 0;
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: enhetens IVO-rapport markeras skickad av enhetschefen' USING ERRCODE = '42501';
    END IF;
    IF quarter IS NULL OR quarter !~ '^[0-9]{4}-Q[1-4]$' THEN
        RAISE EXCEPTION 'bevaka: kvartalet skrivs ÅÅÅÅ-QN' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(marks) IS DISTINCT FROM 'array' OR jsonb_array_length(marks) > 200000 THEN
        RAISE EXCEPTION 'bevaka: markeringarna ska vara en lista' USING ERRCODE = '22023';
    END IF;
    FOR m IN SELECT x FROM jsonb_array_elements(marks) x LOOP
        IF jsonb_typeof(m) IS DISTINCT FROM 'object' OR jsonb_typeof(m->'client') IS DISTINCT FROM 'string'
           OR jsonb_typeof(m->'decision') IS DISTINCT FROM 'string' OR jsonb_typeof(m->'closing') IS DISTINCT FROM 'boolean'
           OR (m ? 'interruption' AND (jsonb_typeof(m->'interruption') IS DISTINCT FROM 'string'
                                       OR (m->>'interruption') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')) THEN
            RAISE EXCEPTION 'bevaka: en markering har fel form' USING ERRCODE = '22023';
        END IF;
        UPDATE bevaka_clients c SET doc = jsonb_set(c.doc, '{decisions}', (
                SELECT coalesce(jsonb_agg(CASE WHEN x->>'id' = m->>'decision'
                                               THEN bevaka_ivo_marked(x, quarter, m->>'interruption', (m->>'closing')::boolean)
                                               ELSE x END ORDER BY o), '[]'::jsonb)
                FROM jsonb_array_elements(c.doc->'decisions') WITH ORDINALITY AS t(x, o)))
            WHERE c.id = m->>'client' AND jsonb_typeof(c.doc->'decisions') = 'array'
              AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.doc->'decisions') x WHERE x->>'id' = m->>'decision')
              AND c.doc IS DISTINCT FROM jsonb_set(c.doc, '{decisions}', (
                SELECT coalesce(jsonb_agg(CASE WHEN x->>'id' = m->>'decision'
                                               THEN bevaka_ivo_marked(x, quarter, m->>'interruption', (m->>'closing')::boolean)
                                               ELSE x END ORDER BY o), '[]'::jsonb)
                FROM jsonb_array_elements(c.doc->'decisions') WITH ORDINALITY AS t(x, o)));
        IF FOUND THEN
            changed := changed + 1;
        END IF;
    END LOOP;
    RETURN changed;
END $$;

REVOKE EXECUTE ON FUNCTION bevaka_ivo_marked(jsonb, text, text, boolean), bevaka_ivo_mark_sent(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bevaka_ivo_mark_sent(text, jsonb) TO bevaka_chef;

COMMENT ON FUNCTION bevaka_ivo_mark_sent(text, jsonb) IS
    'The manager marks the unit''s IVO report for a quarter sent: only IVO''s quarter labels are written into the decisions named.';
