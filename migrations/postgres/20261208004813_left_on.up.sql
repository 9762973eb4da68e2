-- modify "students" table
ALTER TABLE "students" ADD COLUMN "left_on" timestamptz NULL;
-- backfill: a pupil who already left is dated by her last enrollment's end when she holds no class (the
-- hook ended it as she left), otherwise from now; so is a member of staff who left undated. Retention
-- counts from this date, so no estimate is earlier than what is known.
UPDATE "students" SET "left_on" = COALESCE((SELECT max(e."end_on") FROM "enrollments" e WHERE e."student_id" = "students"."id"
    AND NOT EXISTS (SELECT 1 FROM "enrollments" o WHERE o."student_id" = "students"."id" AND o."end_on" IS NULL)), now())
  WHERE "status" IN ('graduated', 'transferred') AND "left_on" IS NULL;
UPDATE "staffs" SET "left_on" = now() WHERE "status" = 'left' AND "left_on" IS NULL;
