-- create index "guardian_student_id_phone" to table: "guardians"
CREATE UNIQUE INDEX `guardian_student_id_phone` ON `guardians` (`student_id`, `phone`);
