-- reverse: add column "notifiable_at" to table: "staff_follow_ups"
ALTER TABLE `staff_follow_ups` DROP COLUMN `notifiable_at`;
