-- modify "check_settings" table
ALTER TABLE "check_settings" ADD COLUMN "stay_limit_minutes" bigint NULL;
