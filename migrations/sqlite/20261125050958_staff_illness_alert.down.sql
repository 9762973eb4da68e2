-- reverse: add column "staff_ids" to table: "alerts"
ALTER TABLE `alerts` DROP COLUMN `staff_ids`;
