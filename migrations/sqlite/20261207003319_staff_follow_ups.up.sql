-- create "staff_follow_ups" table
CREATE TABLE `staff_follow_ups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `date` text NOT NULL, `symptoms` json NULL, `due_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('open'), `outcome` text NOT NULL DEFAULT ('unknown'), `diagnosis` text NULL, `note` text NULL, `symptoms_ended_at` datetime NULL, `clearance` text NOT NULL DEFAULT ('not_required'), `earliest_return_at` datetime NULL, `certificate_seen` bool NOT NULL DEFAULT (false), `cleared_by_id` integer NULL, `cleared_at` datetime NULL, `verified_at` datetime NULL, `verified_by_id` integer NULL, `created_at` datetime NOT NULL, `tenant_id` integer NOT NULL, `staff_id` integer NOT NULL, `staff_group_id` integer NOT NULL, CONSTRAINT `staff_follow_ups_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `staff_follow_ups_staffs_staff` FOREIGN KEY (`staff_id`) REFERENCES `staffs` (`id`) ON DELETE NO ACTION, CONSTRAINT `staff_follow_ups_staff_groups_staff_group` FOREIGN KEY (`staff_group_id`) REFERENCES `staff_groups` (`id`) ON DELETE NO ACTION);
-- set sequence for "staff_follow_ups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("staff_follow_ups", 146028888064);
-- create index "stafffollowup_staff_id_date" to table: "staff_follow_ups"
CREATE UNIQUE INDEX `stafffollowup_staff_id_date` ON `staff_follow_ups` (`staff_id`, `date`);
-- create index "stafffollowup_tenant_id_status" to table: "staff_follow_ups"
CREATE INDEX `stafffollowup_tenant_id_status` ON `staff_follow_ups` (`tenant_id`, `status`);
