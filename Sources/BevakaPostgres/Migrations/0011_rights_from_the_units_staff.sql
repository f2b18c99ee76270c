-- bevaka: rättigheter från enhetens egen personallista, borttagning, loggen bara genom funktioner
--
-- Migration 11 (issue 34): a unit is a database, but the group roles (`bevaka_handlaggare`,
-- `bevaka_chef`) are the cluster's. Rights now come from this database's staff list alone:
-- - `bevaka_staff.ended_at`: a removed person keeps their row (the log's names) and no right;
--   `bevaka_is(kind)` requires an active row here, whatever groups the role is in elsewhere.
-- - `bevaka_user_remove(role)`: refuses while the person has cases (reassign them first), ends
--   every cover to and from them, ends the staff row, revokes CONNECT on this database, ends their
--   open connections where the owner may, and logs it.
-- - The manager's purpose for opening a protected person's case is a screen word of the log.
--   `bevaka_user_add` makes an ended row active again.
-- - `bevaka_cover` names only active staff.
-- - The access log and the loggkontroll findings are no longer readable as tables by the chef
--   group (which another unit's manager is in): `bevaka_log_reviewed_through()` and
--   `bevaka_log_reviews_read()` check this database's staff, and the list is logged.
-- - A protected person's contact data only with an 'opened' read (logged per case); a list read,
--   an export or a save's merge gets the record without it, and a save of such a record keeps it.
-- - A case id is Bevaka's own form (`c123`), checked by the database for every new or changed row.
-- - Removing a case (gallring) removes every request that named it, and any older than a day.
-- - At most `bevaka_request_limit()` requests per role and minute (the owner excepted).
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

ALTER TABLE bevaka_staff ADD COLUMN ended_at timestamptz;

-- The purposes a manager gives for opening a protected person's case, as the log's screen word.
INSERT INTO bevaka_vocabulary (kind, word) VALUES
    ('screen', 'ärende: handläggarbyte'),
    ('screen', 'ärende: tillsyn'),
    ('screen', 'ärende: begäran från den enskilde'),
    ('screen', 'ärende: annat');

ALTER TABLE bevaka_access_log DROP CONSTRAINT bevaka_access_log_action_check;

ALTER TABLE bevaka_access_log ADD CONSTRAINT bevaka_access_log_action_check
    CHECK (action IN ('listed', 'opened', 'exported', 'added', 'changed', 'reassigned',
                      'cover_granted', 'cover_ended', 'looked_up', 'gallrad', 'log_purged', 'reviewed',
                      'staff_removed', 'rate_limited'));

CREATE OR REPLACE FUNCTION bevaka_is(kind text) RETURNS boolean LANGUAGE sql STABLE
    SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = session_user AND s.kind = $1 AND s.ended_at IS NULL)
       AND EXISTS (SELECT 1 FROM pg_auth_members m
                   JOIN pg_roles g ON g.oid = m.roleid
                   JOIN pg_roles u ON u.oid = m.member
                   WHERE u.rolname = session_user AND g.rolname = 'bevaka_' || $1)
$$;

CREATE OR REPLACE FUNCTION bevaka_user_add(new_role text, kind text, display_name text) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    created boolean := false;
BEGIN
    IF kind NOT IN ('handlaggare', 'chef') THEN
        RAISE EXCEPTION 'bevaka: okänd roll %', kind;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = new_role) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', new_role);
        created := true;
    END IF;
    EXECUTE format('GRANT %I TO %I', 'bevaka_' || kind, new_role);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), new_role);
    INSERT INTO bevaka_staff (role, name, kind) VALUES (new_role, display_name, kind)
        ON CONFLICT (role) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, ended_at = NULL;
    RETURN created;
END $$;

-- Run by the owner (`bevaka db user remove`). Returns the number of covers ended.
CREATE FUNCTION bevaka_user_remove(former text) RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    cases integer;
    ended integer;
BEGIN
    IF NOT bevaka_is_admin() THEN
        RAISE EXCEPTION 'bevaka: bara databasens ägare tar bort personal' USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = former AND s.ended_at IS NULL) THEN
        RAISE EXCEPTION 'bevaka: % är inte med i enheten' , former USING ERRCODE = 'P0002';
    END IF;
    SELECT count(*) INTO cases FROM bevaka_clients c WHERE c.owner = former;
    IF cases > 0 THEN
        RAISE EXCEPTION 'bevaka: % har % ärenden; flytta dem först (bevaka db reassign)', former, cases USING ERRCODE = 'P0001';
    END IF;
    UPDATE bevaka_covers c SET ended_at = clock_timestamp()
        WHERE (c.covered = former OR c.covering = former) AND c.ended_at IS NULL;
    GET DIAGNOSTICS ended = ROW_COUNT;
    UPDATE bevaka_staff s SET ended_at = clock_timestamp() WHERE s.role = former;
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), former);
    -- Connections already open end too (their notifications with them), where the owner may end them.
    BEGIN
        PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a WHERE a.usename = former AND a.datname = current_database();
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE WARNING 'bevaka: % har öppna anslutningar som inte kunde avslutas (det kräver pg_signal_backend); rättigheterna är borta ändå', former;
    END;
    INSERT INTO bevaka_access_log (action, detail)
        VALUES ('staff_removed', former || ' togs bort ur enheten' || CASE WHEN ended > 0 THEN '; ' || ended || ' vikariat avslutade' ELSE '' END);
    PERFORM pg_notify('bevaka_clients', '*');
    RETURN ended;
