-- bevaka: enheten: roller, radsäkerhet, vikariat, handläggarbyte och åtkomstlogg
--
-- Migration 2: the unit. Access is enforced by the database (docs/postgresql.md):
--
-- - Who a person is: the role they log in as (`session_user`). `SET ROLE` changes nothing.
-- - Two group roles: `bevaka_handlaggare` and `bevaka_chef`. The schema owner (who ran
--   `db init`) administers; nobody should use it day to day.
-- - `bevaka_clients` has row-level security with FORCE. A handläggare may reach the rows they own
--   and those of a colleague they cover for (until the cover's date has passed; the date is
--   `bevaka_today()`), and of those only the bookkeeping columns: the record and the
--   personnummer are read only through `bevaka_read`, which writes the access log. The manager
--   reaches no row directly: planning data through `bevaka_unit` (no personnummer, no free text),
--   a full case through `bevaka_read(…, 'opened')`, logged.
-- - `bevaka_access_log` is append-only: written by triggers and the security-definer functions,
--   never updatable or deletable (a trigger refuses it, also for the owner); readable by managers.
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

DO $$
BEGIN
    BEGIN
        CREATE ROLE bevaka_handlaggare NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    BEGIN
        CREATE ROLE bevaka_chef NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
END $$;

CREATE TABLE bevaka_staff (
    role text PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('handlaggare', 'chef')),
    added_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bevaka_clock (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    today date NOT NULL
);

CREATE FUNCTION bevaka_today() RETURNS date LANGUAGE sql STABLE
    AS $$ SELECT coalesce((SELECT today FROM bevaka_clock), current_date) $$;

CREATE TABLE bevaka_covers (
    id bigserial PRIMARY KEY,
    covered text NOT NULL,
    covering text NOT NULL,
    until date NOT NULL,
    granted_by text NOT NULL DEFAULT session_user,
    granted_at timestamptz NOT NULL DEFAULT now(),
    ended_at timestamptz,
    ended_by text,
    CHECK (covered <> covering)
);

CREATE INDEX bevaka_covers_covering ON bevaka_covers (covering) WHERE ended_at IS NULL;

CREATE TABLE bevaka_access_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    who text NOT NULL DEFAULT session_user,
    client_id text,
    action text NOT NULL CHECK (action IN ('listed', 'opened', 'exported', 'added', 'changed',
                                           'reassigned', 'cover_granted', 'cover_ended')),
    detail text
);

CREATE INDEX bevaka_access_log_who ON bevaka_access_log (who, at);

CREATE INDEX bevaka_access_log_client ON bevaka_access_log (client_id, at);

CREATE FUNCTION bevaka_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'bevaka: åtkomstloggen kan inte ändras eller tömmas' USING ERRCODE = '42501';
END $$;

CREATE TRIGGER bevaka_log_no_change BEFORE UPDATE OR DELETE ON bevaka_access_log
    FOR EACH ROW EXECUTE FUNCTION bevaka_log_is_append_only();

CREATE TRIGGER bevaka_log_no_truncate BEFORE TRUNCATE ON bevaka_access_log
    FOR EACH STATEMENT EXECUTE FUNCTION bevaka_log_is_append_only();

CREATE FUNCTION bevaka_is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        OR pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'bevaka_clients'::regclass), 'MEMBER')
$$;

CREATE FUNCTION bevaka_is(kind text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_auth_members m
                   JOIN pg_roles g ON g.oid = m.roleid
                   JOIN pg_roles u ON u.oid = m.member
                   WHERE u.rolname = session_user AND g.rolname = 'bevaka_' || kind)
$$;

CREATE FUNCTION bevaka_visible_owners() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT array_append(coalesce(array_agg(c.covered), '{}'::text[]), session_user::text)
    FROM bevaka_covers c
    WHERE c.covering = session_user AND c.ended_at IS NULL AND bevaka_today() <= c.until
