-- modify "alerts" table
ALTER TABLE "alerts" ADD COLUMN "staff_ids" jsonb NULL;
