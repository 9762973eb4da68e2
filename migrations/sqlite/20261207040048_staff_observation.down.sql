-- reverse: create index "observationstay_status_in_at" to table: "observation_stays"
DROP INDEX `observationstay_status_in_at`;
-- reverse: create index "observationstay_tenant_id_date" to table: "observation_stays"
DROP INDEX `observationstay_tenant_id_date`;
-- reverse: create index "observationstay_tenant_id_status" to table: "observation_stays"
DROP INDEX `observationstay_tenant_id_status`;
-- reverse: create index "observation_stays_open_key_key" to table: "observation_stays"
DROP INDEX `observation_stays_open_key_key`;
-- reverse: set sequence for "new_observation_stays" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_observation_stays";
-- reverse: create "new_observation_stays" table
DROP TABLE `new_observation_stays`;
