-- bevaka: en rad per person med version, ändrad av och ändrad när
--
-- One row per person: the record (`doc`) is the same JSON as one client line of the file store,
-- so `export json` gives the file store's document. The columns beside it are what queries,
-- constraints and access policies need; a trigger fills them from `doc`, so they can never
-- disagree with it, and stamps every write with the database role and the time.
--
-- Frozen: a unit may have applied this file. Change the schema with a new migration.

CREATE TABLE bevaka_clients (
    id text PRIMARY KEY,
    pnr text NOT NULL UNIQUE,
    doc jsonb NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    ordinal bigserial NOT NULL,
    owner text NOT NULL DEFAULT current_user,
    archived boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT current_user,
    CHECK (jsonb_typeof(doc) = 'object')
);

CREATE INDEX bevaka_clients_owner ON bevaka_clients (owner);

CREATE INDEX bevaka_clients_ordinal ON bevaka_clients (ordinal);

CREATE SEQUENCE bevaka_id_blocks START WITH 1000000 INCREMENT BY 1000000;

CREATE FUNCTION bevaka_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.doc->>'id' IS DISTINCT FROM NEW.id THEN
        RAISE EXCEPTION 'bevaka: doc id % does not match row id %', NEW.doc->>'id', NEW.id;
    END IF;
    NEW.pnr := NEW.doc->>'pnr';
    NEW.archived := coalesce((NEW.doc->>'archived')::boolean, false);
    NEW.updated_at := clock_timestamp();
    NEW.updated_by := current_user;
    IF TG_OP = 'UPDATE' THEN
        NEW.version := OLD.version + 1;
        NEW.ordinal := OLD.ordinal;
        NEW.owner := OLD.owner;
    ELSE
        NEW.version := 1;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER bevaka_stamp BEFORE INSERT OR UPDATE ON bevaka_clients
    FOR EACH ROW EXECUTE FUNCTION bevaka_stamp();

CREATE FUNCTION bevaka_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('bevaka_clients', NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER bevaka_notify AFTER INSERT OR UPDATE ON bevaka_clients
    FOR EACH ROW EXECUTE FUNCTION bevaka_notify();

