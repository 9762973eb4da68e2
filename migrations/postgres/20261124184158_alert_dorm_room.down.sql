-- reverse: modify "alerts" table
ALTER TABLE "alerts" DROP COLUMN "dorm_room";
