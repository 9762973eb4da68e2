-- reverse: create index "exporttemplate_tenant_id_name" to table: "export_templates"
DROP INDEX "exporttemplate_tenant_id_name";
-- reverse: create "export_templates" table
DROP TABLE "export_templates";
