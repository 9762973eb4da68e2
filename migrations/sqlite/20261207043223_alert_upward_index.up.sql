-- create index "alert_upward_decided_at" to table: "alerts"
CREATE INDEX `alert_upward_decided_at` ON `alerts` (`upward_decided_at`);
