-- bevaka: gallring efter enhetens regel, en logg som visar ingrepp, strängare loggkontroll
--
-- Migration 7: what a dataskyddsombud can sign off.
--
-- - Gallring by the unit's rule, checked by the database. The period is a setting of the unit
--   (`bevaka_settings.gallring_months`, 12 by default, NULL: no gallring), set by the schema's
--   owner, never an argument. `bevaka_gallra(ids)` removes a person only when archived, every
--   decision has ended or been closed, the period has passed since the last end, and those facts
--   were already so in a version of the row from an earlier day (`settled_on`, stamped by the
--   database from the row's own content): a decision backdated and archived today cannot be
--   gallrad before tomorrow, and the change stands in the log before it.
-- - The access log is a hash chain. Every row gets its place (`chain_seq`), the hash of the row
--   before it and its own hash over its place, time, who, case, action and detail; the head is
--   kept in `bevaka_log_head`. Rows are chained in the order their transactions take the head
--   (one at a time). A row deleted, changed or inserted outside Bevaka — by the table's owner with
--   its triggers disabled, or a superuser — breaks the chain where it happened, and
--   `bevaka_verify_log()` names the first row where it breaks. Every loggkontroll records the
--   head it saw, so a chain rewritten from scratch no longer matches the recorded heads.
--   The owner's lawful purge of rows older than the kept years (`bevaka_log_purge`) removes a
--   prefix of the chain and moves the chain's base with it.
-- - Loggkontroll: a period must have ended; a second review of a period is an explicit addition;
--   a finding may not hold a personnummer.
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

-- Gallring: the unit's period, and when a row's facts were last settled.

ALTER TABLE bevaka_settings ADD COLUMN gallring_months integer DEFAULT 12
    CHECK (gallring_months IS NULL OR gallring_months BETWEEN 1 AND 120);

UPDATE bevaka_settings SET gallring_months = 12;

ALTER TABLE bevaka_clients ADD COLUMN last_end date;

ALTER TABLE bevaka_clients ADD COLUMN settled_on date;

-- The day every decision of a record had ended (the earlier of its end and its closing), NULL
-- while one runs or has no date; the same rule as the program's Gallring.lastEnd.
CREATE FUNCTION bevaka_last_end(d jsonb) RETURNS date LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE
        WHEN jsonb_typeof(d->'decisions') IS DISTINCT FROM 'array' OR jsonb_array_length(d->'decisions') = 0 THEN NULL
        WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(d->'decisions') x
                     WHERE least(CASE WHEN x->>'closed' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'closed')::date END,
                                 CASE WHEN x->>'to' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'to')::date END) IS NULL) THEN NULL
        ELSE (SELECT max(least(CASE WHEN x->>'closed' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'closed')::date END,
                               CASE WHEN x->>'to' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (x->>'to')::date END))
              FROM jsonb_array_elements(d->'decisions') x)
    END
$$;

REVOKE EXECUTE ON FUNCTION bevaka_last_end(jsonb) FROM PUBLIC;

-- The stamp trigger runs as the writer: staff may compute it (it reads nothing but its argument).
GRANT EXECUTE ON FUNCTION bevaka_last_end(jsonb) TO bevaka_handlaggare, bevaka_chef;

-- The rows as they are now count as settled today: a person archived before this migration can
-- be gallrad from tomorrow.
ALTER TABLE bevaka_clients DISABLE TRIGGER USER;

UPDATE bevaka_clients SET last_end = bevaka_last_end(doc), settled_on = bevaka_today();

ALTER TABLE bevaka_clients ENABLE TRIGGER USER;

CREATE OR REPLACE FUNCTION bevaka_stamp() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, public, pg_temp AS $$
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

DROP FUNCTION bevaka_gallra(text[], integer);

CREATE FUNCTION bevaka_gallra(ids text[]) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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

REVOKE EXECUTE ON FUNCTION bevaka_gallra(text[]) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION bevaka_gallra(text[]) TO bevaka_handlaggare;

-- The access log as a hash chain.

ALTER TABLE bevaka_access_log ADD COLUMN chain_seq bigint;

ALTER TABLE bevaka_access_log ADD COLUMN prev_hash bytea;

ALTER TABLE bevaka_access_log ADD COLUMN hash bytea;

CREATE TABLE bevaka_log_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    -- The last row of the chain and its hash.
    seq bigint NOT NULL,
    hash bytea NOT NULL,
    prev_hash bytea,
    -- Where the chain begins now: 0 and the genesis hash, or the last row a lawful purge removed.
    base_seq bigint NOT NULL,
    base_hash bytea NOT NULL
);

REVOKE ALL ON bevaka_log_head FROM PUBLIC;

-- What a row's hash covers, each part with its length so that no two rows read alike. The time
-- in microseconds since 1970 (UTC), whatever the session's time zone or date style.
CREATE FUNCTION bevaka_log_bytes(seq bigint, at timestamptz, who text, client_id text, action text, detail text)
    RETURNS bytea LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT convert_to(concat(
        length(seq::text), ':', seq::text, ';',
        length((extract(epoch FROM at) * 1000000)::bigint::text), ':', (extract(epoch FROM at) * 1000000)::bigint::text, ';',
        length(coalesce(who, '')), ':', coalesce(who, ''), ';',
        CASE WHEN client_id IS NULL THEN '-' ELSE length(client_id) || ':' || client_id END, ';',
        length(coalesce(action, '')), ':', coalesce(action, ''), ';',
        CASE WHEN detail IS NULL THEN '-' ELSE length(detail) || ':' || detail END), 'UTF8')
