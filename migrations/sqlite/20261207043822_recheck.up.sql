-- add column "first_temperature" to table: "check_entries"
ALTER TABLE `check_entries` ADD COLUMN `first_temperature` real NULL;
-- add column "require_recheck" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `require_recheck` bool NULL;
-- add column "first_temperature" to table: "staff_check_entries"
ALTER TABLE `staff_check_entries` ADD COLUMN `first_temperature` real NULL;