END $$;

CREATE OR REPLACE FUNCTION bevaka_cover(covered_role text, covering_role text, until_day date) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    made bigint;
BEGIN
    IF NOT (session_user = covered_role AND bevaka_is('handlaggare') OR bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: bara du själv eller enhetschefen kan ordna vikariat för %', covered_role USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM bevaka_staff WHERE role = covered_role AND kind = 'handlaggare' AND ended_at IS NULL) THEN
        RAISE EXCEPTION 'bevaka: % är inte handläggare i Bevaka', covered_role USING ERRCODE = 'P0002';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM bevaka_staff WHERE role = covering_role AND kind = 'handlaggare' AND ended_at IS NULL) THEN
        RAISE EXCEPTION 'bevaka: % är inte handläggare i Bevaka', covering_role USING ERRCODE = 'P0002';
    END IF;
    IF covered_role = covering_role THEN
        RAISE EXCEPTION 'bevaka: ingen kan täcka för sig själv' USING ERRCODE = 'P0001';
    END IF;
    IF until_day < bevaka_today() THEN
        RAISE EXCEPTION 'bevaka: slutdatumet % har redan passerats', until_day USING ERRCODE = 'P0001';
    END IF;
    INSERT INTO bevaka_covers (covered, covering, until) VALUES (covered_role, covering_role, until_day)
        RETURNING id INTO made;
    INSERT INTO bevaka_access_log (action, detail)
        VALUES ('cover_granted', covering_role || ' täcker för ' || covered_role || ' till ' || until_day);
    PERFORM pg_notify('bevaka_clients', '*');
    RETURN made;
END $$;

-- The log and the findings: not readable as tables by the (cluster-wide) chef group.
REVOKE SELECT ON bevaka_access_log, bevaka_log_reviews FROM bevaka_chef;

CREATE FUNCTION bevaka_log_reviewed_through() RETURNS TABLE (reviewed_through date, interval_months integer)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: loggkontrollerna är enhetschefens' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT (SELECT max(r.period_to) FROM bevaka_log_reviews r), (SELECT s.review_interval_months FROM bevaka_settings s);
END $$;

CREATE FUNCTION bevaka_log_reviews_read()
    RETURNS TABLE (at timestamptz, reviewer text, period_from date, period_to date, reviewed integer, standouts integer,
                   finding text, addition boolean)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: loggkontrollerna är enhetschefens' USING ERRCODE = '42501';
    END IF;
    INSERT INTO bevaka_access_log (action, detail) VALUES ('listed', 'loggkontrollerna');
    RETURN QUERY SELECT r.at, r.reviewer, r.period_from, r.period_to, cardinality(r.reviewed), r.standouts, r.finding, r.addition
        FROM bevaka_log_reviews r ORDER BY r.period_from, r.at, r.id;
END $$;

-- Case ids: Bevaka's own form, for every row added or changed from now on.
ALTER TABLE bevaka_clients ADD CONSTRAINT bevaka_clients_id_form CHECK (id ~ '^[a-z]{1,3}[0-9]{1,15}$') NOT VALID;

-- A case removed (gallring): no request keeps its id or its personnummer's hash.
CREATE FUNCTION bevaka_forget_requests() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    DELETE FROM bevaka_requests r
        WHERE OLD.id = ANY (r.ids) OR sha256(convert_to(OLD.pnr, 'UTF8')) = ANY (r.pnrs)
           OR r.at < clock_timestamp() - interval '1 day';
    RETURN OLD;
END $$;

CREATE TRIGGER bevaka_forget_requests AFTER DELETE ON bevaka_clients
    FOR EACH ROW EXECUTE FUNCTION bevaka_forget_requests();

