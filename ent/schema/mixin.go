package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"github.com/campushealth/campushealth/ent/audit"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
)

// BaseMixin is embedded by every audited schema: nothing happens without a viewer, platform admins may do
// anything, nothing is written that the two databases would store differently (wellFormed), and every
// change is written to the audit log.
type BaseMixin struct {
	mixin.Schema
}

func (BaseMixin) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.DenyIfNoViewer(), rule.AllowIfPlatform()},
		Mutation: privacy.MutationPolicy{rule.DenyIfNoViewer(), rule.AllowIfPlatform()},
	}
}

func (BaseMixin) Hooks() []ent.Hook {
	return []ent.Hook{wellFormed(), audit.Hook()}
}

// TenantMixin makes a schema tenant-owned: a tenant_id stamped from the viewer on create, filtered on every
// query and mutation, and edges that may only point inside the same tenant.
type TenantMixin struct {
	mixin.Schema
}

func (TenantMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Int("tenant_id").Immutable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

func (TenantMixin) Edges() []ent.Edge {
	return []ent.Edge{
		// Not in GraphQL inputs: the tenant is stamped from the caller (or named by the resolver).
		edge.To("tenant", Tenant.Type).Field("tenant_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

func (TenantMixin) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{rule.FilterTenantRule()},
		Mutation: privacy.MutationPolicy{
			rule.DenyCreateOutsideTenants(),
			rule.DenyCrossTenantEdges(),
			rule.FilterTenantRule(),
		},
	}
}

func (TenantMixin) Hooks() []ent.Hook {
	return []ent.Hook{rule.StampTenant()}
}
