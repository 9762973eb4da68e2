-- add column "edit_days" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `edit_days` integer NULL;
