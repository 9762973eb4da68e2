-- reverse: create index "checksetting_tenant_id" to table: "check_settings"
DROP INDEX `checksetting_tenant_id`;
-- reverse: set sequence for "check_settings" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "check_settings";
-- reverse: create "check_settings" table
DROP TABLE `check_settings`;
