-- reverse: create index "users_login_key" to table: "users"
DROP INDEX `users_login_key`;
-- reverse: set sequence for "users" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "users";
-- reverse: create "users" table
DROP TABLE `users`;
-- reverse: create index "tenant_parent_id_name" to table: "tenants"
DROP INDEX `tenant_parent_id_name`;
-- reverse: set sequence for "tenants" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "tenants";
-- reverse: create "tenants" table
DROP TABLE `tenants`;
-- reverse: create index "session_user_id_expires_at" to table: "sessions"
DROP INDEX `session_user_id_expires_at`;
-- reverse: create index "sessions_token_hash_key" to table: "sessions"
DROP INDEX `sessions_token_hash_key`;
-- reverse: set sequence for "sessions" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "sessions";
-- reverse: create "sessions" table
DROP TABLE `sessions`;
-- reverse: create index "auditlog_entity_type_entity_id" to table: "audit_logs"
DROP INDEX `auditlog_entity_type_entity_id`;
-- reverse: create index "auditlog_tenant_id_created_at" to table: "audit_logs"
DROP INDEX `auditlog_tenant_id_created_at`;
-- reverse: set sequence for "audit_logs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "audit_logs";
-- reverse: create "audit_logs" table
DROP TABLE `audit_logs`;
-- reverse: create index "api_tokens_token_hash_key" to table: "api_tokens"
DROP INDEX `api_tokens_token_hash_key`;
-- reverse: create "api_tokens" table
DROP TABLE `api_tokens`;
