package checks

import (
	"context"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/staffcheck"
	"github.com/campushealth/campushealth/ent/staffgroup"
)

// State of an expected report. "Not reported" is never shown as zero: pending is its own state.
type State string

const (
	NotDue    State = "not_due"   // not a school day, the class did not exist, or the date has not come
	Pending   State = "pending"   // expected, not yet reported (Overdue once past the deadline)
	Submitted State = "submitted" // reported on time
	Late      State = "late"      // first reported after the deadline
	Exempted  State = "exempted"  // exam, trip, closure…: see the exemption's reason and who decided
)

// Expectation is what one class owes for one date and session, and where it stands.
type Expectation struct {
	State     State
	Overdue   bool // pending past the deadline
	Deadline  time.Time
	Check     *ent.ClassCheck // the current version, if any
	Exemption *ent.Exemption
}

// StaffExpectation is what one staff group owes for one date and session (教职工晨午检), and where it
// stands: as a class's, without exemptions.
type StaffExpectation struct {
	State    State
	Overdue  bool
	Deadline time.Time
	Check    *ent.StaffCheck // the current version, if any
}

// due reads an institution's rules and calendar for a date and session (dueBy says the rest).
func due(ctx context.Context, c *ent.Client, t *ent.Tenant, date string, s Session, now time.Time) (Rules, time.Time, bool, error) {
	rules, err := RulesFor(ctx, c, t)
	if err != nil {
		return Rules{}, time.Time{}, false, err
	}
	school, err := SchoolDay(ctx, c, t, date)
	if err != nil {
		return Rules{}, time.Time{}, false, err
	}
	deadline, isDue, err := dueBy(rules, school, date, s, now)
	return rules, deadline, isDue, err
}

// dueBy is a session's deadline on date, and whether a report is due at all: a school day of the
// institution's calendar (schoolDay), a session it holds, a date that has come.
func dueBy(rules Rules, schoolDay bool, date string, s Session, now time.Time) (time.Time, bool, error) {
	deadline, err := rules.Deadline(date, s)
	if err != nil {
		return time.Time{}, false, err
	}
	return deadline, schoolDay && rules.Holds(s) && date <= rules.Today(now), nil
}

// settle is the state of a due report from its versions: none yet is pending (overdue past the deadline);
// otherwise the first version decides between on time and late (a later correction does not).
func settle(versions int, firstOnTime bool, deadline, now time.Time) (State, bool) {
	switch {
	case versions == 0:
		return Pending, now.After(deadline)
	case firstOnTime:
		return Submitted, false
	}
	return Late, false
}

// Expect computes a class's expected report for a date and session at now. The class is read with the
// caller's rights.
func Expect(ctx context.Context, c *ent.Client, classID int, date string, s Session, now time.Time) (*Expectation, error) {
	cl, err := c.Class.Query().Where(class.ID(classID)).WithTenant().Only(ctx)
	if err != nil {
		return nil, err
	}
	rules, deadline, isDue, err := due(ctx, c, cl.Edges.Tenant, date, s, now)
	if err != nil {
		return nil, err
	}
	x := &Expectation{Deadline: deadline, State: NotDue}
	if !isDue || (cl.ClosedOn != nil && date >= cl.ClosedOn.In(rules.Location).Format(time.DateOnly)) {
		return x, nil
	}
	internal := privacy.DecisionContext(ctx, privacy.Allow) // the class was checked above
	x.Exemption, err = c.Exemption.Query().Where(exemption.ClassID(classID), exemption.Date(date),
		exemption.Or(exemption.SessionIsNil(), exemption.SessionEQ(exemption.Session(s)))).First(internal)
	if err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	if x.Exemption != nil {
		x.State = Exempted
		return x, nil
	}
	first, err := c.ClassCheck.Query().Where(classcheck.ClassID(classID), classcheck.Date(date), classcheck.SessionEQ(s)).
		Order(ent.Asc(classcheck.FieldVersion)).All(internal)
	if err != nil {
		return nil, err
	}
	x.State, x.Overdue = settle(len(first), len(first) > 0 && first[0].OnTime, deadline, now)
	for _, chk := range first {
		if chk.Current {
			x.Check = chk
		}
	}
	return x, nil
}

// ExpectStaff computes a staff group's expected report for a date and session at now. The group is read
// with the caller's rights.
func ExpectStaff(ctx context.Context, c *ent.Client, groupID int, date string, s Session, now time.Time) (*StaffExpectation, error) {
	g, err := c.StaffGroup.Query().Where(staffgroup.ID(groupID)).WithTenant().Only(ctx)
	if err != nil {
		return nil, err
	}
	_, deadline, isDue, err := due(ctx, c, g.Edges.Tenant, date, s, now)
	if err != nil {
		return nil, err
	}
	x := &StaffExpectation{Deadline: deadline, State: NotDue}
	if !isDue {
		return x, nil
	}
	versions, err := c.StaffCheck.Query().Where(staffcheck.StaffGroupID(groupID), staffcheck.Date(date),
		staffcheck.SessionEQ(staffcheck.Session(s))).Order(ent.Asc(staffcheck.FieldVersion)).All(internal(ctx)) // the group was checked above
	if err != nil {
		return nil, err
	}
	x.State, x.Overdue = settle(len(versions), len(versions) > 0 && versions[0].OnTime, deadline, now)
	for _, chk := range versions {
		if chk.Current {
			x.Check = chk
		}
	}
	return x, nil
}
