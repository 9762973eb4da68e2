-- reverse: drop index "assignments_delegated_from_id_key" from table: "assignments"
CREATE UNIQUE INDEX `assignments_delegated_from_id_key` ON `assignments` (`delegated_from_id`);
