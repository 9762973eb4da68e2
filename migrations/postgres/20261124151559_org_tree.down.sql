-- reverse: create "staff_group_members" table
DROP TABLE "staff_group_members";
-- reverse: create "staffs" table
DROP TABLE "staffs";
-- reverse: create index "staffgroup_tenant_id_name" to table: "staff_groups"
DROP INDEX "staffgroup_tenant_id_name";
-- reverse: create "staff_groups" table
DROP TABLE "staff_groups";
-- reverse: create "guardians" table
DROP TABLE "guardians";
-- reverse: create "enrollments" table
DROP TABLE "enrollments";
-- reverse: create index "student_tenant_id_student_number" to table: "students"
DROP INDEX "student_tenant_id_student_number";
-- reverse: create index "student_tenant_id_class_id" to table: "students"
DROP INDEX "student_tenant_id_class_id";
-- reverse: create "students" table
DROP TABLE "students";
-- reverse: create index "class_tenant_id_name" to table: "classes"
DROP INDEX "class_tenant_id_name";
-- reverse: create "classes" table
DROP TABLE "classes";
-- reverse: create index "grade_tenant_id_name" to table: "grades"
DROP INDEX "grade_tenant_id_name";
-- reverse: create "grades" table
DROP TABLE "grades";
-- reverse: create index "campus_tenant_id_name" to table: "campus"
DROP INDEX "campus_tenant_id_name";
-- reverse: create "campus" table
DROP TABLE "campus";
-- reverse: create index "assignments_delegated_from_id_key" to table: "assignments"
DROP INDEX "assignments_delegated_from_id_key";
-- reverse: create index "assignment_tenant_id_user_id" to table: "assignments"
DROP INDEX "assignment_tenant_id_user_id";
-- reverse: create index "assignment_tenant_id_node_type_node_id" to table: "assignments"
DROP INDEX "assignment_tenant_id_node_type_node_id";
-- reverse: create "assignments" table
DROP TABLE "assignments";
-- reverse: create index "casbinrule_ptype_v2" to table: "casbin_rules"
DROP INDEX "casbinrule_ptype_v2";
-- reverse: create index "casbinrule_ptype_v0_v1_v2_v3_v4_v5" to table: "casbin_rules"
DROP INDEX "casbinrule_ptype_v0_v1_v2_v3_v4_v5";
-- reverse: create "casbin_rules" table
DROP TABLE "casbin_rules";
