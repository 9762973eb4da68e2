-- modify "check_settings" table
ALTER TABLE "check_settings" ADD COLUMN "absence_rate" double precision NULL;
