package schema

import (
	"entgo.io/ent"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
)

func (Assignment) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{rule.Permit(authz.ObjAssignment)},
		Mutation: privacy.MutationPolicy{
			rule.AllowSelfDelegation(),
			rule.DenyRoleEscalation(),
			rule.PermitAtNodes(authz.ObjAssignment, rule.AssignmentNodes),
		},
	}
}

func (Assignment) Hooks() []ent.Hook {
	return []ent.Hook{rule.ValidateAssignment(), rule.EndDelegations()}
}

// Policy rows are written only by the authz store.
func (CasbinRule) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}
