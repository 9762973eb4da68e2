-- create "assignments" table
CREATE TABLE `assignments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `role` text NOT NULL, `node_type` text NOT NULL, `node_id` integer NOT NULL, `deputy` bool NOT NULL DEFAULT (false), `valid_from` datetime NOT NULL, `valid_to` datetime NULL, `created_at` datetime NOT NULL, `tenant_id` integer NOT NULL, `user_id` integer NOT NULL, `delegated_from_id` integer NULL, CONSTRAINT `assignments_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `assignments_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `assignments_assignments_delegated_from` FOREIGN KEY (`delegated_from_id`) REFERENCES `assignments` (`id`) ON DELETE SET NULL);
-- set sequence for "assignments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("assignments", 21474836480);
-- create index "assignments_delegated_from_id_key" to table: "assignments"
CREATE UNIQUE INDEX `assignments_delegated_from_id_key` ON `assignments` (`delegated_from_id`);
-- create index "assignment_tenant_id_user_id" to table: "assignments"
CREATE INDEX `assignment_tenant_id_user_id` ON `assignments` (`tenant_id`, `user_id`);
-- create index "assignment_tenant_id_node_type_node_id" to table: "assignments"
CREATE INDEX `assignment_tenant_id_node_type_node_id` ON `assignments` (`tenant_id`, `node_type`, `node_id`);
-- create "campus" table
CREATE TABLE `campus` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `sort_order` integer NOT NULL DEFAULT (0), `tenant_id` integer NOT NULL, CONSTRAINT `campus_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "campus" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("campus", 25769803776);
-- create index "campus_tenant_id_name" to table: "campus"
CREATE UNIQUE INDEX `campus_tenant_id_name` ON `campus` (`tenant_id`, `name`);
-- create "casbin_rules" table
CREATE TABLE `casbin_rules` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `ptype` text NOT NULL, `v0` text NOT NULL DEFAULT (''), `v1` text NOT NULL DEFAULT (''), `v2` text NOT NULL DEFAULT (''), `v3` text NOT NULL DEFAULT (''), `v4` text NOT NULL DEFAULT (''), `v5` text NOT NULL DEFAULT (''));
-- set sequence for "casbin_rules" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("casbin_rules", 30064771072);
-- create index "casbinrule_ptype_v0_v1_v2_v3_v4_v5" to table: "casbin_rules"
CREATE UNIQUE INDEX `casbinrule_ptype_v0_v1_v2_v3_v4_v5` ON `casbin_rules` (`ptype`, `v0`, `v1`, `v2`, `v3`, `v4`, `v5`);
-- create index "casbinrule_ptype_v2" to table: "casbin_rules"
CREATE INDEX `casbinrule_ptype_v2` ON `casbin_rules` (`ptype`, `v2`);
-- create "classes" table
CREATE TABLE `classes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `sort_order` integer NOT NULL DEFAULT (0), `opened_on` datetime NULL, `closed_on` datetime NULL, `tenant_id` integer NOT NULL, `grade_id` integer NULL, `campus_id` integer NULL, CONSTRAINT `classes_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `classes_grades_grade` FOREIGN KEY (`grade_id`) REFERENCES `grades` (`id`) ON DELETE SET NULL, CONSTRAINT `classes_campus_campus` FOREIGN KEY (`campus_id`) REFERENCES `campus` (`id`) ON DELETE SET NULL);
-- set sequence for "classes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("classes", 34359738368);
-- create index "class_tenant_id_name" to table: "classes"
CREATE UNIQUE INDEX `class_tenant_id_name` ON `classes` (`tenant_id`, `name`);
-- create "enrollments" table
CREATE TABLE `enrollments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `start_on` datetime NOT NULL, `end_on` datetime NULL, `tenant_id` integer NOT NULL, `student_id` integer NOT NULL, `class_id` integer NOT NULL, CONSTRAINT `enrollments_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `enrollments_students_student` FOREIGN KEY (`student_id`) REFERENCES `students` (`id`) ON DELETE NO ACTION, CONSTRAINT `enrollments_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE NO ACTION);
-- set sequence for "enrollments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("enrollments", 38654705664);
-- create "grades" table
CREATE TABLE `grades` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `sort_order` integer NOT NULL DEFAULT (0), `tenant_id` integer NOT NULL, `campus_id` integer NULL, CONSTRAINT `grades_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `grades_campus_campus` FOREIGN KEY (`campus_id`) REFERENCES `campus` (`id`) ON DELETE SET NULL);
-- set sequence for "grades" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("grades", 42949672960);
-- create index "grade_tenant_id_name" to table: "grades"
CREATE UNIQUE INDEX `grade_tenant_id_name` ON `grades` (`tenant_id`, `name`);
-- create "guardians" table
CREATE TABLE `guardians` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `relation` text NOT NULL, `phone` text NOT NULL, `primary_contact` bool NOT NULL DEFAULT (false), `tenant_id` integer NOT NULL, `student_id` integer NOT NULL, CONSTRAINT `guardians_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `guardians_students_student` FOREIGN KEY (`student_id`) REFERENCES `students` (`id`) ON DELETE NO ACTION);
-- set sequence for "guardians" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("guardians", 47244640256);
-- create "staffs" table
CREATE TABLE `staffs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `phone` text NULL, `department` text NULL, `staff_type` text NOT NULL, `status` text NOT NULL DEFAULT ('in_post'), `left_on` datetime NULL, `tenant_id` integer NOT NULL, `user_id` integer NULL, CONSTRAINT `staffs_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `staffs_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "staffs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("staffs", 51539607552);
-- create "staff_groups" table
CREATE TABLE `staff_groups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `tenant_id` integer NOT NULL, CONSTRAINT `staff_groups_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "staff_groups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("staff_groups", 55834574848);
-- create index "staffgroup_tenant_id_name" to table: "staff_groups"
CREATE UNIQUE INDEX `staffgroup_tenant_id_name` ON `staff_groups` (`tenant_id`, `name`);
-- create "students" table
CREATE TABLE `students` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `student_number` text NOT NULL, `gender` text NOT NULL, `birth_date` datetime NULL, `boarder` bool NOT NULL DEFAULT (false), `dorm_room` text NULL, `status` text NOT NULL DEFAULT ('attending'), `created_at` datetime NOT NULL, `tenant_id` integer NOT NULL, `class_id` integer NULL, CONSTRAINT `students_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `students_classes_class` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE SET NULL);
-- set sequence for "students" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("students", 60129542144);
-- create index "student_tenant_id_student_number" to table: "students"
CREATE UNIQUE INDEX `student_tenant_id_student_number` ON `students` (`tenant_id`, `student_number`);
-- create index "student_tenant_id_class_id" to table: "students"
CREATE INDEX `student_tenant_id_class_id` ON `students` (`tenant_id`, `class_id`);
-- create "staff_group_members" table
CREATE TABLE `staff_group_members` (`staff_group_id` integer NOT NULL, `staff_id` integer NOT NULL, PRIMARY KEY (`staff_group_id`, `staff_id`), CONSTRAINT `staff_group_members_staff_group_id` FOREIGN KEY (`staff_group_id`) REFERENCES `staff_groups` (`id`) ON DELETE CASCADE, CONSTRAINT `staff_group_members_staff_id` FOREIGN KEY (`staff_id`) REFERENCES `staffs` (`id`) ON DELETE CASCADE);
