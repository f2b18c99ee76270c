-- bevaka: loggkontrollens fråga om vems ärendet var, ur ett eget index
--
-- Migration 15 (issue 37): the monthly loggkontroll (`bevaka_review`) asks, for every opening in
-- the month, whose case it was then: the person's last `reassigned` row before the opening, else
-- its `added` row. Both were read through the log's index by person (`client_id, at`), which
-- holds every row of the person — each list, change and opening for as long as the log is kept —
-- so each opening walked the person's whole history. On five years of a 30-person unit's log
-- (11 million rows, `bevaka-bench --loggens-vikt`) the review of one month (33,000 openings)
-- did not finish within the command's minute. A partial index of only the rows that change whose
-- a case is answers each question in a step or two.
--
-- Building it reads the whole log once and holds its write lock while it runs (reads wait, since
-- every read is logged): upgrade outside working hours on a large unit.
CREATE INDEX bevaka_access_log_owner_changes ON bevaka_access_log (client_id, at, id)
    WHERE action IN ('reassigned', 'added');
