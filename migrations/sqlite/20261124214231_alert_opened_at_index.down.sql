-- reverse: create index "alert_opened_at" to table: "alerts"
DROP INDEX `alert_opened_at`;
