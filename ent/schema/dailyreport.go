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

// DailyReport is one version of a compiled daily report (日报告 / 零报告, DOMAIN.md §2.4, §3.3): a school's,
// compiled at its cut-off from the class and staff checks, or a district's, compiled at the district
// cut-off from its schools' reports. It is a frozen snapshot: a report that arrives or is corrected after
// the cut-off makes version N+1 (amended, with the reason), the old version stays as it was, and only
// `current` moves. Only the jobs write them.
type DailyReport struct{ ent.Schema }

func (DailyReport) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("school", "district").Immutable(),
		field.String("date").Validate(validDate).Immutable().Comment("the tenant's local date").
			Annotations(entgql.OrderField("DATE")),
		field.Int("version").Positive().Immutable().Annotations(entgql.OrderField("VERSION")),
		field.Bool("current").Default(true).Comment("false once a newer version exists"),
		field.Bool("amended").Default(false).Immutable().Comment("compiled again after a late or corrected report"),
		field.String("amend_reason").Optional().Validate(maxChars(2048)).Immutable(),
		field.Time("cut_off").Immutable().Comment("the cut-off the report is compiled at"),
		field.Time("compiled_at").Default(time.Now).Immutable().Annotations(entgql.OrderField("COMPILED_AT")),
		field.Bool("zero_report").Default(false).Immutable().
			Comment("every expected report in, nobody absent for illness, with symptoms or a fever (students and staff)"),
		field.JSON("figures", types.ReportFigures{}).Immutable().Annotations(entgql.Skip()),
		field.JSON("rows", []types.ReportRow{}).Immutable().Annotations(entgql.Skip()),
		field.JSON("lineage", []types.LineageItem{}).Immutable().Annotations(entgql.Skip()),
		field.String("lineage_hash").Immutable().Annotations(entgql.Skip()).
			Comment("identifies the lineage: compiling again with the same one writes nothing"),
		field.Int("source_rows").NonNegative().Immutable().Annotations(entgql.Skip()).
			Comment("check, staff check and exemption rows (every version) and staff illnesses reported upward that day, of the school and date, or school report rows of the district, seen by the compile: more now means stale"),
		// The attestation (DOMAIN.md §3.3): the epidemic reporter or the principal reviews the school's
		// current version and sends it on, saying in so many words whether it is a zero report.
		field.Time("attested_at").Optional().Nillable().Comment("when the school's report was attested (reviewed and sent on)"),
		field.Int("attested_by_id").Optional().Nillable(),
		field.String("attested_by").Optional().Comment("the attester's name as it was then"),
		field.Bool("attested_on_time").Optional().Nillable().Comment("attested by the district's cut-off"),
		field.String("attest_note").Optional().Validate(maxChars(256)),
	}
}

func (DailyReport) Edges() []ent.Edge {
	return []ent.Edge{edge.To("attester", User.Type).Field("attested_by_id").Unique()}
}

func (DailyReport) Indexes() []ent.Index {
	return []ent.Index{
		// Two compiles of the same change race for the same version: one fails and retries, then finds
		// the lineage unchanged.
		index.Fields("tenant_id", "kind", "date", "version").Unique(),
		index.Fields("date", "current"),
	}
}

func (DailyReport) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (DailyReport) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField("dailyReports")}
}
