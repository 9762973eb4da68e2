-- create "check_settings" table
CREATE TABLE `check_settings` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sessions` json NULL, `morning_deadline` text NULL, `noon_deadline` text NULL, `evening_deadline` text NULL, `full_day_deadline` text NULL, `fever_threshold` real NULL, `cluster_day` integer NULL, `cluster_window` integer NULL, `cluster_window_days` integer NULL, `report_within_minutes` integer NULL, `follow_up_due` text NULL, `return_after_fever_hours` integer NULL, `return_after_gastro_hours` integer NULL, `notifiable_needs_certificate` bool NULL, `updated_at` datetime NOT NULL, `tenant_id` integer NOT NULL, CONSTRAINT `check_settings_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "check_settings" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("check_settings", 98784247808);
-- create index "checksetting_tenant_id" to table: "check_settings"
CREATE UNIQUE INDEX `checksetting_tenant_id` ON `check_settings` (`tenant_id`);
