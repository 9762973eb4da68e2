-- modify "check_entries" table
ALTER TABLE "check_entries" ADD COLUMN "first_temperature" double precision NULL;
-- modify "check_settings" table
ALTER TABLE "check_settings" ADD COLUMN "require_recheck" boolean NULL;
-- modify "staff_check_entries" table
ALTER TABLE "staff_check_entries" ADD COLUMN "first_temperature" double precision NULL;
