-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_alerts" table
CREATE TABLE `new_alerts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `dorm_room` text NULL, `rule` text NOT NULL, `symptom_group` text NULL, `status` text NOT NULL DEFAULT ('open'), `open_key` text NULL, `opened_at` datetime NOT NULL, `report_by` datetime NULL, `cases` integer NOT NULL DEFAULT (1), `student_ids` json NULL, `staff_ids` json NULL, `date` text NOT NULL, `disposition` text NULL, `cdc_contacted_at` datetime NULL, `cdc_contact` text NULL, `acknowledged_by_id` integer NULL, `acknowledged_at` datetime NULL, `closed_by_id` integer NULL, `closed_at` datetime NULL, `upward` text NULL, `upward_note` text NULL, `upward_decided_by_id` integer NULL, `upward_decided_at` datetime NULL, `tenant_id` integer NOT NULL, `class_id` integer NULL, `follows_id` integer NULL, CONSTRAINT `alerts_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `alerts_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE SET NULL, CONSTRAINT `alerts_alerts_continuations` FOREIGN KEY (`follows_id`) REFERENCES `alerts` (`id`) ON DELETE SET NULL);
-- set sequence for "new_alerts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_alerts", 85899345920);
-- copy rows from old table "alerts" to new temporary table "new_alerts"
INSERT INTO `new_alerts` (`id`, `dorm_room`, `rule`, `symptom_group`, `status`, `open_key`, `opened_at`, `report_by`, `cases`, `student_ids`, `staff_ids`, `date`, `disposition`, `cdc_contacted_at`, `cdc_contact`, `acknowledged_by_id`, `acknowledged_at`, `closed_by_id`, `closed_at`, `upward`, `upward_note`, `upward_decided_by_id`, `upward_decided_at`, `tenant_id`, `class_id`) SELECT `id`, `dorm_room`, `rule`, `symptom_group`, `status`, `open_key`, `opened_at`, `report_by`, `cases`, `student_ids`, `staff_ids`, `date`, `disposition`, `cdc_contacted_at`, `cdc_contact`, `acknowledged_by_id`, `acknowledged_at`, `closed_by_id`, `closed_at`, `upward`, `upward_note`, `upward_decided_by_id`, `upward_decided_at`, `tenant_id`, `class_id` FROM `alerts`;
-- drop "alerts" table after copying rows
DROP TABLE `alerts`;
-- rename temporary table "new_alerts" to "alerts"
ALTER TABLE `new_alerts` RENAME TO `alerts`;
-- create index "alerts_open_key_key" to table: "alerts"
CREATE UNIQUE INDEX `alerts_open_key_key` ON `alerts` (`open_key`);
-- create index "alert_tenant_id_status" to table: "alerts"
CREATE INDEX `alert_tenant_id_status` ON `alerts` (`tenant_id`, `status`);
-- create index "alert_opened_at" to table: "alerts"
CREATE INDEX `alert_opened_at` ON `alerts` (`opened_at`);
-- create index "alert_upward_decided_at" to table: "alerts"
CREATE INDEX `alert_upward_decided_at` ON `alerts` (`upward_decided_at`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
