-- bevaka: enhetschefens planering läst i ärendelistans ordning, utan sortering på disk
--
-- Migration 18 (issue 37): the manager's view of a unit of 100,000 people spent 0.75 s in the
-- server before anything reached the app (`bevaka-bench --enhetsvy`):
-- * The request (`bevaka_request('planning', …)`) listed every id in the caseload's order through
--   the index on `ordinal`, visiting each row of the table (185 MB for 100,000 people) for its id:
--   0.1 s. The index now carries the id (INCLUDE), so the list is read from the index alone.
-- * The read (`bevaka_unit`) compared each row's id with the request's ids as a parameter, which
--   PostgreSQL can only look up one id at a time in the primary key: 100,000 index look-ups in no
--   order, then the rows sorted by `ordinal` (on disk: 78 MB past work_mem) and kept again, as
--   the function's result, in a file. The ids are now passed as a value (EXECUTE … USING), which
--   PostgreSQL hashes and checks while it walks the `ordinal` index (the order wanted, no sort),
--   and the function has the memory to keep its result (about 130 MB for 100,000 people, only
--   while it runs): 0.5 s to 0.2 s, 0.65 s to 0.4 s with the sending.
-- Who may read what is unchanged: the same request row, the same check, the same columns.
CREATE INDEX bevaka_clients_ordinal_id ON bevaka_clients (ordinal) INCLUDE (id);
DROP INDEX bevaka_clients_ordinal;

CREATE OR REPLACE FUNCTION bevaka_unit(request bigint) RETURNS TABLE(id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    SET work_mem = '256MB' AS $$
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    -- A constant statement; the ids are a bound value, never text in it.
    RETURN QUERY EXECUTE 'SELECT c.id, c.owner, coalesce(c.plan, bevaka_plan_doc(c.doc)::text) FROM bevaka_clients c '
        'WHERE c.id = ANY ($1) ORDER BY c.ordinal' USING r.ids;
END $$;
