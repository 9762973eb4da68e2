-- modify "alerts" table
ALTER TABLE "alerts" ADD COLUMN "follows_id" bigint NULL, ADD CONSTRAINT "alerts_alerts_continuations" FOREIGN KEY ("follows_id") REFERENCES "alerts" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
