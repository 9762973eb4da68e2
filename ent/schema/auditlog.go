package schema

import (
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/hook"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/campushealth/campushealth/ent/types"
)

// AuditLog is one append-only record of a change (or of a sensitive read). Written only by the audit hook.
type AuditLog struct {
	ent.Schema
}

func (AuditLog) Fields() []ent.Field {
	return []ent.Field{
		field.Int("tenant_id").Optional().Nillable().Immutable(),
		field.Int("actor_user_id").Optional().Nillable().Immutable(),
		field.Int("actor_token_id").Optional().Nillable().Immutable(),
		field.String("actor").Immutable().
			Annotations(entgql.OrderField("ACTOR")),
		field.String("entity_type").Immutable().
			Annotations(entgql.OrderField("ENTITY_TYPE")),
		field.Int("entity_id").Optional().Immutable(),
		field.Enum("operation").Values("create", "update", "delete", "read").Immutable(),
		field.JSON("changes", []types.FieldChange{}).Optional().Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)),
		field.String("request_id").Optional().Immutable(),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

func (AuditLog) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("tenant_id", "created_at"),
		index.Fields("entity_type", "entity_id"),
	}
}

func (AuditLog) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

func (AuditLog) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(), rule.AllowIfPlatform(), rule.Permit(authz.ObjAuditLog), rule.FilterTenantRule(),
		},
		// Only the audit hook writes, under an explicit privacy decision.
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}

// Hooks make the log append-only even for code holding a privacy bypass.
func (AuditLog) Hooks() []ent.Hook {
	return []ent.Hook{
		hook.Reject(ent.OpUpdate | ent.OpUpdateOne | ent.OpDelete | ent.OpDeleteOne),
	}
}
