-- bevaka: en ändring meddelas med ärendets handläggare
--
-- Migration 14 (issue 37): every write to a person is announced on the channel bevaka_clients
-- (LISTEN/NOTIFY), and every open session fetched each announced person through a logged read,
-- also the ones it may not see: with 30 handläggare saving every few seconds, 30,068 read
-- requests in three minutes for 1,666 saves, and the server's two cores full (bevaka-bench
-- --enhet). The payload now names the person's handläggare after the id ("c12 anna_l"), so a
-- session fetches only a person it already holds or whose handläggare it may see (its own, or
-- one it covers for); a handover or a cover that begins is still announced to all with "*".
--
-- What a listener learns: the payload was the case id; now also whose case it is. Only the unit's
-- staff may connect, the role names are theirs (bevaka_staff), and no personal data is in either.
CREATE OR REPLACE FUNCTION bevaka_notify() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM pg_notify('bevaka_clients', NEW.id || ' ' || NEW.owner);
    RETURN NULL;
END $$;
