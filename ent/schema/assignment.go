package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/campushealth/campushealth/ent/authz"
)

// Assignment gives a user a role at a node of the organisation tree (包年级 / 包班 / 包教职工), for a period.
// A substitute's assignment (代班) points at the assignment it stands in for. Revoking ends the period;
// nothing is deleted.
type Assignment struct{ ent.Schema }

func (Assignment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Immutable(),
		field.Enum("role").GoType(authz.Role("")).Immutable().Annotations(entgql.Type("Role")),
		field.Enum("node_type").GoType(authz.NodeType("")).Immutable().Annotations(entgql.Type("NodeType")),
		field.Int("node_id").Immutable().Comment("ID of the grade, class or staff group; the tenant for the school node"),
		field.Bool("deputy").Default(false).Immutable().Comment("deputy class teacher (副班主任)"),
		field.Time("valid_from").Default(time.Now).Immutable(),
		field.Time("valid_to").Optional().Nillable().Comment("exclusive; nil while the assignment holds"),
		field.Int("delegated_from_id").Optional().Nillable().Immutable().Comment("the assignment a substitute stands in for"),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

func (Assignment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Field("user_id").Unique().Required().Immutable(),
		// One assignment may be delegated many times (each sick leave), each substitute pointing back.
		edge.To("delegations", Assignment.Type).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)).
			From("delegated_from").Field("delegated_from_id").Unique().Immutable(),
	}
}

func (Assignment) Indexes() []ent.Index {
	// user_id alone: signing in reads a user's assignments without knowing the tenant first.
	return []ent.Index{index.Fields("tenant_id", "user_id"), index.Fields("tenant_id", "node_type", "node_id"), index.Fields("user_id")}
}

func (Assignment) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (Assignment) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// CasbinRule stores Casbin policy lines: the global permission catalog (p), the role hierarchy (g) and
// each tenant's organisation tree (g2). Written by the authz adapter only.
type CasbinRule struct{ ent.Schema }

func (CasbinRule) Fields() []ent.Field {
	return []ent.Field{
		field.String("ptype").MaxLen(8),
		field.String("v0").Default(""),
		field.String("v1").Default(""),
		field.String("v2").Default(""),
		field.String("v3").Default(""),
		field.String("v4").Default(""),
		field.String("v5").Default(""),
	}
}

func (CasbinRule) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("ptype", "v0", "v1", "v2", "v3", "v4", "v5").Unique(),
		index.Fields("ptype", "v2"), // g2 lines of one tenant (domain in v2)
	}
}

func (CasbinRule) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
