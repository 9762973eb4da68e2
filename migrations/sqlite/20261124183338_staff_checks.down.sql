-- reverse: set sequence for "staff_check_entries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "staff_check_entries";
-- reverse: create "staff_check_entries" table
DROP TABLE `staff_check_entries`;
-- reverse: create index "staffcheck_tenant_id_date_session" to table: "staff_checks"
DROP INDEX `staffcheck_tenant_id_date_session`;
-- reverse: create index "staffcheck_staff_group_id_date_session_version" to table: "staff_checks"
DROP INDEX `staffcheck_staff_group_id_date_session_version`;
-- reverse: set sequence for "staff_checks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "staff_checks";
-- reverse: create "staff_checks" table
DROP TABLE `staff_checks`;
-- reverse: create index "staffgroup_tenant_id_name" to table: "staff_groups"
DROP INDEX `staffgroup_tenant_id_name`;
-- reverse: set sequence for "new_staff_groups" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_staff_groups";
-- reverse: create "new_staff_groups" table
DROP TABLE `new_staff_groups`;
