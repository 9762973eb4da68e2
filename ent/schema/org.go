package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Shared annotations of the organisation types: Relay connections, a query field (named when English
// plurals need help), and generated create/update inputs.
func orgAnnotations(queryField ...string) []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(queryField...),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// noInput keeps a field or an inverse edge out of the GraphQL create/update inputs: rows are moved by
// changing the row itself (a student's classID), so its own rules and history hooks run.
var noInput = entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)

func sortOrder() ent.Field {
	return field.Int("sort_order").Default(0).Annotations(entgql.OrderField("SORT_ORDER"))
}

// Campus is a campus or teaching site (校区 / 教学点) of an institution.
type Campus struct{ ent.Schema }

func (Campus) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(64)).Annotations(entgql.OrderField("NAME")),
		sortOrder(),
	}
}

func (Campus) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "name").Unique()}
}

func (Campus) Mixin() []ent.Mixin               { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Campus) Annotations() []schema.Annotation { return orgAnnotations("campuses") }

// Grade is a year group (年级: 初一 … 高三, 小班/中班/大班). Kindergartens and training institutions may
// have classes with no grade.
type Grade struct{ ent.Schema }

func (Grade) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(32)).Annotations(entgql.OrderField("NAME")),
		sortOrder(),
		field.Int("campus_id").Optional().Nillable(),
	}
}

func (Grade) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("campus", Campus.Type).Field("campus_id").Unique(),
		edge.From("classes", Class.Type).Ref("grade").Annotations(entgql.RelayConnection(), noInput),
	}
}

func (Grade) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "name").Unique()}
}

func (Grade) Mixin() []ent.Mixin               { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Grade) Annotations() []schema.Annotation { return orgAnnotations() }

// Class is a class (班级, e.g. 高三(1)班). Reports belong to the class, not to a person.
type Class struct{ ent.Schema }

func (Class) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(32)).Annotations(entgql.OrderField("NAME")),
		sortOrder(),
		field.Int("grade_id").Optional().Nillable(),
		field.Int("campus_id").Optional().Nillable(),
		field.Time("opened_on").Optional().Nillable().Comment("first school day of the class"),
		field.Time("closed_on").Optional().Nillable().Comment("the class no longer exists from this day (history is kept)"),
	}
}

func (Class) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("grade", Grade.Type).Field("grade_id").Unique(),
		edge.To("campus", Campus.Type).Field("campus_id").Unique(),
		edge.From("students", Student.Type).Ref("class").Annotations(entgql.RelayConnection(), noInput),
	}
}

func (Class) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "name").Unique()}
}

func (Class) Mixin() []ent.Mixin               { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Class) Annotations() []schema.Annotation { return orgAnnotations() }

// Student is a pupil or child. Moving class closes an enrollment and opens another; nothing is deleted.
type Student struct{ ent.Schema }

func (Student) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(64)).Annotations(entgql.OrderField("NAME")),
		field.String("student_number").NotEmpty().MaxLen(32).Comment("学籍号; unique within the institution").
			Annotations(entgql.OrderField("STUDENT_NUMBER")),
		field.Enum("gender").Values("male", "female"),
		field.Time("birth_date").Optional().Nillable(),
		field.Bool("boarder").Default(false).Comment("boards at school (住校生) rather than a day student"),
		field.String("dorm_room").Optional().Validate(maxChars(32)),
		field.Enum("status").Values("attending", "not_attending", "suspended", "graduated", "transferred").Default("attending"),
		field.Int("class_id").Optional().Nillable().Comment("current class; nil once graduated or transferred"),
		field.Time("left_on").Optional().Nillable().
			Comment("when the pupil graduated or transferred (the change's time unless given); retention counts from it"),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(noInput),
	}
}

func (Student) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("class", Class.Type).Field("class_id").Unique(),
		edge.From("guardians", Guardian.Type).Ref("student").Annotations(noInput),
		edge.From("enrollments", Enrollment.Type).Ref("student").Annotations(noInput),
	}
}

func (Student) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "student_number").Unique(), index.Fields("tenant_id", "class_id")}
}

func (Student) Mixin() []ent.Mixin               { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Student) Annotations() []schema.Annotation { return orgAnnotations() }

// Enrollment is one stay of a student in a class: the history of class moves and graduation.
type Enrollment struct{ ent.Schema }

func (Enrollment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("student_id").Immutable(),
		field.Int("class_id").Immutable(),
		field.Time("start_on").Immutable(),
		field.Time("end_on").Optional().Nillable(),
	}
}

func (Enrollment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("student", Student.Type).Field("student_id").Unique().Required().Immutable(),
		edge.To("class", Class.Type).Field("class_id").Unique().Required().Immutable(),
	}
}

func (Enrollment) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Enrollment) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Guardian is a parent or other guardian (监护人) of a student; at least one must be reachable.
type Guardian struct{ ent.Schema }

func (Guardian) Fields() []ent.Field {
	return []ent.Field{
		field.Int("student_id"),
		field.String("name").NotEmpty().Validate(maxChars(64)),
		field.Enum("relation").Values("father", "mother", "grandparent", "other"),
		field.String("phone").NotEmpty().MaxLen(20).Validate(validPhone),
		field.Bool("primary_contact").Default(false),
	}
}

func (Guardian) Edges() []ent.Edge {
	return []ent.Edge{edge.To("student", Student.Type).Field("student_id").Unique().Required()}
}

// A student's guardians are told apart by phone (the import matches on it).
func (Guardian) Indexes() []ent.Index {
	return []ent.Index{index.Fields("student_id", "phone").Unique()}
}

func (Guardian) Mixin() []ent.Mixin               { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Guardian) Annotations() []schema.Annotation { return orgAnnotations() }

// Staff is a member of staff (教职工), retired teachers included in monitoring. Leaving sets left_on.
type Staff struct{ ent.Schema }

func (Staff) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(64)).Annotations(entgql.OrderField("NAME")),
		field.String("phone").Optional().MaxLen(20).Validate(validPhone),
		field.String("department").Optional().Validate(maxChars(64)),
		field.Enum("staff_type").Values("teacher", "health_teacher", "logistics", "canteen", "security", "retired_teacher"),
		field.Enum("status").Values("in_post", "seconded", "on_leave", "left").Default("in_post"),
		field.Time("left_on").Optional().Nillable().Comment("when the staff member left (the change's time unless given); retention counts from it"),
		field.Int("user_id").Optional().Nillable().Unique().Comment("the staff member's account, if any"),
	}
}

func (Staff) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Field("user_id").Unique(),
		edge.From("groups", StaffGroup.Type).Ref("members").Annotations(noInput),
	}
}

func (Staff) Mixin() []ent.Mixin               { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Staff) Annotations() []schema.Annotation { return orgAnnotations("staff") }

// StaffGroup is a leader's group of staff (包教职工: one leader watches 6-7 staff and retirees).
type StaffGroup struct{ ent.Schema }

func (StaffGroup) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(64)).Annotations(entgql.OrderField("NAME")),
		field.Enum("kind").Values("leader_group", "department").Default("leader_group").
			Comment("a school leader's 6-7 staff (包教职工) or a department (处室); either does its staff check"),
	}
}

func (StaffGroup) Edges() []ent.Edge {
	return []ent.Edge{edge.To("members", Staff.Type)}
}

func (StaffGroup) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "name").Unique()}
}

func (StaffGroup) Mixin() []ent.Mixin               { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (StaffGroup) Annotations() []schema.Annotation { return orgAnnotations() }