-- A protected person's contact data (address, phones, door code, how to get in, the booking's
-- place) comes only with an 'opened' read, logged per case and flagged in the loggkontroll; a
-- list read, an export and a save's merge get the record without it, marked "contactWithheld".
-- A record saved with that mark keeps the contact data the database has.
CREATE FUNCTION bevaka_withhold_contact(d jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE WHEN jsonb_typeof(d->'protected') = 'boolean' AND (d->>'protected')::boolean
        THEN (d - 'address' - 'phones' - 'doorCode' - 'access')
             || CASE WHEN jsonb_typeof(d->'booking') = 'object' THEN jsonb_build_object('booking', (d->'booking') - 'place') ELSE '{}'::jsonb END
             || jsonb_build_object('contactWithheld', true)
        ELSE d END
$$;

CREATE FUNCTION bevaka_contact_kept() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.doc ? 'contactWithheld' THEN
        IF TG_OP = 'UPDATE' AND NEW.doc->'contactWithheld' = 'true'::jsonb THEN
            NEW.doc := (NEW.doc - 'contactWithheld' - 'address' - 'phones' - 'doorCode' - 'access')
                || jsonb_strip_nulls(jsonb_build_object('address', OLD.doc->'address', 'phones', OLD.doc->'phones',
                                                        'doorCode', OLD.doc->'doorCode', 'access', OLD.doc->'access'))
                || CASE WHEN jsonb_typeof(NEW.doc->'booking') = 'object' AND jsonb_typeof(OLD.doc->'booking'->'place') = 'string'
                        THEN jsonb_build_object('booking', (NEW.doc->'booking') || jsonb_build_object('place', OLD.doc->'booking'->'place'))
                        ELSE '{}'::jsonb END;
        ELSE
            NEW.doc := NEW.doc - 'contactWithheld';
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- Before bevaka_stamp (triggers of one kind run in name order).
CREATE TRIGGER bevaka_contact_kept BEFORE INSERT OR UPDATE ON bevaka_clients
    FOR EACH ROW EXECUTE FUNCTION bevaka_contact_kept();

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
    RETURN QUERY SELECT c.id, (CASE WHEN r.purpose = 'opened' THEN c.doc ELSE bevaka_withhold_contact(c.doc) END)::text,
                        c.version, c.owner, c.updated_by, c.updated_at
        FROM bevaka_clients c
        WHERE c.id = ANY (r.ids) AND (admin OR c.owner = ANY (owners) OR (chef AND r.purpose = 'opened'))
        ORDER BY c.ordinal;
END $$;

CREATE OR REPLACE FUNCTION bevaka_lock(client text)
    RETURNS TABLE (doc text, version bigint, updated_by text, updated_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r bevaka_requests := bevaka_save_request();
    admin boolean := bevaka_is_admin();
    owners text[] := bevaka_visible_owners();
BEGIN
    -- Not named in the request (or not the caller's to see when it was made): nothing.
    IF NOT (client = ANY (r.ids)) THEN
        RETURN;
    END IF;
    -- The merge of a save reads no contact data of a protected person (the save keeps what is there).
    RETURN QUERY SELECT bevaka_withhold_contact(c.doc)::text, c.version, c.updated_by, c.updated_at FROM bevaka_clients c
        WHERE c.id = client AND (admin OR c.owner = ANY (owners)) FOR UPDATE;
END $$;

-- Requests per role and minute.
CREATE FUNCTION bevaka_request_limit() RETURNS integer LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, public, pg_temp AS $$ SELECT 1200 $$;

CREATE INDEX bevaka_requests_who_at ON bevaka_requests (who, at);

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
BEGIN
    IF NOT (admin OR chef OR handlaggare) THEN
        RAISE EXCEPTION 'bevaka: rollen % är inte handläggare eller chef i den här enhetens Bevaka', session_user
            USING ERRCODE = '42501';
    END IF;
    -- A burst of requests (a script flooding the log) is refused: no request is made (NULL, which
    -- bevaka_read refuses) and one 'rate_limited' row per minute flags it for the loggkontroll.
    -- The row is committed with this call, since nothing is raised.
    IF NOT admin AND (SELECT count(*) FROM bevaka_requests q WHERE q.who = session_user
                      AND q.at > clock_timestamp() - interval '1 minute') >= bevaka_request_limit() THEN
        IF NOT EXISTS (SELECT 1 FROM bevaka_access_log l WHERE l.who = session_user AND l.action = 'rate_limited'
                       AND l.at > clock_timestamp() - interval '1 minute') THEN
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
END $$;

REVOKE EXECUTE ON FUNCTION bevaka_user_remove(text), bevaka_log_reviewed_through(), bevaka_log_reviews_read(),
    bevaka_forget_requests(), bevaka_request_limit(), bevaka_withhold_contact(jsonb), bevaka_contact_kept() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bevaka_log_reviewed_through(), bevaka_log_reviews_read() TO bevaka_chef;
GRANT EXECUTE ON FUNCTION bevaka_request_limit() TO bevaka_handlaggare, bevaka_chef;
