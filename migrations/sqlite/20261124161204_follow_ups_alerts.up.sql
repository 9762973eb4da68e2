-- create "alerts" table
CREATE TABLE `alerts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `rule` text NOT NULL, `symptom_group` text NULL, `status` text NOT NULL DEFAULT ('open'), `open_key` text NULL, `opened_at` datetime NOT NULL, `report_by` datetime NULL, `cases` integer NOT NULL DEFAULT (1), `student_ids` json NULL, `date` text NOT NULL, `disposition` text NULL, `cdc_contacted_at` datetime NULL, `cdc_contact` text NULL, `acknowledged_by_id` integer NULL, `acknowledged_at` datetime NULL, `closed_by_id` integer NULL, `closed_at` datetime NULL, `tenant_id` integer NOT NULL, `class_id` integer NULL, CONSTRAINT `alerts_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `alerts_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE SET NULL);
-- set sequence for "alerts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("alerts", 85899345920);
-- create index "alerts_open_key_key" to table: "alerts"
CREATE UNIQUE INDEX `alerts_open_key_key` ON `alerts` (`open_key`);
-- create index "alert_tenant_id_status" to table: "alerts"
CREATE INDEX `alert_tenant_id_status` ON `alerts` (`tenant_id`, `status`);
-- create "follow_ups" table
CREATE TABLE `follow_ups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `date` text NOT NULL, `symptoms` json NULL, `due_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('open'), `outcome` text NOT NULL DEFAULT ('unknown'), `diagnosis` text NULL, `symptoms_ended_at` datetime NULL, `clearance` text NOT NULL DEFAULT ('not_required'), `earliest_return_at` datetime NULL, `certificate_seen` bool NOT NULL DEFAULT (false), `cleared_by_id` integer NULL, `cleared_at` datetime NULL, `created_at` datetime NOT NULL, `tenant_id` integer NOT NULL, `student_id` integer NOT NULL, `class_id` integer NOT NULL, CONSTRAINT `follow_ups_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `follow_ups_students_student` FOREIGN KEY (`student_id`) REFERENCES `students` (`id`) ON DELETE NO ACTION, CONSTRAINT `follow_ups_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE NO ACTION);
-- set sequence for "follow_ups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("follow_ups", 90194313216);
-- create index "followup_student_id_date" to table: "follow_ups"
CREATE UNIQUE INDEX `followup_student_id_date` ON `follow_ups` (`student_id`, `date`);
-- create index "followup_tenant_id_status" to table: "follow_ups"
CREATE INDEX `followup_tenant_id_status` ON `follow_ups` (`tenant_id`, `status`);
-- create "follow_up_steps" table
CREATE TABLE `follow_up_steps` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `by` text NOT NULL, `outcome` text NOT NULL, `note` text NULL, `tenant_id` integer NOT NULL, `follow_up_id` integer NOT NULL, CONSTRAINT `follow_up_steps_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `follow_up_steps_follow_ups_follow_up` FOREIGN KEY (`follow_up_id`) REFERENCES `follow_ups` (`id`) ON DELETE NO ACTION);
-- set sequence for "follow_up_steps" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("follow_up_steps", 94489280512);
