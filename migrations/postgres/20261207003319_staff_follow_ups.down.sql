-- reverse: create index "stafffollowup_tenant_id_status" to table: "staff_follow_ups"
DROP INDEX "stafffollowup_tenant_id_status";
-- reverse: create index "stafffollowup_staff_id_date" to table: "staff_follow_ups"
DROP INDEX "stafffollowup_staff_id_date";
-- reverse: create "staff_follow_ups" table
DROP TABLE "staff_follow_ups";
