-- reverse: add column "retention_days" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `retention_days`;
