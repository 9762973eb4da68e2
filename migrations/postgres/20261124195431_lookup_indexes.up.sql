-- create index "assignment_user_id" to table: "assignments"
CREATE INDEX "assignment_user_id" ON "assignments" ("user_id");
-- create index "checkentry_check_id" to table: "check_entries"
CREATE INDEX "checkentry_check_id" ON "check_entries" ("check_id");
-- create index "checkentry_student_id" to table: "check_entries"
CREATE INDEX "checkentry_student_id" ON "check_entries" ("student_id");
-- create index "staffcheckentry_check_id" to table: "staff_check_entries"
CREATE INDEX "staffcheckentry_check_id" ON "staff_check_entries" ("check_id");
-- create index "staffcheckentry_staff_id" to table: "staff_check_entries"
CREATE INDEX "staffcheckentry_staff_id" ON "staff_check_entries" ("staff_id");
