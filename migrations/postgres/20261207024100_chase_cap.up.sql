-- modify "check_settings" table
ALTER TABLE "check_settings" ADD COLUMN "chase_cap" bigint NULL;
