-- modify "alerts" table
ALTER TABLE "alerts" ADD COLUMN "dorm_room" character varying NULL;
