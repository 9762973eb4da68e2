-- reverse: modify "alerts" table
ALTER TABLE "alerts" DROP COLUMN "upward_decided_at", DROP COLUMN "upward_decided_by_id", DROP COLUMN "upward_note", DROP COLUMN "upward";