$$;

REVOKE EXECUTE ON FUNCTION bevaka_log_bytes(bigint, timestamptz, text, text, text, text) FROM PUBLIC;

-- The rows already in the log are chained now, in the order they were written.
ALTER TABLE bevaka_access_log DISABLE TRIGGER bevaka_log_no_change;

DO $$
DECLARE
    r record;
    h bytea := sha256(convert_to('bevaka åtkomstlogg', 'UTF8'));
    p bytea := NULL;
    n bigint := 0;
BEGIN
    FOR r IN SELECT l.id, l.at, l.who, l.client_id, l.action, l.detail FROM bevaka_access_log l ORDER BY l.id LOOP
        n := n + 1;
        p := h;
        h := sha256(p || bevaka_log_bytes(n, r.at, r.who, r.client_id, r.action, r.detail));
        UPDATE bevaka_access_log SET chain_seq = n, prev_hash = p, hash = h WHERE id = r.id;
    END LOOP;
    INSERT INTO bevaka_log_head (seq, hash, prev_hash, base_seq, base_hash)
        VALUES (n, h, p, 0, sha256(convert_to('bevaka åtkomstlogg', 'UTF8')));
END $$;

ALTER TABLE bevaka_access_log ENABLE TRIGGER bevaka_log_no_change;

CREATE UNIQUE INDEX bevaka_access_log_chain ON bevaka_access_log (chain_seq);

-- Every new row takes the next place. The head row is updated, not read: two writers wait on it
-- in turn, and under REPEATABLE READ the second gets a serialization error instead of a stale
-- head, so the chain never forks.
CREATE FUNCTION bevaka_log_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    UPDATE bevaka_log_head h
       SET seq = h.seq + 1, prev_hash = h.hash,
           hash = sha256(h.hash || bevaka_log_bytes(h.seq + 1, NEW.at, NEW.who, NEW.client_id, NEW.action, NEW.detail))
     RETURNING h.seq, h.prev_hash, h.hash INTO NEW.chain_seq, NEW.prev_hash, NEW.hash;
    RETURN NEW;
END $$;

REVOKE EXECUTE ON FUNCTION bevaka_log_chain() FROM PUBLIC;

CREATE TRIGGER bevaka_log_chain BEFORE INSERT ON bevaka_access_log
    FOR EACH ROW EXECUTE FUNCTION bevaka_log_chain();

-- The lawful purge removes a prefix of the chain (everything before the first row that must be
-- kept) and moves the chain's base to the last row it removed.
CREATE OR REPLACE FUNCTION bevaka_log_purge(before date) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
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

REVOKE EXECUTE ON FUNCTION bevaka_log_purge(date) FROM PUBLIC;

-- Loggkontroll: the head each review saw, and whether it adds to an earlier review.

ALTER TABLE bevaka_log_reviews ADD COLUMN head_seq bigint;

ALTER TABLE bevaka_log_reviews ADD COLUMN head_hash bytea;

ALTER TABLE bevaka_log_reviews ADD COLUMN addition boolean NOT NULL DEFAULT false;

DROP FUNCTION bevaka_record_review(date, date, bigint[], integer, text);

CREATE FUNCTION bevaka_record_review(period_from date, period_to date, reviewed bigint[], standouts integer, finding text,
                                     addition boolean DEFAULT false)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
END $$;

REVOKE EXECUTE ON FUNCTION bevaka_record_review(date, date, bigint[], integer, text, boolean) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION bevaka_record_review(date, date, bigint[], integer, text, boolean) TO bevaka_chef;

-- Walks the chain from its base: the first row that is missing, changed or added, or a recorded
-- head that the chain no longer has. For the manager and the owner; it reads no personal data.
CREATE FUNCTION bevaka_verify_log()
    RETURNS TABLE (whole boolean, rows_checked bigint, broken_at bigint, reason text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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

REVOKE EXECUTE ON FUNCTION bevaka_verify_log() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION bevaka_verify_log() TO bevaka_chef;

COMMENT ON TABLE bevaka_log_head IS
    'The head of the access log''s hash chain (the last row''s place and hash) and its base (where a lawful purge left it). Written only by the trigger bevaka_log_chain and bevaka_log_purge.';
COMMENT ON FUNCTION bevaka_gallra(text[]) IS
    'Gallring by the unit''s rule (bevaka_settings.gallring_months): archived, every decision over, the period passed, and so already on an earlier day (settled_on). Logs gallrad with the case id only.';
COMMENT ON FUNCTION bevaka_verify_log() IS
    'Walks the access log''s hash chain and the heads recorded by every loggkontroll; names the first row missing, changed or added.';
COMMENT ON FUNCTION bevaka_log_purge(date) IS
    'The owner''s only way to remove access-log rows: a prefix of the chain, all older than bevaka_settings.log_keep_years (at least 5); moves the chain''s base and is itself logged.';