$$;

ALTER TABLE bevaka_clients ALTER COLUMN owner SET DEFAULT session_user;

ALTER TABLE bevaka_clients ALTER COLUMN updated_by SET DEFAULT session_user;

CREATE OR REPLACE FUNCTION bevaka_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
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
        IF coalesce(current_setting('bevaka.reassigning', true), '') <> 'on' THEN
            NEW.owner := OLD.owner;
        END IF;
    ELSE
        NEW.version := 1;
        IF NOT bevaka_is_admin() THEN
            NEW.owner := session_user;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION bevaka_log_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (NEW.id, 'added', NEW.owner);
    ELSIF NEW.owner IS DISTINCT FROM OLD.owner THEN
        INSERT INTO bevaka_access_log (client_id, action, detail)
            VALUES (NEW.id, 'reassigned', OLD.owner || ' → ' || NEW.owner);
    ELSE
        INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (NEW.id, 'changed', 'version ' || NEW.version);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER bevaka_log_change AFTER INSERT OR UPDATE ON bevaka_clients
    FOR EACH ROW EXECUTE FUNCTION bevaka_log_change();

ALTER TABLE bevaka_clients ENABLE ROW LEVEL SECURITY;

ALTER TABLE bevaka_clients FORCE ROW LEVEL SECURITY;

DO $$
BEGIN
    EXECUTE format('CREATE POLICY bevaka_admin ON bevaka_clients FOR ALL TO %I USING (true) WITH CHECK (true)',
                   (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'bevaka_clients'::regclass));
END $$;

CREATE POLICY bevaka_handlaggare ON bevaka_clients FOR ALL TO bevaka_handlaggare
    USING (owner = ANY (CAST((SELECT bevaka_visible_owners()) AS text[])))
    WITH CHECK (owner = ANY (CAST((SELECT bevaka_visible_owners()) AS text[])));

