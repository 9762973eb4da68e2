package checks

import (
	"context"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/privacy"
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

// Expect computes a class's expected report for a date and session at now. The class is read with the
// caller's rights.
func Expect(ctx context.Context, c *ent.Client, classID int, date string, s Session, now time.Time) (*Expectation, error) {
	cl, err := c.Class.Query().Where(class.ID(classID)).WithTenant().Only(ctx)
	if err != nil {
		return nil, err
	}
	t := cl.Edges.Tenant
	rules, err := RulesFor(ctx, c, t)
	if err != nil {
		return nil, err
	}
	deadline, err := rules.Deadline(date, s)
	if err != nil {
		return nil, err
	}
	x := &Expectation{Deadline: deadline, State: NotDue}
	school, err := SchoolDay(ctx, c, t, date)
	if err != nil {
		return nil, err
	}
	if !school || !rules.Holds(s) || date > rules.Today(now) || (cl.ClosedOn != nil && date >= cl.ClosedOn.In(rules.Location).Format(time.DateOnly)) {
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
	switch {
	case len(first) == 0:
		x.State, x.Overdue = Pending, now.After(deadline)
	case first[0].OnTime:
		x.State = Submitted
	default:
		x.State = Late
	}
	for _, chk := range first {
		if chk.Current {
			x.Check = chk
		}
	}
	return x, nil
}
