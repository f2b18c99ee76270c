-- bevaka: enhetschefens planering sparad med varje ärende
--
-- Migration 13 (issue 37): the manager's planning view (`bevaka_unit`) made each person's
-- planning document (`bevaka_plan_doc`: an allow-list of dates, identifiers, numbers and words,
-- no free text) at every read. The function is one large expression with some thirty
-- sub-queries, and PostgreSQL sets up its executor again for every row: about 0.4 ms a person,
-- so 3,000 people took 1.3 s and a unit of 100,000 would take 40 s (bevaka-bench --enhet).
--
-- The document depends only on the record (and on bevaka_vocabulary and bevaka_staff, which
-- only grow), so it is made when the record is written and kept in a column of its own beside
-- it, as bevaka_stamp keeps pnr, archived and last_end: a save costs the 0.4 ms once, the view
-- reads a column. Nobody is granted the column: handläggare read doc through bevaka_read as
-- before, the manager reads plan only through bevaka_unit.
--
-- A later migration that changes bevaka_plan_doc or the vocabulary it reads must make the column
-- again, as this one does below (with the table's own triggers off: no version, no log row, no
-- notification for a column nobody reads directly).
ALTER TABLE bevaka_clients ADD COLUMN plan jsonb;

-- SECURITY DEFINER: bevaka_plan_doc is the owner's alone (migration 4); the function makes the
-- document of the row being written and nothing else.
CREATE FUNCTION bevaka_keep_plan() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    NEW.plan := bevaka_plan_doc(NEW.doc);
    RETURN NEW;
END $$;
COMMENT ON FUNCTION bevaka_keep_plan() IS 'Keeps the manager''s planning document of a record (bevaka_plan_doc) beside it at every write.';
REVOKE ALL ON FUNCTION bevaka_keep_plan() FROM PUBLIC;

-- Named to run after bevaka_stamp (BEFORE triggers run in name order), on the document as stored.
CREATE TRIGGER bevaka_stamp_plan BEFORE INSERT OR UPDATE ON bevaka_clients
    FOR EACH ROW EXECUTE FUNCTION bevaka_keep_plan();

ALTER TABLE bevaka_clients DISABLE TRIGGER USER;
UPDATE bevaka_clients SET plan = bevaka_plan_doc(doc);
ALTER TABLE bevaka_clients ENABLE TRIGGER USER;

CREATE OR REPLACE FUNCTION bevaka_unit(request bigint) RETURNS TABLE(id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    RETURN QUERY SELECT c.id, c.owner, coalesce(c.plan, bevaka_plan_doc(c.doc))::text FROM bevaka_clients c
        WHERE c.id = ANY (r.ids) ORDER BY c.ordinal;
END $$;
