-- add column "dorm_room" to table: "alerts"
ALTER TABLE `alerts` ADD COLUMN `dorm_room` text NULL;
