-- reverse: create index "dailyreport_tenant_id_kind_date_version" to table: "daily_reports"
DROP INDEX "dailyreport_tenant_id_kind_date_version";
-- reverse: create index "dailyreport_date_current" to table: "daily_reports"
DROP INDEX "dailyreport_date_current";
-- reverse: create "daily_reports" table
DROP TABLE "daily_reports";
-- reverse: create index "staffcheck_date_tenant_id" to table: "staff_checks"
DROP INDEX "staffcheck_date_tenant_id";
-- reverse: create index "classcheck_date_tenant_id" to table: "class_checks"
DROP INDEX "classcheck_date_tenant_id";
-- reverse: modify "check_settings" table
ALTER TABLE "check_settings" DROP COLUMN "district_cutoff", DROP COLUMN "report_cutoff";
