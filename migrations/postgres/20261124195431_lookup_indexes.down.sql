-- reverse: create index "staffcheckentry_staff_id" to table: "staff_check_entries"
DROP INDEX "staffcheckentry_staff_id";
-- reverse: create index "staffcheckentry_check_id" to table: "staff_check_entries"
DROP INDEX "staffcheckentry_check_id";
-- reverse: create index "checkentry_student_id" to table: "check_entries"
DROP INDEX "checkentry_student_id";
-- reverse: create index "checkentry_check_id" to table: "check_entries"
DROP INDEX "checkentry_check_id";
-- reverse: create index "assignment_user_id" to table: "assignments"
DROP INDEX "assignment_user_id";
