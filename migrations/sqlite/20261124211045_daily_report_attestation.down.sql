-- reverse: create index "dailyreport_date_current" to table: "daily_reports"
DROP INDEX `dailyreport_date_current`;
-- reverse: create index "dailyreport_tenant_id_kind_date_version" to table: "daily_reports"
DROP INDEX `dailyreport_tenant_id_kind_date_version`;
-- reverse: set sequence for "new_daily_reports" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_daily_reports";
-- reverse: create "new_daily_reports" table
DROP TABLE `new_daily_reports`;
