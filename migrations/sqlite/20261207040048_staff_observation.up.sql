-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_observation_stays" table
CREATE TABLE `new_observation_stays` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `date` text NOT NULL, `check_id` integer NULL, `symptoms` json NULL, `temperature` real NULL, `reason` text NOT NULL DEFAULT ('symptoms'), `note` text NULL, `opened_by_id` integer NULL, `in_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('open'), `open_key` text NULL, `readings` json NULL, `parent_notified_at` datetime NULL, `outcome` text NULL, `handed_over_to` text NULL, `out_at` datetime NULL, `closed_by_id` integer NULL, `tenant_id` integer NOT NULL, `student_id` integer NULL, `class_id` integer NULL, `staff_id` integer NULL, `staff_group_id` integer NULL, CONSTRAINT `observation_stays_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `observation_stays_students_student` FOREIGN KEY (`student_id`) REFERENCES `students` (`id`) ON DELETE SET NULL, CONSTRAINT `observation_stays_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE SET NULL, CONSTRAINT `observation_stays_staffs_staff` FOREIGN KEY (`staff_id`) REFERENCES `staffs` (`id`) ON DELETE SET NULL, CONSTRAINT `observation_stays_staff_groups_staff_group` FOREIGN KEY (`staff_group_id`) REFERENCES `staff_groups` (`id`) ON DELETE SET NULL);
-- set sequence for "new_observation_stays" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_observation_stays", 137438953472);
-- copy rows from old table "observation_stays" to new temporary table "new_observation_stays"
INSERT INTO `new_observation_stays` (`id`, `date`, `check_id`, `symptoms`, `temperature`, `reason`, `note`, `opened_by_id`, `in_at`, `status`, `open_key`, `readings`, `parent_notified_at`, `outcome`, `handed_over_to`, `out_at`, `closed_by_id`, `tenant_id`, `student_id`, `class_id`) SELECT `id`, `date`, `check_id`, `symptoms`, `temperature`, `reason`, `note`, `opened_by_id`, `in_at`, `status`, `open_key`, `readings`, `parent_notified_at`, `outcome`, `handed_over_to`, `out_at`, `closed_by_id`, `tenant_id`, `student_id`, `class_id` FROM `observation_stays`;
-- drop "observation_stays" table after copying rows
DROP TABLE `observation_stays`;
-- rename temporary table "new_observation_stays" to "observation_stays"
ALTER TABLE `new_observation_stays` RENAME TO `observation_stays`;
-- create index "observation_stays_open_key_key" to table: "observation_stays"
CREATE UNIQUE INDEX `observation_stays_open_key_key` ON `observation_stays` (`open_key`);
-- create index "observationstay_tenant_id_status" to table: "observation_stays"
CREATE INDEX `observationstay_tenant_id_status` ON `observation_stays` (`tenant_id`, `status`);
-- create index "observationstay_tenant_id_date" to table: "observation_stays"
CREATE INDEX `observationstay_tenant_id_date` ON `observation_stays` (`tenant_id`, `date`);
-- create index "observationstay_status_in_at" to table: "observation_stays"
CREATE INDEX `observationstay_status_in_at` ON `observation_stays` (`status`, `in_at`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
