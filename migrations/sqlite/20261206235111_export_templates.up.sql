-- create "export_templates" table
CREATE TABLE `export_templates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `sheet` text NOT NULL, `columns` json NOT NULL, `updated_at` datetime NOT NULL, `tenant_id` integer NOT NULL, CONSTRAINT `export_templates_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "export_templates" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("export_templates", 141733920768);
-- create index "exporttemplate_tenant_id_name" to table: "export_templates"
CREATE UNIQUE INDEX `exporttemplate_tenant_id_name` ON `export_templates` (`tenant_id`, `name`);
