package chase

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/assignment"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/chaselog"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/user"
)

// ErrStaleStep: the step no longer exists in the school's ladder or calendar (its settings changed
// since it was queued). The task is dropped, not retried.
var ErrStaleStep = errors.New("chase: the step is no longer in the school's ladder or calendar")

// Fire runs a step: the school's classes still pending now are chased; each person named by the step is
// told once, about all their pending classes; each class gets one log row for the step. Safe to run
// again (a retry): logged classes are skipped and the notifier de-duplicates per person and step.
func Fire(ctx context.Context, c *ent.Client, n Notifier, s Step, now time.Time) error {
	ctx = system(ctx)
	t, err := c.Tenant.Get(ctx, s.TenantID)
	if err != nil {
		return err
	}
	r, err := checks.RulesFor(ctx, c, t)
	if err != nil {
		return err
	}
	session := classcheck.Session(s.Session)
	if s.Index < 0 || s.Index >= len(r.Ladder) || !r.Holds(session) || t.Status != tenant.StatusActive {
		return ErrStaleStep
	}
	step := r.Ladder[s.Index]
	deadline, err := r.Deadline(s.Date, session)
	if err != nil {
		return err
	}
	d := day{s.Date, r.Location}
	in, err := schoolDays(ctx, c, map[int]day{t.ID: d})
	if err != nil {
		return err // retried: a database error is not a stale step
	}
	if !in[t.ID] {
		return ErrStaleStep // the day became a holiday since the step was queued
	}
	pend, err := pending(ctx, c, []Step{s}, map[int]day{t.ID: d})
	if err != nil {
		return err
	}
	classes := pend[key{t.ID, s.Session}]
	// The day's log of these classes: which this step has logged already (a retry skips them), and who was
	// told about each how often (the cap).
	today, err := c.ChaseLog.Query().Where(chaselog.TenantID(t.ID), chaselog.Date(s.Date), chaselog.ClassIDIn(idsOf(classes)...)).
		Select(chaselog.FieldClassID, chaselog.FieldSession, chaselog.FieldStep, chaselog.FieldRecipientIds).All(ctx)
	if err != nil {
		return err
	}
	classes = slices.DeleteFunc(slices.Clone(classes), func(cl *ent.Class) bool {
		return slices.ContainsFunc(today, func(l *ent.ChaseLog) bool {
			return l.ClassID == cl.ID && string(l.Session) == s.Session && l.Step == s.Index
		})
	})
	if len(classes) == 0 {
		return nil // everyone reported (or was exempted) since the step was queued: nothing to say
	}
	told, names, err := audience(ctx, c, t, step.Notify, classes, now)
	if err != nil {
		return err
	}
	capped := spent(today, told, r.ChaseCap)

	// One message per person: the classes they answer for that are still pending.
	byUser := map[int][]*ent.Class{}
	for _, cl := range classes {
		for _, u := range told[cl.ID] {
			byUser[u] = append(byUser[u], cl)
		}
	}
	var teachers map[int]string // the class teachers' names, read when an escalation names them
	ref, hm := fmt.Sprintf("class-check:%d:%s:%s", t.ID, s.Date, s.Session), deadline.In(r.Location).Format("15:04")
	sent := map[int]int{} // user → notification
	var sendErr error
	for _, u := range sortedKeys(byUser) {
		cls := byUser[u]
		data := map[string]any{
			"Date": s.Date, "Session": s.Session, "Deadline": hm,
			"Classes": classNames(cls), "Overdue": !now.Before(deadline), "Step": s.Index,
		}
		template := "chase.reminder"
		switch {
		case len(cls) > 1:
			template = "chase.digest"
			data["Scope"], data["Missing"] = t.Name, classNames(cls)
		case step.OffsetMinutes >= 0:
			if teachers == nil {
				if teachers, err = classTeachers(ctx, c, t, classes, now); err != nil {
					return err
				}
			}
			template = "chase.escalation"
			data["Class"], data["Teacher"] = cls[0].Name, teachers[cls[0].ID]
		default:
			data["Class"] = cls[0].Name
		}
		ids, err := n.Notify(ctx, Message{TenantID: t.ID, UserIDs: []int{u}, Template: template, Data: data,
			DedupeKey: s.TaskID(), Ref: ref})
		if err != nil {
			sendErr = errors.Join(sendErr, fmt.Errorf("notify user %d: %w", u, err))
			continue
		}
		if len(ids) > 0 {
			sent[u] = ids[0]
		}
	}

	if rn, ok := n.(RobotNotifier); ok { // the school's group chat sees the step once, as a digest
		err := rn.NotifyRobots(ctx, t.ID, "chase.digest", map[string]any{
			"Scope": t.Name, "Date": s.Date, "Session": s.Session, "Deadline": hm, "Missing": classNames(classes),
		}, s.TaskID(), ref)
		if err != nil {
			sendErr = errors.Join(sendErr, fmt.Errorf("robots: %w", err))
		}
	}

	due := deadline.Add(time.Duration(step.OffsetMinutes) * time.Minute)
	logs := make([]*ent.ChaseLogCreate, 0, len(classes))
	for _, cl := range classes {
		users := told[cl.ID]
		var who []string
		var notes []int
		outcome := chaselog.OutcomeSent
		for _, u := range users {
			who = append(who, names[u])
			if id, ok := sent[u]; ok {
				notes = append(notes, id)
			}
		}
		switch {
		case len(users) == 0 && capped[cl.ID]:
			outcome = chaselog.OutcomeCapped
		case len(users) == 0:
			outcome = chaselog.OutcomeNoRecipient
		case len(notes) < len(users):
			outcome = chaselog.OutcomeFailed
		}
		create := c.ChaseLog.Create().SetTenantID(t.ID).SetClassID(cl.ID).SetDate(s.Date).
			SetSession(chaselog.Session(s.Session)).SetStep(s.Index).SetOffsetMinutes(step.OffsetMinutes).
			SetDueAt(due).SetFiredAt(now).SetAudiences(step.Notify).SetRecipientIds(users).SetRecipients(who).
			SetNotificationIds(notes).SetOutcome(outcome)
		if outcome == chaselog.OutcomeFailed && sendErr != nil {
			create.SetError(truncate(sendErr.Error(), 512))
		}
		logs = append(logs, create)
	}
	if err := c.ChaseLog.CreateBulk(logs...).Exec(ctx); err != nil {
		return errors.Join(sendErr, err)
	}
	return sendErr
}

