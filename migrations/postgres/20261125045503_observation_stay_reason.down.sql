-- reverse: modify "observation_stays" table
ALTER TABLE "observation_stays" DROP COLUMN "handed_over_to", DROP COLUMN "opened_by_id", DROP COLUMN "note", DROP COLUMN "reason";
