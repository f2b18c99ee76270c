-- bevaka: kontaktuppgifter hålls inne bara för skyddade personer, utan ett funktionsanrop per person
--
-- Migration 19 (issue 37): a list read (`bevaka_read`) called `bevaka_withhold_contact` for every
-- person. It is an SQL function with its own search_path, so PostgreSQL cannot fold it into the
-- read: every call set and reset the search path and ran its own small query, and the first call
-- in a connection also prepared it. For a usual caseload of 150 that was 2 of the read's 4.5 ms
-- in a warm connection, and more in the new connection each `bevaka agenda` opens. The function
-- changes only a person whose `protected` is JSON true; the read now asks that first and calls it
-- only then. What is withheld, from whom and when is unchanged (`UnitRightsTests` compares the
-- read with the function on every person, protected or not, and on odd values of `protected`).
CREATE OR REPLACE FUNCTION bevaka_read(request bigint)
    RETURNS TABLE (id text, doc text, version bigint, owner text, updated_by text, updated_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['listed', 'opened', 'exported']);
    admin boolean := bevaka_is_admin();
    chef boolean := bevaka_is('chef');
    owners text[] := bevaka_visible_owners();
BEGIN
    -- A protected person's contact data only where the person is opened (logged per case).
    RETURN QUERY SELECT c.id, (CASE WHEN r.purpose = 'opened' OR c.doc->'protected' IS DISTINCT FROM 'true'::jsonb THEN c.doc
                                    ELSE bevaka_withhold_contact(c.doc) END)::text,
                        c.version, c.owner, c.updated_by, c.updated_at
        FROM bevaka_clients c
        WHERE c.id = ANY (r.ids) AND (admin OR c.owner = ANY (owners) OR (chef AND r.purpose = 'opened'))
        ORDER BY c.ordinal;
END $$;
