-- add column "stay_limit_minutes" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `stay_limit_minutes` integer NULL;
