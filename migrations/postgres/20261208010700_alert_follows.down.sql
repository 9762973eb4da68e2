-- reverse: modify "alerts" table
ALTER TABLE "alerts" DROP CONSTRAINT "alerts_alerts_continuations", DROP COLUMN "follows_id";