func idsOf(classes []*ent.Class) []int {
	ids := make([]int, len(classes))
	for i, cl := range classes {
		ids[i] = cl.ID
	}
	return ids
}

// spent leaves out of told (class → users) whoever the day's log shows told about the class limit times
// already, in any session (DOMAIN.md §4, chase limits: no more than 3 messages a day to one person about
// one class; a digest counts once for each of its classes), and says which classes lost someone to it.
func spent(today []*ent.ChaseLog, told map[int][]int, limit int) map[int]bool {
	type pair struct{ class, user int }
	times := map[pair]int{}
	for _, l := range today {
		for _, u := range l.RecipientIds {
			times[pair{l.ClassID, u}]++
		}
	}
	capped := map[int]bool{}
	for class, users := range told {
		kept := slices.DeleteFunc(slices.Clone(users), func(u int) bool { return times[pair{class, u}] >= limit })
		if len(kept) < len(users) {
			told[class], capped[class] = kept, true
		}
	}
	return capped
}

// SchoolHolders are the active users who hold any of roles for the whole school at now: by their account's
// role or by an assignment at the school node.
func SchoolHolders(ctx context.Context, c *ent.Client, tenantID int, now time.Time, roles ...authz.Role) ([]int, error) {
	byRole, err := c.User.Query().Where(user.TenantID(tenantID), user.RoleIn(roles...), user.Active(true)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	byAssignment, err := c.Assignment.Query().Where(assignment.TenantID(tenantID), assignment.ValidFromLTE(now),
		assignment.Or(assignment.ValidToIsNil(), assignment.ValidToGT(now)), assignment.RoleIn(roles...),
		assignment.NodeTypeEQ(authz.NodeSchool)).Select(assignment.FieldUserID).Ints(ctx)
	return append(byRole, byAssignment...), err
}

// DistrictAdmins are the active admins of a district.
func DistrictAdmins(ctx context.Context, c *ent.Client, districtID int) ([]int, error) {
	return c.User.Query().Where(user.TenantID(districtID), user.RoleEQ(authz.DistrictAdmin), user.Active(true)).IDs(ctx)
}

// audience resolves who a step tells about each class: the users by class ID, and their names.
func audience(ctx context.Context, c *ent.Client, t *ent.Tenant, who []string, classes []*ent.Class, now time.Time) (map[int][]int, map[int]string, error) {
	told := map[int][]int{}
	add := func(class int, users ...int) {
		for _, u := range users {
			if !slices.Contains(told[class], u) {
				told[class] = append(told[class], u)
			}
		}
	}
	classIDs := make([]int, len(classes))
	var gradeIDs []int
	for i, cl := range classes {
		classIDs[i] = cl.ID
		if cl.GradeID != nil {
			gradeIDs = append(gradeIDs, *cl.GradeID)
		}
	}
	held := assignment.And(assignment.TenantID(t.ID), assignment.ValidFromLTE(now),
		assignment.Or(assignment.ValidToIsNil(), assignment.ValidToGT(now)))
	for _, w := range who {
		switch w {
		case "class_teacher": // the class teacher and an active substitute (a delegation is an assignment too)
			as, err := c.Assignment.Query().Where(held, assignment.RoleEQ(authz.ClassTeacher),
				assignment.NodeTypeEQ(authz.NodeClass), assignment.NodeIDIn(classIDs...)).All(ctx)
			if err != nil {
				return nil, nil, err
			}
			for _, a := range as {
				add(a.NodeID, a.UserID)
			}
		case "grade_leader":
			as, err := c.Assignment.Query().Where(held, assignment.RoleEQ(authz.GradeLeader),
				assignment.NodeTypeEQ(authz.NodeGrade), assignment.NodeIDIn(gradeIDs...)).All(ctx)
			if err != nil {
				return nil, nil, err
			}
			for _, cl := range classes {
				for _, a := range as {
					if cl.GradeID != nil && a.NodeID == *cl.GradeID {
						add(cl.ID, a.UserID)
					}
				}
			}
		case "principal", "epidemic_reporter":
			users, err := SchoolHolders(ctx, c, t.ID, now, authz.Role(w))
			if err != nil {
				return nil, nil, err
			}
			for _, cl := range classes {
				add(cl.ID, users...)
			}
		case "district_admin":
			if t.ParentID == nil {
				continue
			}
			users, err := DistrictAdmins(ctx, c, *t.ParentID)
			if err != nil {
				return nil, nil, err
			}
			for _, cl := range classes {
				add(cl.ID, users...)
			}
		}
	}
	var all []int
	for _, us := range told {
		all = append(all, us...)
	}
	names := map[int]string{}
	users, err := c.User.Query().Where(user.IDIn(all...), user.Active(true)).All(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, u := range users {
		names[u.ID] = u.DisplayName
	}
	for cl, us := range told { // an inactive account is told nothing
		told[cl] = slices.DeleteFunc(us, func(u int) bool { _, ok := names[u]; return !ok })
	}
	return told, names, nil
}

// classTeachers names each class's class teachers (with substitutes), as the escalations show them.
func classTeachers(ctx context.Context, c *ent.Client, t *ent.Tenant, classes []*ent.Class, now time.Time) (map[int]string, error) {
	told, names, err := audience(ctx, c, t, []string{"class_teacher"}, classes, now)
	if err != nil {
		return nil, err
	}
	out := map[int]string{}
	for cl, users := range told {
		var who []string
		for _, u := range users {
			who = append(who, names[u])
		}
		out[cl] = strings.Join(who, "、")
	}
	return out, nil
}

func classNames(cls []*ent.Class) []string {
	out := make([]string, len(cls))
	for i, cl := range cls {
		out[i] = cl.Name
	}
	return out
}

func sortedKeys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
