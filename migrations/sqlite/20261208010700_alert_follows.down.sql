-- reverse: create index "alert_upward_decided_at" to table: "alerts"
DROP INDEX `alert_upward_decided_at`;
-- reverse: create index "alert_opened_at" to table: "alerts"
DROP INDEX `alert_opened_at`;
-- reverse: create index "alert_tenant_id_status" to table: "alerts"
DROP INDEX `alert_tenant_id_status`;
-- reverse: create index "alerts_open_key_key" to table: "alerts"
DROP INDEX `alerts_open_key_key`;
-- reverse: set sequence for "new_alerts" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_alerts";
-- reverse: create "new_alerts" table
DROP TABLE `new_alerts`;
