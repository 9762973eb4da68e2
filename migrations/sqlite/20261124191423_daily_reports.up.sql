-- create index "classcheck_date_tenant_id" to table: "class_checks"
CREATE INDEX `classcheck_date_tenant_id` ON `class_checks` (`date`, `tenant_id`);
-- add column "report_cutoff" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `report_cutoff` text NULL;
-- add column "district_cutoff" to table: "check_settings"
ALTER TABLE `check_settings` ADD COLUMN `district_cutoff` text NULL;
-- create index "staffcheck_date_tenant_id" to table: "staff_checks"
CREATE INDEX `staffcheck_date_tenant_id` ON `staff_checks` (`date`, `tenant_id`);
-- create "daily_reports" table
CREATE TABLE `daily_reports` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `date` text NOT NULL, `version` integer NOT NULL, `current` bool NOT NULL DEFAULT (true), `amended` bool NOT NULL DEFAULT (false), `amend_reason` text NULL, `cut_off` datetime NOT NULL, `compiled_at` datetime NOT NULL, `zero_report` bool NOT NULL DEFAULT (false), `figures` json NOT NULL, `rows` json NOT NULL, `lineage` json NOT NULL, `lineage_hash` text NOT NULL, `source_rows` integer NOT NULL, `tenant_id` integer NOT NULL, CONSTRAINT `daily_reports_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- set sequence for "daily_reports" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("daily_reports", 115964116992);
-- create index "dailyreport_tenant_id_kind_date_version" to table: "daily_reports"
CREATE UNIQUE INDEX `dailyreport_tenant_id_kind_date_version` ON `daily_reports` (`tenant_id`, `kind`, `date`, `version`);
-- create index "dailyreport_date_current" to table: "daily_reports"
CREATE INDEX `dailyreport_date_current` ON `daily_reports` (`date`, `current`);
