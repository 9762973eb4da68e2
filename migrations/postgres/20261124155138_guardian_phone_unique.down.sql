-- reverse: create index "guardian_student_id_phone" to table: "guardians"
DROP INDEX "guardian_student_id_phone";
