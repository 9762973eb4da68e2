-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_daily_reports" table
CREATE TABLE `new_daily_reports` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `date` text NOT NULL, `version` integer NOT NULL, `current` bool NOT NULL DEFAULT (true), `amended` bool NOT NULL DEFAULT (false), `amend_reason` text NULL, `cut_off` datetime NOT NULL, `compiled_at` datetime NOT NULL, `zero_report` bool NOT NULL DEFAULT (false), `figures` json NOT NULL, `rows` json NOT NULL, `lineage` json NOT NULL, `lineage_hash` text NOT NULL, `source_rows` integer NOT NULL, `attested_at` datetime NULL, `attested_by` text NULL, `attested_on_time` bool NULL, `attest_note` text NULL, `tenant_id` integer NOT NULL, `attested_by_id` integer NULL, CONSTRAINT `daily_reports_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION, CONSTRAINT `daily_reports_users_attester` FOREIGN KEY (`attested_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "new_daily_reports" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_daily_reports", 115964116992);
-- copy rows from old table "daily_reports" to new temporary table "new_daily_reports"
INSERT INTO `new_daily_reports` (`id`, `kind`, `date`, `version`, `current`, `amended`, `amend_reason`, `cut_off`, `compiled_at`, `zero_report`, `figures`, `rows`, `lineage`, `lineage_hash`, `source_rows`, `tenant_id`) SELECT `id`, `kind`, `date`, `version`, `current`, `amended`, `amend_reason`, `cut_off`, `compiled_at`, `zero_report`, `figures`, `rows`, `lineage`, `lineage_hash`, `source_rows`, `tenant_id` FROM `daily_reports`;
-- drop "daily_reports" table after copying rows
DROP TABLE `daily_reports`;
-- rename temporary table "new_daily_reports" to "daily_reports"
ALTER TABLE `new_daily_reports` RENAME TO `daily_reports`;
-- create index "dailyreport_tenant_id_kind_date_version" to table: "daily_reports"
CREATE UNIQUE INDEX `dailyreport_tenant_id_kind_date_version` ON `daily_reports` (`tenant_id`, `kind`, `date`, `version`);
-- create index "dailyreport_date_current" to table: "daily_reports"
CREATE INDEX `dailyreport_date_current` ON `daily_reports` (`date`, `current`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
