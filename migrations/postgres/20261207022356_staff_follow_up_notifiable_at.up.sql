-- modify "staff_follow_ups" table
ALTER TABLE "staff_follow_ups" ADD COLUMN "notifiable_at" timestamptz NULL;
-- backfill: a staff follow-up already notifiable dates its case from when it was recorded (the best known)
UPDATE "staff_follow_ups" SET "notifiable_at" = "created_at" WHERE "outcome" = 'notifiable' AND "notifiable_at" IS NULL;
