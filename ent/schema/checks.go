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

// Dates of the school calendar are the tenant's local dates, "2006-01-02": a report belongs to a school day
// in the school's time zone, whatever the server's.

// Term is a school term (学期): school days are Monday to Friday within a term, except holidays, plus
// make-up days.
type Term struct{ ent.Schema }

func (Term) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(64)),
		field.String("start_date").Validate(validDate),
		field.String("end_date").Validate(validDate),
	}
}

func (Term) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Term) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}

// CalendarDay overrides the weekly rhythm for one date: a holiday (寒暑假, public holiday) on a weekday, or a
// make-up school day (调休) on a weekend.
type CalendarDay struct{ ent.Schema }

func (CalendarDay) Fields() []ent.Field {
	return []ent.Field{
		field.String("date").Validate(validDate),
		field.Enum("kind").Values("holiday", "school_day"),
		field.String("note").Optional().Validate(maxChars(128)),
	}
}

func (CalendarDay) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "date").Unique()}
}

func (CalendarDay) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (CalendarDay) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}

// Exemption says a class is not expected to report on a date (one session, or all when session is nil):
// an exam, a field trip, a closure (停课), a class not yet formed. It names who decided and why.
type Exemption struct{ ent.Schema }

func (Exemption) Fields() []ent.Field {
	return []ent.Field{
		field.Int("class_id").Immutable(),
		field.String("date").Validate(validDate).Immutable(),
		field.Enum("session").Values("morning", "noon", "evening", "full_day").Optional().Nillable().Immutable(),
		field.Enum("reason").Values("holiday", "exam", "field_trip", "closure", "not_formed", "other").Immutable(),
		field.String("note").Optional().Validate(maxChars(256)).Immutable(),
		field.Int("exempted_by_id").Optional().Nillable().Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

func (Exemption) Edges() []ent.Edge {
	return []ent.Edge{edge.To("class", Class.Type).Field("class_id").Unique().Required().Immutable()}
}

func (Exemption) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "date"), index.Fields("class_id", "date")}
}

func (Exemption) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Exemption) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// ClassCheck is one version of a class's morning/noon check (晨午检) for a date and session. A correction
// is a new version; the old one stays, marked superseded. A zero report (零报告) is an attestation by its
// submitter that everyone was present and nobody had symptoms, never a default.
type ClassCheck struct{ ent.Schema }

func (ClassCheck) Fields() []ent.Field {
	return append([]ent.Field{field.Int("class_id").Immutable()}, checkFields()...)
}

// checkFields are the fields of one version of a check, a class's or a staff group's.
func checkFields() []ent.Field {
	return []ent.Field{
		field.String("date").Validate(validDate).Immutable(),
		field.Enum("session").Values("morning", "noon", "evening", "full_day").Immutable(),
		field.Int("version").Positive().Immutable(),
		field.Bool("current").Default(true).Comment("false once a newer version exists"),
		field.Bool("zero_report").Default(false).Immutable(),
		field.Int("enrolled").NonNegative().Immutable(),
		field.Int("present").NonNegative().Immutable(),
		field.Int("absent_illness").NonNegative().Immutable(),
		field.Int("absent_other").NonNegative().Immutable(),
		field.Int("symptomatic").NonNegative().Immutable(),
		field.Int("abnormal_temperature").NonNegative().Immutable(),
		field.Int("submitted_by_id").Optional().Nillable().Immutable(),
		field.String("submitted_by").Immutable().Comment("the checker's name as shown on the class sheet"),
		field.Time("submitted_at").Immutable(),
		field.Bool("on_time").Immutable().Comment("submitted before the session's deadline"),
		field.Bool("amendment").Default(false).Immutable().Comment("a correction made after the deadline"),
		field.String("amend_reason").Optional().Validate(maxChars(256)).Immutable(),
		field.String("idempotency_key").Optional().MaxLen(64).Immutable(),
		field.String("content_hash").Immutable().Comment("resending the same report is recognised by it"),
	}
}

