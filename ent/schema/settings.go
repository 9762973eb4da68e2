package schema

import (
	"github.com/campushealth/campushealth/ent/types"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CheckSetting holds a tenant's own settings for the checks, follow-ups and alerts: a district's are the
// defaults of its institutions, an institution's override them. An unset field inherits (institution ←
// district ← the built-in defaults of DOMAIN.md §4), so a district can change a default for every school
// that has not chosen otherwise. checks.RulesFor resolves the rules in force.
type CheckSetting struct{ ent.Schema }

func (CheckSetting) Fields() []ent.Field {
	return []ent.Field{
		field.Strings("sessions").Optional().
			Comment("check sessions of a school day, in order (morning, noon, evening, full_day); empty inherits"),
		field.String("morning_deadline").Optional().Nillable().Validate(validClock),
		field.String("noon_deadline").Optional().Nillable().Validate(validClock),
		field.String("evening_deadline").Optional().Nillable().Validate(validClock),
		field.String("full_day_deadline").Optional().Nillable().Validate(validClock),
		field.Float("fever_threshold").Optional().Nillable().Range(37.0, 38.5).
			Comment("°C at or above which a temperature is abnormal (only above it with fever_above)"),
		field.Bool("fever_above").Optional().Nillable().
			Comment("a reading is fever only above the threshold, the threshold itself passes (DOMAIN §4); unset: at or above"),
		field.Bool("require_recheck").Optional().Nillable().
			Comment("a fever reading is re-read with a mercury thermometer after 5 minutes before a check is sent (DOMAIN §4); unset: no"),
		field.Int("cluster_day").Optional().Nillable().Range(2, 30).
			Comment("similar cases in one class on one day that make a cluster"),
		field.Int("cluster_window").Optional().Nillable().Range(2, 50).
			Comment("similar cases in one class within cluster_window_days school days that make a cluster"),
		field.Int("cluster_window_days").Optional().Nillable().Range(1, 10),
		// A district's value is its schools' default: 0 lets a school turn off a rate its district sets.
		field.Float("absence_rate").Optional().Nillable().Range(0, 50).Validate(validAbsenceRate).
			Comment("percent of the institution's attending pupils off sick (病假) on one day at which an absence_rate alert " +
				"opens; 0 turns it off (for a school whose district sets one); unset inherits; off by default"),
		field.Int("report_within_minutes").Optional().Nillable().Range(15, 24*60).
			Comment("how soon an ILI outbreak or a suspected notifiable disease must reach the district"),
		field.Int("edit_days").Optional().Nillable().Range(1, 90).
			Comment("for how many days after a date its checks are still taken (late) or corrected; unset: no limit"),
		// The minimum is jobs.MinStayLimit too: the reminder finder reads no younger stay.
		field.Int("stay_limit_minutes").Optional().Nillable().Range(30, 8*60).
			Comment("how long a pupil stays in the observation room before the room is reminded to release her"),
		field.String("follow_up_due").Optional().Nillable().Validate(validClock).
			Comment("local time by which an illness absence's cause is traced, the same day"),
		field.Int("return_after_fever_hours").Optional().Nillable().Range(0, 14*24),
		field.Int("return_after_gastro_hours").Optional().Nillable().Range(0, 14*24),
		field.Bool("notifiable_needs_certificate").Optional().Nillable().
			Comment("a notifiable disease needs a level-2+ hospital's recovery certificate before return"),
		field.Int("chase_cap").Optional().Nillable().Range(1, 20).
			Comment("at most this many chase messages a day to one person about one class (DOMAIN §4: 3)"),
		// The ladders are set with setChaseLadder (a list of steps is no entgql input).
		field.JSON("chase_ladder", []types.ChaseStep{}).Optional().
			Comment("the chase ladder (催报) for this tenant's classes; empty inherits").
			Annotations(entgql.Type("[ChaseStep!]"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)),
		field.JSON("kind_ladders", []types.KindLadder{}).Optional().
			Comment("a district's ladders per kind of institution (kindergarten, primary_school …)").
			Annotations(entgql.Type("[KindLadder!]"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)),
		// PIPL Art. 19 and 28: sensitive personal information (children's health) is kept no longer than its
		// purpose needs (DOMAIN.md §6.14, retention limits).
		field.Int("retention_days").Optional().Nillable().Range(180, 3650).
			Comment("for how many days after a date the named health records of it are kept (check lines, follow-ups, " +
				"observation stays, the names in alerts); the counts stay. Unset inherits; 1095 (three years) by default"),
		field.String("report_cutoff").Optional().Nillable().Validate(validClock).
			Comment("local time at which an institution's daily report is compiled (default 16:00)"),
		field.String("district_cutoff").Optional().Nillable().Validate(validClock).
			Comment("local time at which a district compiles its report from its institutions' (default 17:00)"),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

func (CheckSetting) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id").Unique()}
}

func (CheckSetting) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (CheckSetting) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
