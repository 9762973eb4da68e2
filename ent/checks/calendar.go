// Package checks runs the class morning/noon checks (晨午检): the school calendar, what each class is
// expected to report, and submissions — validated, idempotent and versioned.
package checks

import (
	"context"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"

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
	if loc, ok := locations.Load(t.Timezone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(t.Timezone)
	if err != nil {
		return time.UTC
	}
	locations.Store(t.Timezone, loc)
	return loc
}

// locations caches time zones by name: time.LoadLocation reads and parses the zone file on every call, and
// every submission, board and chase step asks. A *time.Location is safe for concurrent use.
var locations sync.Map // string → *time.Location

// Clock names a stored time as a school's people read it: in the school's zone (loc), to the minute. The
// database hands times back in UTC (SQLite) or its server's zone (PostgreSQL); a message that formats one
// without this shows a user in Asia/Shanghai the wrong clock, or the wrong day.
func Clock(t time.Time, loc *time.Location) string { return t.In(loc).Format(ClockLayout) }

// ClockLayout is how messages for people write a date and time.
const ClockLayout = "2006-01-02 15:04"

// Today is the tenant's local date at now.
func Today(t *ent.Tenant, now time.Time) string { return now.In(Location(t)).Format(time.DateOnly) }

// SchoolDay reports whether date is a school day: a calendar override decides; otherwise a weekday inside a
// term (any weekday when the school has entered no terms yet).
func SchoolDay(ctx context.Context, c *ent.Client, t *ent.Tenant, date string) (bool, error) {
	cal, err := loadCalendar(ctx, c, t, date, date)
	if err != nil {
		return false, err
	}
	return cal.facts(date).schoolDay(date)
}

// calendar is a school's calendar overrides for a range of dates, and its terms.
type calendar struct {
	overrides map[string]calendarday.Kind
	terms     []*ent.Term
}

// loadCalendar reads the overrides of the dates from..to and the terms: two statements for any range.
func loadCalendar(ctx context.Context, c *ent.Client, t *ent.Tenant, from, to string) (*calendar, error) {
	ctx = privacy.DecisionContext(ctx, privacy.Allow) // the calendar is not secret; the caller was checked
	days, err := c.CalendarDay.Query().
		Where(calendarday.TenantID(t.ID), calendarday.DateGTE(from), calendarday.DateLTE(to)).All(ctx)
	if err != nil {
		return nil, err
	}
	cal := &calendar{overrides: make(map[string]calendarday.Kind, len(days))}
	for _, d := range days {
		cal.overrides[d.Date] = d.Kind
	}
	if cal.terms, err = c.Term.Query().Where(term.TenantID(t.ID)).All(ctx); err != nil {
		return nil, err
	}
	return cal, nil
}

func (cal *calendar) facts(date string) calendarFacts {
	f := calendarFacts{terms: len(cal.terms)}
	if k, ok := cal.overrides[date]; ok {
		f.override = &k
	}
	for _, tm := range cal.terms {
		if tm.StartDate <= date && date <= tm.EndDate {
			f.covering++
		}
	}
	return f
}

// calendarFacts are what decides whether a date is a school day: the calendar's override for the date, if
// any, how many terms the school has entered, and how many of them cover the date.
type calendarFacts struct {
	override        *calendarday.Kind
	terms, covering int
}

func (f calendarFacts) schoolDay(date string) (bool, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return false, err
	}
	switch {
	case f.override != nil:
		return *f.override == calendarday.KindSchoolDay, nil
	case d.Weekday() == time.Saturday || d.Weekday() == time.Sunday:
		return false, nil
	}
	return f.terms == 0 || f.covering > 0, nil
}

// withCalendar adds to a query the calendar facts of date for the tenant whose ID is in column tenantID, as
// three scalar subqueries (calendar_kind, calendar_terms, calendar_covering; read them with calendarOf), so
// that a row and its school's calendar come back in one statement. The calendar is not secret: the
// subqueries read it for any tenant the query returns.
func withCalendar(date string, tenantID column) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		s.AppendSelectExprAs(scalar(`SELECT "kind" FROM "calendar_days" WHERE "tenant_id" = ? AND "date" = ?`, tenantID, date), "calendar_kind")
		s.AppendSelectExprAs(scalar(`SELECT COUNT(*) FROM "terms" WHERE "tenant_id" = ?`, tenantID), "calendar_terms")
		s.AppendSelectExprAs(scalar(`SELECT COUNT(*) FROM "terms" WHERE "tenant_id" = ? AND "start_date" <= ? AND "end_date" >= ?`,
			tenantID, date, date), "calendar_covering")
	}
}

// calendarOf turns the columns withCalendar added into calendar facts.
func calendarOf(kind *string, terms, covering int) calendarFacts {
	f := calendarFacts{terms: terms, covering: covering}
	if kind != nil {
		k := calendarday.Kind(*kind)
		f.override = &k
	}
	return f
}
