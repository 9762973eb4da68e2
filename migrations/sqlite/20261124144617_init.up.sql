-- create "api_tokens" table
CREATE TABLE `api_tokens` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `prefix` text NOT NULL, `token_hash` blob NOT NULL, `role` text NOT NULL, `created_by_id` integer NULL, `created_at` datetime NOT NULL, `expires_at` datetime NULL, `revoked_at` datetime NULL, `last_used_at` datetime NULL, `tenant_id` integer NOT NULL, CONSTRAINT `api_tokens_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- create index "api_tokens_token_hash_key" to table: "api_tokens"
CREATE UNIQUE INDEX `api_tokens_token_hash_key` ON `api_tokens` (`token_hash`);
-- create "audit_logs" table
CREATE TABLE `audit_logs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `tenant_id` integer NULL, `actor_user_id` integer NULL, `actor_token_id` integer NULL, `actor` text NOT NULL, `entity_type` text NOT NULL, `entity_id` integer NULL, `operation` text NOT NULL, `changes` json NULL, `request_id` text NULL, `created_at` datetime NOT NULL);
-- set sequence for "audit_logs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_logs", 4294967296);
-- create index "auditlog_tenant_id_created_at" to table: "audit_logs"
CREATE INDEX `auditlog_tenant_id_created_at` ON `audit_logs` (`tenant_id`, `created_at`);
-- create index "auditlog_entity_type_entity_id" to table: "audit_logs"
CREATE INDEX `auditlog_entity_type_entity_id` ON `audit_logs` (`entity_type`, `entity_id`);
-- create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `token_hash` blob NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `last_seen_at` datetime NOT NULL, `revoked_at` datetime NULL, `ip` text NULL, `user_agent` text NULL, `user_id` integer NOT NULL, CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sessions", 8589934592);
-- create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- create index "session_user_id_expires_at" to table: "sessions"
CREATE INDEX `session_user_id_expires_at` ON `sessions` (`user_id`, `expires_at`);
-- create "tenants" table
CREATE TABLE `tenants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `code` text NULL, `kind` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `timezone` text NOT NULL DEFAULT ('Asia/Shanghai'), `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deactivated_at` datetime NULL, `parent_id` integer NULL, CONSTRAINT `tenants_tenants_children` FOREIGN KEY (`parent_id`) REFERENCES `tenants` (`id`) ON DELETE SET NULL);
-- set sequence for "tenants" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("tenants", 12884901888);
-- create index "tenant_parent_id_name" to table: "tenants"
CREATE UNIQUE INDEX `tenant_parent_id_name` ON `tenants` (`parent_id`, `name`);
-- create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `login` text NOT NULL, `display_name` text NOT NULL, `phone` text NULL, `role` text NOT NULL, `password_hash` text NOT NULL, `must_change_password` bool NOT NULL DEFAULT (false), `active` bool NOT NULL DEFAULT (true), `last_login_at` datetime NULL, `password_changed_at` datetime NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `tenant_id` integer NULL, CONSTRAINT `users_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE SET NULL);
-- set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 17179869184);
-- create index "users_login_key" to table: "users"
CREATE UNIQUE INDEX `users_login_key` ON `users` (`login`);
