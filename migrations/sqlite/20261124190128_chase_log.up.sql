-- add column "chase_ladder" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `chase_ladder` json NULL;
-- add column "kind_ladders" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `kind_ladders` json NULL;
-- create "chase_logs" table
CREATE TABLE `chase_logs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `date` text NOT NULL, `session` text NOT NULL, `step` integer NOT NULL, `offset_minutes` integer NOT NULL, `due_at` datetime NOT NULL, `fired_at` datetime NOT NULL, `audiences` json NULL, `recipient_ids` json NULL, `recipients` json NULL, `notification_ids` json NULL, `outcome` text NOT NULL, `error` text NULL, `tenant_id` integer NOT NULL, `class_id` integer NOT NULL, CONSTRAINT `chase_logs_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `chase_logs_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE NO ACTION);
-- set sequence for "chase_logs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("chase_logs", 111669149696);
-- create index "chaselog_class_id_date_session_step" to table: "chase_logs"
CREATE UNIQUE INDEX `chaselog_class_id_date_session_step` ON `chase_logs` (`class_id`, `date`, `session`, `step`);
-- create index "chaselog_tenant_id_date" to table: "chase_logs"
CREATE INDEX `chaselog_tenant_id_date` ON `chase_logs` (`tenant_id`, `date`);
