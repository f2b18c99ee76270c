-- The whole schema of a unit's database as Bevaka's migrations make it: a pg_dump --schema-only
-- --no-owner of a new `bevaka db init`, without pg_dump's comments and settings. Read this to
-- review the schema; change it only through a new file in Migrations/ (docs/postgresql.md).
-- MigrationFileTests.schemaSQLIsWhatTheMigrationsMake fails when the two differ.

CREATE FUNCTION public.bevaka_audit(request bigint, client text, by_role text, since date, include_lists boolean) RETURNS TABLE(at timestamp with time zone, who text, client_id text, action text, detail text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['audit']);
BEGIN
    RETURN QUERY SELECT l.at, l.who, l.client_id, l.action, l.detail FROM bevaka_access_log l
        WHERE (client IS NULL OR l.client_id = client)
          AND (by_role IS NULL OR l.who = by_role)
          AND (since IS NULL OR l.at >= since)
          AND (include_lists OR l.action <> 'listed')
        ORDER BY l.at, l.id;
END $$;

CREATE FUNCTION public.bevaka_contact_kept() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

CREATE FUNCTION public.bevaka_cover(covered_role text, covering_role text, until_day date) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

CREATE FUNCTION public.bevaka_cover_end(covered_role text, covering_role text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

CREATE FUNCTION public.bevaka_forget_requests() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    DELETE FROM bevaka_requests r
        WHERE OLD.id = ANY (r.ids) OR sha256(convert_to(OLD.pnr, 'UTF8')) = ANY (r.pnrs)
           OR r.at < clock_timestamp() - interval '1 day';
    RETURN OLD;
END $$;

CREATE FUNCTION public.bevaka_gallra(ids text[]) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    admin boolean := bevaka_is_admin();
    months integer := (SELECT s.gallring_months FROM bevaka_settings s);
    r record;
BEGIN
    IF NOT (admin OR bevaka_is('handlaggare')) THEN
        RAISE EXCEPTION 'bevaka: rollen % gallrar inga ärenden', session_user USING ERRCODE = '42501';
    END IF;
    IF months IS NULL THEN
        RAISE EXCEPTION 'bevaka: enheten gallrar inte (gallring_months är tom i bevaka_settings)' USING ERRCODE = '22023';
    END IF;
    FOR r IN SELECT c.id, c.doc, c.last_end, c.settled_on, c.archived FROM bevaka_clients c
             WHERE c.id = ANY (ids) AND (admin OR c.owner = session_user) ORDER BY c.ordinal FOR UPDATE LOOP
        -- Archived, every decision over, the period passed since the last end …
        CONTINUE WHEN NOT r.archived OR r.last_end IS NULL
                   OR r.last_end IS DISTINCT FROM bevaka_last_end(r.doc)
                   OR (r.last_end + make_interval(months => months))::date > bevaka_today()
                   OR r.last_end >= bevaka_today();
        -- … and so already in a version of the row from an earlier day.
        CONTINUE WHEN r.settled_on IS NULL OR r.settled_on >= bevaka_today();
        DELETE FROM bevaka_clients c WHERE c.id = r.id;
        INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (r.id, 'gallrad', 'gallrad');
        PERFORM pg_notify('bevaka_clients', r.id);
        RETURN NEXT r.id;
    END LOOP;
END $$;

COMMENT ON FUNCTION public.bevaka_gallra(ids text[]) IS 'Gallring by the unit''s rule (bevaka_settings.gallring_months): archived, every decision over, the period passed, and so already on an earlier day (settled_on). Logs gallrad with the case id only.';

CREATE FUNCTION public.bevaka_is(kind text) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
    SELECT EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = session_user AND s.kind = $1 AND s.ended_at IS NULL)
       AND EXISTS (SELECT 1 FROM pg_auth_members m
                   JOIN pg_roles g ON g.oid = m.roleid
                   JOIN pg_roles u ON u.oid = m.member
                   WHERE u.rolname = session_user AND g.rolname = 'bevaka_' || $1)
$_$;

CREATE FUNCTION public.bevaka_is_admin() RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        OR pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'bevaka_clients'::regclass), 'MEMBER')
$$;

CREATE FUNCTION public.bevaka_ivo_mark_sent(quarter text, marks jsonb) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
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
END $_$;

COMMENT ON FUNCTION public.bevaka_ivo_mark_sent(quarter text, marks jsonb) IS 'The manager marks the unit''s IVO report for a quarter sent: only IVO''s quarter labels are written into the decisions named.';

CREATE FUNCTION public.bevaka_ivo_marked(decision jsonb, label text, interruption text, closing boolean) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

CREATE FUNCTION public.bevaka_keep_plan() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    NEW.plan := bevaka_plan_doc(NEW.doc)::text;
    RETURN NEW;
END $$;

COMMENT ON FUNCTION public.bevaka_keep_plan() IS 'Keeps the manager''s planning document of a record (bevaka_plan_doc) beside it at every write.';

CREATE FUNCTION public.bevaka_last_end(d jsonb) RETURNS date
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
    SELECT CASE
        WHEN jsonb_typeof(d->'decisions') IS DISTINCT FROM 'array' OR jsonb_array_length(d->'decisions') = 0 THEN NULL
        WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(d->'decisions') x
                     WHERE least(CASE WHEN x->>'closed' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'closed')::date END,
                                 CASE WHEN x->>'to' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'to')::date END) IS NULL) THEN NULL
        ELSE (SELECT max(least(CASE WHEN x->>'closed' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'closed')::date END,
                               CASE WHEN x->>'to' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'to')::date END))
              FROM jsonb_array_elements(d->'decisions') x)
    END
$_$;

CREATE FUNCTION public.bevaka_lock(client text) RETURNS TABLE(doc text, version bigint, updated_by text, updated_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

CREATE FUNCTION public.bevaka_log_bytes(seq bigint, at timestamp with time zone, who text, client_id text, action text, detail text) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT convert_to(concat(
        length(seq::text), ':', seq::text, ';',
        length((extract(epoch FROM at) * 1000000)::bigint::text), ':', (extract(epoch FROM at) * 1000000)::bigint::text, ';',
        length(coalesce(who, '')), ':', coalesce(who, ''), ';',
        CASE WHEN client_id IS NULL THEN '-' ELSE length(client_id) || ':' || client_id END, ';',
        length(coalesce(action, '')), ':', coalesce(action, ''), ';',
        CASE WHEN detail IS NULL THEN '-' ELSE length(detail) || ':' || detail END), 'UTF8')
$$;

CREATE FUNCTION public.bevaka_log_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    UPDATE bevaka_log_head h
       SET seq = h.seq + 1, prev_hash = h.hash,
           hash = sha256(h.hash || bevaka_log_bytes(h.seq + 1, NEW.at, NEW.who, NEW.client_id, NEW.action, NEW.detail))
     RETURNING h.seq, h.prev_hash, h.hash INTO NEW.chain_seq, NEW.prev_hash, NEW.hash;
    RETURN NEW;
END $$;

CREATE FUNCTION public.bevaka_log_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    fields text;
    place text := current_setting('bevaka.screen', true);
BEGIN
    IF place IS NULL OR NOT (place = ANY (ARRAY['sparande', 'import', 'återställning'])) THEN place := NULL; END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO bevaka_access_log (client_id, action, detail)
            VALUES (NEW.id, 'added', left(NEW.owner, 63) || coalesce(' (' || place || ')', ''));
    ELSIF NEW.owner IS DISTINCT FROM OLD.owner THEN
        INSERT INTO bevaka_access_log (client_id, action, detail)
            VALUES (NEW.id, 'reassigned', left(OLD.owner, 63) || ' → ' || left(NEW.owner, 63));
    ELSE
        SELECT string_agg(k, ', ' ORDER BY k) INTO fields FROM (
            SELECT k FROM (SELECT jsonb_object_keys(OLD.doc) UNION SELECT jsonb_object_keys(NEW.doc)) t(k)
            WHERE OLD.doc->k IS DISTINCT FROM NEW.doc->k AND k NOT IN ('decisions', 'followUps', 'reminders')
            UNION
            SELECT DISTINCT p.list || '.' || e.k FROM
                (VALUES ('decisions'), ('followUps'), ('reminders')) p(list),
                LATERAL (SELECT coalesce(n.v, o.v) AS v, o.v AS ov, n.v AS nv
                         FROM (SELECT v FROM jsonb_array_elements(CASE WHEN jsonb_typeof(OLD.doc->p.list) = 'array'
                                                                     THEN OLD.doc->p.list ELSE '[]' END) v) o
                         FULL JOIN (SELECT v FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.doc->p.list) = 'array'
                                                                        THEN NEW.doc->p.list ELSE '[]' END) v) n
                         ON o.v->>'id' = n.v->>'id') pair,
                LATERAL (SELECT CASE WHEN pair.ov IS NULL THEN 'ny' WHEN pair.nv IS NULL THEN 'borttagen' END AS k
                         UNION
                         SELECT key FROM jsonb_object_keys(CASE WHEN pair.ov IS NOT NULL AND pair.nv IS NOT NULL
                                                                AND jsonb_typeof(pair.ov) = 'object' AND jsonb_typeof(pair.nv) = 'object'
                                                                THEN pair.ov || pair.nv ELSE '{}' END) key
                         WHERE pair.ov->key IS DISTINCT FROM pair.nv->key) e
            WHERE e.k IS NOT NULL
        ) f;
        INSERT INTO bevaka_access_log (client_id, action, detail)
            VALUES (NEW.id, 'changed', left('version ' || NEW.version || coalesce(' (' || place || ')', '')
                                            || coalesce(': ' || fields, ''), 200));
    END IF;
    RETURN NULL;
