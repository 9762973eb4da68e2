-- reverse: modify "staff_follow_ups" table
ALTER TABLE "staff_follow_ups" DROP COLUMN "notifiable_at";
