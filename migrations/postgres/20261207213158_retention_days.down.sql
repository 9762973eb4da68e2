-- reverse: modify "check_settings" table
ALTER TABLE "check_settings" DROP COLUMN "retention_days";
