-- add column "notifiable_at" to table: "staff_follow_ups"
ALTER TABLE `staff_follow_ups` ADD COLUMN `notifiable_at` datetime NULL;
-- backfill: a staff follow-up already notifiable dates its case from when it was recorded (the best known)
UPDATE `staff_follow_ups` SET `notifiable_at` = `created_at` WHERE `outcome` = 'notifiable' AND `notifiable_at` IS NULL;
