-- modify "check_settings" table
ALTER TABLE "check_settings" ADD COLUMN "fever_above" boolean NULL;
