-- reverse: add column "verified_by_id" to table: "follow_ups"
ALTER TABLE `follow_ups` DROP COLUMN `verified_by_id`;
-- reverse: add column "verified_at" to table: "follow_ups"
ALTER TABLE `follow_ups` DROP COLUMN `verified_at`;
