-- bevaka: gallring, loggkontroll och skyddade personuppgifter
--
-- Migration 5: what the dataskyddsombud asks of the shared store (docs/dataskydd.md).
--
-- - Gallring: `bevaka_gallra(ids, months)` removes a handläggare's own archived people whose
--   decisions all ended `months` ago (the owner's: anyone's), and logs `gallrad` with the case id.
-- - The access log keeps every row at least `bevaka_settings.log_keep_years` (5, never fewer):
--   no role can delete a younger row by any path; older rows leave only through
--   `bevaka_log_purge`, the owner's, itself logged.
-- - A change is logged with the names of the fields it changed, and from where (the screen or
--   command the program names, from a fixed list).
-- - Loggkontroll: `bevaka_review` gives the manager a period's openings with what makes one
--   stand out (not the reader's own or covered case at that moment, a protected identity), and
--   `bevaka_record_review` keeps the manager's finding, append-only.
-- (Protected identity in the planning data — the flag, the birth year only — is migration 4's
-- allow-list.)
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

ALTER TABLE bevaka_access_log DROP CONSTRAINT bevaka_access_log_action_check;

ALTER TABLE bevaka_access_log ADD CONSTRAINT bevaka_access_log_action_check
    CHECK (action IN ('listed', 'opened', 'exported', 'added', 'changed', 'reassigned',
                      'cover_granted', 'cover_ended', 'looked_up', 'gallrad', 'log_purged', 'reviewed'));

CREATE TABLE bevaka_settings (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    log_keep_years integer NOT NULL DEFAULT 5 CHECK (log_keep_years BETWEEN 5 AND 100),
    review_interval_months integer NOT NULL DEFAULT 1 CHECK (review_interval_months BETWEEN 1 AND 12)
);

INSERT INTO bevaka_settings DEFAULT VALUES;

CREATE OR REPLACE FUNCTION bevaka_log_is_append_only() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('bevaka.log_purge', true), '') = 'on' AND bevaka_is_admin()
       AND OLD.at < now() - make_interval(years => (SELECT s.log_keep_years FROM bevaka_settings s)) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'bevaka: åtkomstloggen kan inte ändras eller tömmas' USING ERRCODE = '42501';
END $$;

CREATE FUNCTION bevaka_log_purge(before date) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    keep integer := (SELECT s.log_keep_years FROM bevaka_settings s);
    n bigint;
BEGIN
    IF NOT bevaka_is_admin() THEN
        RAISE EXCEPTION 'bevaka: bara databasens ägare kan rensa åtkomstloggen' USING ERRCODE = '42501';
    END IF;
    IF before IS NULL OR before > (now() - make_interval(years => keep))::date THEN
        RAISE EXCEPTION 'bevaka: åtkomstloggen sparas minst % år; rader efter % kan inte tas bort', keep,
            (now() - make_interval(years => keep))::date USING ERRCODE = '42501';
    END IF;
    PERFORM set_config('bevaka.log_purge', 'on', true);
    DELETE FROM bevaka_access_log l WHERE l.at < before;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('bevaka.log_purge', '', true);
    INSERT INTO bevaka_access_log (action, detail) VALUES ('log_purged', 'rensade ' || n || ' rader före ' || before);
    RETURN n;
END $$;

CREATE FUNCTION bevaka_gallra(ids text[], months integer) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    admin boolean := bevaka_is_admin();
    r record;
