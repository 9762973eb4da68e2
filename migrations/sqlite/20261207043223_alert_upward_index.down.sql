-- reverse: create index "alert_upward_decided_at" to table: "alerts"
DROP INDEX `alert_upward_decided_at`;
