import BevakaDomain

// Migration 4 (see HardenedSchema.swift), third part: reading through a committed request, the
// handläggarbyte by case id, every change logged, and who may connect.

extension Schema {
    static let hardenedReads: [String] = [
        // Reading: each function takes a committed request and returns only what it named.
        """
        DROP FUNCTION bevaka_read(text[], text, text)
        """,
        """
        CREATE FUNCTION bevaka_read(request bigint)
            RETURNS TABLE (id text, doc text, version bigint, owner text, updated_by text, updated_at timestamptz)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            r bevaka_requests := bevaka_request_row(request, ARRAY['listed', 'opened', 'exported']);
            admin boolean := bevaka_is_admin();
            chef boolean := bevaka_is('chef');
            owners text[] := bevaka_visible_owners();
        BEGIN
            RETURN QUERY SELECT c.id, c.doc::text, c.version, c.owner, c.updated_by, c.updated_at
                FROM bevaka_clients c
                WHERE c.id = ANY (r.ids) AND (admin OR c.owner = ANY (owners) OR (chef AND r.purpose = 'opened'))
                ORDER BY c.ordinal;
        END $$
        """,
        """
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
            RETURN QUERY SELECT c.doc::text, c.version, c.updated_by, c.updated_at FROM bevaka_clients c
                WHERE c.id = client AND (admin OR c.owner = ANY (owners)) FOR UPDATE;
        END $$
        """,
        planDocument,
        """
        DROP FUNCTION bevaka_unit()
        """,
        """
        CREATE FUNCTION bevaka_unit(request bigint) RETURNS TABLE (id text, owner text, plan text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            r bevaka_requests := bevaka_request_row(request, ARRAY['planning']);
        BEGIN
            RETURN QUERY SELECT c.id, c.owner, bevaka_plan_doc(c.doc)::text FROM bevaka_clients c
                WHERE c.id = ANY (r.ids) ORDER BY c.ordinal;
        END $$
        """,
        """
        CREATE FUNCTION bevaka_lookup(request bigint) RETURNS text
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            r bevaka_requests := bevaka_request_row(request, ARRAY['lookup']);
        BEGIN
            IF cardinality(r.ids) = 0 THEN
                RAISE EXCEPTION 'bevaka: personnumret finns inte i enhetens ärenden' USING ERRCODE = 'P0002';
            END IF;
            RETURN r.ids[1];
        END $$
        """,
        // A handläggarbyte names the case by its id; a personnummer is looked up first (logged).
        """
        CREATE OR REPLACE FUNCTION bevaka_reassign(person text, to_role text)
            RETURNS TABLE (client_id text, from_role text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
        END $$
        """,
        """
        DROP FUNCTION bevaka_audit(text, text, date, boolean)
        """,
        """
        CREATE FUNCTION bevaka_audit(request bigint, client text, by_role text, since date, include_lists boolean)
            RETURNS TABLE (at timestamptz, who text, client_id text, action text, detail text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
        END $$
        """,
        // Every change is logged by the database; the detail is the database's own words.
        """
        CREATE OR REPLACE FUNCTION bevaka_log_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (NEW.id, 'added', left(NEW.owner, 63));
            ELSIF NEW.owner IS DISTINCT FROM OLD.owner THEN
                INSERT INTO bevaka_access_log (client_id, action, detail)
                    VALUES (NEW.id, 'reassigned', left(OLD.owner, 63) || ' → ' || left(NEW.owner, 63));
            ELSE
                INSERT INTO bevaka_access_log (client_id, action, detail) VALUES (NEW.id, 'changed', 'version ' || NEW.version);
            END IF;
            RETURN NULL;
        END $$
        """,
        // `db user add` also lets the role connect to this database (and no other of Bevaka's).
        """
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
                ON CONFLICT (role) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind;
            RETURN created;
        END $$
        """,
        // Nobody outside the staff table connects; nobody makes temporary tables or objects in
        // the schema. A database owner that cannot do this gets a clear refusal.
        """
        DO $$
        DECLARE
            staff_role text;
        BEGIN
            EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
            FOR staff_role IN SELECT s.role FROM bevaka_staff s JOIN pg_roles r ON r.rolname = s.role LOOP
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), staff_role);
            END LOOP;
            EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
            IF EXISTS (SELECT 1 FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                       WHERE d.datname = current_database() AND a.grantee = 0) THEN
                RAISE EXCEPTION 'bevaka: alla roller kan fortfarande ansluta till databasen %; kör bevaka db init som databasens ägare', current_database();
            END IF;
        END $$
        """,
        // Privileges: reading only through the requests; adding and merging checked by them.
        """
        REVOKE ALL ON bevaka_requests FROM PUBLIC
        """,
        """
        REVOKE EXECUTE ON FUNCTION bevaka_request(text, text, text[], text[]), bevaka_request_row(bigint, text[]),
            bevaka_save_request(), bevaka_may_store_pnr(text), bevaka_read(bigint), bevaka_unit(bigint),
            bevaka_lookup(bigint), bevaka_audit(bigint, text, text, date, boolean) FROM PUBLIC
        """,
        """
        GRANT EXECUTE ON FUNCTION bevaka_request(text, text, text[], text[]), bevaka_read(bigint) TO bevaka_handlaggare, bevaka_chef
        """,
        """
        GRANT EXECUTE ON FUNCTION bevaka_may_store_pnr(text), bevaka_save_request() TO bevaka_handlaggare
        """,
        """
        GRANT EXECUTE ON FUNCTION bevaka_unit(bigint), bevaka_lookup(bigint), bevaka_audit(bigint, text, text, date, boolean)
            TO bevaka_chef
        """,
        pinSearchPaths,
    ]
}
