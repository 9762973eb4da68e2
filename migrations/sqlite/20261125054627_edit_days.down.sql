-- reverse: add column "edit_days" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `edit_days`;
