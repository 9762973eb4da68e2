package schema

import (
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/campushealth/campushealth/ent/authz"
)

// APIToken lets a third-party app act as a role within one tenant. The secret is shown once; only its
// SHA-256 is stored.
type APIToken struct {
	ent.Schema
}

func (APIToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(64)).
			Annotations(entgql.OrderField("NAME")),
		field.String("prefix").NotEmpty().Immutable().
			Comment("first characters of the token, so people can tell tokens apart"),
		field.Bytes("token_hash").Sensitive().Unique().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("role").GoType(authz.Role("")).Annotations(entgql.Type("Role")).Immutable(),
		// A plain column, not an edge: a district admin may create a token for one of its institutions.
		field.Int("created_by_id").Optional().Nillable().Immutable(),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("expires_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
		field.Time("last_used_at").Optional().Nillable(),
	}
}

func (APIToken) Mixin() []ent.Mixin {
	return []ent.Mixin{BaseMixin{}, TenantMixin{}}
}

func (APIToken) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

func (APIToken) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.Permit(authz.ObjAPIToken)},
		Mutation: privacy.MutationPolicy{rule.Permit(authz.ObjAPIToken), rule.DenyRoleEscalation()},
	}
}
