-- reverse: add column "absence_rate" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `absence_rate`;
