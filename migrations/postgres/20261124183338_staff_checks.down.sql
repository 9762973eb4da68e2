-- reverse: create "staff_check_entries" table
DROP TABLE "staff_check_entries";
-- reverse: create index "staffcheck_tenant_id_date_session" to table: "staff_checks"
DROP INDEX "staffcheck_tenant_id_date_session";
-- reverse: create index "staffcheck_staff_group_id_date_session_version" to table: "staff_checks"
DROP INDEX "staffcheck_staff_group_id_date_session_version";
-- reverse: create "staff_checks" table
DROP TABLE "staff_checks";
-- reverse: modify "staff_groups" table
ALTER TABLE "staff_groups" DROP COLUMN "kind";
