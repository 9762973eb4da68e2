package schema

import (
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Tenant is a district education bureau or an institution (school, kindergarten, training institution)
// under it. Institutions are the unit of isolation; a district sees the institutions whose parent it is.
type Tenant struct {
	ent.Schema
}

func (Tenant) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(100)).
			Annotations(entgql.OrderField("NAME")),
		field.String("code").Optional().MaxLen(32).
			Comment("administrative region code for a district, institution code for a school"),
		field.Enum("kind").
			Values("district", "primary_school", "secondary_school", "special_school", "kindergarten", "training_institution").
			Annotations(entgql.OrderField("KIND")),
		field.Enum("status").Values("active", "deactivated").Default("active").
			Annotations(entgql.OrderField("STATUS")),
		field.String("timezone").Default("Asia/Shanghai").Validate(validTimezone),
		field.Int("parent_id").Optional().Nillable().Comment("the district of an institution"),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
		field.Time("deactivated_at").Optional().Nillable(),
	}
}

func (Tenant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("children", Tenant.Type).
			Annotations(entgql.RelayConnection()).
			From("parent").Field("parent_id").Unique(),
	}
}

func (Tenant) Indexes() []ent.Index {
	return []ent.Index{
		// Two institutions of one district never share a name.
		index.Fields("parent_id", "name").Unique(),
	}
}

func (Tenant) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

func (Tenant) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}} }

func (Tenant) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.Permit(authz.ObjTenant), rule.FilterVisibleTenants()},
		Mutation: privacy.MutationPolicy{rule.Permit(authz.ObjTenant), rule.TenantMutationRule()},
	}
}
