-- modify "observation_stays" table
ALTER TABLE "observation_stays" ADD COLUMN "reason" character varying NOT NULL DEFAULT 'symptoms', ADD COLUMN "note" character varying NULL, ADD COLUMN "opened_by_id" bigint NULL, ADD COLUMN "handed_over_to" character varying NULL;
