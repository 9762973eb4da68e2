-- reverse: modify "check_settings" table
ALTER TABLE "check_settings" DROP COLUMN "chase_cap";
