-- add column "upward" to table: "alerts"
ALTER TABLE `alerts` ADD COLUMN `upward` text NULL;
-- add column "upward_note" to table: "alerts"
ALTER TABLE `alerts` ADD COLUMN `upward_note` text NULL;
-- add column "upward_decided_by_id" to table: "alerts"
ALTER TABLE `alerts` ADD COLUMN `upward_decided_by_id` integer NULL;
-- add column "upward_decided_at" to table: "alerts"
ALTER TABLE `alerts` ADD COLUMN `upward_decided_at` datetime NULL;