BEGIN
    IF NOT (admin OR bevaka_is('handlaggare')) THEN
        RAISE EXCEPTION 'bevaka: rollen % gallrar inga ärenden', session_user USING ERRCODE = '42501';
    END IF;
    IF months IS NULL OR months < 1 OR months > 120 THEN
        RAISE EXCEPTION 'bevaka: gallringstiden ska vara 1–120 månader' USING ERRCODE = '22023';
    END IF;
    FOR r IN SELECT c.id, c.doc FROM bevaka_clients c
             WHERE c.id = ANY (ids) AND (admin OR c.owner = session_user) ORDER BY c.ordinal FOR UPDATE LOOP
        CONTINUE WHEN NOT coalesce((r.doc->>'archived')::boolean, false);
        CONTINUE WHEN jsonb_typeof(r.doc->'decisions') IS DISTINCT FROM 'array' OR jsonb_array_length(r.doc->'decisions') = 0;
        -- Every decision ended (or closed) `months` before today; the earlier of the two counts.
        CONTINUE WHEN EXISTS (
            SELECT 1 FROM jsonb_array_elements(r.doc->'decisions') x
            WHERE least(CASE WHEN x->>'closed' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'closed')::date END,
                        CASE WHEN x->>'to' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'to')::date END) IS NULL
               OR (least(CASE WHEN x->>'closed' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'closed')::date END,
                         CASE WHEN x->>'to' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'to')::date END)
                   + make_interval(months => months))::date > bevaka_today());
        DELETE FROM bevaka_clients c WHERE c.id = r.id;
        INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (r.id, 'gallrad', 'gallrad');
        PERFORM pg_notify('bevaka_clients', r.id);
        RETURN NEXT r.id;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION bevaka_log_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
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

CREATE FUNCTION bevaka_review(request bigint, period_from date, period_to date)
    RETURNS TABLE (log_id bigint, at timestamptz, who text, client_id text, action text, detail text,
                   own_or_covered boolean, protected boolean)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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

CREATE TABLE bevaka_log_reviews (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    reviewer text NOT NULL DEFAULT session_user,
    period_from date NOT NULL,
    period_to date NOT NULL CHECK (period_to >= period_from),
    reviewed bigint[] NOT NULL,
    standouts integer NOT NULL CHECK (standouts >= 0),
    finding text NOT NULL CHECK (length(finding) BETWEEN 1 AND 2000)
);

CREATE FUNCTION bevaka_refuse_change() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'bevaka: en sparad loggkontroll kan inte ändras eller tas bort' USING ERRCODE = '42501';
END $$;

CREATE TRIGGER bevaka_reviews_no_change BEFORE UPDATE OR DELETE ON bevaka_log_reviews
    FOR EACH ROW EXECUTE FUNCTION bevaka_refuse_change();

CREATE TRIGGER bevaka_reviews_no_truncate BEFORE TRUNCATE ON bevaka_log_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION bevaka_refuse_change();

CREATE FUNCTION bevaka_record_review(period_from date, period_to date, reviewed bigint[], standouts integer, finding text)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    made bigint;
BEGIN
    IF NOT (bevaka_is_admin() OR bevaka_is('chef')) THEN
        RAISE EXCEPTION 'bevaka: loggkontrollen är enhetschefens' USING ERRCODE = '42501';
    END IF;
    INSERT INTO bevaka_log_reviews (period_from, period_to, reviewed, standouts, finding)
        VALUES (period_from, period_to, coalesce(reviewed, '{}'), standouts, finding) RETURNING id INTO made;
    INSERT INTO bevaka_access_log (action, detail)
        VALUES ('reviewed', 'loggkontroll ' || period_from || '–' || period_to || ': ' || cardinality(coalesce(reviewed, '{}'))
                || ' rader granskade');
    RETURN made;
END $$;

REVOKE ALL ON bevaka_settings, bevaka_log_reviews FROM PUBLIC;

REVOKE EXECUTE ON FUNCTION bevaka_log_purge(date), bevaka_gallra(text[], integer), bevaka_review(bigint, date, date),
    bevaka_refuse_change(), bevaka_record_review(date, date, bigint[], integer, text) FROM PUBLIC;

GRANT SELECT ON bevaka_settings TO bevaka_handlaggare, bevaka_chef;

GRANT SELECT ON bevaka_log_reviews TO bevaka_chef;

GRANT EXECUTE ON FUNCTION bevaka_gallra(text[], integer) TO bevaka_handlaggare;

GRANT EXECUTE ON FUNCTION bevaka_review(bigint, date, date), bevaka_record_review(date, date, bigint[], integer, text)
    TO bevaka_chef;

DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'bevaka\_%' LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp', f, current_schema());
    END LOOP;
END $$;

