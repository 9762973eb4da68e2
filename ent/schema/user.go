package schema

import (
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/campushealth/campushealth/ent/authz"
)

// User is a person who signs in: district or school staff, or a platform admin (no tenant).
type User struct {
	ent.Schema
}

func (User) Fields() []ent.Field {
	return []ent.Field{
		field.Int("tenant_id").Optional().Nillable().Immutable().
			Comment("nil only for platform admins").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("login").NotEmpty().MaxLen(64).Unique().Immutable().Validate(validLogin).
			Annotations(entgql.OrderField("LOGIN")),
		field.String("display_name").NotEmpty().Validate(maxChars(64)).
			Annotations(entgql.OrderField("DISPLAY_NAME")),
		field.String("phone").Optional().MaxLen(20).Validate(validPhone),
		field.Enum("role").GoType(authz.Role("")).Annotations(entgql.Type("Role")),
		field.String("password_hash").Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Bool("must_change_password").Default(false),
		field.Bool("active").Default(true),
		field.Time("last_login_at").Optional().Nillable(),
		field.Time("password_changed_at").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
	}
}

func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tenant", Tenant.Type).Field("tenant_id").Unique().Immutable(),
		edge.To("sessions", Session.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

func (User) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}} }

func (User) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{rule.Permit(authz.ObjUser), rule.FilterTenantRule()},
		Mutation: privacy.MutationPolicy{
			rule.Permit(authz.ObjUser),
			rule.DenyCreateOutsideTenants(),
			rule.DenyRoleEscalation(),
			rule.FilterTenantRule(),
		},
	}
}

func (User) Hooks() []ent.Hook { return []ent.Hook{rule.StampUserTenant(), rule.RoleFitsTenant()} }