func (ClassCheck) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("class", Class.Type).Field("class_id").Unique().Required().Immutable(),
		edge.From("entries", CheckEntry.Type).Ref("check"),
	}
}

func (ClassCheck) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("class_id", "date", "session", "version").Unique(),
		index.Fields("tenant_id", "date", "session"),
		// The dispatcher counts every institution's checks of recent dates (stale daily reports).
		index.Fields("date", "tenant_id"),
	}
}

func (ClassCheck) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (ClassCheck) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// CheckEntry is one exception line of a check: an absent student (with the cause) or a student present
// with symptoms.
type CheckEntry struct{ ent.Schema }

func (CheckEntry) Fields() []ent.Field {
	return append([]ent.Field{field.Int("check_id").Immutable(), field.Int("student_id").Immutable()}, entryFields()...)
}

// entryFields are the fields of an exception line, a pupil's or a staff member's.
func entryFields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("absent", "symptomatic").Immutable(),
		field.Enum("absence_type").Values("sick_leave", "personal_leave", "unexcused", "early_leave").Optional().Nillable().Immutable(),
		field.Strings("symptoms").Optional().Immutable(),
		field.Float("temperature").Optional().Nillable().Immutable().
			Comment("°C, the reading that counts: the re-check when one was made (DOMAIN §4)"),
		field.Float("first_temperature").Optional().Nillable().Immutable().
			Comment("°C, the first reading (an infrared thermometer, say) when a re-check with a mercury thermometer followed"),
		field.Bool("doctor_seen").Default(false).Immutable(),
		field.Enum("disposition").Values("stays_in_class", "observation_room", "sent_home", "hospital").Optional().Nillable().Immutable(),
		field.String("note").Optional().Validate(maxChars(256)).Immutable(),
	}
}

func (CheckEntry) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("check", ClassCheck.Type).Field("check_id").Unique().Required().Immutable(),
		edge.To("student", Student.Type).Field("student_id").Unique().Required().Immutable(),
	}
}

// Lines are read by their check (boards join every check of a district to its lines) and by pupil.
func (CheckEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("check_id"), index.Fields("student_id")}
}

func (CheckEntry) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (CheckEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// StaffCheck is one version of a staff group's check (教职工晨午检) for a date and session, submitted by the
// leader responsible for the group (包教职工) or the department head: the same sheet as a class's, for
// staff (DOMAIN.md §2.2, "one per class or staff group, date, session").
type StaffCheck struct{ ent.Schema }

func (StaffCheck) Fields() []ent.Field {
	return append([]ent.Field{field.Int("staff_group_id").Immutable()}, checkFields()...)
}

func (StaffCheck) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("staff_group", StaffGroup.Type).Field("staff_group_id").Unique().Required().Immutable(),
		edge.From("entries", StaffCheckEntry.Type).Ref("check"),
	}
}

func (StaffCheck) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("staff_group_id", "date", "session", "version").Unique(),
		index.Fields("tenant_id", "date", "session"),
		index.Fields("date", "tenant_id"),
	}
}

func (StaffCheck) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (StaffCheck) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// StaffCheckEntry is one exception line of a staff check: an absent staff member (with the cause) or one
// present with symptoms.
type StaffCheckEntry struct{ ent.Schema }

func (StaffCheckEntry) Fields() []ent.Field {
	return append([]ent.Field{field.Int("check_id").Immutable(), field.Int("staff_id").Immutable()}, entryFields()...)
}

func (StaffCheckEntry) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("check", StaffCheck.Type).Field("check_id").Unique().Required().Immutable(),
		edge.To("staff", Staff.Type).Field("staff_id").Unique().Required().Immutable(),
	}
}

func (StaffCheckEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("check_id"), index.Fields("staff_id")}
}

func (StaffCheckEntry) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (StaffCheckEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
