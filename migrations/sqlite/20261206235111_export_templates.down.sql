-- reverse: create index "exporttemplate_tenant_id_name" to table: "export_templates"
DROP INDEX `exporttemplate_tenant_id_name`;
-- reverse: set sequence for "export_templates" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "export_templates";
-- reverse: create "export_templates" table
DROP TABLE `export_templates`;
