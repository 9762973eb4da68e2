package schema

import (
	"entgo.io/ent"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
)

// The calendar belongs to the school; checks, their lines and exemptions to a class.

func (Term) Policy() ent.Policy        { return schoolWide(authz.ObjCalendar) }
func (CalendarDay) Policy() ent.Policy { return schoolWide(authz.ObjCalendar) }

func (Exemption) Policy() ent.Policy {
	return classScoped(authz.ObjExemption, rule.ClassRowNodes, rule.ClassColumn("class_id"))
}

// Checks carry counts (the district reads them); their lines name children and symptoms (health data of
// minors), readable only within the school.
func (ClassCheck) Policy() ent.Policy {
	return classScoped(authz.ObjClassCheck, rule.ClassRowNodes, rule.ClassColumn("class_id"))
}

func (CheckEntry) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterClassScope(authz.ObjCheckEntry, rule.ClassOfEdge("check", "class_id"))},
		Mutation: privacy.MutationPolicy{rule.PermitAtNodes(authz.ObjClassCheck, rule.EntryNodes)},
	}
}

// Follow-ups and alerts belong to a class; the health teacher and the epidemic reporter see the school's.
func (FollowUp) Policy() ent.Policy {
	p := classScoped(authz.ObjFollowUp, rule.ClassRowNodes, rule.ClassColumn("class_id")).(privacy.Policy)
	p.Mutation = append(p.Mutation, rule.PermitWhenSet("clearance", "cleared", authz.ObjClearance, rule.ClassRowNodes))
	return p
}

func (FollowUpStep) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterClassScope(authz.ObjFollowUp, rule.ClassOfEdge("follow_up", "class_id"))},
		Mutation: privacy.MutationPolicy{rule.PermitAtNodes(authz.ObjFollowUp, rule.FollowUpStepNodes)},
	}
}

func (Alert) Policy() ent.Policy {
	return classScoped(authz.ObjAlert, rule.AlertNodes, rule.ClassColumn("class_id"))
}
