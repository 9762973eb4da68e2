-- reverse: set sequence for "terms" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "terms";
-- reverse: create "terms" table
DROP TABLE `terms`;
-- reverse: create index "exemption_class_id_date" to table: "exemptions"
DROP INDEX `exemption_class_id_date`;
-- reverse: create index "exemption_tenant_id_date" to table: "exemptions"
DROP INDEX `exemption_tenant_id_date`;
-- reverse: set sequence for "exemptions" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "exemptions";
-- reverse: create "exemptions" table
DROP TABLE `exemptions`;
-- reverse: create index "classcheck_tenant_id_date_session" to table: "class_checks"
DROP INDEX `classcheck_tenant_id_date_session`;
-- reverse: create index "classcheck_class_id_date_session_version" to table: "class_checks"
DROP INDEX `classcheck_class_id_date_session_version`;
-- reverse: set sequence for "class_checks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "class_checks";
-- reverse: create "class_checks" table
DROP TABLE `class_checks`;
-- reverse: set sequence for "check_entries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "check_entries";
-- reverse: create "check_entries" table
DROP TABLE `check_entries`;
-- reverse: create index "calendarday_tenant_id_date" to table: "calendar_days"
DROP INDEX `calendarday_tenant_id_date`;
-- reverse: set sequence for "calendar_days" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "calendar_days";
-- reverse: create "calendar_days" table
DROP TABLE `calendar_days`;
