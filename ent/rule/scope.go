package rule

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/entql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Scope is what a viewer may read of one object type: whole tenants, plus single classes and staff groups.
type Scope struct {
	Tenants     []int
	Classes     []int
	StaffGroups []int
}

// ScopeOf resolves, once per request, the tenants and classes where the viewer's grants allow reading obj.
// A grant at the school covers the tenant; at a grade or staff group, the classes below it (from Casbin's
// g2 tree); at a class, that class.
func ScopeOf(v *viewer.Viewer, obj string) Scope {
	return v.Memo("scope:"+obj, func() any {
		var s Scope
		if v.Authz == nil {
			return s
		}
		for _, g := range v.Grants {
			if !v.Authz.Allowed(g.Role, obj, authz.ActRead) {
				continue
			}
			typ, id, _ := authz.ParseNode(g.Node)
			switch typ {
			case authz.NodeSchool:
				s.Tenants = append(s.Tenants, g.TenantID)
			case authz.NodeClass:
				s.Classes = append(s.Classes, id)
			case authz.NodeStaffGroup:
				s.StaffGroups = append(s.StaffGroups, id)
			default:
				for _, n := range v.Authz.Below(g.TenantID, g.Node) {
					if t, cid, ok := authz.ParseNode(n); ok && t == authz.NodeClass {
						s.Classes = append(s.Classes, cid)
					}
				}
			}
		}
		slices.Sort(s.Classes)
		s.Classes = slices.Compact(s.Classes)
		return s
	}).(Scope)
}

// FilterClassScope limits rows of a class-scoped type (classes, students, guardians, enrollments) to the
// viewer's scope. classPred turns class IDs into a predicate on the type (its class column, or an edge).
func FilterClassScope(obj string, classPred func(ids []int) entql.P) privacy.QueryMutationRule {
	return filterScope(obj, func(s Scope) ([]entql.P, bool) { return []entql.P{classPred(s.Classes)}, len(s.Classes) > 0 })
}

// FilterStaffGroupScope limits rows of a staff-group-scoped type (staff checks) to the viewer's scope:
// whole schools, or the staff groups the viewer answers for. groupPred turns group IDs into a predicate.
func FilterStaffGroupScope(obj string, groupPred func(ids []int) entql.P) privacy.QueryMutationRule {
	return filterScope(obj, func(s Scope) ([]entql.P, bool) {
		return []entql.P{groupPred(s.StaffGroups)}, len(s.StaffGroups) > 0
	})
}

// FilterPersonScope limits rows that sit at a pupil's class or at a staff member's group (stays in the
// observation room) to the viewer's scope: whole schools, classes, staff groups. A row at neither (a staff
// member the health teacher brought in) is read school-wide only.
func FilterPersonScope(obj string) privacy.QueryMutationRule {
	return filterScope(obj, func(s Scope) ([]entql.P, bool) {
		return []entql.P{In("class_id", s.Classes), In("staff_group_id", s.StaffGroups)}, len(s.Classes)+len(s.StaffGroups) > 0
	})
}

// filterScope limits rows to the viewer's scope of obj: her whole tenants, or the rows within tells apart
// (its predicates on the classes and staff groups she answers for, and whether she answers for any). A
// viewer with neither is refused.
func filterScope(obj string, within func(Scope) ([]entql.P, bool)) privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		s := ScopeOf(viewer.FromContext(ctx), obj)
		preds, some := within(s)
		if len(s.Tenants) == 0 && !some {
			return privacy.Denyf("no scope to read %s", obj)
		}
		f.Where(entql.Or(In("tenant_id", s.Tenants), preds[0], preds[1:]...)) // within gives one predicate at least
		return privacy.Skip
	})
}

// FilterUndecidedStaffIllness hides a staff member's illness (alerts of rule staff_illness) from readers
// outside the school until the principal reports it upward (DOMAIN.md §4): such an alert is read only where
// the viewer's grants read staff_illness (the school's own staff), or once upward is "reported". An alert
// from before the decision existed (upward unset) waits like a pending one.
func FilterUndecidedStaffIllness() privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		s := ScopeOf(viewer.FromContext(ctx), authz.ObjStaffIllness)
		f.Where(entql.Or(entql.FieldNEQ("rule", "staff_illness"), entql.FieldEQ("upward", "reported"), In("tenant_id", s.Tenants)))
		return privacy.Skip
	})
}

// ClassColumn is a classPred on a column holding the class ID.
func ClassColumn(column string) func([]int) entql.P {
	return func(ids []int) entql.P { return In(column, ids) }
}

// ClassOfEdge is a classPred through an edge (a guardian's student, say).
func ClassOfEdge(edge, column string) func([]int) entql.P {
	return func(ids []int) entql.P { return entql.HasEdgeWith(edge, In(column, ids)) }
}

