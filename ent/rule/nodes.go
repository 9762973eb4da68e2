package rule

import (
	"context"
	"errors"
	"fmt"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Where each mutation sits in the organisation tree, for PermitAtNodes.

// bypass is the context of the rules' own lookups: privacy bypassed (they must see the row to judge it), and
// none of the request's other values. In particular not gqlgen's field context, with which entgql's
// Noder/Noders load only the columns the client selected, leaving out tenant_id.
func bypass(ctx context.Context) context.Context {
	return privacy.DecisionContext(detached{ctx}, privacy.Allow)
}

// detached keeps a context's deadline and cancellation, and hides its values.
type detached struct{ context.Context }

func (detached) Value(any) any { return nil }

// rowTenant is the tenant of the row: named on create (or the viewer's), the stored one on update.
func rowTenant(ctx context.Context, m ent.Mutation) (int, error) {
	if m.Op().Is(ent.OpCreate) {
		if t, ok := m.Field("tenant_id"); ok {
			return t.(int), nil
		}
		if v := viewer.FromContext(ctx); v != nil && v.TenantID != 0 {
			return v.TenantID, nil
		}
		return 0, errors.New("no tenant")
	}
	old, err := m.OldField(ctx, "tenant_id")
	if err != nil {
		return 0, err
	}
	return old.(int), nil
}

// SchoolNode: the object belongs to the whole institution (campuses, grades, staff, staff groups).
func SchoolNode(ctx context.Context, m ent.Mutation) (int, []string, error) {
	tid, err := rowTenant(ctx, m)
	return tid, []string{authz.Node(authz.NodeSchool, tid)}, err
}

// classNode is the node of a class, or the school for rows with no class.
func classNode(tid int, classID *int) string {
	if classID == nil {
		return authz.Node(authz.NodeSchool, tid)
	}
	return authz.Node(authz.NodeClass, *classID)
}

// ClassNodes: a class sits under its grade when created; an update acts on the class itself and, when it
// moves to another grade, on the grade it moves to.
func ClassNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	cm := m.(*ent.ClassMutation)
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	gradeNode := func(gid *int) string {
		if gid == nil {
			return authz.Node(authz.NodeSchool, tid)
		}
		return authz.Node(authz.NodeGrade, *gid)
	}
	if m.Op().Is(ent.OpCreate) {
		gid, ok := cm.GradeID()
		if !ok {
			return tid, []string{gradeNode(nil)}, nil
		}
		return tid, []string{gradeNode(&gid)}, nil
	}
	id, _ := cm.ID()
	nodes := []string{authz.Node(authz.NodeClass, id)}
	if gid, ok := cm.GradeID(); ok {
		nodes = append(nodes, gradeNode(&gid))
	} else if cm.GradeIDCleared() {
		nodes = append(nodes, gradeNode(nil))
	}
	return tid, nodes, nil
}

// StudentNodes: a student sits in its class; a move needs the right at the old class and the new one.
func StudentNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	sm := m.(*ent.StudentMutation)
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	var nodes []string
	if !m.Op().Is(ent.OpCreate) {
		old, err := sm.OldClassID(ctx)
		if err != nil {
			return 0, nil, err
		}
		nodes = append(nodes, classNode(tid, old))
	}
	if cid, ok := sm.ClassID(); ok {
		nodes = append(nodes, classNode(tid, &cid))
	} else if m.Op().Is(ent.OpCreate) || sm.ClassIDCleared() {
		nodes = append(nodes, classNode(tid, nil))
	}
	return tid, nodes, nil
}

// GuardianNodes: a guardian sits in the class of its student.
func GuardianNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	gm := m.(*ent.GuardianMutation)
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	var students []int
	if !m.Op().Is(ent.OpCreate) {
		old, err := gm.OldStudentID(ctx)
		if err != nil {
			return 0, nil, err
		}
		students = append(students, old)
	}
	if sid, ok := gm.StudentID(); ok {
		students = append(students, sid)
	}
	var nodes []string
	for _, sid := range students {
		s, err := gm.Client().Student.Get(bypass(ctx), sid)
		if err != nil {
			return 0, nil, fmt.Errorf("student %d: %w", sid, err)
		}
		if s.TenantID != tid {
			return 0, nil, fmt.Errorf("student %d belongs to another tenant", sid)
		}
		nodes = append(nodes, classNode(tid, s.ClassID))
	}
	return tid, nodes, nil
}

