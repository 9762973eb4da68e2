// Package chase runs the chase (催报) of classes that have not reported a check: a ladder of steps around
// each session's deadline (DOMAIN.md §3.4), each telling the next people up the responsibility chain.
//
// Due finds, every minute, the (school, date, session, step) whose time has come and that still has a
// class to chase; each becomes one task with a deterministic ID, so two schedulers or a restart never
// chase twice. Fire runs a step: it decides again which classes are still pending at that moment — a
// class that reported or was exempted meanwhile is never reminded, which is how a submission cancels
// every later step — and tells each person once per step, one message listing all their classes (a
// digest for a grade leader, a principal, a district).
package chase

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/calendarday"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/term"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Message is one notification to some users; Notifier delivers it (jobs wires the notification service).
type Message struct {
	TenantID  int
	UserIDs   []int
	Template  string
	Data      map[string]any
	DedupeKey string // one message per (user, key), ever
	Ref       string
}

// Notifier sends a message and returns the IDs of the notifications it wrote, one per user.
type Notifier interface {
	Notify(ctx context.Context, m Message) ([]int, error)
}

// RobotNotifier is a Notifier that also posts to the school's IM group robots (企业微信/钉钉/飞书 群机器人):
// each step sends the school's group one digest of its pending classes (DOMAIN.md §3.4: "in-app + IM").
type RobotNotifier interface {
	NotifyRobots(ctx context.Context, tenantID int, template string, data map[string]any, dedupeKey, ref string) error
}

// Step is one chase step of one school: a task's payload.
type Step struct {
	TenantID int    `json:"tenantID"`
	Date     string `json:"date"` // the school's local date
	Session  string `json:"session"`
	Index    int    `json:"step"` // in the school's ladder
}

// TaskID is the step's deterministic task ID.
func (s Step) TaskID() string {
	return fmt.Sprintf("chase:%d:%s:%s:%d", s.TenantID, s.Date, s.Session, s.Index)
}

// Window is how late a step may still fire: the dispatcher runs every minute, and a tick may be late.
// A scheduler (or Redis) that was down longer does not send every step it missed: only the latest step of
// a session that came due within CatchUp fires, so the chase reaches the rung it would be on (the grade
// leader told the class is overdue) without a stale "15 minutes left" reminder. Normally that latest step
// has fired already, and its retained task ID makes the enqueue a no-op.
const (
	Window  = 10 * time.Minute
	CatchUp = 2 * time.Hour
)

// system is the jobs' viewer: the chase reads every school's classes and writes the log.
func system(ctx context.Context) context.Context {
	return viewer.NewContext(ctx, viewer.System("chase"))
}