CREATE FUNCTION bevaka_read(ids text[], purpose text, what text DEFAULT NULL)
    RETURNS TABLE (id text, doc text, version bigint, owner text, updated_by text, updated_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    admin boolean := bevaka_is_admin();
    chef boolean := bevaka_is('chef');
    owners text[] := bevaka_visible_owners();
    r record;
    n integer := 0;
BEGIN
    IF purpose NOT IN ('listed', 'opened', 'exported') THEN
        RAISE EXCEPTION 'bevaka: okänt syfte %', purpose;
    END IF;
    IF NOT (admin OR chef OR bevaka_is('handlaggare')) THEN
        RAISE EXCEPTION 'bevaka: rollen % är inte handläggare eller chef i Bevaka', session_user USING ERRCODE = '42501';
    END IF;
    FOR r IN
        SELECT c.id, c.doc::text AS doc, c.version, c.owner, c.updated_by, c.updated_at
        FROM bevaka_clients c
        WHERE (ids IS NULL OR c.id = ANY (ids))
          AND (admin OR c.owner = ANY (owners) OR (chef AND purpose = 'opened' AND ids IS NOT NULL))
        ORDER BY c.ordinal
    LOOP
        IF purpose <> 'listed' THEN
            INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (r.id, purpose, what);
        END IF;
        id := r.id; doc := r.doc; version := r.version; owner := r.owner;
        updated_by := r.updated_by; updated_at := r.updated_at;
        n := n + 1;
        RETURN NEXT;
    END LOOP;
    IF purpose = 'listed' AND n > 0 THEN
        INSERT INTO bevaka_access_log (action, detail) VALUES ('listed', coalesce(what || ': ', '') || n || ' ärenden');
    END IF;
END $$;

CREATE FUNCTION bevaka_lock(client text)
    RETURNS TABLE (doc text, version bigint, updated_by text, updated_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    admin boolean := bevaka_is_admin();
    owners text[] := bevaka_visible_owners();
BEGIN
    RETURN QUERY SELECT c.doc::text, c.version, c.updated_by, c.updated_at FROM bevaka_clients c
        WHERE c.id = client AND (admin OR c.owner = ANY (owners)) FOR UPDATE;
    IF FOUND THEN
        INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (client, 'listed', 'sammanfogning vid sparande');
    END IF;
END $$;

CREATE FUNCTION bevaka_plan_doc(d jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT (d - 'notes' - 'representative' - 'draft' - 'visit' - 'address' - 'phones' - 'doorCode' - 'access' - 'booking')
        || jsonb_build_object(
            'pnr', left(d->>'pnr', 8) || '0000',
            'followUps', coalesce((SELECT jsonb_agg((f - 'notes' - 'journal') || '{"participants": []}'::jsonb)
                                   FROM jsonb_array_elements(coalesce(d->'followUps', '[]'::jsonb)) f), '[]'::jsonb),
            'reminders', coalesce((SELECT jsonb_agg(r - 'text')
                                   FROM jsonb_array_elements(coalesce(d->'reminders', '[]'::jsonb)) r), '[]'::jsonb))
$$;

CREATE FUNCTION bevaka_unit() RETURNS TABLE (id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    n integer;
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: enhetens planering är för enhetschefen' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT c.id, c.owner, bevaka_plan_doc(c.doc)::text FROM bevaka_clients c ORDER BY c.ordinal;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO bevaka_access_log (action, detail) VALUES ('listed', 'enhetens planering: ' || n || ' ärenden');
END $$;

-- person: the personnummer (the command) or the case id (the manager view in the app).
CREATE FUNCTION bevaka_reassign(person text, to_role text)
    RETURNS TABLE (client_id text, from_role text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    found_row record;
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: bara enhetschefen kan byta handläggare' USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = to_role AND s.kind = 'handlaggare') THEN
        RAISE EXCEPTION 'bevaka: % är inte handläggare i Bevaka', to_role USING ERRCODE = 'P0002';
    END IF;
    SELECT c.id, c.owner INTO found_row FROM bevaka_clients c WHERE c.pnr = person OR c.id = person FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'bevaka: personnumret finns inte i enhetens ärenden' USING ERRCODE = 'P0002';
    END IF;
    IF found_row.owner = to_role THEN
        RAISE EXCEPTION 'bevaka: ärendet är redan tilldelat %', to_role USING ERRCODE = 'P0001';
    END IF;
    PERFORM set_config('bevaka.reassigning', 'on', true);
    UPDATE bevaka_clients c SET owner = to_role,
        doc = jsonb_set(c.doc, '{handovers}', coalesce(c.doc->'handovers', '[]'::jsonb) || jsonb_build_array(
            jsonb_build_object('from', found_row.owner, 'to', to_role, 'on', bevaka_today()::text, 'by', session_user::text)))
        WHERE c.id = found_row.id;
    PERFORM set_config('bevaka.reassigning', '', true);
    client_id := found_row.id;
    from_role := found_row.owner;
    RETURN NEXT;
END $$;

CREATE FUNCTION bevaka_cover(covered_role text, covering_role text, until_day date) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    made bigint;
BEGIN
    IF NOT (session_user = covered_role OR bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: bara du själv eller enhetschefen kan ordna vikariat för %', covered_role USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM bevaka_staff WHERE role = covered_role AND kind = 'handlaggare') THEN
        RAISE EXCEPTION 'bevaka: % är inte handläggare i Bevaka', covered_role USING ERRCODE = 'P0002';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM bevaka_staff WHERE role = covering_role AND kind = 'handlaggare') THEN
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

CREATE FUNCTION bevaka_cover_end(covered_role text, covering_role text DEFAULT NULL) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n integer;
BEGIN
    IF NOT (session_user = covered_role OR bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: bara du själv eller enhetschefen kan avsluta vikariat för %', covered_role USING ERRCODE = '42501';
    END IF;
    UPDATE bevaka_covers SET ended_at = now(), ended_by = session_user
        WHERE covered = covered_role AND (covering_role IS NULL OR covering = covering_role)
          AND ended_at IS NULL AND bevaka_today() <= until;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        INSERT INTO bevaka_access_log (action, detail)
            VALUES ('cover_ended', coalesce(covering_role, 'alla') || ' täcker inte längre för ' || covered_role);
        PERFORM pg_notify('bevaka_clients', '*');
    END IF;
    RETURN n;
END $$;

CREATE FUNCTION bevaka_audit(person text, by_role text, since date, include_lists boolean)
    RETURNS TABLE (at timestamptz, who text, client_id text, action text, detail text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    wanted text;
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: loggkontrollen är för enhetschefen' USING ERRCODE = '42501';
    END IF;
    IF person IS NOT NULL THEN
        SELECT c.id INTO wanted FROM bevaka_clients c WHERE c.pnr = person;
        IF wanted IS NULL THEN
            RAISE EXCEPTION 'bevaka: personnumret finns inte i enhetens ärenden' USING ERRCODE = 'P0002';
        END IF;
    END IF;
    RETURN QUERY SELECT l.at, l.who, l.client_id, l.action, l.detail FROM bevaka_access_log l
        WHERE (wanted IS NULL OR l.client_id = wanted)
          AND (by_role IS NULL OR l.who = by_role)
          AND (since IS NULL OR l.at >= since)
          AND (include_lists OR l.action <> 'listed')
        ORDER BY l.at, l.id;
END $$;

CREATE FUNCTION bevaka_user_add(new_role text, kind text, display_name text) RETURNS boolean
    LANGUAGE plpgsql AS $$
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
    INSERT INTO bevaka_staff (role, name, kind) VALUES (new_role, display_name, kind)
        ON CONFLICT (role) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind;
    RETURN created;
END $$;

REVOKE ALL ON bevaka_clients, bevaka_staff, bevaka_clock, bevaka_covers, bevaka_access_log, bevaka_migrations FROM PUBLIC;

REVOKE EXECUTE ON FUNCTION bevaka_stamp(), bevaka_notify(), bevaka_log_change(), bevaka_log_is_append_only(),
    bevaka_read(text[], text, text), bevaka_lock(text), bevaka_plan_doc(jsonb), bevaka_unit(),
    bevaka_reassign(text, text), bevaka_cover(text, text, date), bevaka_cover_end(text, text),
    bevaka_audit(text, text, date, boolean), bevaka_user_add(text, text, text),
    bevaka_today(), bevaka_is_admin(), bevaka_is(text), bevaka_visible_owners() FROM PUBLIC;

GRANT SELECT ON bevaka_migrations, bevaka_staff, bevaka_clock, bevaka_covers TO bevaka_handlaggare, bevaka_chef;

GRANT SELECT ON bevaka_access_log TO bevaka_chef;

GRANT SELECT (id, owner, version, ordinal, archived, updated_at, updated_by), INSERT (id, pnr, doc), UPDATE (doc)
    ON bevaka_clients TO bevaka_handlaggare;

GRANT USAGE ON SEQUENCE bevaka_id_blocks, bevaka_clients_ordinal_seq TO bevaka_handlaggare;

GRANT EXECUTE ON FUNCTION bevaka_today(), bevaka_is_admin(), bevaka_is(text), bevaka_visible_owners(),
    bevaka_read(text[], text, text), bevaka_cover(text, text, date), bevaka_cover_end(text, text)
    TO bevaka_handlaggare, bevaka_chef;

GRANT EXECUTE ON FUNCTION bevaka_lock(text) TO bevaka_handlaggare;

GRANT EXECUTE ON FUNCTION bevaka_unit(), bevaka_reassign(text, text), bevaka_audit(text, text, date, boolean)
    TO bevaka_chef;

