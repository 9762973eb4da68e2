-- drop index "assignments_delegated_from_id_key" from table: "assignments"
DROP INDEX `assignments_delegated_from_id_key`;
