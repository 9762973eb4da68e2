-- reverse: set sequence for "follow_up_steps" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "follow_up_steps";
-- reverse: create "follow_up_steps" table
DROP TABLE `follow_up_steps`;
-- reverse: create index "followup_tenant_id_status" to table: "follow_ups"
DROP INDEX `followup_tenant_id_status`;
-- reverse: create index "followup_student_id_date" to table: "follow_ups"
DROP INDEX `followup_student_id_date`;
-- reverse: set sequence for "follow_ups" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "follow_ups";
-- reverse: create "follow_ups" table
DROP TABLE `follow_ups`;
-- reverse: create index "alert_tenant_id_status" to table: "alerts"
DROP INDEX `alert_tenant_id_status`;
-- reverse: create index "alerts_open_key_key" to table: "alerts"
DROP INDEX `alerts_open_key_key`;
-- reverse: set sequence for "alerts" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "alerts";
-- reverse: create "alerts" table
DROP TABLE `alerts`;
