-- reverse: modify "daily_reports" table
ALTER TABLE "daily_reports" DROP CONSTRAINT "daily_reports_users_attester", DROP COLUMN "attested_by_id", DROP COLUMN "attest_note", DROP COLUMN "attested_on_time", DROP COLUMN "attested_by", DROP COLUMN "attested_at";
