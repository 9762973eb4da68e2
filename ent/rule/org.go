package rule

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/assignment"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/enrollment"
	"github.com/campushealth/campushealth/ent/hook"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// KeepEnrollmentHistory records each stay of a student in a class: a move or graduation ends the open
// enrollment and, for a move, opens the next. Nothing is deleted.
func KeepEnrollmentHistory() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.StudentFunc(func(ctx context.Context, m *ent.StudentMutation) (ent.Value, error) {
			newClass, set := m.ClassID()
			if !set && !m.ClassIDCleared() {
				return next.Mutate(ctx, m)
			}
			var oldClass *int
			if m.Op().Is(ent.OpUpdateOne) {
				var err error
				if oldClass, err = m.OldClassID(ctx); err != nil {
					return nil, err
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			id, _ := m.ID()
			if oldClass != nil && set && *oldClass == newClass {
				return v, nil
			}
			now, ictx, c := time.Now(), bypass(ctx), m.Client()
			if oldClass != nil {
				err := c.Enrollment.Update().Where(enrollment.StudentID(id), enrollment.EndOnIsNil()).SetEndOn(now).Exec(ictx)
				if err != nil {
					return nil, err
				}
			}
			if set {
				tid, err := rowTenant(ctx, m)
				if err != nil {
					return nil, err
				}
				err = c.Enrollment.Create().SetTenantID(tid).SetStudentID(id).SetClassID(newClass).SetStartOn(now).Exec(ictx)
				if err != nil {
					return nil, err
				}
			}
			return v, nil
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// DateLeaving dates a pupil's graduation or transfer and a staff member's leaving (left_on) when the change
// does not date it itself, and clears the date on coming back: retention counts from it. Saying again
// that someone has left keeps the first date.
func DateLeaving() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			var err error
			switch m := m.(type) {
			case *ent.StudentMutation:
				gone := func(s student.Status) bool { return s == student.StatusGraduated || s == student.StatusTransferred }
				if s, ok := m.Status(); ok {
					err = dateLeaving(ctx, m, gone(s), func(ctx context.Context) (bool, error) {
						old, err := m.OldStatus(ctx)
						return gone(old), err
					})
				}
			case *ent.StaffMutation:
				if s, ok := m.Status(); ok {
					err = dateLeaving(ctx, m, s == staff.StatusLeft, func(ctx context.Context) (bool, error) {
						old, err := m.OldStatus(ctx)
						return old == staff.StatusLeft, err
					})
				}
			}
			if err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}
}

// leaving is what DateLeaving needs of a pupil's or a staff member's mutation.
type leaving interface {
	Op() ent.Op
	LeftOn() (time.Time, bool)
	LeftOnCleared() bool
	SetLeftOn(time.Time)
	ClearLeftOn()
}

// dateLeaving dates or undates m, whose status says whether the person is gone; wasGone reads whether
// they were already (one row's update only).
func dateLeaving(ctx context.Context, m leaving, gone bool, wasGone func(context.Context) (bool, error)) error {
	if _, dated := m.LeftOn(); dated || m.LeftOnCleared() {
		return nil // the change says when itself
	}
	if m.Op().Is(ent.OpUpdateOne) {
		was, err := wasGone(ctx)
		if err != nil {
			return err
		}
		if was == gone {
			return nil
		}
	}
	switch {
	case gone:
		m.SetLeftOn(time.Now())
	case !m.Op().Is(ent.OpCreate):
		m.ClearLeftOn()
	}
	return nil
}

// LeavingEndsAccess switches off the user account of a member of staff who leaves: her sessions stop at
// their next request, and her assignments go quiet (chases, boards and lists read active accounts only).
// Switching it on again is the school's explicit step. Nobody marks herself as having left: she would lock
// herself out.
func LeavingEndsAccess() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.StaffFunc(func(ctx context.Context, m *ent.StaffMutation) (ent.Value, error) {
			if s, ok := m.Status(); !ok || s != staff.StatusLeft {
				return next.Mutate(ctx, m)
			}
			ids, err := m.IDs(ctx)
			if err != nil {
				return nil, err
			}
			c := m.Client()
			users, err := c.Staff.Query().Where(staff.IDIn(ids...), staff.UserIDNotNil()).
				Select(staff.FieldUserID).Ints(bypass(ctx))
			if err != nil {
				return nil, err
			}
			if v := viewer.FromContext(ctx); v != nil && v.UserID != 0 && slices.Contains(users, v.UserID) {
				return nil, types.Invalid("status", "you cannot mark yourself as having left: another admin does")
			}
			value, err := next.Mutate(ctx, m)
			if err != nil || len(users) == 0 {
				return value, err
			}
			// As the caller, who may not otherwise edit accounts, so that the audit names her.
			if err := c.User.Update().Where(user.IDIn(users...)).SetActive(false).Exec(privacy.DecisionContext(ctx, privacy.Allow)); err != nil {
				return nil, err
			}
			return value, nil
		})
	}, ent.OpUpdate|ent.OpUpdateOne)
}

