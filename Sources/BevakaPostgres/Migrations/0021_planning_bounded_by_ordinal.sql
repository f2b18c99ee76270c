-- bevaka: enhetschefens planering avgränsad av ärendelistans ordningstal, inte av en lista med alla id
--
-- Migration 21 (issue 37): the manager's planning request (`bevaka_request('planning', …)`) listed
-- every id of the unit (100,000 in the load bench's unit) into the request row, and the read
-- (`bevaka_unit`) checked each row's id against that list. Listing, storing and reading back the
-- list cost the request 45 ms and the read 100 ms of its 0.4 s (`bevaka-bench --enhet`), and the
-- list stayed a day in `bevaka_requests`, where every gallring (`bevaka_forget_requests`) searched
-- it for each person it removed.
-- The request now keeps the highest `ordinal` it counted (`through`); the read walks the index on
-- `ordinal` up to it, in the caseload's order, with no list. What the manager may read does not
-- change: the planning of every person in the unit, and only through `bevaka_unit`. What one
-- request reads is bounded as before by the people who were in the unit when it was made: a person
-- added later has a higher ordinal and is not read, one removed since is not there. (A person whose
-- addition was committed between the two steps but numbered before the request may be read
-- without being in the logged count; the manager may read that person's planning anyway.)
ALTER TABLE bevaka_requests ADD COLUMN through bigint;
COMMENT ON COLUMN bevaka_requests.through IS 'A planning request only: the highest ordinal of bevaka_clients when it was made; bevaka_unit reads the unit up to it.';

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
    -- A planning request: how many people it names, and the highest ordinal among them.
    counted bigint;
    highest bigint;
    -- The bounds once, as values: compared with clock_timestamp() itself, the rate limit read
    -- every request of the user's day and the clean-up every request of the unit's.
    last_minute timestamptz := clock_timestamp() - interval '1 minute';
    kept_since timestamptz := clock_timestamp() - interval '1 day';
BEGIN
    IF NOT (admin OR chef OR handlaggare) THEN
        RAISE EXCEPTION 'bevaka: rollen % är inte handläggare eller chef i den här enhetens Bevaka', session_user
            USING ERRCODE = '42501';
    END IF;
    -- A burst of requests (a script flooding the log) is refused: no request is made (NULL, which
    -- bevaka_read refuses) and one 'rate_limited' row per minute flags it for the loggkontroll.
    -- The row is committed with this call, since nothing is raised.
    IF NOT admin AND (SELECT count(*) FROM bevaka_requests q WHERE q.who = session_user
                      AND q.at > last_minute) >= bevaka_request_limit() THEN
        IF NOT EXISTS (SELECT 1 FROM bevaka_access_log l WHERE l.who = session_user AND l.action = 'rate_limited'
                       AND l.at > last_minute) THEN
            INSERT INTO bevaka_access_log (action, detail)
                VALUES ('rate_limited', 'fler än ' || bevaka_request_limit() || ' läsbegäran på en minut');
        END IF;
        RETURN NULL;
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
            SELECT count(*), max(c.ordinal) INTO counted, highest FROM bevaka_clients c;
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
        INSERT INTO bevaka_access_log (action, detail) VALUES ('listed', 'enhetens planering: ' || counted || ' ärenden');
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
    DELETE FROM bevaka_requests r WHERE r.at < kept_since;
    INSERT INTO bevaka_requests (purpose, screen, ids, pnrs, through) VALUES (purpose, screen, allowed, hashes, highest)
        RETURNING bevaka_requests.id INTO made;
    RETURN made;
END $$;

CREATE OR REPLACE FUNCTION bevaka_unit(request bigint) RETURNS TABLE(id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    SET work_mem = '256MB' AS $$
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    -- A constant statement; the bound is a value, never text in it. The index on `ordinal` gives
    -- the rows in the caseload's order (no sort).
    RETURN QUERY EXECUTE 'SELECT c.id, c.owner, coalesce(c.plan, bevaka_plan_doc(c.doc)::text) FROM bevaka_clients c '
        'WHERE c.ordinal <= $1 ORDER BY c.ordinal' USING r.through;
END $$;
