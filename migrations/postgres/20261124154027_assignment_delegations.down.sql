-- reverse: modify "assignments" table
ALTER TABLE "assignments" DROP CONSTRAINT "assignments_assignments_delegations", ADD CONSTRAINT "assignments_assignments_delegated_from" FOREIGN KEY ("delegated_from_id") REFERENCES "assignments" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- reverse: drop index "assignments_delegated_from_id_key" from table: "assignments"
CREATE UNIQUE INDEX "assignments_delegated_from_id_key" ON "assignments" ("delegated_from_id");
