-- modify "check_settings" table
ALTER TABLE "check_settings" ADD COLUMN "edit_days" bigint NULL;
