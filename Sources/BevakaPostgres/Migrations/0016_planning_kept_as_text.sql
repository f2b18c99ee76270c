-- bevaka: enhetschefens planering sparad som den text som skickas
--
-- Migration 16 (issue 37): since migration 13 each person's planning document is kept beside the
-- record, as jsonb. The manager's view (`bevaka_unit`) sends it as text, so PostgreSQL wrote every
-- document out from jsonb at every read: for a unit of 100,000 people (115 MB of text) that was
-- 0.85 of the read's 1.3 s on the server, and it ran again at every start of the manager's app.
-- Nothing reads the column as jsonb (nobody is granted it; `bevaka_unit` is its only reader), so
-- it is now kept as the text itself, written once when the record is written.
--
-- The column's type changes with the table rewritten (and locked) while it runs, about a second
-- for 100,000 people: upgrade outside working hours on a large unit. The trigger and the view keep
-- their names and rights; the text is jsonb's own rendering, so the documents read the same.
ALTER TABLE bevaka_clients ALTER COLUMN plan TYPE text USING plan::text;

CREATE OR REPLACE FUNCTION bevaka_keep_plan() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    NEW.plan := bevaka_plan_doc(NEW.doc)::text;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION bevaka_unit(request bigint) RETURNS TABLE(id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    RETURN QUERY SELECT c.id, c.owner, coalesce(c.plan, bevaka_plan_doc(c.doc)::text) FROM bevaka_clients c
        WHERE c.id = ANY (r.ids) ORDER BY c.ordinal;
END $$;
