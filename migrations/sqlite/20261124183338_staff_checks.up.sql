-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_staff_groups" table
CREATE TABLE `new_staff_groups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `kind` text NOT NULL DEFAULT ('leader_group'), `tenant_id` integer NOT NULL, CONSTRAINT `staff_groups_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "new_staff_groups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_staff_groups", 55834574848);
-- copy rows from old table "staff_groups" to new temporary table "new_staff_groups"
INSERT INTO `new_staff_groups` (`id`, `name`, `tenant_id`) SELECT `id`, `name`, `tenant_id` FROM `staff_groups`;
-- drop "staff_groups" table after copying rows
DROP TABLE `staff_groups`;
-- rename temporary table "new_staff_groups" to "staff_groups"
ALTER TABLE `new_staff_groups` RENAME TO `staff_groups`;
-- create index "staffgroup_tenant_id_name" to table: "staff_groups"
CREATE UNIQUE INDEX `staffgroup_tenant_id_name` ON `staff_groups` (`tenant_id`, `name`);
-- create "staff_checks" table
CREATE TABLE `staff_checks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `date` text NOT NULL, `session` text NOT NULL, `version` integer NOT NULL, `current` bool NOT NULL DEFAULT (true), `zero_report` bool NOT NULL DEFAULT (false), `enrolled` integer NOT NULL, `present` integer NOT NULL, `absent_illness` integer NOT NULL, `absent_other` integer NOT NULL, `symptomatic` integer NOT NULL, `abnormal_temperature` integer NOT NULL, `submitted_by_id` integer NULL, `submitted_by` text NOT NULL, `submitted_at` datetime NOT NULL, `on_time` bool NOT NULL, `amendment` bool NOT NULL DEFAULT (false), `amend_reason` text NULL, `idempotency_key` text NULL, `content_hash` text NOT NULL, `tenant_id` integer NOT NULL, `staff_group_id` integer NOT NULL, CONSTRAINT `staff_checks_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `staff_checks_staff_groups_staff_group` FOREIGN KEY (`staff_group_id`) REFERENCES `staff_groups` (`id`) ON DELETE NO ACTION);
-- set sequence for "staff_checks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("staff_checks", 103079215104);
-- create index "staffcheck_staff_group_id_date_session_version" to table: "staff_checks"
CREATE UNIQUE INDEX `staffcheck_staff_group_id_date_session_version` ON `staff_checks` (`staff_group_id`, `date`, `session`, `version`);
-- create index "staffcheck_tenant_id_date_session" to table: "staff_checks"
CREATE INDEX `staffcheck_tenant_id_date_session` ON `staff_checks` (`tenant_id`, `date`, `session`);
-- create "staff_check_entries" table
CREATE TABLE `staff_check_entries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `absence_type` text NULL, `symptoms` json NULL, `temperature` real NULL, `doctor_seen` bool NOT NULL DEFAULT (false), `disposition` text NULL, `note` text NULL, `tenant_id` integer NOT NULL, `check_id` integer NOT NULL, `staff_id` integer NOT NULL, CONSTRAINT `staff_check_entries_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `staff_check_entries_staff_checks_check` FOREIGN KEY (`check_id`) REFERENCES `staff_checks` (`id`) ON DELETE NO ACTION, CONSTRAINT `staff_check_entries_staffs_staff` FOREIGN KEY (`staff_id`) REFERENCES `staffs` (`id`) ON DELETE NO ACTION);
-- set sequence for "staff_check_entries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("staff_check_entries", 107374182400);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
