-- modify "alerts" table
ALTER TABLE "alerts" ADD COLUMN "upward" character varying NULL, ADD COLUMN "upward_note" character varying NULL, ADD COLUMN "upward_decided_by_id" bigint NULL, ADD COLUMN "upward_decided_at" timestamptz NULL;
