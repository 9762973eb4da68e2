-- modify "follow_ups" table
ALTER TABLE "follow_ups" ADD COLUMN "verified_at" timestamptz NULL, ADD COLUMN "verified_by_id" bigint NULL;
