-- reverse: add column "upward_decided_at" to table: "alerts"
ALTER TABLE `alerts` DROP COLUMN `upward_decided_at`;
-- reverse: add column "upward_decided_by_id" to table: "alerts"
ALTER TABLE `alerts` DROP COLUMN `upward_decided_by_id`;
-- reverse: add column "upward_note" to table: "alerts"
ALTER TABLE `alerts` DROP COLUMN `upward_note`;
-- reverse: add column "upward" to table: "alerts"
ALTER TABLE `alerts` DROP COLUMN `upward`;
