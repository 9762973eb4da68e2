-- reverse: create index "chaselog_tenant_id_date" to table: "chase_logs"
DROP INDEX "chaselog_tenant_id_date";
-- reverse: create index "chaselog_class_id_date_session_step" to table: "chase_logs"
DROP INDEX "chaselog_class_id_date_session_step";
-- reverse: create "chase_logs" table
DROP TABLE "chase_logs";
-- reverse: modify "check_settings" table
ALTER TABLE "check_settings" DROP COLUMN "kind_ladders", DROP COLUMN "chase_ladder";
