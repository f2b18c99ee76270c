-- bevaka: ärendena och planeringen komprimerade med lz4
--
-- Migration 20 (issue 37): a record (`doc`) and its planning document (`plan`) longer than about
-- 2 kB together were compressed with PostgreSQL's default method (pglz), and every read unpacked
-- them again. For the manager's view of a unit of 100,000 people half the planning documents were
-- compressed, and unpacking them was about 80 of the read's 420 ms on the server (`COPY` of the
-- same rows: 0.43 s; the same rows compressed with lz4: 0.35 s; not compressed at all: 0.36 s, with
-- a table half as large again). lz4 unpacks several times faster than pglz and packs about as
-- small; PostgreSQL has it since version 14 when it was built with it (Debian's, Ubuntu's, Red
-- Hat's and the PostgreSQL project's packages are). A server built without it keeps pglz: the
-- migration then changes nothing, and every rule and answer is the same either way.
--
-- The planning documents already written are written again compressed with lz4 (the column is
-- rewritten as itself, with the table locked while it runs: about a second for 100,000 people;
-- no trigger runs, no version, log row or notification is made, and no document changes). The
-- records themselves are compressed with lz4 as they are next saved. The read requests' id lists
-- (up to 100,000 ids for the manager's view, read back by the view) are compressed with lz4 too.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        -- In one statement: a column's type set again takes the default compression unless the
        -- same statement names another, and the rewrite packs with what the statement ends with.
        ALTER TABLE bevaka_clients ALTER COLUMN doc SET COMPRESSION lz4,
            ALTER COLUMN plan TYPE text USING plan || '', ALTER COLUMN plan SET COMPRESSION lz4;
        ALTER TABLE bevaka_requests ALTER COLUMN ids SET COMPRESSION lz4;
    END IF;
END $$;
