package schema

import (
	"entgo.io/ent"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
)

// The calendar belongs to the school; checks, their lines and exemptions to a class.

func (Term) Policy() ent.Policy        { return schoolWide(authz.ObjCalendar) }
func (Term) Hooks() []ent.Hook         { return []ent.Hook{rule.ValidateTermDates()} }
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
	p.Mutation = append(p.Mutation, rule.PermitWhenSet("clearance", "cleared", authz.ObjClearance, rule.ClassRowNodes),
		rule.PermitWhenSet("verified_at", "", authz.ObjVerification, rule.ClassRowNodes))
	return p
}

func (FollowUpStep) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterClassScope(authz.ObjFollowUp, rule.ClassOfEdge("follow_up", "class_id"))},
		Mutation: privacy.MutationPolicy{rule.PermitAtNodesAs(authz.ObjFollowUp, authz.ActUpdate, rule.FollowUpStepNodes)},
	}
}

// A stay in the observation room belongs to the pupil's class, like a follow-up, or to the staff group whose
// check sent the staff member: those who do the check open it with the check and see it; the health teacher
// and the epidemic reporter run the room.
func (ObservationStay) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterPersonScope(authz.ObjObservation)},
		Mutation: privacy.MutationPolicy{rule.PermitAtNodes(authz.ObjObservation, rule.PersonRowNodes), rule.FilterPersonScope(authz.ObjObservation)},
	}
}

// A stay is a pupil's (with her class) or a staff member's, never both.
func (ObservationStay) Hooks() []ent.Hook { return []ent.Hook{rule.OnePerson()} }

// A staff member's illness is the school's until the principal reports it upward: the district neither
// reads it nor changes it before, and only she decides (staff_illness update).
func (Alert) Policy() ent.Policy {
	p := classScoped(authz.ObjAlert, rule.AlertNodes, rule.ClassColumn("class_id")).(privacy.Policy)
	p.Query = append(p.Query, rule.FilterUndecidedStaffIllness())
	p.Mutation = append(p.Mutation, rule.PermitWhenSet("upward", "", authz.ObjStaffIllness, rule.AlertNodes),
		rule.FilterUndecidedStaffIllness())
	return p
}

// Settings are the institution's (or, for a district, its institutions' defaults).
func (CheckSetting) Policy() ent.Policy { return schoolWide(authz.ObjSettings) }

func (CheckSetting) Hooks() []ent.Hook { return []ent.Hook{rule.ValidateSettings()} }

// Staff checks belong to a staff group: its leader (包教职工) or department head does them; the health
// teacher and the epidemic reporter see the school's; the district reads the counts, never the lines.
func (StaffCheck) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterStaffGroupScope(authz.ObjStaffCheck, rule.ClassColumn("staff_group_id"))},
		Mutation: privacy.MutationPolicy{rule.PermitAtNodes(authz.ObjStaffCheck, rule.StaffGroupRowNodes)},
	}
}

func (StaffCheckEntry) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterStaffGroupScope(authz.ObjStaffCheckEntry, rule.ClassOfEdge("check", "staff_group_id"))},
		Mutation: privacy.MutationPolicy{rule.PermitAtNodes(authz.ObjStaffCheck, rule.StaffEntryNodes)},
	}
}

// The chase log is read like the class's checks and written only by the jobs (the system viewer).
func (ChaseLog) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterClassScope(authz.ObjClassCheck, rule.ClassColumn("class_id"))},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}

// Daily reports: the school's leadership, epidemic reporter and health teacher read their school's; the
// district reads its schools' and its own. Only the jobs compile them (the system viewer, allowed by
// BaseMixin): nobody edits a snapshot. The one change a person makes is the attestation, by a grant that
// may update daily_report at the report's school, and it touches the attestation fields only.
func (DailyReport) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{rule.FilterSchoolScope(authz.ObjDailyReport)},
		Mutation: privacy.MutationPolicy{
			rule.PermitOnlyFields(authz.ObjDailyReport, rule.SchoolNode, "attested_at", "attested_by_id", "attested_by",
				"attested_on_time", "attest_note"),
			privacy.AlwaysDenyRule(),
		},
	}
}

// A staff member's illness absence is traced by whoever answers for the staff group (its leader), the health
// teacher and the epidemic reporter; clearing the return is the health teacher's, the daily verification
// the epidemic reporter's (as for pupils). The district sees none: it reads the counts of staff checks.
// The rule opens them (the system), never a caller.
func (StaffFollowUp) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{rule.FilterStaffGroupScope(authz.ObjStaffFollowUp, rule.ClassColumn("staff_group_id"))},
		Mutation: privacy.MutationPolicy{rule.DenyCreate(), rule.PermitAtNodes(authz.ObjStaffFollowUp, rule.StaffGroupRowNodes),
			rule.PermitWhenSet("clearance", "cleared", authz.ObjClearance, rule.StaffGroupRowNodes),
			rule.PermitWhenSet("verified_at", "", authz.ObjVerification, rule.StaffGroupRowNodes)},
	}
}