END $$;

COMMENT ON FUNCTION public.bevaka_log_change() IS 'Logs every insert and change of a person with the changed field names. Reads the session setting bevaka.screen only as a label for the log row, and only when it is one of a fixed list of words (sparande, import, återställning); anything else is left out, so a caller cannot write text into the log through it.';

CREATE FUNCTION public.bevaka_log_is_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('bevaka.log_purge', true), '') = 'on' AND bevaka_is_admin()
       AND OLD.at < now() - make_interval(years => (SELECT s.log_keep_years FROM bevaka_settings s)) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'bevaka: åtkomstloggen kan inte ändras eller tömmas' USING ERRCODE = '42501';
END $$;

COMMENT ON FUNCTION public.bevaka_log_is_append_only() IS 'Refuses every UPDATE and DELETE of the access log. The one exception needs the session setting bevaka.log_purge = on AND the schema owner (bevaka_is_admin) AND a row older than the kept years: a handläggare who sets the flag gains nothing. bevaka_log_purge sets it for its own transaction only.';

CREATE FUNCTION public.bevaka_log_purge(before date) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    keep integer := (SELECT s.log_keep_years FROM bevaka_settings s);
    first_kept bigint;
    last_gone record;
    n bigint;
BEGIN
    IF NOT bevaka_is_admin() THEN
        RAISE EXCEPTION 'bevaka: bara databasens ägare kan rensa åtkomstloggen' USING ERRCODE = '42501';
    END IF;
    IF before IS NULL OR before > (now() - make_interval(years => keep))::date THEN
        RAISE EXCEPTION 'bevaka: åtkomstloggen sparas minst % år; rader efter % kan inte tas bort', keep,
            (now() - make_interval(years => keep))::date USING ERRCODE = '42501';
    END IF;
    SELECT min(l.chain_seq) INTO first_kept FROM bevaka_access_log l WHERE l.at >= before;
    SELECT l.chain_seq, l.hash INTO last_gone FROM bevaka_access_log l
        WHERE first_kept IS NULL OR l.chain_seq < first_kept ORDER BY l.chain_seq DESC LIMIT 1;
    -- bevaka.log_purge: any session can set it; the append-only trigger honours it only for the
    -- owner and only for rows older than the kept years. Set for this transaction only.
    PERFORM set_config('bevaka.log_purge', 'on', true);
    DELETE FROM bevaka_access_log l WHERE l.chain_seq <= last_gone.chain_seq;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('bevaka.log_purge', '', true);
    IF n > 0 THEN
        UPDATE bevaka_log_head SET base_seq = last_gone.chain_seq, base_hash = last_gone.hash;
    END IF;
    INSERT INTO bevaka_access_log (action, detail) VALUES ('log_purged', 'rensade ' || n || ' rader före ' || before);
    RETURN n;
END $$;

COMMENT ON FUNCTION public.bevaka_log_purge(before date) IS 'The owner''s only way to remove access-log rows: a prefix of the chain, all older than bevaka_settings.log_keep_years (at least 5); moves the chain''s base and is itself logged.';

CREATE FUNCTION public.bevaka_log_reviewed_through() RETURNS TABLE(reviewed_through date, interval_months integer)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: loggkontrollerna är enhetschefens' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT (SELECT max(r.period_to) FROM bevaka_log_reviews r), (SELECT s.review_interval_months FROM bevaka_settings s);
END $$;

CREATE FUNCTION public.bevaka_log_reviews_read() RETURNS TABLE(at timestamp with time zone, reviewer text, period_from date, period_to date, reviewed integer, standouts integer, finding text, addition boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: loggkontrollerna är enhetschefens' USING ERRCODE = '42501';
    END IF;
    INSERT INTO bevaka_access_log (action, detail) VALUES ('listed', 'loggkontrollerna');
    RETURN QUERY SELECT r.at, r.reviewer, r.period_from, r.period_to, cardinality(r.reviewed), r.standouts, r.finding, r.addition
        FROM bevaka_log_reviews r ORDER BY r.period_from, r.at, r.id;
END $$;

CREATE FUNCTION public.bevaka_lookup(request bigint) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['lookup']);
BEGIN
    IF cardinality(r.ids) = 0 THEN
        RAISE EXCEPTION 'bevaka: personnumret finns inte i enhetens ärenden' USING ERRCODE = 'P0002';
    END IF;
    RETURN r.ids[1];
END $$;

