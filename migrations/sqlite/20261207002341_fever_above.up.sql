-- add column "fever_above" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `fever_above` bool NULL;
