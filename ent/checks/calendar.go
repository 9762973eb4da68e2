// Package checks runs the class morning/noon checks (晨午检): the school calendar, what each class is
// expected to report, and submissions — validated, idempotent and versioned.
package checks

import (
	"context"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/calendarday"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/term"
)

// Session is a check session of the day.
type Session = classcheck.Session

// Location is the tenant's time zone (validated when the tenant was saved).
func Location(t *ent.Tenant) *time.Location {
	loc, err := time.LoadLocation(t.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Today is the tenant's local date at now.
func Today(t *ent.Tenant, now time.Time) string { return now.In(Location(t)).Format(time.DateOnly) }

// SchoolDay reports whether date is a school day: a calendar override decides; otherwise a weekday inside a
// term (any weekday when the school has entered no terms yet).
func SchoolDay(ctx context.Context, c *ent.Client, t *ent.Tenant, date string) (bool, error) {
	ctx = privacy.DecisionContext(ctx, privacy.Allow) // the calendar is not secret; the caller was checked
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return false, err
	}
	override, err := c.CalendarDay.Query().Where(calendarday.TenantID(t.ID), calendarday.Date(date)).Only(ctx)
	switch {
	case err == nil:
		return override.Kind == calendarday.KindSchoolDay, nil
	case !ent.IsNotFound(err):
		return false, err
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false, nil
	}
	terms, err := c.Term.Query().Where(term.TenantID(t.ID)).All(ctx)
	if err != nil {
		return false, err
	}
	if len(terms) == 0 {
		return true, nil
	}
	for _, tm := range terms {
		if tm.StartDate <= date && date <= tm.EndDate {
			return true, nil
		}
	}
	return false, nil
}
