-- add column "absence_rate" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `absence_rate` real NULL;
