-- add column "retention_days" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `retention_days` integer NULL;
