-- create index "alert_opened_at" to table: "alerts"
CREATE INDEX `alert_opened_at` ON `alerts` (`opened_at`);
