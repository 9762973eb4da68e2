-- reverse: create index "checksetting_tenant_id" to table: "check_settings"
DROP INDEX "checksetting_tenant_id";
-- reverse: create "check_settings" table
DROP TABLE "check_settings";
