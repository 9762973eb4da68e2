-- modify "check_settings" table
ALTER TABLE "check_settings" ADD COLUMN "retention_days" bigint NULL;
