-- bevaka: enhetschefens planering läst i delar, på två anslutningar samtidigt
--
-- Migration 22 (issue 37): the manager's planning of a whole unit (100,000 people, 115 MB) was read
-- by one server process while the app waited, then read by the app while the server waited: on
-- two cores, each half of the read left a core idle. The app now reads one request's planning in
-- parts, over two connections at once, and reads each part while the next one is sent.
--
-- `bevaka_unit_range(request)` gives a planning request's span of `ordinal` (the lowest that is
-- still there, and the request's `through`); `bevaka_unit_part(request, after, upto)` reads the part of
-- the request's planning with `after < ordinal <= upto`, in the caseload's order. The bounds are
-- the caller's values, clamped to the request's: any part is a subset of what `bevaka_unit(request)`
-- reads, so what the manager may read does not change, and the one log row of the request
-- (`enhetens planering: N ärenden`) stands for all its parts, as it stood for reading it twice.
-- Both are the manager's only, like `bevaka_unit(request)`, and refuse any other request.
CREATE FUNCTION bevaka_unit_range(request bigint) RETURNS TABLE(lowest bigint, through bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    -- From the `ordinal` index alone (its first entry up to the bound).
    RETURN QUERY SELECT min(c.ordinal), r.through FROM bevaka_clients c WHERE c.ordinal <= r.through;
END $$;
COMMENT ON FUNCTION bevaka_unit_range(bigint) IS 'A planning request''s span of ordinal: the lowest still in the unit and the request''s bound; the manager reads its parts with bevaka_unit_part(request, after, upto).';

CREATE FUNCTION bevaka_unit_part(request bigint, after bigint, upto bigint) RETURNS TABLE(id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    SET work_mem = '256MB' AS $$
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    IF after IS NULL OR upto IS NULL THEN
        RAISE EXCEPTION 'bevaka: en del av planeringen behöver båda gränserna' USING ERRCODE = '22023';
    END IF;
    -- A constant statement; the bounds are values. The index on `ordinal` gives the part's rows in
    -- the caseload's order (no sort); nothing past the request's own bound.
    RETURN QUERY EXECUTE 'SELECT c.id, c.owner, coalesce(c.plan, bevaka_plan_doc(c.doc)::text) FROM bevaka_clients c '
        'WHERE c.ordinal > $1 AND c.ordinal <= $2 ORDER BY c.ordinal' USING after, least(upto, r.through);
END $$;
COMMENT ON FUNCTION bevaka_unit_part(bigint, bigint, bigint) IS 'The part of a planning request''s rows with after < ordinal <= upto (never past the request''s bound), in the caseload''s order.';

REVOKE ALL ON FUNCTION bevaka_unit_range(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bevaka_unit_range(bigint) TO bevaka_chef;
REVOKE ALL ON FUNCTION bevaka_unit_part(bigint, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bevaka_unit_part(bigint, bigint, bigint) TO bevaka_chef;
