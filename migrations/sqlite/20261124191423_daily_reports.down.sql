-- reverse: create index "dailyreport_date_current" to table: "daily_reports"
DROP INDEX `dailyreport_date_current`;
-- reverse: create index "dailyreport_tenant_id_kind_date_version" to table: "daily_reports"
DROP INDEX `dailyreport_tenant_id_kind_date_version`;
-- reverse: set sequence for "daily_reports" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "daily_reports";
-- reverse: create "daily_reports" table
DROP TABLE `daily_reports`;
-- reverse: create index "staffcheck_date_tenant_id" to table: "staff_checks"
DROP INDEX `staffcheck_date_tenant_id`;
-- reverse: add column "district_cutoff" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `district_cutoff`;
-- reverse: add column "report_cutoff" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `report_cutoff`;
-- reverse: create index "classcheck_date_tenant_id" to table: "class_checks"
DROP INDEX `classcheck_date_tenant_id`;