CREATE FUNCTION public.bevaka_may_store_pnr(pnr text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN sha256(convert_to(pnr, 'UTF8')) = ANY ((bevaka_save_request()).pnrs);
END $$;

CREATE FUNCTION public.bevaka_notify() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    PERFORM pg_notify('bevaka_clients', NEW.id || ' ' || NEW.owner);
    RETURN NULL;
END $$;

CREATE FUNCTION public.bevaka_plan_doc(d jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', d->'id',
        'name', to_jsonb(left(coalesce(d->>'name', ''), 200)),
        -- The birth date; for a protected identity only the year.
        'pnr', to_jsonb(CASE WHEN d->>'pnr' !~ '^[0-9]{12}$' AND d->>'pnr' !~ '^[0-9]{8}[KM]-(R[0-9A-Z]{1,20}|N[0-9A-F]{8})$' THEN NULL
                             WHEN ((CASE WHEN jsonb_typeof(d->'protected') = 'boolean' THEN d->'protected' END)) = 'true'::jsonb THEN left(d->>'pnr', 4) || '01010000'
                             -- Without a Swedish personnummer: the birth date and the sex (K 0, M 1), nothing of the reference.
                             WHEN d->>'pnr' !~ '^[0-9]{12}$' THEN left(d->>'pnr', 8) || '00' || (CASE WHEN substr(d->>'pnr', 9, 1) = 'M' THEN '1' ELSE '0' END) || '0'
                             -- The sex digit's parity only (0 a woman, 1 a man), for fullmäktige's statistics.
                             ELSE left(d->>'pnr', 8) || '00' || (substr(d->>'pnr', 11, 1)::integer % 2)::text || '0' END),
        'protected', (CASE WHEN jsonb_typeof(d->'protected') = 'boolean' THEN d->'protected' END),
        'children', (CASE WHEN jsonb_typeof(d->'children') = 'boolean' THEN d->'children' END),
        'archived', (CASE WHEN jsonb_typeof(d->'archived') = 'boolean' THEN d->'archived' END),
        'decisions', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', x->'id',
                'law', x->'law',
                'service', to_jsonb(CASE WHEN EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'service' AND v.word = lower(translate(regexp_replace(btrim(x->>'service'), '[ \t]+', ' ', 'g'), 'ÅÄÖÉÜ', 'åäöéü')))
                                         THEN lower(translate(regexp_replace(btrim(x->>'service'), '[ \t]+', ' ', 'g'), 'ÅÄÖÉÜ', 'åäöéü')) ELSE 'annan insats' END),
                'form', (CASE WHEN jsonb_typeof(x->'form') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'decisionForm' AND v.word = (x->'form' #>> '{}')) THEN x->'form' END),
                'granted', (CASE WHEN jsonb_typeof(x->'granted') = 'number' THEN x->'granted' END),
                'performed', (CASE WHEN jsonb_typeof(x->'performed') = 'number' THEN x->'performed' END),
                'performedMonth', CASE WHEN x->>'performedMonth' ~ '^[0-9]{4}-[0-9]{2}$' THEN x->'performedMonth' END,
                'from', x->'from',
                'to', (CASE WHEN jsonb_typeof(x->'to') = 'string' AND (x->'to' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'to' END),
                'started', (CASE WHEN jsonb_typeof(x->'started') = 'string' AND (x->'started' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'started' END),
                'closed', (CASE WHEN jsonb_typeof(x->'closed') = 'string' AND (x->'closed' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'closed' END),
                'decided', (CASE WHEN jsonb_typeof(x->'decided') = 'string' AND (x->'decided' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'decided' END),
                'orderConfirmed', (CASE WHEN jsonb_typeof(x->'orderConfirmed') = 'string' AND (x->'orderConfirmed' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'orderConfirmed' END),
                'escalated', (CASE WHEN jsonb_typeof(x->'escalated') = 'string' AND (x->'escalated' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'escalated' END),
                'provider', CASE WHEN (CASE WHEN jsonb_typeof(x->'provider'->'regi') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'regi' AND v.word = (x->'provider'->'regi' #>> '{}')) THEN x->'provider'->'regi' END) IS NOT NULL
                                 THEN jsonb_strip_nulls(jsonb_build_object(
                                     'name', '', 'regi', x->'provider'->'regi',
                                     'access', (CASE WHEN jsonb_typeof(x->'provider'->'access') = 'boolean' THEN x->'provider'->'access' END))) END,
                'consent', (CASE WHEN jsonb_typeof(x->'consent') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'consent' AND v.word = (x->'consent' #>> '{}')) THEN x->'consent' END),
                'plan', CASE WHEN jsonb_typeof(x->'plan') = 'object' THEN jsonb_strip_nulls(jsonb_build_object(
                            'received', (CASE WHEN jsonb_typeof(x->'plan'->'received') = 'string' AND (x->'plan'->'received' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'plan'->'received' END),
                            'established', (CASE WHEN jsonb_typeof(x->'plan'->'established') = 'string' AND (x->'plan'->'established' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'plan'->'established' END),
                            'revised', (CASE WHEN jsonb_typeof(x->'plan'->'revised') = 'string' AND (x->'plan'->'revised' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'plan'->'revised' END),
                            'tookPart', (CASE WHEN jsonb_typeof(x->'plan'->'tookPart') = 'boolean' THEN x->'plan'->'tookPart' END))) END,
                'offers', (SELECT jsonb_agg(jsonb_build_object('on', o->'on', 'what', '', 'accepted', o->'accepted'))
                           FROM jsonb_array_elements((CASE WHEN jsonb_typeof(x->'offers') = 'array' THEN x->'offers' ELSE '[]'::jsonb END)) o
                           WHERE (CASE WHEN jsonb_typeof(o->'on') = 'string' AND (o->'on' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN o->'on' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(o->'accepted') = 'boolean' THEN o->'accepted' END) IS NOT NULL),
                'notCarriedOut', CASE WHEN coalesce(x->>'notCarriedOut', '') <> '' THEN to_jsonb('delvis verkställt'::text) END,
                'interruptions', (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                                      'from', i->'from', 'resumed', (CASE WHEN jsonb_typeof(i->'resumed') = 'string' AND (i->'resumed' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN i->'resumed' END),
                                      'ivoReported', (SELECT jsonb_agg(q) FROM jsonb_array_elements((CASE WHEN jsonb_typeof(i->'ivoReported') = 'array' THEN i->'ivoReported' ELSE '[]'::jsonb END)) q WHERE (CASE WHEN jsonb_typeof(q) = 'string' AND (q #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN q END) IS NOT NULL),
                                      'ivoClosingReported', (CASE WHEN jsonb_typeof(i->'ivoClosingReported') = 'string' AND (i->'ivoClosingReported' #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN i->'ivoClosingReported' END))))
                                  FROM jsonb_array_elements((CASE WHEN jsonb_typeof(x->'interruptions') = 'array' THEN x->'interruptions' ELSE '[]'::jsonb END)) i
                                  WHERE (CASE WHEN jsonb_typeof(i->'from') = 'string' AND (i->'from' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN i->'from' END) IS NOT NULL),
                'ivoReported', (SELECT jsonb_agg(q) FROM jsonb_array_elements((CASE WHEN jsonb_typeof(x->'ivoReported') = 'array' THEN x->'ivoReported' ELSE '[]'::jsonb END)) q WHERE (CASE WHEN jsonb_typeof(q) = 'string' AND (q #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN q END) IS NOT NULL),
                'ivoClosingReported', (CASE WHEN jsonb_typeof(x->'ivoClosingReported') = 'string' AND (x->'ivoClosingReported' #>> '{}') ~ '^[0-9]{4}-Q[1-4]$' THEN x->'ivoClosingReported' END))))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'decisions') = 'array' THEN d->'decisions' ELSE '[]'::jsonb END)) x
            WHERE (CASE WHEN jsonb_typeof(x->'id') = 'string' AND (x->'id' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN x->'id' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(x->'from') = 'string' AND (x->'from' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN x->'from' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(x->'law') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'law' AND v.word = (x->'law' #>> '{}')) THEN x->'law' END) IS NOT NULL), '[]'::jsonb),
        'followUps', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', f->'id', 'date', f->'date', 'form', f->'form', 'trigger', f->'trigger', 'participants', '[]'::jsonb,
                'outcome', (CASE WHEN jsonb_typeof(f->'outcome') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'followUpOutcome' AND v.word = (f->'outcome' #>> '{}')) THEN f->'outcome' END),
                'decisions', (SELECT jsonb_agg(e) FROM jsonb_array_elements((CASE WHEN jsonb_typeof(f->'decisions') = 'array' THEN f->'decisions' ELSE '[]'::jsonb END)) e
                              WHERE (CASE WHEN jsonb_typeof(e) = 'string' AND (e #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN e END) IS NOT NULL))))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'followUps') = 'array' THEN d->'followUps' ELSE '[]'::jsonb END)) f
            WHERE (CASE WHEN jsonb_typeof(f->'id') = 'string' AND (f->'id' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN f->'id' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(f->'date') = 'string' AND (f->'date' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN f->'date' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(f->'form') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'followUpForm' AND v.word = (f->'form' #>> '{}')) THEN f->'form' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(f->'trigger') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'followUpTrigger' AND v.word = (f->'trigger' #>> '{}')) THEN f->'trigger' END) IS NOT NULL), '[]'::jsonb),
        'reminders', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', r->'id', 'decision', (CASE WHEN jsonb_typeof(r->'decision') = 'string' AND (r->'decision' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN r->'decision' END), 'kind', r->'kind', 'due', r->'due',
                'ruleDue', (CASE WHEN jsonb_typeof(r->'ruleDue') = 'string' AND (r->'ruleDue' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'ruleDue' END),
                'priority', (CASE WHEN jsonb_typeof(r->'priority') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'priority' AND v.word = (r->'priority' #>> '{}')) THEN r->'priority' END),
                'status', (CASE WHEN jsonb_typeof(r->'status') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'reminderStatus' AND v.word = (r->'status' #>> '{}')) THEN r->'status' END),
                'done', (CASE WHEN jsonb_typeof(r->'done') = 'string' AND (r->'done' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'done' END))))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'reminders') = 'array' THEN d->'reminders' ELSE '[]'::jsonb END)) r
            WHERE (CASE WHEN jsonb_typeof(r->'id') = 'string' AND (r->'id' #>> '{}') ~ '^[a-z]{1,3}[0-9]{1,15}$' THEN r->'id' END) IS NOT NULL AND (CASE WHEN jsonb_typeof(r->'due') = 'string' AND (r->'due' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN r->'due' END) IS NOT NULL
              AND (CASE WHEN jsonb_typeof(r->'kind') = 'string' AND EXISTS (SELECT 1 FROM bevaka_vocabulary v WHERE v.kind = 'dueKind' AND v.word = (r->'kind' #>> '{}')) THEN r->'kind' END) IS NOT NULL), '[]'::jsonb),
        'handovers', coalesce((SELECT jsonb_agg(jsonb_build_object('from', h->'from', 'to', h->'to', 'on', h->'on', 'by', h->'by'))
            FROM jsonb_array_elements((CASE WHEN jsonb_typeof(d->'handovers') = 'array' THEN d->'handovers' ELSE '[]'::jsonb END)) h
            WHERE (CASE WHEN jsonb_typeof(h->'on') = 'string' AND (h->'on' #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN h->'on' END) IS NOT NULL AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'from') AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'to')
              AND (EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = h->>'by')
                   OR h->>'by' = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'bevaka_clients'::regclass))),
            '[]'::jsonb)))
$_$;

COMMENT ON FUNCTION public.bevaka_plan_doc(d jsonb) IS 'The manager''s planning document of one person: an allow-list of dates, identifiers, numbers, flags and words of bevaka_vocabulary; no personnummer, no free text.';

CREATE FUNCTION public.bevaka_read(request bigint) RETURNS TABLE(id text, doc text, version bigint, owner text, updated_by text, updated_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

COMMENT ON FUNCTION public.bevaka_read(request bigint) IS 'Step two: the records a committed request of the caller''s named, and only those the caller may see.';

CREATE FUNCTION public.bevaka_reassign(person text, to_role text) RETURNS TABLE(client_id text, from_role text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
    SELECT c.id, c.owner INTO found_row FROM bevaka_clients c WHERE c.id = person FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'bevaka: ärendet finns inte i enheten' USING ERRCODE = 'P0002';
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

COMMENT ON FUNCTION public.bevaka_reassign(person text, to_role text) IS 'Handläggarbyte: moves cases to another handläggare of the unit (manager or owner), logged per case. Sets bevaka.reassigning for its own transaction (set_config(…, true)) so that bevaka_stamp lets the owner change.';

CREATE FUNCTION public.bevaka_record_review(period_from date, period_to date, reviewed bigint[], standouts integer, finding text, addition boolean DEFAULT false) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
DECLARE
    made bigint;
    head bevaka_log_head;
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: loggkontrollen är enhetschefens' USING ERRCODE = '42501';
    END IF;
    IF period_from IS NULL OR period_to IS NULL OR period_to < period_from THEN
        RAISE EXCEPTION 'bevaka: perioden är inte en period' USING ERRCODE = '22023';
    END IF;
    -- Openings later in a running period would never be reviewed.
    IF period_to >= bevaka_today() THEN
        RAISE EXCEPTION 'bevaka: perioden % – % är inte slut; granska den när den är över', period_from, period_to
            USING ERRCODE = '22023';
    END IF;
    IF finding ~ '(^|[^0-9])((19|20)?[0-9]{2})(0[1-9]|1[0-2])([0-9]{2})[-+ ]?[0-9]{4}([^0-9]|$)' THEN
        RAISE EXCEPTION 'bevaka: fyndet ser ut att innehålla ett personnummer; skriv ärende-id, inte personnummer'
            USING ERRCODE = '22023';
    END IF;
    IF NOT addition AND EXISTS (SELECT 1 FROM bevaka_log_reviews v
                                WHERE v.period_from <= bevaka_record_review.period_to
                                  AND v.period_to >= bevaka_record_review.period_from) THEN
        RAISE EXCEPTION 'bevaka: perioden % – % är redan granskad; ett tillägg till den granskningen görs med --tillagg',
            period_from, period_to USING ERRCODE = '23505';
    END IF;
    SELECT * INTO head FROM bevaka_log_head;
    INSERT INTO bevaka_log_reviews (period_from, period_to, reviewed, standouts, finding, head_seq, head_hash, addition)
        VALUES (period_from, period_to, coalesce(reviewed, '{}'), standouts, finding, head.seq, head.hash, addition)
        RETURNING id INTO made;
    INSERT INTO bevaka_access_log (action, detail)
        VALUES ('reviewed', CASE WHEN addition THEN 'tillägg till ' ELSE '' END || 'loggkontroll ' || period_from || '–' || period_to
                || ': ' || cardinality(coalesce(reviewed, '{}')) || ' rader granskade');
    -- Open programs read the unit's context again: the manager's loggkontroll bevakning goes at once.
    PERFORM pg_notify('bevaka_clients', '*');
    RETURN made;
END $_$;

CREATE FUNCTION public.bevaka_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION 'bevaka: en sparad loggkontroll kan inte ändras eller tas bort' USING ERRCODE = '42501';
END $$;

CREATE FUNCTION public.bevaka_request(purpose text, screen text, ids text[] DEFAULT NULL::text[], pnrs text[] DEFAULT NULL::text[]) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

COMMENT ON FUNCTION public.bevaka_request(purpose text, screen text, ids text[], pnrs text[]) IS 'Step one of every read: names the purpose, the screen (a word of bevaka_vocabulary kind screen) and the cases; writes the access log; must be committed before step two.';

CREATE FUNCTION public.bevaka_request_limit() RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$ SELECT 1200 $$;

CREATE TABLE public.bevaka_requests (
    id bigint NOT NULL,
    who text DEFAULT SESSION_USER NOT NULL,
    xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    purpose text NOT NULL,
    screen text NOT NULL,
    ids text[] DEFAULT '{}'::text[] NOT NULL,
    pnrs bytea[] DEFAULT '{}'::bytea[] NOT NULL,
    through bigint
);
ALTER TABLE ONLY public.bevaka_requests ALTER COLUMN ids SET COMPRESSION lz4;

COMMENT ON TABLE public.bevaka_requests IS 'Read requests: each read is named and logged in its own committed transaction before any record leaves the database (two-step read). Rows older than a day are removed by the next request.';

COMMENT ON COLUMN public.bevaka_requests.through IS 'A planning request only: the highest ordinal of bevaka_clients when it was made; bevaka_unit reads the unit up to it.';

CREATE FUNCTION public.bevaka_request_row(request bigint, purposes text[]) RETURNS public.bevaka_requests
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
END $$;

CREATE FUNCTION public.bevaka_review(request bigint, period_from date, period_to date) RETURNS TABLE(log_id bigint, at timestamp with time zone, who text, client_id text, action text, detail text, own_or_covered boolean, protected boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['audit']);
BEGIN
    RETURN QUERY
    WITH openings AS (
        SELECT l.* FROM bevaka_access_log l
        WHERE l.action IN ('opened', 'exported') AND l.client_id IS NOT NULL
          AND l.at >= period_from AND l.at < period_to + 1
    ), owned AS (
        SELECT o.*, coalesce(
            (SELECT split_part(x.detail, ' → ', 2) FROM bevaka_access_log x
             WHERE x.client_id = o.client_id AND x.action = 'reassigned' AND x.at <= o.at
             ORDER BY x.at DESC, x.id DESC LIMIT 1),
            (SELECT split_part(x.detail, ' (', 1) FROM bevaka_access_log x
             WHERE x.client_id = o.client_id AND x.action = 'added' ORDER BY x.id LIMIT 1),
            (SELECT c.owner FROM bevaka_clients c WHERE c.id = o.client_id)) AS owner_then
        FROM openings o
    )
    SELECT w.id, w.at, w.who, w.client_id, w.action, w.detail,
           w.owner_then = w.who OR EXISTS (
               SELECT 1 FROM bevaka_covers cv
               WHERE cv.covering = w.who AND cv.covered = w.owner_then AND cv.granted_at <= w.at
                 AND (cv.ended_at IS NULL OR cv.ended_at > w.at) AND w.at::date <= cv.until),
           coalesce((SELECT (c.doc->>'protected')::boolean FROM bevaka_clients c WHERE c.id = w.client_id), false)
    FROM owned w ORDER BY w.at, w.id;
END $$;

CREATE FUNCTION public.bevaka_save_request() RETURNS public.bevaka_requests
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
DECLARE
    setting text := current_setting('bevaka.request', true);
BEGIN
    IF setting IS NULL OR setting !~ '^[0-9]{1,18}$' THEN
        RAISE EXCEPTION 'bevaka: personnummer sparas och ärenden sammanfogas bara efter en loggad begäran (bevaka_request)'
            USING ERRCODE = '42501';
    END IF;
    RETURN bevaka_request_row(setting::bigint, ARRAY['save']);
END $_$;

COMMENT ON FUNCTION public.bevaka_save_request() IS 'The committed save request that the session setting bevaka.request names. Any session can set the setting, but bevaka_request_row accepts only a request of the caller''s own, committed by an earlier transaction and at most five minutes old: naming someone else''s request gives an error, not a read.';

CREATE FUNCTION public.bevaka_stamp() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NEW.doc->>'id' IS DISTINCT FROM NEW.id THEN
        RAISE EXCEPTION 'bevaka: doc id % does not match row id %', NEW.doc->>'id', NEW.id;
    END IF;
    NEW.pnr := NEW.doc->>'pnr';
    NEW.archived := coalesce((NEW.doc->>'archived')::boolean, false);
    NEW.last_end := bevaka_last_end(NEW.doc);
    NEW.updated_at := clock_timestamp();
    NEW.updated_by := session_user;
    IF TG_OP = 'UPDATE' THEN
        NEW.version := OLD.version + 1;
        NEW.ordinal := OLD.ordinal;
        -- bevaka.reassigning: any session can set it; it counts only for the owner or a manager
        -- of this unit, and bevaka_reassign sets it for its own transaction.
        IF coalesce(current_setting('bevaka.reassigning', true), '') <> 'on' OR NOT bevaka_is_admin() AND NOT bevaka_is('chef') THEN
            NEW.owner := OLD.owner;
        END IF;
        IF NEW.pnr IS DISTINCT FROM OLD.pnr AND NOT bevaka_is_admin() AND NOT bevaka_may_store_pnr(NEW.pnr) THEN
            RAISE EXCEPTION 'bevaka: personnumret är inte med i läsbegäran' USING ERRCODE = '42501';
        END IF;
        -- The facts gallring rests on are dated by the database, never by the caller.
        NEW.settled_on := CASE WHEN NEW.archived IS DISTINCT FROM OLD.archived OR NEW.last_end IS DISTINCT FROM OLD.last_end
                               THEN bevaka_today() ELSE OLD.settled_on END;
    ELSE
        NEW.version := 1;
        NEW.settled_on := bevaka_today();
        IF NOT bevaka_is_admin() THEN
            NEW.owner := session_user;
            IF NOT bevaka_may_store_pnr(NEW.pnr) THEN
                RAISE EXCEPTION 'bevaka: personnumret är inte med i läsbegäran' USING ERRCODE = '42501';
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END $$;

COMMENT ON FUNCTION public.bevaka_stamp() IS 'Fills the columns beside doc and stamps every write. Reads the session setting bevaka.reassigning: any session can set it, but it only lets the owner column change when the caller is also the schema owner or a manager of this unit (bevaka_is), and bevaka_reassign sets it for its own transaction only.';

CREATE FUNCTION public.bevaka_today() RETURNS date
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$ SELECT coalesce((SELECT today FROM bevaka_clock), current_date) $$;

CREATE FUNCTION public.bevaka_unit(request bigint) RETURNS TABLE(id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '256MB'
    AS $_$
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    -- A constant statement; the bound is a value, never text in it. The index on `ordinal` gives
    -- the rows in the caseload's order (no sort).
    RETURN QUERY EXECUTE 'SELECT c.id, c.owner, coalesce(c.plan, bevaka_plan_doc(c.doc)::text) FROM bevaka_clients c '
        'WHERE c.ordinal <= $1 ORDER BY c.ordinal' USING r.through;
END $_$;

CREATE FUNCTION public.bevaka_unit_part(request bigint, after bigint, upto bigint) RETURNS TABLE(id text, owner text, plan text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '256MB'
    AS $_$
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
END $_$;

COMMENT ON FUNCTION public.bevaka_unit_part(request bigint, after bigint, upto bigint) IS 'The part of a planning request''s rows with after < ordinal <= upto (never past the request''s bound), in the caseload''s order.';

CREATE FUNCTION public.bevaka_unit_range(request bigint) RETURNS TABLE(lowest bigint, through bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
BEGIN
    -- From the `ordinal` index alone (its first entry up to the bound).
    RETURN QUERY SELECT min(c.ordinal), r.through FROM bevaka_clients c WHERE c.ordinal <= r.through;
END $$;

COMMENT ON FUNCTION public.bevaka_unit_range(request bigint) IS 'A planning request''s span of ordinal: the lowest still in the unit and the request''s bound; the manager reads its parts with bevaka_unit_part(request, after, upto).';

CREATE FUNCTION public.bevaka_user_add(new_role text, kind text, display_name text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

CREATE FUNCTION public.bevaka_user_remove(former text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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

CREATE FUNCTION public.bevaka_verify_log() RETURNS TABLE(whole boolean, rows_checked bigint, broken_at bigint, reason text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    head bevaka_log_head;
    r record;
    v record;
    h bytea;
    n bigint;
    checked bigint := 0;
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: loggens kedja kontrolleras av enhetschefen eller databasens ägare' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO head FROM bevaka_log_head;
    IF head IS NULL THEN
        RETURN QUERY SELECT false, 0::bigint, NULL::bigint, 'kedjans huvud saknas (bevaka_log_head är tömd)'::text;
        RETURN;
    END IF;
    h := head.base_hash;
    n := head.base_seq;
    FOR r IN SELECT l.id, l.chain_seq, l.prev_hash, l.hash, l.at, l.who, l.client_id, l.action, l.detail
             FROM bevaka_access_log l ORDER BY l.chain_seq NULLS FIRST, l.id LOOP
        IF r.chain_seq IS NULL THEN
            RETURN QUERY SELECT false, checked, r.id, 'rad ' || r.id || ' har ingen plats i kedjan: den är tillagd utanför Bevaka';
            RETURN;
        END IF;
        IF r.chain_seq <= n THEN
            RETURN QUERY SELECT false, checked, r.chain_seq, 'plats ' || r.chain_seq || ' finns två gånger: en rad är tillagd utanför Bevaka';
            RETURN;
        END IF;
        IF r.chain_seq > n + 1 THEN
            RETURN QUERY SELECT false, checked, n + 1,
                CASE WHEN r.chain_seq = n + 2 THEN 'rad ' || (n + 1) || ' saknas: den är borttagen'
                     ELSE 'raderna ' || (n + 1) || '–' || (r.chain_seq - 1) || ' saknas: de är borttagna' END;
            RETURN;
        END IF;
        IF r.prev_hash IS DISTINCT FROM h
           OR r.hash IS DISTINCT FROM sha256(h || bevaka_log_bytes(r.chain_seq, r.at, r.who, r.client_id, r.action, r.detail)) THEN
            RETURN QUERY SELECT false, checked, r.chain_seq, 'rad ' || r.chain_seq || ' är ändrad eller ersatt';
            RETURN;
        END IF;
        h := r.hash;
        n := r.chain_seq;
        checked := checked + 1;
    END LOOP;
    IF head.seq <> n OR head.hash IS DISTINCT FROM h THEN
        RETURN QUERY SELECT false, checked, n + 1,
            CASE WHEN head.seq > n THEN 'de sista raderna (' || (n + 1) || '–' || head.seq || ') saknas: de är borttagna'
                 ELSE 'kedjans huvud stämmer inte med raderna' END;
        RETURN;
    END IF;
    -- Each review's head is still in the chain, with the hash it saw (or was purged lawfully).
    FOR v IN SELECT x.id, x.head_seq, x.head_hash, x.period_from, x.period_to FROM bevaka_log_reviews x
             WHERE x.head_seq IS NOT NULL AND x.head_seq > head.base_seq ORDER BY x.id LOOP
        IF NOT EXISTS (SELECT 1 FROM bevaka_access_log l WHERE l.chain_seq = v.head_seq AND l.hash = v.head_hash) THEN
            RETURN QUERY SELECT false, checked, v.head_seq,
                'loggkontrollen av ' || v.period_from || '–' || v.period_to || ' såg en annan rad ' || v.head_seq
                || ': loggen är omskriven efter granskningen';
            RETURN;
        END IF;
    END LOOP;
    RETURN QUERY SELECT true, checked, NULL::bigint, NULL::text;
END $$;

COMMENT ON FUNCTION public.bevaka_verify_log() IS 'Walks the access log''s hash chain and the heads recorded by every loggkontroll; names the first row missing, changed or added.';

CREATE FUNCTION public.bevaka_visible_owners() RETURNS text[]
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT CASE WHEN bevaka_is('handlaggare') THEN
        array_append(coalesce((SELECT array_agg(c.covered) FROM bevaka_covers c
                               WHERE c.covering = session_user AND c.ended_at IS NULL AND bevaka_today() <= c.until
                                 AND EXISTS (SELECT 1 FROM bevaka_staff s WHERE s.role = c.covered)), '{}'::text[]),
                     session_user::text)
    ELSE '{}'::text[] END
$$;

CREATE FUNCTION public.bevaka_withhold_contact(d jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
    SELECT CASE WHEN jsonb_typeof(d->'protected') = 'boolean' AND (d->>'protected')::boolean
        THEN (d - 'address' - 'phones' - 'doorCode' - 'access')
             || CASE WHEN jsonb_typeof(d->'booking') = 'object' THEN jsonb_build_object('booking', (d->'booking') - 'place') ELSE '{}'::jsonb END
             || jsonb_build_object('contactWithheld', true)
        ELSE d END
$$;

CREATE TABLE public.bevaka_access_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    who text DEFAULT SESSION_USER NOT NULL,
    client_id text,
    action text NOT NULL,
    detail text,
    chain_seq bigint,
    prev_hash bytea,
    hash bytea,
    CONSTRAINT bevaka_access_log_action_check CHECK ((action = ANY (ARRAY['listed'::text, 'opened'::text, 'exported'::text, 'added'::text, 'changed'::text, 'reassigned'::text, 'cover_granted'::text, 'cover_ended'::text, 'looked_up'::text, 'gallrad'::text, 'log_purged'::text, 'reviewed'::text, 'staff_removed'::text, 'rate_limited'::text])))
);

COMMENT ON TABLE public.bevaka_access_log IS 'The access log: who, when, which case, what. Append-only (the trigger bevaka_log_is_append_only refuses UPDATE and DELETE, also for the owner, but for bevaka_log_purge of rows older than the kept years).';

CREATE SEQUENCE public.bevaka_access_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.bevaka_access_log_id_seq OWNED BY public.bevaka_access_log.id;

CREATE TABLE public.bevaka_clients (
    id text NOT NULL,
    pnr text NOT NULL,
    doc jsonb NOT NULL,
    version bigint DEFAULT 1 NOT NULL,
    ordinal bigint NOT NULL,
    owner text DEFAULT SESSION_USER NOT NULL,
    archived boolean DEFAULT false NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text DEFAULT SESSION_USER NOT NULL,
    last_end date,
    settled_on date,
    plan text,
    CONSTRAINT bevaka_clients_doc_check CHECK ((jsonb_typeof(doc) = 'object'::text))
);
ALTER TABLE ONLY public.bevaka_clients ALTER COLUMN doc SET COMPRESSION lz4;
ALTER TABLE ONLY public.bevaka_clients ALTER COLUMN plan SET COMPRESSION lz4;

ALTER TABLE ONLY public.bevaka_clients FORCE ROW LEVEL SECURITY;

COMMENT ON TABLE public.bevaka_clients IS 'One row per person: doc is the record (the file store''s JSON for one person); pnr, archived, version and the stamps are filled by the trigger bevaka_stamp from doc and the session. Row-level security with FORCE: a handläggare reaches own and covered rows, the manager none.';

CREATE SEQUENCE public.bevaka_clients_ordinal_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.bevaka_clients_ordinal_seq OWNED BY public.bevaka_clients.ordinal;

CREATE TABLE public.bevaka_clock (
    only_row boolean DEFAULT true NOT NULL,
    today date NOT NULL,
    CONSTRAINT bevaka_clock_only_row_check CHECK (only_row)
);

COMMENT ON TABLE public.bevaka_clock IS 'The date the policies compare with. Empty in use (the server''s date); only the owner may set it, for a test or a drill.';

CREATE TABLE public.bevaka_covers (
    id bigint NOT NULL,
    covered text NOT NULL,
    covering text NOT NULL,
    until date NOT NULL,
    granted_by text DEFAULT SESSION_USER NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    ended_at timestamp with time zone,
    ended_by text,
    CONSTRAINT bevaka_covers_check CHECK ((covered <> covering))
);

COMMENT ON TABLE public.bevaka_covers IS 'Covers (vikariat): covering may work covered''s cases until the date; ended_at ends one early. Written only through bevaka_cover and bevaka_cover_end.';

CREATE SEQUENCE public.bevaka_covers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.bevaka_covers_id_seq OWNED BY public.bevaka_covers.id;

CREATE SEQUENCE public.bevaka_id_blocks
    START WITH 1000000
    INCREMENT BY 1000000
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

CREATE TABLE public.bevaka_log_head (
    only_row boolean DEFAULT true NOT NULL,
    seq bigint NOT NULL,
    hash bytea NOT NULL,
    prev_hash bytea,
    base_seq bigint NOT NULL,
    base_hash bytea NOT NULL,
    CONSTRAINT bevaka_log_head_only_row_check CHECK (only_row)
);

COMMENT ON TABLE public.bevaka_log_head IS 'The head of the access log''s hash chain (the last row''s place and hash) and its base (where a lawful purge left it). Written only by the trigger bevaka_log_chain and bevaka_log_purge.';

CREATE TABLE public.bevaka_log_reviews (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    reviewer text DEFAULT SESSION_USER NOT NULL,
    period_from date NOT NULL,
    period_to date NOT NULL,
    reviewed bigint[] NOT NULL,
    standouts integer NOT NULL,
    finding text NOT NULL,
    head_seq bigint,
    head_hash bytea,
    addition boolean DEFAULT false NOT NULL,
    CONSTRAINT bevaka_log_reviews_check CHECK ((period_to >= period_from)),
    CONSTRAINT bevaka_log_reviews_finding_check CHECK (((length(finding) >= 1) AND (length(finding) <= 2000))),
    CONSTRAINT bevaka_log_reviews_standouts_check CHECK ((standouts >= 0))
);

COMMENT ON TABLE public.bevaka_log_reviews IS 'Loggkontroll: the manager''s recorded reviews of the access log, append-only.';

CREATE SEQUENCE public.bevaka_log_reviews_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.bevaka_log_reviews_id_seq OWNED BY public.bevaka_log_reviews.id;

CREATE TABLE public.bevaka_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_by text DEFAULT CURRENT_USER NOT NULL,
    checksum text
);

COMMENT ON TABLE public.bevaka_migrations IS 'The migrations applied, each with the SHA-256 of its file (Sources/BevakaPostgres/Migrations); Bevaka refuses a database whose applied migration differs from its own.';

CREATE SEQUENCE public.bevaka_requests_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.bevaka_requests_id_seq OWNED BY public.bevaka_requests.id;

CREATE TABLE public.bevaka_settings (
    only_row boolean DEFAULT true NOT NULL,
    log_keep_years integer DEFAULT 5 NOT NULL,
    review_interval_months integer DEFAULT 1 NOT NULL,
    gallring_months integer DEFAULT 12,
    CONSTRAINT bevaka_settings_gallring_months_check CHECK (((gallring_months IS NULL) OR ((gallring_months >= 1) AND (gallring_months <= 120)))),
    CONSTRAINT bevaka_settings_log_keep_years_check CHECK (((log_keep_years >= 5) AND (log_keep_years <= 100))),
    CONSTRAINT bevaka_settings_only_row_check CHECK (only_row),
    CONSTRAINT bevaka_settings_review_interval_months_check CHECK (((review_interval_months >= 1) AND (review_interval_months <= 12)))
);

COMMENT ON TABLE public.bevaka_settings IS 'The unit''s settings: how many years the access log is kept (at least 5) and how often it is reviewed.';

CREATE TABLE public.bevaka_staff (
    role text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    ended_at timestamp with time zone,
    CONSTRAINT bevaka_staff_kind_check CHECK ((kind = ANY (ARRAY['handlaggare'::text, 'chef'::text]))),
    CONSTRAINT bevaka_staff_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200)))
);

COMMENT ON TABLE public.bevaka_staff IS 'This unit''s staff: role (the login), name, kind (handlaggare or chef). Rights come from this table, in this database.';

CREATE TABLE public.bevaka_vocabulary (
    kind text NOT NULL,
    word text NOT NULL,
    CONSTRAINT bevaka_vocabulary_word_check CHECK (((length(word) >= 1) AND (length(word) <= 100)))
);

COMMENT ON TABLE public.bevaka_vocabulary IS 'The closed vocabularies the database checks (law, service, dueKind, screen, …). Filled by migrations only; the tests compare it with the program''s lists.';

ALTER TABLE ONLY public.bevaka_access_log ALTER COLUMN id SET DEFAULT nextval('public.bevaka_access_log_id_seq'::regclass);

ALTER TABLE ONLY public.bevaka_clients ALTER COLUMN ordinal SET DEFAULT nextval('public.bevaka_clients_ordinal_seq'::regclass);

ALTER TABLE ONLY public.bevaka_covers ALTER COLUMN id SET DEFAULT nextval('public.bevaka_covers_id_seq'::regclass);

ALTER TABLE ONLY public.bevaka_log_reviews ALTER COLUMN id SET DEFAULT nextval('public.bevaka_log_reviews_id_seq'::regclass);

ALTER TABLE ONLY public.bevaka_requests ALTER COLUMN id SET DEFAULT nextval('public.bevaka_requests_id_seq'::regclass);

ALTER TABLE public.bevaka_access_log
    ADD CONSTRAINT bevaka_access_log_detail_length CHECK ((length(detail) <= 200)) NOT VALID;

ALTER TABLE ONLY public.bevaka_access_log
    ADD CONSTRAINT bevaka_access_log_pkey PRIMARY KEY (id);

ALTER TABLE public.bevaka_clients
    ADD CONSTRAINT bevaka_clients_id_form CHECK ((id ~ '^[a-z]{1,3}[0-9]{1,15}$'::text)) NOT VALID;

ALTER TABLE ONLY public.bevaka_clients
    ADD CONSTRAINT bevaka_clients_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.bevaka_clients
    ADD CONSTRAINT bevaka_clients_pnr_key UNIQUE (pnr);

ALTER TABLE ONLY public.bevaka_clock
    ADD CONSTRAINT bevaka_clock_pkey PRIMARY KEY (only_row);

ALTER TABLE ONLY public.bevaka_covers
    ADD CONSTRAINT bevaka_covers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.bevaka_log_head
    ADD CONSTRAINT bevaka_log_head_pkey PRIMARY KEY (only_row);

ALTER TABLE ONLY public.bevaka_log_reviews
    ADD CONSTRAINT bevaka_log_reviews_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.bevaka_migrations
    ADD CONSTRAINT bevaka_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.bevaka_requests
    ADD CONSTRAINT bevaka_requests_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.bevaka_settings
    ADD CONSTRAINT bevaka_settings_pkey PRIMARY KEY (only_row);

ALTER TABLE ONLY public.bevaka_staff
    ADD CONSTRAINT bevaka_staff_pkey PRIMARY KEY (role);

ALTER TABLE ONLY public.bevaka_vocabulary
    ADD CONSTRAINT bevaka_vocabulary_pkey PRIMARY KEY (kind, word);

CREATE UNIQUE INDEX bevaka_access_log_chain ON public.bevaka_access_log USING btree (chain_seq);

CREATE INDEX bevaka_access_log_client ON public.bevaka_access_log USING btree (client_id, at);

CREATE INDEX bevaka_access_log_openings ON public.bevaka_access_log USING btree (at) WHERE (action = ANY (ARRAY['opened'::text, 'exported'::text]));

CREATE INDEX bevaka_access_log_owner_changes ON public.bevaka_access_log USING btree (client_id, at, id) WHERE (action = ANY (ARRAY['reassigned'::text, 'added'::text]));

CREATE INDEX bevaka_access_log_who ON public.bevaka_access_log USING btree (who, at);

CREATE INDEX bevaka_clients_ordinal_id ON public.bevaka_clients USING btree (ordinal) INCLUDE (id);

CREATE INDEX bevaka_clients_owner ON public.bevaka_clients USING btree (owner);

CREATE INDEX bevaka_covers_covering ON public.bevaka_covers USING btree (covering) WHERE (ended_at IS NULL);

CREATE INDEX bevaka_requests_at ON public.bevaka_requests USING btree (at);

CREATE INDEX bevaka_requests_who_at ON public.bevaka_requests USING btree (who, at);

CREATE TRIGGER bevaka_contact_kept BEFORE INSERT OR UPDATE ON public.bevaka_clients FOR EACH ROW EXECUTE FUNCTION public.bevaka_contact_kept();

CREATE TRIGGER bevaka_forget_requests AFTER DELETE ON public.bevaka_clients FOR EACH ROW EXECUTE FUNCTION public.bevaka_forget_requests();

CREATE TRIGGER bevaka_log_chain BEFORE INSERT ON public.bevaka_access_log FOR EACH ROW EXECUTE FUNCTION public.bevaka_log_chain();

CREATE TRIGGER bevaka_log_change AFTER INSERT OR UPDATE ON public.bevaka_clients FOR EACH ROW EXECUTE FUNCTION public.bevaka_log_change();

CREATE TRIGGER bevaka_log_no_change BEFORE DELETE OR UPDATE ON public.bevaka_access_log FOR EACH ROW EXECUTE FUNCTION public.bevaka_log_is_append_only();

CREATE TRIGGER bevaka_log_no_truncate BEFORE TRUNCATE ON public.bevaka_access_log FOR EACH STATEMENT EXECUTE FUNCTION public.bevaka_log_is_append_only();

CREATE TRIGGER bevaka_notify AFTER INSERT OR UPDATE ON public.bevaka_clients FOR EACH ROW EXECUTE FUNCTION public.bevaka_notify();

CREATE TRIGGER bevaka_reviews_no_change BEFORE DELETE OR UPDATE ON public.bevaka_log_reviews FOR EACH ROW EXECUTE FUNCTION public.bevaka_refuse_change();

CREATE TRIGGER bevaka_reviews_no_truncate BEFORE TRUNCATE ON public.bevaka_log_reviews FOR EACH STATEMENT EXECUTE FUNCTION public.bevaka_refuse_change();

CREATE TRIGGER bevaka_stamp BEFORE INSERT OR UPDATE ON public.bevaka_clients FOR EACH ROW EXECUTE FUNCTION public.bevaka_stamp();

CREATE TRIGGER bevaka_stamp_plan BEFORE INSERT OR UPDATE ON public.bevaka_clients FOR EACH ROW EXECUTE FUNCTION public.bevaka_keep_plan();

CREATE POLICY bevaka_admin ON public.bevaka_clients TO bevaka_agare_DATABAS USING (true) WITH CHECK (true);

ALTER TABLE public.bevaka_clients ENABLE ROW LEVEL SECURITY;

CREATE POLICY bevaka_handlaggare ON public.bevaka_clients TO bevaka_handlaggare USING ((owner = ANY (( SELECT public.bevaka_visible_owners() AS bevaka_visible_owners)::text[]))) WITH CHECK ((owner = ANY (( SELECT public.bevaka_visible_owners() AS bevaka_visible_owners)::text[])));

GRANT ALL ON SCHEMA public TO bevaka_agare_DATABAS;

REVOKE ALL ON FUNCTION public.bevaka_audit(request bigint, client text, by_role text, since date, include_lists boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_audit(request bigint, client text, by_role text, since date, include_lists boolean) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_contact_kept() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_cover(covered_role text, covering_role text, until_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_cover(covered_role text, covering_role text, until_day date) TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_cover(covered_role text, covering_role text, until_day date) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_cover_end(covered_role text, covering_role text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_cover_end(covered_role text, covering_role text) TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_cover_end(covered_role text, covering_role text) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_forget_requests() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_gallra(ids text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_gallra(ids text[]) TO bevaka_handlaggare;

REVOKE ALL ON FUNCTION public.bevaka_is(kind text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_is(kind text) TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_is(kind text) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_is_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_is_admin() TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_is_admin() TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_ivo_mark_sent(quarter text, marks jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_ivo_mark_sent(quarter text, marks jsonb) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_ivo_marked(decision jsonb, label text, interruption text, closing boolean) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_keep_plan() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_last_end(d jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_last_end(d jsonb) TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_last_end(d jsonb) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_lock(client text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_lock(client text) TO bevaka_handlaggare;

REVOKE ALL ON FUNCTION public.bevaka_log_bytes(seq bigint, at timestamp with time zone, who text, client_id text, action text, detail text) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_log_chain() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_log_change() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_log_is_append_only() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_log_purge(before date) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_log_reviewed_through() FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_log_reviewed_through() TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_log_reviews_read() FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_log_reviews_read() TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_lookup(request bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_lookup(request bigint) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_may_store_pnr(pnr text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_may_store_pnr(pnr text) TO bevaka_handlaggare;

REVOKE ALL ON FUNCTION public.bevaka_notify() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_plan_doc(d jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_read(request bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_read(request bigint) TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_read(request bigint) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_reassign(person text, to_role text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_reassign(person text, to_role text) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_record_review(period_from date, period_to date, reviewed bigint[], standouts integer, finding text, addition boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_record_review(period_from date, period_to date, reviewed bigint[], standouts integer, finding text, addition boolean) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_refuse_change() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_request(purpose text, screen text, ids text[], pnrs text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_request(purpose text, screen text, ids text[], pnrs text[]) TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_request(purpose text, screen text, ids text[], pnrs text[]) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_request_limit() FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_request_limit() TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_request_limit() TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_request_row(request bigint, purposes text[]) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_review(request bigint, period_from date, period_to date) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_review(request bigint, period_from date, period_to date) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_save_request() FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_save_request() TO bevaka_handlaggare;

REVOKE ALL ON FUNCTION public.bevaka_stamp() FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_today() FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_today() TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_today() TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_unit(request bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_unit(request bigint) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_unit_part(request bigint, after bigint, upto bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_unit_part(request bigint, after bigint, upto bigint) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_unit_range(request bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_unit_range(request bigint) TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_user_add(new_role text, kind text, display_name text) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_user_remove(former text) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.bevaka_verify_log() FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_verify_log() TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_visible_owners() FROM PUBLIC;
GRANT ALL ON FUNCTION public.bevaka_visible_owners() TO bevaka_handlaggare;
GRANT ALL ON FUNCTION public.bevaka_visible_owners() TO bevaka_chef;

REVOKE ALL ON FUNCTION public.bevaka_withhold_contact(d jsonb) FROM PUBLIC;

GRANT SELECT(id),INSERT(id) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT INSERT(pnr) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT INSERT(doc),UPDATE(doc) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT SELECT(version) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT SELECT(ordinal) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT SELECT(owner) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT SELECT(archived) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT SELECT(updated_at) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT SELECT(updated_by) ON TABLE public.bevaka_clients TO bevaka_handlaggare;

GRANT USAGE ON SEQUENCE public.bevaka_clients_ordinal_seq TO bevaka_handlaggare;

GRANT SELECT ON TABLE public.bevaka_clock TO bevaka_handlaggare;
GRANT SELECT ON TABLE public.bevaka_clock TO bevaka_chef;

GRANT SELECT ON TABLE public.bevaka_covers TO bevaka_handlaggare;
GRANT SELECT ON TABLE public.bevaka_covers TO bevaka_chef;

GRANT USAGE ON SEQUENCE public.bevaka_id_blocks TO bevaka_handlaggare;

GRANT SELECT ON TABLE public.bevaka_migrations TO bevaka_handlaggare;
GRANT SELECT ON TABLE public.bevaka_migrations TO bevaka_chef;

GRANT SELECT ON TABLE public.bevaka_settings TO bevaka_handlaggare;
GRANT SELECT ON TABLE public.bevaka_settings TO bevaka_chef;

GRANT SELECT ON TABLE public.bevaka_staff TO bevaka_handlaggare;
GRANT SELECT ON TABLE public.bevaka_staff TO bevaka_chef;

GRANT SELECT ON TABLE public.bevaka_vocabulary TO bevaka_handlaggare;
GRANT SELECT ON TABLE public.bevaka_vocabulary TO bevaka_chef;
