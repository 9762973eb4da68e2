-- reverse: add column "first_temperature" to table: "staff_check_entries"
ALTER TABLE `staff_check_entries` DROP COLUMN `first_temperature`;
-- reverse: add column "require_recheck" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `require_recheck`;
-- reverse: add column "first_temperature" to table: "check_entries"
ALTER TABLE `check_entries` DROP COLUMN `first_temperature`;
