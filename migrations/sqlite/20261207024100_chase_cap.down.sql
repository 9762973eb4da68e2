-- reverse: add column "chase_cap" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `chase_cap`;
