-- reverse: modify "check_settings" table
ALTER TABLE "check_settings" DROP COLUMN "stay_limit_minutes";