// AssignmentNodes: granting or revoking a role at a node is an action on assignments at that node.
func AssignmentNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	am := m.(*ent.AssignmentMutation)
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	if m.Op().Is(ent.OpCreate) {
		typ, _ := am.NodeType()
		id, _ := am.NodeID()
		return tid, []string{authz.Node(typ, id)}, nil
	}
	typ, err := am.OldNodeType(ctx)
	if err != nil {
		return 0, nil, err
	}
	id, err := am.OldNodeID(ctx)
	return tid, []string{authz.Node(typ, id)}, err
}

// ClassRowNodes: a row that belongs to one class (a check, an exemption) sits at that class.
func ClassRowNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	return rowAt(ctx, m, "class_id", authz.NodeClass)
}

// StaffGroupRowNodes: a staff check sits at its staff group.
func StaffGroupRowNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	return rowAt(ctx, m, "staff_group_id", authz.NodeStaffGroup)
}

// PersonRowNodes: a row of a pupil sits at her class, of a staff member at the staff group named (a stay in
// the observation room), and one with neither at the school.
func PersonRowNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	for _, at := range []struct {
		column string
		typ    authz.NodeType
	}{{"class_id", authz.NodeClass}, {"staff_group_id", authz.NodeStaffGroup}} {
		if id, ok, err := rowColumn(ctx, m, at.column); err != nil || ok {
			return tid, []string{authz.Node(at.typ, id)}, err
		}
	}
	return tid, []string{authz.Node(authz.NodeSchool, tid)}, nil
}

// rowAt: the row sits at the node its column names (the new value on create, the stored one after).
func rowAt(ctx context.Context, m ent.Mutation, column string, typ authz.NodeType) (int, []string, error) {
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	id, ok, err := rowColumn(ctx, m, column)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, fmt.Errorf("no %s", typ)
	}
	return tid, []string{authz.Node(typ, id)}, nil
}

// rowColumn is the ID a column of the row holds, if any: the new value on create, the stored one after.
func rowColumn(ctx context.Context, m ent.Mutation, column string) (int, bool, error) {
	var v any
	if m.Op().Is(ent.OpCreate) {
		var set bool
		if v, set = m.Field(column); !set {
			return 0, false, nil
		}
	} else {
		var err error
		if v, err = m.OldField(ctx, column); err != nil {
			return 0, false, err
		}
	}
	switch id := v.(type) {
	case int:
		return id, true, nil
	case *int: // a nillable column's stored value
		if id != nil {
			return *id, true, nil
		}
	}
	return 0, false, nil
}

// EntryNodes: a check's line sits at the check's class.
func EntryNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	em := m.(*ent.CheckEntryMutation)
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	checkID, ok := em.CheckID()
	if !ok {
		if checkID, err = em.OldCheckID(ctx); err != nil {
			return 0, nil, err
		}
	}
	if k, ok := known(ctx, checkID); ok && k.ClassID != 0 {
		return tid, []string{authz.Node(authz.NodeClass, k.ClassID)}, nil
	}
	chk, err := em.Client().ClassCheck.Get(bypass(ctx), checkID)
	if err != nil {
		return 0, nil, fmt.Errorf("check %d: %w", checkID, err)
	}
	return tid, []string{authz.Node(authz.NodeClass, chk.ClassID)}, nil
}

// StaffEntryNodes: a staff check's line sits at the check's staff group.
func StaffEntryNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	em := m.(*ent.StaffCheckEntryMutation)
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	checkID, ok := em.CheckID()
	if !ok {
		if checkID, err = em.OldCheckID(ctx); err != nil {
			return 0, nil, err
		}
	}
	chk, err := em.Client().StaffCheck.Get(bypass(ctx), checkID)
	if err != nil {
		return 0, nil, fmt.Errorf("staff check %d: %w", checkID, err)
	}
	return tid, []string{authz.Node(authz.NodeStaffGroup, chk.StaffGroupID)}, nil
}

// FollowUpStepNodes: an update of a follow-up sits at the follow-up's class.
func FollowUpStepNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	um := m.(*ent.FollowUpStepMutation)
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	fid, _ := um.FollowUpID()
	f, err := um.Client().FollowUp.Get(bypass(ctx), fid)
	if err != nil {
		return 0, nil, fmt.Errorf("follow-up %d: %w", fid, err)
	}
	return tid, []string{authz.Node(authz.NodeClass, f.ClassID)}, nil
}

// AlertNodes: an alert sits at its class, or at the school when it has none.
func AlertNodes(ctx context.Context, m ent.Mutation) (int, []string, error) {
	am := m.(*ent.AlertMutation)
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return 0, nil, err
	}
	var cid *int
	if m.Op().Is(ent.OpCreate) {
		if id, ok := am.ClassID(); ok {
			cid = &id
		}
	} else if cid, err = am.OldClassID(ctx); err != nil {
		return 0, nil, err
	}
	return tid, []string{classNode(tid, cid)}, nil
}
