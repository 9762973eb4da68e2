-- reverse: create index "sessions_token_hash_key" to table: "sessions"
DROP INDEX "sessions_token_hash_key";
-- reverse: create index "session_user_id_expires_at" to table: "sessions"
DROP INDEX "session_user_id_expires_at";
-- reverse: create "sessions" table
DROP TABLE "sessions";
-- reverse: create index "users_login_key" to table: "users"
DROP INDEX "users_login_key";
-- reverse: create "users" table
DROP TABLE "users";
-- reverse: create index "api_tokens_token_hash_key" to table: "api_tokens"
DROP INDEX "api_tokens_token_hash_key";
-- reverse: create "api_tokens" table
DROP TABLE "api_tokens";
-- reverse: create index "tenant_parent_id_name" to table: "tenants"
DROP INDEX "tenant_parent_id_name";
-- reverse: create "tenants" table
DROP TABLE "tenants";
-- reverse: create index "auditlog_tenant_id_created_at" to table: "audit_logs"
DROP INDEX "auditlog_tenant_id_created_at";
-- reverse: create index "auditlog_entity_type_entity_id" to table: "audit_logs"
DROP INDEX "auditlog_entity_type_entity_id";
-- reverse: create "audit_logs" table
DROP TABLE "audit_logs";
