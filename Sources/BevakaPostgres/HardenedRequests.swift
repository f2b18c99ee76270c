import BevakaDomain

// Migration 4 (see HardenedSchema.swift), second part: the log's new rows, read requests written
// and committed before any read, the request a save names, and a new personnummer only with one.

extension Schema {
    static let hardenedRequests: [String] = [
        // Read requests: the log is written and committed with the request, before any read.
        """
        CREATE TABLE bevaka_requests (
            id bigserial PRIMARY KEY,
            who text NOT NULL DEFAULT session_user,
            xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            at timestamptz NOT NULL DEFAULT clock_timestamp(),
            purpose text NOT NULL,
            screen text NOT NULL,
            ids text[] NOT NULL DEFAULT '{}',
            pnrs bytea[] NOT NULL DEFAULT '{}'
        )
        """,
        """
        CREATE INDEX bevaka_requests_at ON bevaka_requests (at)
        """,
        """
        CREATE FUNCTION bevaka_request(purpose text, screen text, ids text[] DEFAULT NULL, pnrs text[] DEFAULT NULL)
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
            IF screen IS NULL OR NOT (screen = ANY (\(sqlArray(screens)))) THEN
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
        END $$
        """,
        // The caller's own request, committed by an earlier transaction, at most five minutes old.
        """
        CREATE FUNCTION bevaka_request_row(request bigint, purposes text[]) RETURNS bevaka_requests
            LANGUAGE plpgsql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            r bevaka_requests;
        BEGIN
            SELECT * INTO r FROM bevaka_requests q WHERE q.id = request AND q.who = session_user;
            IF NOT FOUND OR NOT (r.purpose = ANY (purposes)) THEN
                RAISE EXCEPTION 'bevaka: ingen sådan läsbegäran' USING ERRCODE = '42501';
            END IF;
            IF pg_xact_status(r.xid) IS DISTINCT FROM 'committed' THEN
                RAISE EXCEPTION 'bevaka: läsbegäran måste vara sparad (COMMIT) i en egen transaktion innan något läses'
                    USING ERRCODE = '55000';
            END IF;
            IF r.at < clock_timestamp() - interval '5 minutes' THEN
                RAISE EXCEPTION 'bevaka: läsbegäran är för gammal; gör en ny' USING ERRCODE = '55000';
            END IF;
            RETURN r;
        END $$
        """,
        // The request a save names for its transaction (SET LOCAL bevaka.request).
        """
        CREATE FUNCTION bevaka_save_request() RETURNS bevaka_requests LANGUAGE plpgsql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            setting text := current_setting('bevaka.request', true);
        BEGIN
            IF setting IS NULL OR setting !~ '^[0-9]{1,18}$' THEN
                RAISE EXCEPTION 'bevaka: personnummer sparas och ärenden sammanfogas bara efter en loggad begäran (bevaka_request)'
                    USING ERRCODE = '42501';
            END IF;
            RETURN bevaka_request_row(setting::bigint, ARRAY['save']);
        END $$
        """,
        """
        CREATE FUNCTION bevaka_may_store_pnr(pnr text) RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            RETURN sha256(convert_to(pnr, 'UTF8')) = ANY ((bevaka_save_request()).pnrs);
        END $$
        """,
        // A new person, or a new personnummer on a person, only with a committed save request
        // naming it: checked before the unique index can say whether the number is taken.
        """
        CREATE OR REPLACE FUNCTION bevaka_stamp() RETURNS trigger LANGUAGE plpgsql
            SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            IF NEW.doc->>'id' IS DISTINCT FROM NEW.id THEN
                RAISE EXCEPTION 'bevaka: doc id % does not match row id %', NEW.doc->>'id', NEW.id;
            END IF;
            NEW.pnr := NEW.doc->>'pnr';
            NEW.archived := coalesce((NEW.doc->>'archived')::boolean, false);
            NEW.updated_at := clock_timestamp();
            NEW.updated_by := session_user;
            IF TG_OP = 'UPDATE' THEN
                NEW.version := OLD.version + 1;
                NEW.ordinal := OLD.ordinal;
                IF coalesce(current_setting('bevaka.reassigning', true), '') <> 'on' OR NOT bevaka_is_admin() AND NOT bevaka_is('chef') THEN
                    NEW.owner := OLD.owner;
                END IF;
                IF NEW.pnr IS DISTINCT FROM OLD.pnr AND NOT bevaka_is_admin() AND NOT bevaka_may_store_pnr(NEW.pnr) THEN
                    RAISE EXCEPTION 'bevaka: personnumret är inte med i läsbegäran' USING ERRCODE = '42501';
                END IF;
            ELSE
                NEW.version := 1;
                IF NOT bevaka_is_admin() THEN
                    NEW.owner := session_user;
                    IF NOT bevaka_may_store_pnr(NEW.pnr) THEN
                        RAISE EXCEPTION 'bevaka: personnumret är inte med i läsbegäran' USING ERRCODE = '42501';
                    END IF;
                END IF;
            END IF;
            RETURN NEW;
        END $$
        """,
    ]
}
