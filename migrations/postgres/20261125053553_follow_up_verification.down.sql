-- reverse: modify "follow_ups" table
ALTER TABLE "follow_ups" DROP COLUMN "verified_by_id", DROP COLUMN "verified_at";
