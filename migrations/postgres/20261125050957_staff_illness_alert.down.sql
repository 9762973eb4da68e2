-- reverse: modify "alerts" table
ALTER TABLE "alerts" DROP COLUMN "staff_ids";
