-- create "calendar_days" table
CREATE TABLE `calendar_days` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `date` text NOT NULL, `kind` text NOT NULL, `note` text NULL, `tenant_id` integer NOT NULL, CONSTRAINT `calendar_days_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "calendar_days" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("calendar_days", 64424509440);
-- create index "calendarday_tenant_id_date" to table: "calendar_days"
CREATE UNIQUE INDEX `calendarday_tenant_id_date` ON `calendar_days` (`tenant_id`, `date`);
-- create "check_entries" table
CREATE TABLE `check_entries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `absence_type` text NULL, `symptoms` json NULL, `temperature` real NULL, `doctor_seen` bool NOT NULL DEFAULT (false), `disposition` text NULL, `note` text NULL, `tenant_id` integer NOT NULL, `check_id` integer NOT NULL, `student_id` integer NOT NULL, CONSTRAINT `check_entries_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `check_entries_class_checks_check` FOREIGN KEY (`check_id`) REFERENCES `class_checks` (`id`) ON DELETE NO ACTION, CONSTRAINT `check_entries_students_student` FOREIGN KEY (`student_id`) REFERENCES `students` (`id`) ON DELETE NO ACTION);
-- set sequence for "check_entries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("check_entries", 68719476736);
-- create "class_checks" table
CREATE TABLE `class_checks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `date` text NOT NULL, `session` text NOT NULL, `version` integer NOT NULL, `current` bool NOT NULL DEFAULT (true), `zero_report` bool NOT NULL DEFAULT (false), `enrolled` integer NOT NULL, `present` integer NOT NULL, `absent_illness` integer NOT NULL, `absent_other` integer NOT NULL, `symptomatic` integer NOT NULL, `abnormal_temperature` integer NOT NULL, `submitted_by_id` integer NULL, `submitted_by` text NOT NULL, `submitted_at` datetime NOT NULL, `on_time` bool NOT NULL, `amendment` bool NOT NULL DEFAULT (false), `amend_reason` text NULL, `idempotency_key` text NULL, `content_hash` text NOT NULL, `tenant_id` integer NOT NULL, `class_id` integer NOT NULL, CONSTRAINT `class_checks_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `class_checks_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE NO ACTION);
-- set sequence for "class_checks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("class_checks", 73014444032);
-- create index "classcheck_class_id_date_session_version" to table: "class_checks"
CREATE UNIQUE INDEX `classcheck_class_id_date_session_version` ON `class_checks` (`class_id`, `date`, `session`, `version`);
-- create index "classcheck_tenant_id_date_session" to table: "class_checks"
CREATE INDEX `classcheck_tenant_id_date_session` ON `class_checks` (`tenant_id`, `date`, `session`);
-- create "exemptions" table
CREATE TABLE `exemptions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `date` text NOT NULL, `session` text NULL, `reason` text NOT NULL, `note` text NULL, `exempted_by_id` integer NULL, `created_at` datetime NOT NULL, `tenant_id` integer NOT NULL, `class_id` integer NOT NULL, CONSTRAINT `exemptions_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `exemptions_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE NO ACTION);
-- set sequence for "exemptions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("exemptions", 77309411328);
-- create index "exemption_tenant_id_date" to table: "exemptions"
CREATE INDEX `exemption_tenant_id_date` ON `exemptions` (`tenant_id`, `date`);
-- create index "exemption_class_id_date" to table: "exemptions"
CREATE INDEX `exemption_class_id_date` ON `exemptions` (`class_id`, `date`);
-- create "terms" table
CREATE TABLE `terms` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `start_date` text NOT NULL, `end_date` text NOT NULL, `tenant_id` integer NOT NULL, CONSTRAINT `terms_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "terms" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("terms", 81604378624);