// Due lists the steps that came due in (now-Window, now], and the latest step of each session that came due
// in (now-CatchUp, now], for schools in session with a class still to chase. A fixed handful of queries
// whatever the number of schools.
func Due(ctx context.Context, c *ent.Client, now time.Time) ([]Step, error) {
	ctx = system(ctx)
	schools, err := c.Tenant.Query().Where(tenant.KindNEQ(tenant.KindDistrict), tenant.StatusEQ(tenant.StatusActive)).All(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := checks.RulesOf(ctx, c, schools)
	if err != nil {
		return nil, err
	}
	var due []Step
	days := map[int]day{}
	for _, t := range schools {
		r := rules[t.ID]
		date := r.Today(now)
		for _, s := range r.Sessions {
			deadline, err := r.Deadline(date, s)
			if err != nil {
				return nil, err
			}
			// Steps in the window fire; else the latest that came due within CatchUp (older steps than an
			// in-window one are superseded by it).
			latest, latestAt, inWindow := -1, now.Add(-CatchUp), false
			for i, st := range r.Ladder {
				switch at := deadline.Add(time.Duration(st.OffsetMinutes) * time.Minute); {
				case at.After(now): // not yet
				case at.After(now.Add(-Window)):
					due = append(due, Step{TenantID: t.ID, Date: date, Session: string(s), Index: i})
					inWindow = true
				case at.After(latestAt):
					latest, latestAt = i, at
				}
			}
			if latest >= 0 && !inWindow {
				due = append(due, Step{TenantID: t.ID, Date: date, Session: string(s), Index: latest})
			}
			if inWindow || latest >= 0 {
				days[t.ID] = day{date, r.Location}
			}
		}
	}
	if len(due) == 0 {
		return nil, nil
	}
	inSession, err := schoolDays(ctx, c, days)
	if err != nil {
		return nil, err
	}
	due = slices.DeleteFunc(due, func(s Step) bool { return !inSession[s.TenantID] })
	pend, err := pending(ctx, c, due, days)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(due, func(s Step) bool { return len(pend[key{s.TenantID, s.Session}]) == 0 }), nil
}

type key struct {
	tenant  int
	session string
}

// schoolDays tells, for each school and its local date, whether it is a school day (checks.SchoolDay's
// rule, for many schools in two queries).
func schoolDays(ctx context.Context, c *ent.Client, days map[int]day) (map[int]bool, error) {
	ids := make([]int, 0, len(days))
	dates := map[string]bool{}
	for id, d := range days {
		ids = append(ids, id)
		dates[d.date] = true
	}
	overrides, err := c.CalendarDay.Query().Where(calendarday.TenantIDIn(ids...), calendarday.DateIn(keys(dates)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	terms, err := c.Term.Query().Where(term.TenantIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int]bool{}
	for id, dd := range days {
		date := dd.date
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return nil, err
		}
		out[id] = d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		hasTerm, inTerm := false, false
		for _, tm := range terms {
			if tm.TenantID == id {
				hasTerm = true
				inTerm = inTerm || (tm.StartDate <= date && date <= tm.EndDate)
			}
		}
		if hasTerm && !inTerm {
			out[id] = false
		}
		for _, o := range overrides {
			if o.TenantID == id && o.Date == date {
				out[id] = o.Kind == calendarday.KindSchoolDay
			}
		}
	}
	return out, nil
}

// day is a school's local date, in its time zone.
type day struct {
	date string
	loc  *time.Location
}

// pending returns, per (school, session) of the steps, the classes open on the school's date that have
// neither a report for the session nor an exemption from it.
func pending(ctx context.Context, c *ent.Client, steps []Step, days map[int]day) (map[key][]*ent.Class, error) {
	if len(steps) == 0 {
		return nil, nil
	}
	ids, dates := make([]int, 0, len(days)), map[string]bool{}
	for id, d := range days {
		ids = append(ids, id)
		dates[d.date] = true
	}
	classes, err := c.Class.Query().Where(class.TenantIDIn(ids...)).
		Select(class.FieldID, class.FieldTenantID, class.FieldName, class.FieldGradeID, class.FieldOpenedOn, class.FieldClosedOn).All(ctx)
	if err != nil {
		return nil, err
	}
	type done struct {
		class         int
		date, session string // session "" for an exemption of the whole day
	}
	settled := map[done]bool{}
	var rows []struct {
		ClassID int    `json:"class_id"`
		Date    string `json:"date"`
		Session string `json:"session"`
	}
	err = c.ClassCheck.Query().Where(classcheck.TenantIDIn(ids...), classcheck.DateIn(keys(dates)...)).
		Unique(true).Select(classcheck.FieldClassID, classcheck.FieldDate, classcheck.FieldSession).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		settled[done{r.ClassID, r.Date, r.Session}] = true
	}
	exempt, err := c.Exemption.Query().Where(exemption.TenantIDIn(ids...), exemption.DateIn(keys(dates)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range exempt {
		s := ""
		if e.Session != nil {
			s = string(*e.Session)
		}
		settled[done{e.ClassID, e.Date, s}] = true
	}
	sessions := map[int][]string{}
	for _, s := range steps {
		if !slices.Contains(sessions[s.TenantID], s.Session) {
			sessions[s.TenantID] = append(sessions[s.TenantID], s.Session)
		}
	}
	out := map[key][]*ent.Class{}
	for _, cl := range classes {
		d := days[cl.TenantID]
		if !openOn(cl, d) {
			continue
		}
		for _, s := range sessions[cl.TenantID] {
			if settled[done{cl.ID, d.date, s}] || settled[done{cl.ID, d.date, ""}] {
				continue
			}
			out[key{cl.TenantID, s}] = append(out[key{cl.TenantID, s}], cl)
		}
	}
	return out, nil
}

// openOn: the class exists on the school's date (from its first day, before the day it closed).
func openOn(cl *ent.Class, d day) bool {
	local := func(t *time.Time) string { return t.In(d.loc).Format(time.DateOnly) }
	return (cl.OpenedOn == nil || local(cl.OpenedOn) <= d.date) && (cl.ClosedOn == nil || local(cl.ClosedOn) > d.date)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
