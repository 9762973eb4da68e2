package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/campushealth/campushealth/ent/types"
)

// FollowUp traces the cause of an illness absence (因病缺勤追踪) until the student is back and, where the
// rules require it, cleared by the health teacher.
type FollowUp struct{ ent.Schema }

func (FollowUp) Fields() []ent.Field {
	return []ent.Field{
		field.Int("student_id").Immutable(),
		field.Int("class_id").Immutable(),
		field.String("date").Validate(validDate).Immutable().Comment("the day of the absence"),
		field.Strings("symptoms").Optional(),
		field.Time("due_at"),
		field.Enum("status").Values("open", "closed").Default("open"),
		field.Enum("outcome").Values("unknown", "notifiable", "common_illness", "non_infectious", "recovered").Default("unknown"),
		field.String("diagnosis").Optional().Validate(maxChars(128)),
		field.Time("symptoms_ended_at").Optional().Nillable(),
		field.Enum("clearance").Values("not_required", "required", "cleared").Default("not_required"),
		field.Time("earliest_return_at").Optional().Nillable(),
		field.Bool("certificate_seen").Default(false).Comment("recovery certificate from a level-2+ hospital"),
		field.Int("cleared_by_id").Optional().Nillable(),
		field.Time("cleared_at").Optional().Nillable(),
		field.Time("verified_at").Optional().Nillable().Comment("the epidemic reporter's daily verification (DOMAIN.md §3.2)"),
		field.Int("verified_by_id").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

func (FollowUp) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("student", Student.Type).Field("student_id").Unique().Required().Immutable(),
		edge.To("class", Class.Type).Field("class_id").Unique().Required().Immutable(),
		edge.From("updates", FollowUpStep.Type).Ref("follow_up"),
	}
}

func (FollowUp) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("student_id", "date").Unique(), // one follow-up per illness absence day
		index.Fields("tenant_id", "status"),
	}
}

func (FollowUp) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (FollowUp) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// FollowUpStep is one timestamped step of a follow-up: a call to the family, a diagnosis, recovery.
type FollowUpStep struct{ ent.Schema }

func (FollowUpStep) Fields() []ent.Field {
	return []ent.Field{
		field.Int("follow_up_id").Immutable(),
		field.Time("at").Default(time.Now).Immutable(),
		field.String("by").Immutable(),
		field.Enum("outcome").Values("unknown", "notifiable", "common_illness", "non_infectious", "recovered").Immutable(),
		field.String("note").Optional().Validate(maxChars(512)).Immutable(),
	}
}

func (FollowUpStep) Edges() []ent.Edge {
	return []ent.Edge{edge.To("follow_up", FollowUp.Type).Field("follow_up_id").Unique().Required().Immutable()}
}

func (FollowUpStep) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }

// Alert is raised by a rule on a class (or the school): an abnormal temperature, a cluster of similar
// symptoms, an ILI outbreak or a suspected notifiable disease. One open alert per rule and class: new
// cases join it. ILI and notifiable alerts must be reported within 2 hours (report_by). A staff member off
// sick or with a fever raises staff_illness at the school: the principal hears at once and decides whether
// to report it upward (DOMAIN.md §4). Until she reports it, the district neither reads nor counts it. Where
// the school (or its district) sets an absence rate, the day's pupils off sick reaching it raise absence_rate
// at the school: one a day, no class, the school assesses it first (DOMAIN.md §3.9, optional absence rate).
type Alert struct{ ent.Schema }

func (Alert) Fields() []ent.Field {
	return []ent.Field{
		field.Int("class_id").Optional().Nillable().Immutable(),
		field.String("dorm_room").Optional().Validate(maxChars(32)).Immutable().Comment("a cluster among the boarders of a dorm room"),
		field.Enum("rule").Values("fever", "cluster_day", "cluster_window", "ili_outbreak", "notifiable", "staff_illness", "absence_rate").Immutable(),
		field.String("symptom_group").Optional().Immutable().Comment("ili, gastro, rash, … for clusters"),
		field.Enum("status").Values("open", "acknowledged", "handled", "false_alarm").Default("open"),
		field.String("open_key").Optional().Nillable().Unique().Comment("rule:class while open, for de-duplication"),
		field.Time("opened_at").Immutable(),
		field.Time("report_by").Optional().Nillable().Immutable().Comment("2-hour reporting clock (ILI, notifiable)"),
		field.Int("cases").Default(1),
		field.Ints("student_ids").Optional(),
		field.Ints("staff_ids").Optional().Comment("staff_illness: the staff members off sick or with a fever"),
		field.String("date").Validate(validDate).Immutable(),
		field.String("disposition").Optional().Validate(maxChars(512)),
		field.Time("cdc_contacted_at").Optional().Nillable(),
		field.String("cdc_contact").Optional().Validate(maxChars(256)),
		field.Int("acknowledged_by_id").Optional().Nillable(),
		field.Time("acknowledged_at").Optional().Nillable(),
		field.Int("closed_by_id").Optional().Nillable(),
		field.Time("closed_at").Optional().Nillable(),
		// A staff illness waits for the principal's decision (pending); she reports it upward (reported,
		// final) or keeps it in the school (withheld, which she may still change to reported). Nil: an alert
		// that goes to the district by its rule.
		field.Enum("upward").Values("pending", "reported", "withheld").Optional().Nillable(),
		field.String("upward_note").Optional().Validate(maxChars(512)),
		field.Int("upward_decided_by_id").Optional().Nillable(),
		field.Time("upward_decided_at").Optional().Nillable(),
		field.Int("follows_id").Optional().Nillable().Immutable().
			Comment("the alert handled or dismissed earlier in the same episode that this one continues: a new case came"),
	}
}

