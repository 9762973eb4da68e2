-- reverse: modify "staff_check_entries" table
ALTER TABLE "staff_check_entries" DROP COLUMN "first_temperature";
-- reverse: modify "check_settings" table
ALTER TABLE "check_settings" DROP COLUMN "require_recheck";
-- reverse: modify "check_entries" table
ALTER TABLE "check_entries" DROP COLUMN "first_temperature";