// NodesFunc returns the tree nodes a mutation touches, and the tenant they are in.
type NodesFunc func(ctx context.Context, m ent.Mutation) (tenantID int, nodes []string, err error)

// PermitAtNodes allows a mutation only where one of the viewer's grants permits the action at every
// node the mutation touches (for a move: the old place and the new one). Bulk updates and deletes are
// left to the scope filter and to the catalog.
func PermitAtNodes(obj string, nodesOf NodesFunc) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		act := actionOf(m.Op())
		if m.Op().Is(ent.OpUpdate | ent.OpDelete) {
			for _, g := range v.Grants {
				if v.Authz != nil && v.Authz.Allowed(g.Role, obj, act) {
					return privacy.Skip
				}
			}
			return privacy.Denyf("no grant may %s %s", act, obj)
		}
		return permitAt(ctx, m, obj, act, nodesOf)
	})
}

// PermitAtNodesAs is PermitAtNodes with the action fixed, whatever the mutation's operation: a step added
// to a follow-up (a new row) is an update of the follow-up, which whoever may update it may do.
func PermitAtNodesAs(obj, act string, nodesOf NodesFunc) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		return permitAt(ctx, m, obj, act, nodesOf)
	})
}

func permitAt(ctx context.Context, m ent.Mutation, obj, act string, nodesOf NodesFunc) error {
	v := viewer.FromContext(ctx)
	tid, nodes, err := nodesOf(ctx, m)
	if err != nil {
		return privacy.Denyf("%s: %v", obj, err)
	}
	if v.Authz == nil {
		return privacy.Denyf("no enforcer")
	}
	for _, node := range nodes {
		if !slices.ContainsFunc(v.Grants, func(g authz.Grant) bool { return v.Authz.Permits(g, tid, node, obj, act) }) {
			return privacy.Denyf("no grant may %s %s at %s", act, obj, node)
		}
	}
	return privacy.Skip
}

func actionOf(op ent.Op) string {
	switch {
	case op.Is(ent.OpCreate):
		return authz.ActCreate
	case op.Is(ent.OpDelete | ent.OpDeleteOne):
		return authz.ActDelete
	}
	return authz.ActUpdate
}

// PermitWhenSet applies an extra permission to mutations that set field to value (any value when value is
// ""): clearing a student's return to class (clearance = cleared) is the health teacher's decision, the
// daily verification of an illness absence (verified_at) the epidemic reporter's, not any follow-up editor's.
func PermitWhenSet(field, value, obj string, nodesOf NodesFunc) privacy.MutationRule {
	check := PermitAtNodes(obj, nodesOf)
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if v, ok := m.Field(field); ok && (value == "" || fmt.Sprint(v) == value) {
			return check.EvalMutation(ctx, m)
		}
		return privacy.Skip
	})
}

// PermitOnlyFields allows an update of one row that sets only the named fields (nothing cleared, no other
// edge) when a grant of the viewer may update obj at every node of the row: the narrow door into an
// otherwise read-only type (a daily report's attestation). Anything else is left to the rules after it.
func PermitOnlyFields(obj string, nodesOf NodesFunc, fields ...string) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if !m.Op().Is(ent.OpUpdateOne) || len(m.ClearedFields()) > 0 || len(m.AddedFields()) > 0 ||
			len(m.ClearedEdges()) > 0 || slices.ContainsFunc(m.Fields(), func(f string) bool { return !slices.Contains(fields, f) }) {
			return privacy.Skip
		}
		v := viewer.FromContext(ctx)
		if v.Authz == nil {
			return privacy.Skip
		}
		tid, nodes, err := nodesOf(ctx, m)
		if err != nil {
			return privacy.Denyf("%s: %v", obj, err)
		}
		for _, node := range nodes {
			if !slices.ContainsFunc(v.Grants, func(g authz.Grant) bool { return v.Authz.Permits(g, tid, node, obj, authz.ActUpdate) }) {
				return privacy.Denyf("no grant may update %s at %s", obj, node)
			}
		}
		return privacy.Allow
	})
}

// FilterSchoolScope limits rows of a type read only whole-school (daily reports) to the tenants where a
// grant at the school node allows reading obj. Grants below the school (a grade, a class) never reach it:
// a class teacher does not read the school's report.
func FilterSchoolScope(obj string) privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		s := ScopeOf(viewer.FromContext(ctx), obj)
		if len(s.Tenants) == 0 {
			return privacy.Denyf("no scope to read %s", obj)
		}
		f.Where(In("tenant_id", s.Tenants))
		return privacy.Skip
	})
}