func (Alert) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("class", Class.Type).Field("class_id").Unique().Immutable(),
		edge.To("continuations", Alert.Type).From("follows").Field("follows_id").Unique().Immutable(),
	}
}

func (Alert) Indexes() []ent.Index {
	// opened_at: every minute the dispatcher looks for the alerts opened lately, over all tenants;
	// upward_decided_at: and for the staff illnesses reported upward lately (a source of the day's report).
	return []ent.Index{index.Fields("tenant_id", "status"), index.Fields("opened_at"), index.Fields("upward_decided_at")}
}

func (Alert) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Alert) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// ChaseLog is one step of the chase (催报) for a class that had not reported a session by then: who was
// told, when, and the notifications sent (their deliveries say through which channel and whether they
// arrived). One row per (class, date, session, step): a retried job never logs or sends twice.
type ChaseLog struct{ ent.Schema }

func (ChaseLog) Fields() []ent.Field {
	return []ent.Field{
		field.Int("class_id").Immutable(),
		field.String("date").Validate(validDate).Immutable(),
		field.Enum("session").Values("morning", "noon", "evening", "full_day").Immutable(),
		field.Int("step").NonNegative().Immutable().Comment("index in the ladder"),
		field.Int("offset_minutes").Immutable().Comment("from the deadline"),
		field.Time("due_at").Immutable(),
		field.Time("fired_at").Immutable(),
		field.Strings("audiences").Optional().Immutable(),
		field.Ints("recipient_ids").Optional().Immutable().Comment("users told"),
		field.Strings("recipients").Optional().Immutable().Comment("their names, as shown"),
		field.Ints("notification_ids").Optional().Immutable(),
		// capped: everyone the step names was told about the class as often as the day allows (ChaseCap).
		field.Enum("outcome").Values("sent", "no_recipient", "failed", "capped").Immutable(),
		field.String("error").Optional().MaxLen(512).Immutable(),
	}
}

func (ChaseLog) Edges() []ent.Edge {
	return []ent.Edge{edge.To("class", Class.Type).Field("class_id").Unique().Required().Immutable()}
}

func (ChaseLog) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("class_id", "date", "session", "step").Unique(),
		index.Fields("tenant_id", "date"),
	}
}

func (ChaseLog) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (ChaseLog) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// ObservationStay is a person's stay in the observation room (留观): a pupil's, or a staff member's (DOMAIN.md
// §2.6: one room, one roll). It opens when a check sends the person there (disposition observation_room) or
// when the health teacher brings one in (from the gate, a close contact): why, the readings taken, when the
// parents (or the family) were told, how it ended (back to class or to work, taken home, to hospital) and to
// whom the person was handed over. A pupil's stay sits at her class, a staff member's at the staff group whose
// check sent her (none when the health teacher brought her in): that is who sees it besides those who run the
// room. One open stay per person: a corrected check that sends her again joins it.
type ObservationStay struct{ ent.Schema }