// AllowSelfDelegation lets the holder of an assignment hand it to someone else (代班) for a period within
// the assignment's own: the same role at the same node, pointing back at the original. A revoked or
// expired assignment cannot be handed on, and nobody delegates to themselves.
func AllowSelfDelegation() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.AssignmentMutationRuleFunc(func(ctx context.Context, m *ent.AssignmentMutation) error {
		from, ok := m.DelegatedFromID()
		if !ok {
			return privacy.Skip
		}
		orig, err := m.Client().Assignment.Get(bypass(ctx), from)
		if err != nil {
			return privacy.Denyf("delegated assignment: %v", err)
		}
		v := viewer.FromContext(ctx)
		if orig.UserID != v.UserID {
			return privacy.Skip // anyone else needs the right to assign at that node
		}
		role, _ := m.Role()
		typ, _ := m.NodeType()
		node, _ := m.NodeID()
		sub, _ := m.UserID()
		start, _ := m.ValidFrom()
		end, hasEnd := m.ValidTo()
		switch {
		case orig.Role != role || orig.NodeType != typ || orig.NodeID != node:
			return privacy.Denyf("a substitute takes the same role at the same node")
		case sub == orig.UserID:
			return privacy.Denyf("delegate to someone else")
		case !hasEnd:
			return privacy.Denyf("a delegation needs an end")
		case start.Before(orig.ValidFrom) || (orig.ValidTo != nil && end.After(*orig.ValidTo)):
			return privacy.Denyf("a delegation must lie within the delegated assignment's period")
		case orig.ValidTo != nil && !time.Now().Before(*orig.ValidTo):
			return privacy.Denyf("the delegated assignment has ended")
		}
		return privacy.Allow
	}), ent.OpCreate)
}

// ValidateAssignment checks that the node exists in the assignment's tenant, that the period is a
// period, and that a substitute's assignment matches the one it stands in for.
func ValidateAssignment() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.AssignmentFunc(func(ctx context.Context, m *ent.AssignmentMutation) (ent.Value, error) {
			if m.Op().Is(ent.OpCreate) {
				if r, _ := m.Role(); !r.IsSchoolRole() {
					return nil, types.Invalid("role", "%s is not a role within an institution", r)
				}
				if err := validateNode(ctx, m); err != nil {
					return nil, err
				}
			}
			if to, ok := m.ValidTo(); ok {
				from, ok := m.ValidFrom()
				if !ok && m.Op().Is(ent.OpUpdateOne) {
					var err error
					if from, err = m.OldValidFrom(ctx); err != nil {
						return nil, err
					}
				}
				// A new assignment is a period; an ended one may be empty (revoked before it began: never held).
				if !from.IsZero() && (to.Before(from) || (m.Op().Is(ent.OpCreate) && to.Equal(from))) {
					return nil, types.Invalid("validTo", "must be after validFrom")
				}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

func validateNode(ctx context.Context, m *ent.AssignmentMutation) error {
	tid, err := rowTenant(ctx, m)
	if err != nil {
		return err
	}
	typ, _ := m.NodeType()
	id, _ := m.NodeID()
	if typ == authz.NodeSchool {
		if id != tid {
			return types.Invalid("nodeID", "the school node of tenant %d is %d", tid, tid)
		}
		return nil
	}
	n, err := m.Client().Noder(bypass(ctx), id)
	if err != nil {
		return types.Invalid("nodeID", "no %s %d", typ, id)
	}
	want := map[authz.NodeType]string{authz.NodeGrade: "Grade", authz.NodeClass: "Class", authz.NodeStaffGroup: "StaffGroup"}[typ]
	if got := fmt.Sprintf("%T", n); got != "*ent."+want {
		return types.Invalid("nodeID", "%d is not a %s", id, typ)
	}
	if t, _ := TenantOf(n); t != tid {
		return types.Invalid("nodeID", "%s %d belongs to another tenant", typ, id)
	}
	if from, ok := m.DelegatedFromID(); ok {
		orig, err := m.Client().Assignment.Query().Where(assignment.ID(from), assignment.TenantID(tid)).Only(bypass(ctx))
		if err != nil {
			return types.Invalid("delegatedFromID", "no assignment %d here", from)
		}
		role, _ := m.Role()
		if orig.Role != role || orig.NodeType != typ || orig.NodeID != id {
			return types.Invalid("delegatedFromID", "a substitute takes the same role at the same node")
		}
	}
	return nil
}

// EndDelegations: when an assignment ends, so do the delegations standing in for it (代班): a substitute
// keeps nothing the teacher no longer holds. One that had not begun is ended before it begins.
func EndDelegations() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.AssignmentFunc(func(ctx context.Context, m *ent.AssignmentMutation) (ent.Value, error) {
			end, ending := m.ValidTo()
			id, _ := m.ID()
			v, err := next.Mutate(ctx, m)
			if err != nil || !ending {
				return v, err
			}
			subs, err := m.Client().Assignment.Query().Where(assignment.DelegatedFromID(id),
				assignment.Or(assignment.ValidToIsNil(), assignment.ValidToGT(end))).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, d := range subs {
				to := end
				if d.ValidFrom.After(end) {
					to = d.ValidFrom
				}
				if err := m.Client().Assignment.UpdateOne(d).SetValidTo(to).Exec(ctx); err != nil {
					return nil, fmt.Errorf("ending delegation %d: %w", d.ID, err)
				}
			}
			return v, nil
		})
	}, ent.OpUpdateOne)
}
