-- drop index "assignments_delegated_from_id_key" from table: "assignments"
DROP INDEX "assignments_delegated_from_id_key";
-- modify "assignments" table
ALTER TABLE "assignments" DROP CONSTRAINT "assignments_assignments_delegated_from", ADD CONSTRAINT "assignments_assignments_delegations" FOREIGN KEY ("delegated_from_id") REFERENCES "assignments" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