func (ObservationStay) Fields() []ent.Field {
	return []ent.Field{
		field.Int("student_id").Optional().Nillable().Immutable().Comment("the pupil; or staff_id"),
		field.Int("class_id").Optional().Nillable().Immutable().Comment("the pupil's class"),
		field.Int("staff_id").Optional().Nillable().Immutable().Comment("the staff member; or student_id"),
		field.Int("staff_group_id").Optional().Nillable().Immutable().Comment("the staff group whose check sent the staff member"),
		field.String("date").Validate(validDate).Immutable().Comment("the day of the check that sent the person"),
		field.Int("check_id").Optional().Nillable().Immutable().Comment("the check (version) that sent the person: a class check, or a staff check"),
		field.Strings("symptoms").Optional().Immutable(),
		field.Float("temperature").Optional().Nillable().Immutable().Comment("°C at the check, or when brought in"),
		field.Enum("reason").Values("fever", "symptoms", "suspected", "close_contact").Default("symptoms").Immutable().
			Comment("why the person was brought in (DOMAIN.md §2.6)"),
		field.String("note").Optional().Validate(maxChars(256)).Immutable().Comment("where and how the person was found"),
		field.Int("opened_by_id").Optional().Nillable().Immutable().Comment("who brought the person in; a check's submitter"),
		field.Time("in_at").Immutable().Annotations(entgql.OrderField("IN_AT")),
		field.Enum("status").Values("open", "closed").Default("open"),
		field.String("open_key").Optional().Nillable().Unique().Annotations(entgql.Skip()).
			Comment("student:<id> or staff:<id> while open, for one open stay per person"),
		field.JSON("readings", []types.ObservationReading{}).Optional().
			Annotations(entgql.Type("[ObservationReading!]"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)),
		field.Time("parent_notified_at").Optional().Nillable(),
		field.Enum("outcome").Values("back_to_class", "collected_by_parent", "hospital", "ambulance").Optional().Nillable().
			Comment("back_to_class is back to work for a staff member; collected_by_parent, taken home by the family"),
		field.String("handed_over_to").Optional().Validate(maxChars(128)).Comment("who took the person: the parent, the hospital (交接)"),
		field.Time("out_at").Optional().Nillable(),
		field.Int("closed_by_id").Optional().Nillable(),
	}
}

func (ObservationStay) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("student", Student.Type).Field("student_id").Unique().Immutable(),
		edge.To("class", Class.Type).Field("class_id").Unique().Immutable(),
		edge.To("staff", Staff.Type).Field("staff_id").Unique().Immutable(),
		edge.To("staff_group", StaffGroup.Type).Field("staff_group_id").Unique().Immutable(),
	}
}

// The console lists a school's open stays, the daily report counts a day's, and every minute the dispatcher
// looks for the stays open too long, over all schools.
func (ObservationStay) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "status"), index.Fields("tenant_id", "date"), index.Fields("status", "in_at")}
}

func (ObservationStay) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (ObservationStay) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// StaffFollowUp traces a staff member's illness absence (DOMAIN.md §2.3: the person is a student or staff;
// §3.2: the duty person records staff absences, the epidemic reporter verifies them daily) until the cause
// is known and, where the rules require it, the health teacher has cleared the return to work — the same
// rules as a pupil's (FollowUp), kept apart because a staff member belongs to a staff group, not a class.
type StaffFollowUp struct{ ent.Schema }

func (StaffFollowUp) Fields() []ent.Field {
	return []ent.Field{
		field.Int("staff_id").Immutable(),
		field.Int("staff_group_id").Immutable().Comment("the group whose check reported the absence"),
		field.String("date").Validate(validDate).Immutable().Comment("the day of the absence"),
		field.Strings("symptoms").Optional(),
		field.Time("due_at"),
		field.Enum("status").Values("open", "closed").Default("open"),
		field.Enum("outcome").Values("unknown", "notifiable", "common_illness", "non_infectious", "recovered").Default("unknown"),
		// A staff follow-up keeps no dated steps (a pupil's does): when it first recorded a (suspected)
		// notifiable disease dates the case for the daily report, whatever day the absence was.
		field.Time("notifiable_at").Optional().Nillable(),
		field.String("diagnosis").Optional().Validate(maxChars(128)),
		field.String("note").Optional().Validate(maxChars(512)).Comment("the latest step's note"),
		field.Time("symptoms_ended_at").Optional().Nillable(),
		field.Enum("clearance").Values("not_required", "required", "cleared").Default("not_required"),
		field.Time("earliest_return_at").Optional().Nillable(),
		field.Bool("certificate_seen").Default(false).Comment("recovery certificate from a level-2+ hospital"),
		field.Int("cleared_by_id").Optional().Nillable(),
		field.Time("cleared_at").Optional().Nillable(),
		field.Time("verified_at").Optional().Nillable().Comment("the epidemic reporter's daily verification"),
		field.Int("verified_by_id").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

func (StaffFollowUp) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("staff", Staff.Type).Field("staff_id").Unique().Required().Immutable(),
		edge.To("staff_group", StaffGroup.Type).Field("staff_group_id").Unique().Required().Immutable(),
	}
}

func (StaffFollowUp) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("staff_id", "date").Unique(), // one follow-up per illness absence day
		index.Fields("tenant_id", "status"),
	}
}

func (StaffFollowUp) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (StaffFollowUp) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}
