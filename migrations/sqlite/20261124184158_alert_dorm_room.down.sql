-- reverse: add column "dorm_room" to table: "alerts"
ALTER TABLE `alerts` DROP COLUMN `dorm_room`;
