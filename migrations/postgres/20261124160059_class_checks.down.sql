-- reverse: create "terms" table
DROP TABLE "terms";
-- reverse: create index "exemption_tenant_id_date" to table: "exemptions"
DROP INDEX "exemption_tenant_id_date";
-- reverse: create index "exemption_class_id_date" to table: "exemptions"
DROP INDEX "exemption_class_id_date";
-- reverse: create "exemptions" table
DROP TABLE "exemptions";
-- reverse: create "check_entries" table
DROP TABLE "check_entries";
-- reverse: create index "classcheck_tenant_id_date_session" to table: "class_checks"
DROP INDEX "classcheck_tenant_id_date_session";
-- reverse: create index "classcheck_class_id_date_session_version" to table: "class_checks"
DROP INDEX "classcheck_class_id_date_session_version";
-- reverse: create "class_checks" table
DROP TABLE "class_checks";
-- reverse: create index "calendarday_tenant_id_date" to table: "calendar_days"
DROP INDEX "calendarday_tenant_id_date";
-- reverse: create "calendar_days" table
DROP TABLE "calendar_days";
