-- reverse: add column "fever_above" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `fever_above`;
