-- create "deliveries" table
CREATE TABLE `deliveries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `channel` text NOT NULL, `address` text NULL, `template` text NOT NULL, `dedupe_key` text NOT NULL, `ref` text NULL, `locale` text NOT NULL DEFAULT ('zh-CN'), `subject` text NOT NULL, `body` text NOT NULL, `status` text NOT NULL DEFAULT ('pending'), `attempts` integer NOT NULL DEFAULT (0), `last_error` text NULL, `not_before` datetime NULL, `queued_at` datetime NULL, `sent_at` datetime NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `tenant_id` integer NOT NULL, `notification_id` integer NULL, `robot_id` integer NULL, CONSTRAINT `deliveries_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `deliveries_notifications_notification` FOREIGN KEY (`notification_id`) REFERENCES `notifications` (`id`) ON DELETE SET NULL, CONSTRAINT `deliveries_robot_webhooks_robot` FOREIGN KEY (`robot_id`) REFERENCES `robot_webhooks` (`id`) ON DELETE SET NULL);
-- set sequence for "deliveries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("deliveries", 120259084288);
-- create index "delivery_notification_id_channel" to table: "deliveries"
CREATE UNIQUE INDEX `delivery_notification_id_channel` ON `deliveries` (`notification_id`, `channel`);
-- create index "delivery_robot_id_dedupe_key" to table: "deliveries"
CREATE UNIQUE INDEX `delivery_robot_id_dedupe_key` ON `deliveries` (`robot_id`, `dedupe_key`);
-- create index "delivery_status_created_at" to table: "deliveries"
CREATE INDEX `delivery_status_created_at` ON `deliveries` (`status`, `created_at`);
-- create index "delivery_tenant_id_created_at" to table: "deliveries"
CREATE INDEX `delivery_tenant_id_created_at` ON `deliveries` (`tenant_id`, `created_at`);
-- create "notifications" table
CREATE TABLE `notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `template` text NOT NULL, `dedupe_key` text NOT NULL, `ref` text NULL, `locale` text NOT NULL DEFAULT ('zh-CN'), `subject` text NOT NULL, `body` text NOT NULL, `read_at` datetime NULL, `created_at` datetime NOT NULL, `tenant_id` integer NOT NULL, `recipient_id` integer NOT NULL, CONSTRAINT `notifications_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `notifications_users_recipient` FOREIGN KEY (`recipient_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "notifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notifications", 124554051584);
-- create index "notification_recipient_id_dedupe_key" to table: "notifications"
CREATE UNIQUE INDEX `notification_recipient_id_dedupe_key` ON `notifications` (`recipient_id`, `dedupe_key`);
-- create index "notification_recipient_id_read_at" to table: "notifications"
CREATE INDEX `notification_recipient_id_read_at` ON `notifications` (`recipient_id`, `read_at`);
-- create "notification_preferences" table
CREATE TABLE `notification_preferences` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `channels` json NULL, `locale` text NOT NULL DEFAULT ('zh-CN'), `email` text NULL, `mobile` text NULL, `quiet_start` text NULL, `quiet_end` text NULL, `updated_at` datetime NOT NULL, `tenant_id` integer NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `notification_preferences_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `notification_preferences_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "notification_preferences" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notification_preferences", 128849018880);
-- create index "notificationpreference_user_id" to table: "notification_preferences"
CREATE UNIQUE INDEX `notificationpreference_user_id` ON `notification_preferences` (`user_id`);
-- create "robot_webhooks" table
CREATE TABLE `robot_webhooks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `kind` text NOT NULL, `url` text NOT NULL, `secret` text NULL, `url_hint` text NULL, `locale` text NOT NULL DEFAULT ('zh-CN'), `enabled` bool NOT NULL DEFAULT (true), `created_at` datetime NOT NULL, `tenant_id` integer NOT NULL, CONSTRAINT `robot_webhooks_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "robot_webhooks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("robot_webhooks", 133143986176);
-- create index "robotwebhook_tenant_id_name" to table: "robot_webhooks"
CREATE UNIQUE INDEX `robotwebhook_tenant_id_name` ON `robot_webhooks` (`tenant_id`, `name`);
