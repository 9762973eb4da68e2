-- add column "staff_ids" to table: "alerts"
ALTER TABLE `alerts` ADD COLUMN `staff_ids` json NULL;
