-- add column "chase_cap" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `chase_cap` integer NULL;
