package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/entql"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/authzstore"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
)

// Policies: campuses, grades, staff and staff groups are readable by every member of the institution and
// managed at the school node; classes, students and guardians are read and written within the viewer's
// grade/class scope.

func schoolWide(obj string) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.Permit(obj)},
		Mutation: privacy.MutationPolicy{rule.PermitAtNodes(obj, rule.SchoolNode)},
	}
}

func classScoped(obj string, nodes rule.NodesFunc, pred func([]int) entql.P) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterClassScope(obj, pred)},
		Mutation: privacy.MutationPolicy{rule.PermitAtNodes(obj, nodes), rule.FilterClassScope(obj, pred)},
	}
}

func (Campus) Policy() ent.Policy     { return schoolWide(authz.ObjCampus) }
func (Grade) Policy() ent.Policy      { return schoolWide(authz.ObjGrade) }
func (Staff) Policy() ent.Policy      { return schoolWide(authz.ObjStaff) }
func (StaffGroup) Policy() ent.Policy { return schoolWide(authz.ObjStaffGroup) }

func (Class) Policy() ent.Policy {
	return classScoped(authz.ObjClass, rule.ClassNodes, rule.ClassColumn("id"))
}

func (Student) Policy() ent.Policy {
	return classScoped(authz.ObjStudent, rule.StudentNodes, rule.ClassColumn("class_id"))
}

func (Guardian) Policy() ent.Policy {
	return classScoped(authz.ObjGuardian, rule.GuardianNodes, rule.ClassOfEdge("student", "class_id"))
}

// Enrollments are written only by the student hook that keeps the history.
func (Enrollment) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterClassScope(authz.ObjStudent, rule.ClassColumn("class_id"))},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}

// The organisation tree in Casbin follows grades, classes and staff groups.
func (Grade) Hooks() []ent.Hook      { return []ent.Hook{authzstore.TreeHook()} }
func (Class) Hooks() []ent.Hook      { return []ent.Hook{authzstore.TreeHook()} }
func (StaffGroup) Hooks() []ent.Hook { return []ent.Hook{authzstore.TreeHook()} }

func (Student) Hooks() []ent.Hook {
	return []ent.Hook{rule.KeepEnrollmentHistory(), rule.DateLeaving()}
}
func (Staff) Hooks() []ent.Hook { return []ent.Hook{rule.DateLeaving(), rule.LeavingEndsAccess()} }
