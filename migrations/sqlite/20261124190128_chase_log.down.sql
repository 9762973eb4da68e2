-- reverse: create index "chaselog_tenant_id_date" to table: "chase_logs"
DROP INDEX `chaselog_tenant_id_date`;
-- reverse: create index "chaselog_class_id_date_session_step" to table: "chase_logs"
DROP INDEX `chaselog_class_id_date_session_step`;
-- reverse: set sequence for "chase_logs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "chase_logs";
-- reverse: create "chase_logs" table
DROP TABLE `chase_logs`;
-- reverse: add column "kind_ladders" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `kind_ladders`;
-- reverse: add column "chase_ladder" to table: "check_settings"
ALTER TABLE `check_settings` DROP COLUMN `chase_ladder`;
