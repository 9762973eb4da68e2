-- add column "verified_at" to table: "follow_ups"
ALTER TABLE `follow_ups` ADD COLUMN `verified_at` datetime NULL;
-- add column "verified_by_id" to table: "follow_ups"
ALTER TABLE `follow_ups` ADD COLUMN `verified_by_id` integer NULL;
