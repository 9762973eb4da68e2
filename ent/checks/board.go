package checks

// Today's board (看板): where the expected class checks stand for a class, a grade, a school or a district,
// with the figures the submitted reports carry, the classes that have not reported, and trends over a
// date range.
//
// Open alerts and follow-ups (DOMAIN.md §2.3, §2.9) are on the board as what is open at AsOf, whatever
// the date: counts of open alerts (open or acknowledged) by rule and of those past their report-by clock,
// and counts of open follow-ups, of those awaiting a return-to-class clearance and of those whose cause is
// overdue. The decision: every viewer of a board gets these counts, the district included, although a
// district reads no follow-up row (follow_up is not in its grants): they are aggregates of the scope whose
// checks the viewer may read, like the absences by cause, and they name nobody. Below the district the
// board also lists the open alerts themselves (the newest MaxOpenAlerts), read with the viewer's own
// rights: a viewer without alert read (a duty leader) gets the counts and no list. The district gets
// no list: an alert carries the pupils' IDs, and a district sees aggregates (DOMAIN.md §6.14); it reads
// single alerts through the alert API, where its grants apply. Each count is one GROUP BY on the
// (tenant_id, status) index, the scope's institutions as in the checks' queries.
//
// Who may see a board. The caller's viewer must be able to read the class checks of the whole scope:
// a school board needs class_check read at the school node, a grade board at the grade (or the school, or
// every class of the grade), a district board at every active institution of the district. A narrower
// viewer is refused with a privacy denial (errors.Is(err, privacy.Deny)) rather than shown a partial board:
// a "school" completeness computed over the two classes a teacher happens to see would be a wrong number
// with a right-looking label. The classes are read with the caller's rights, and the board is refused too
// when privacy hides any class of the scope (an internal count must match). Only then are calendars,
// exemptions, checks, check lines and the non-reporting classes' grades, class teachers and names read
// internally (privacy.Allow), and only for the institutions and classes of the scope. Check lines name
// children; the board carries only counts of them, never a name, so a district sees aggregates (DOMAIN.md
// §6.14).
//
// "Not reported is never zero" (DOMAIN.md §6.2): a class that has not reported is Pending, never a zero;
// the figures (enrolled, present, absences, symptoms) cover the submitted reports only; Completeness and
// OnTimeRate are nil when nothing is expected (a holiday), never 0 % or 100 %. Expected and Submitted
// always describe the same classes: a report of a class that is not expected (exempted after it reported,
// closed retroactively, a holiday declared afterwards) does not count, so completeness never passes 100 %.
//
// The calendar is SchoolDay's rule (overrides, weekends, terms) applied to every institution from two
// bulk queries, in each institution's time zone; sessions follow the institution's kind (Sessions); a
// class counts from its opened_on to its closed_on (local dates). AsOf (now) decides what has come and what
// is overdue; it does not hide reports submitted after it (the compiled daily report is the snapshot).
//
// Cost: a board is a fixed handful of queries whatever the size of the scope, never one per class or per
// institution: the institutions; the classes (one row per institution with its class IDs) and their
// count; the calendar overrides and terms; the exemptions; one GROUP BY over the checks, which also
// returns the classes that reported (so the non-reporters are a difference in Go, not an anti-join);
// one GROUP BY over the check lines; one query for the non-reporting classes with their grades and class
// teachers; one GROUP BY each over the open alerts and follow-ups (and, below the district, the open
// alerts' rows). The check lines' GROUP BY and the open items run side by side with the rest, on
// connections of their own (one after the other in a transaction). A district's institutions are a
// subquery in SQL, never a list of hundreds of IDs (PostgreSQL's generic plans for prepared statements
// test such lists linearly). A trend is the same over a date range, grouped by institution and date
// instead of listing classes.

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/assignment"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/calendarday"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/grade"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/predicate"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/term"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Scope selects what a board covers. Set exactly one field.
type Scope struct {
	ClassID    int // one class
	GradeID    int // the classes of a grade
	TenantID   int // a school, kindergarten or training institution
	DistrictID int // every active institution whose parent is the district
	// upward counts only what the district may know, whoever asks: the daily report, which goes upward,
	// counts a staff member's illness only once the principal reports it (DOMAIN.md §4).
	upward bool
}

// Completion is where the expected reports stand, counted in class reports (a class's morning check is
// one). Expected excludes exempted reports; Submitted + Pending = Expected.
type Completion struct {
	Expected  int // due: a school day that has come, the class open, the session held, no exemption
	Submitted int // reported, on time or late
	OnTime    int // first version submitted by the deadline (a later correction does not make it late)
	Late      int // first version submitted after the deadline
	Pending   int // not reported (yet): never counted as a zero report
	Overdue   int // of Pending, those past their deadline
	Exempted  int // not expected because of an exemption (exam, trip, closure…)
	// Completeness is Submitted / Expected and OnTimeRate OnTime / Expected (DOMAIN.md §3.1: the
	// denominator is expected minus exempted, which Expected already is). Both are nil when nothing is
	// expected: a holiday has no completeness, neither 0 % nor 100 %.
	Completeness *float64
	OnTimeRate   *float64
}

// Absences counts absent students by cause.
type Absences struct {
	SickLeave     int
	PersonalLeave int
	Unexcused     int
	EarlyLeave    int
}

// SymptomCount is how many students were reported with a symptom.
type SymptomCount struct {
	Symptom string
	Count   int
}

// SessionBoard is one session of a board (morning, noon, full-day observation…).
type SessionBoard struct {
	Session classcheck.Session // spelled out: gqlgen must see one name (see Rules.Sessions)
	Completion
	// The figures below add up the current version of each submitted report of the session, and only
	// those: a class that has not reported adds nothing (it is in Pending), so they describe the
	// Submitted classes, not the whole scope, unless Pending is 0.
	ZeroReports         int // reports attesting "nothing abnormal" (零报告)
	Enrolled            int
	Present             int
	AbsentIllness       int // as counted on the reports (sick leave)
	AbsentOther         int
	Absences            Absences       // absence lines by cause
	Symptomatic         int            // students present with symptoms
	Symptoms            []SymptomCount // students (absent or present) per symptom, most frequent first
	AbnormalTemperature int
	// IllnessAbsenceRate is AbsentIllness / Enrolled (因病缺勤率, DOMAIN.md §5), a fraction; nil when no
	// report is in: the rate of the classes that reported, never a 0 for those that did not.
	IllnessAbsenceRate *float64
	// NonReporting are the classes expected to report for the session that have not, by institution,
	// grade and class order.
	NonReporting []NonReporter
}

// NonReporter is a class that owes a report.
type NonReporter struct {
	TenantID   int
	SchoolName string
	ClassID    int
	ClassName  string
	GradeName  string // "" for a class with no grade
	// Teachers are the display names of the users holding a class_teacher assignment at the class valid at
	// the board's time: the class teacher(s) first, then substitutes (代班), then deputies.
	Teachers []string
	// Phones are the teachers' phones in the same order ("" where none is on file): whom to call.
	Phones   []string
	Deadline time.Time
	Overdue  bool // past Deadline
}

// Board is the state of a scope's class checks on one date, as of a time.
type Board struct {
	Scope        Scope
	Date         string
	AsOf         time.Time
	Institutions int // institutions in the scope
	InSession    int // of which Date is a school day that has come (by each one's calendar and time zone)
	Classes      int // classes of the scope open on Date
	// Sessions are the sessions held by the scope's institutions, in the order of the day.
	Sessions []SessionBoard
	// Alerts and FollowUps count what is open at AsOf, whatever Date: the board's to-do list, not the
	// date's history.
	Alerts    AlertCounts
	FollowUps FollowUpCounts
	// InObservation counts the people in the observation room (留观) at AsOf: the room's occupancy (on a
	// class or grade board, its pupils).
	InObservation int
	// OpenAlerts are the most recent open alerts of a class, grade or school board (at most
	// MaxOpenAlerts, newest first; Alerts.Open has the total) that the viewer may read as alerts. Nil on a
	// district board (counts only, DOMAIN.md §6.14) and for a viewer without the right to read alerts
	// (a duty leader); empty when none is open.
	OpenAlerts []*ent.Alert
}

// MaxOpenAlerts bounds Board.OpenAlerts.
const MaxOpenAlerts = 100

// AlertCounts counts the alerts of a scope still open (open or acknowledged).
type AlertCounts struct {
	Open int
	// ReportOverdue are the open alerts past their report-by time (ILI outbreak, notifiable disease:
	// 2 hours) with no CDC contact recorded.
	ReportOverdue int
	// ByRule counts them per rule, in the order of alert.Rule's values; rules without open alerts are left out.
	ByRule []AlertRuleCount
}

// alertRules is the order of AlertCounts.ByRule: the schema's.
var alertRules = []alert.Rule{alert.RuleFever, alert.RuleClusterDay, alert.RuleClusterWindow, alert.RuleIliOutbreak, alert.RuleNotifiable,
	alert.RuleStaffIllness, alert.RuleAbsenceRate}

// AlertRuleCount is how many alerts of a rule are open.
type AlertRuleCount struct {
	Rule  alert.Rule
	Count int
}

// FollowUpCounts counts the open illness-absence follow-ups of a scope (DOMAIN.md §3.2).
type FollowUpCounts struct {
	Open int
	// NeedsClearance: open follow-ups whose pupil needs the health teacher's return-to-class clearance.
	NeedsClearance int
	// CauseOverdue: open follow-ups whose cause is still unknown past their due time (same day, 18:00).
	CauseOverdue int
}

// SessionDay is one session of a trend day.
type SessionDay struct {
	Session classcheck.Session // spelled out: gqlgen must see one name (see Rules.Sessions)
	Completion
}

// DayBoard is one date of a trend.
type DayBoard struct {
	Date       string
	InSession  int // institutions for which Date is a school day that has come
	Completion     // all sessions of the day together, in class reports
	// Absences and Symptomatic count distinct students over the day's submitted reports: a child absent
	// from the morning and the noon check is one absence. Like SessionBoard's figures they cover the
	// submitted reports only.
	Absences    Absences
	Symptomatic int
	// Enrolled are the pupils on the day's submitted reports: per institution, those of its session with
	// the most (a class reports each session, and a sick pupil counts once a day). IllnessAbsenceRate is
	// Absences.SickLeave over them, nil when no report is in.
	Enrolled           int
	IllnessAbsenceRate *float64
	Sessions           []SessionDay
}

// MaxTrendDays bounds a trend's date range.
const MaxTrendDays = 92

// MaxTrendBySchoolDays bounds a breakdown by school asked over GraphQL: its rows are schools × days, and a
// longer range is the district-summary export's job (which takes MaxTrendDays).
const MaxTrendBySchoolDays = 31

// BoardFor computes the board of a scope for a local date ("2006-01-02", the institutions' own calendar
// date) as of now. See the top of this file for who may see which board.
func BoardFor(ctx context.Context, c *ent.Client, scope Scope, date string, now time.Time) (*Board, error) {
	b, _, err := boardFor(ctx, c, scope, date, now)
	return b, err
}

// boardFor is BoardFor, also returning the resolved scope (for the school daily report).
func boardFor(ctx context.Context, c *ent.Client, scope Scope, date string, now time.Time) (*Board, *scopeData, error) {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, nil, types.Invalid("date", "use a date as YYYY-MM-DD")
	}
	sd, err := resolve(ctx, c, scope, date, date, now)
	if err != nil {
		return nil, nil, err
	}
	// The open alerts and follow-ups do not depend on the rest: counted meanwhile.
	type openResult struct {
		b   Board
		err error
	}
	openDone := meanwhile(ctx, func() (r openResult) {
		r.err = sd.openItems(ctx, c, &r.b)
		return r
	})
	agg, err := sd.aggregate(ctx, c, false)
	if err != nil {
		return nil, nil, err
	}
	b := &Board{Scope: scope, Date: date, AsOf: now, Institutions: len(sd.tenants)}
	for _, ti := range sd.tenants {
		if ti.inSession(date) {
			b.InSession++
		}
	}
	for i := range sd.infos {
		if sd.infos[i].openOn(date) {
			b.Classes++
		}
	}
	day := agg.days[date]
	for _, s := range sd.sessions {
		sb := SessionBoard{Session: s, Symptoms: []SymptomCount{}, NonReporting: []NonReporter{}}
		if day != nil && day.sessions[s] != nil {
			a := day.sessions[s]
			sb.Completion = a.Completion
			sb.ZeroReports, sb.Enrolled, sb.Present = a.zero, a.enrolled, a.present
			sb.AbsentIllness, sb.AbsentOther = a.absentIllness, a.absentOther
			sb.Symptomatic, sb.AbnormalTemperature = a.symptomatic, a.abnormalTemp
			sb.Absences = a.absences
			sb.Symptoms = sortedSymptoms(a.symptoms)
			sb.IllnessAbsenceRate = fraction(a.absentIllness, a.enrolled)
		}
		sb.Completion.rates()
		b.Sessions = append(b.Sessions, sb)
	}
	if err := sd.nonReporters(ctx, c, b, agg.reported); err != nil {
		return nil, nil, err
	}
	// On a board, overdue reports are the listed ones past their deadline: exact per class and time zone.
	for i := range b.Sessions {
		sb := &b.Sessions[i]
		for _, nr := range sb.NonReporting {
			if nr.Overdue {
				sb.Overdue++
			}
		}
		sb.Overdue = min(sb.Overdue, sb.Pending)
	}
	open := openDone()
	if open.err != nil {
		return nil, nil, open.err
	}
	b.Alerts, b.FollowUps, b.OpenAlerts, b.InObservation = open.b.Alerts, open.b.FollowUps, open.b.OpenAlerts, open.b.InObservation
	return b, sd, nil
}

// Trend computes one row per date from from to to (inclusive, at most MaxTrendDays days) as of now.
func Trend(ctx context.Context, c *ent.Client, scope Scope, from, to string, now time.Time) ([]DayBoard, error) {
	sd, agg, err := trend(ctx, c, scope, from, to, MaxTrendDays, now)
	if err != nil {
		return nil, err
	}
	return sd.dayRows(agg, sd.tids), nil
}

// SchoolTrend is the trend of one institution of a scope.
type SchoolTrend struct {
	Tenant *ent.Tenant
	Days   []DayBoard
}

// TrendBySchool is Trend broken down by institution (in the order of their names), from the same queries,
// over at most maxDays: a district's summary per school and day. The scope's trend is their sum.
func TrendBySchool(ctx context.Context, c *ent.Client, scope Scope, from, to string, maxDays int, now time.Time) ([]SchoolTrend, error) {
	sd, agg, err := trend(ctx, c, scope, from, to, maxDays, now)
	if err != nil {
		return nil, err
	}
	out := make([]SchoolTrend, 0, len(sd.tids))
	for _, tid := range sd.tids {
		ta := agg.byTenant[tid]
		if ta == nil {
			ta = &aggregates{days: map[string]*dayAgg{}}
		}
		out = append(out, SchoolTrend{Tenant: sd.tenants[tid].t, Days: sd.dayRows(ta, []int{tid})})
	}
	return out, nil
}

func trend(ctx context.Context, c *ent.Client, scope Scope, from, to string, maxDays int, now time.Time) (*scopeData, *aggregates, error) {
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, nil, types.Invalid("from", "use a date as YYYY-MM-DD")
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, nil, types.Invalid("to", "use a date as YYYY-MM-DD")
	}
	if t.Before(f) {
		return nil, nil, types.Invalid("to", "%s is before %s", to, from)
	}
	if days := int(t.Sub(f).Hours()/24) + 1; days > maxDays {
		return nil, nil, types.Invalid("to", "a trend covers at most %d days; %s to %s is %d", maxDays, from, to, days)
	}
	sd, err := resolve(ctx, c, scope, from, to, now)
	if err != nil {
		return nil, nil, err
	}
	agg, err := sd.aggregate(ctx, c, true)
	if err != nil {
		return nil, nil, err
	}
	return sd, agg, nil
}

// dayRows are the trend rows of the aggregates of the institutions tids.
func (sd *scopeData) dayRows(agg *aggregates, tids []int) []DayBoard {
	var out []DayBoard
	for _, date := range sd.dates() {
		row := DayBoard{Date: date}
		for _, tid := range tids {
			if sd.tenants[tid].inSession(date) {
				row.InSession++
			}
		}
		day := agg.days[date]
		for _, s := range sd.sessions {
			if !slices.ContainsFunc(tids, func(id int) bool { return sd.tenants[id].holds(s) }) {
				continue
			}
			sdy := SessionDay{Session: s}
			if day != nil && day.sessions[s] != nil {
				sdy.Completion = day.sessions[s].Completion
				row.Completion.add(sdy.Completion)
			}
			sdy.Completion.rates()
			row.Sessions = append(row.Sessions, sdy)
		}
		if day != nil {
			row.Absences, row.Symptomatic = day.absences, day.symptomatic
		}
		row.Enrolled = agg.pupils(date, tids)
		row.IllnessAbsenceRate = fraction(row.Absences.SickLeave, row.Enrolled)
		row.Completion.rates()
		out = append(out, row)
	}
	return out
}

// meanwhile runs f on a goroutine of its own, and returns a function that waits for its result; f must
// not share state with the caller. A context carrying a transaction runs f at once instead: a
// transaction's one connection cannot run two queries at a time.
func meanwhile[T any](ctx context.Context, f func() T) func() T {
	if ent.FromContext(ctx) != nil || ent.TxFromContext(ctx) != nil {
		v := f()
		return func() T { return v }
	}
	done := make(chan T, 1)
	go func() { done <- f() }()
	return sync.OnceValue(func() T { return <-done })
}

func (c *Completion) add(o Completion) {
	c.Expected += o.Expected
	c.Submitted += o.Submitted
	c.OnTime += o.OnTime
	c.Late += o.Late
	c.Pending += o.Pending
	c.Overdue += o.Overdue
	c.Exempted += o.Exempted
}

// rates fills Completeness and OnTimeRate; nil when nothing is expected.
func (c *Completion) rates() {
	c.Completeness, c.OnTimeRate = nil, nil
	if c.Expected == 0 {
		return
	}
	done, onTime := float64(c.Submitted)/float64(c.Expected), float64(c.OnTime)/float64(c.Expected)
	c.Completeness, c.OnTimeRate = &done, &onTime
}

// fraction is n / of, nil when of is 0: a rate over nothing is unknown, not 0.
func fraction(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	f := float64(n) / float64(of)
	return &f
}

func (a *Absences) add(t checkentry.AbsenceType, n int) {
	switch t {
	case checkentry.AbsenceTypeSickLeave:
		a.SickLeave += n
	case checkentry.AbsenceTypePersonalLeave:
		a.PersonalLeave += n
	case checkentry.AbsenceTypeUnexcused:
		a.Unexcused += n
	case checkentry.AbsenceTypeEarlyLeave:
		a.EarlyLeave += n
	}
}

func sortedSymptoms(m map[string]int) []SymptomCount {
	out := make([]SymptomCount, 0, len(m))
	for s, n := range m {
		out = append(out, SymptomCount{s, n})
	}
	slices.SortFunc(out, func(a, b SymptomCount) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Symptom, b.Symptom))
	})
	return out
}

// sessionOrder is the order of the day.
var sessionOrder = []Session{classcheck.SessionMorning, classcheck.SessionNoon, classcheck.SessionEvening, classcheck.SessionFullDay}

// ---- the scope, resolved and authorised ----

// liveMargin: classes closed this long before the first date are history and not loaded. The exact
// decision (class open on a date) is made in Go in the institution's time zone; the margin only has to
// exceed any time-zone offset.
const liveMargin = 72 * time.Hour

type tenantInfo struct {
	t        *ent.Tenant
	loc      *time.Location
	today    string
	sessions []Session
	rules    Rules
	// calendar
	overrides map[string]bool // date → school day
	terms     [][2]string
	// whole counts the tenant's classes open on every date of the range (not in partial)
	whole int
	// memo is inSession for the dates of the range, filled by resolve: read-only afterwards, so that the
	// queries running side by side may consult it.
	memo map[string]bool
}

// inSession: the date is a school day of the tenant (SchoolDay's rule) and has come.
func (ti *tenantInfo) inSession(date string) bool {
	if v, ok := ti.memo[date]; ok {
		return v
	}
	return ti.schoolDay(date)
}

func (ti *tenantInfo) schoolDay(date string) bool {
	if date > ti.today {
		return false
	}
	if school, ok := ti.overrides[date]; ok {
		return school
	}
	d, _ := time.Parse(time.DateOnly, date)
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	if len(ti.terms) == 0 {
		return true
	}
	for _, tm := range ti.terms {
		if tm[0] <= date && date <= tm[1] {
			return true
		}
	}
	return false
}

func (ti *tenantInfo) holds(s Session) bool { return slices.Contains(ti.sessions, s) }

type classInfo struct {
	id, tenantID int
	idx          int // the class's place in scopeData.infos
	// first and end (exclusive) local dates of the class; "" when unbounded
	first, end string
	partial    bool // not open on every date of the range: decided per date
}

func (ci *classInfo) openOn(date string) bool {
	return (ci.first == "" || date >= ci.first) && (ci.end == "" || date < ci.end)
}

type scopeData struct {
	from, to string
	now      time.Time
	tenants  map[int]*tenantInfo
	tids     []int
	classes  map[int]*classInfo
	infos    []classInfo // the classes of the map, in one array (classInfo.idx): walked without hashing
	partial  []int
	sessions []Session // held by some tenant, in the order of the day
	// classPreds select the scope's classes: the scope, and not closed before the range (liveSince).
	classPreds []predicate.Class
	// exempt[(class, date)] = sessions exempted; nil key session means the whole day
	exempt map[classDate]map[Session]bool
	// deadlines by (time zone, date, session)
	deadlines map[deadlineKey]time.Time
	// classIDs are the scope's live classes for a grade or a class scope (nil for institutions and
	// districts, whose live classes are those not closed before liveSince).
	classIDs  []int
	liveSince time.Time
	// boardPerClass: see perClass
	boardPerClass []int
	district      int // the district of a district scope
	// staffIllnessAt are the tenants where the viewer reads a staff member's illness before the principal
	// reports it upward (its own school); elsewhere the board counts only the reported ones.
	staffIllnessAt []int
}

type classDate struct {
	class int
	date  string
}

type deadlineKey struct{ tz, date, hm string }

const allSessions Session = ""

func (sd *scopeData) exempted(class int, date string, s Session) bool {
	m := sd.exempt[classDate{class, date}]
	return m[allSessions] || m[s]
}

func (sd *scopeData) deadline(ti *tenantInfo, date string, s Session) (time.Time, error) {
	k := deadlineKey{ti.t.Timezone, date, ti.rules.Deadlines[s]}
	if d, ok := sd.deadlines[k]; ok {
		return d, nil
	}
	d, err := ti.rules.Deadline(date, s)
	if err != nil {
		return d, err
	}
	sd.deadlines[k] = d
	return d, nil
}

// internal reads past privacy, for rows whose class the caller's rights were already checked on (the
// board's scope; alerts.go uses it too).
func internal(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

func resolve(ctx context.Context, c *ent.Client, sc Scope, from, to string, now time.Time) (*scopeData, error) {
	set := 0
	for _, id := range []int{sc.ClassID, sc.GradeID, sc.TenantID, sc.DistrictID} {
		if id < 0 {
			return nil, types.Invalid("scope", "IDs are positive")
		}
		if id != 0 {
			set++
		}
	}
	if set != 1 {
		return nil, types.Invalid("scope", "name exactly one of a class, a grade, an institution or a district")
	}
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, privacy.Denyf("no viewer")
	}
	var readable rule.Scope
	if !v.Platform() {
		readable = rule.ScopeOf(v, authz.ObjClassCheck)
	}
	readTenants, readClasses := idSet(readable.Tenants), idSet(readable.Classes)
	var staffIllnessAt []int
	if !sc.upward {
		staffIllnessAt = rule.ScopeOf(v, authz.ObjStaffIllness).Tenants
	}
	covers := func(tenantID, classID int) bool {
		return v.Platform() || readTenants[tenantID] || (classID != 0 && readClasses[classID])
	}
	ictx := internal(ctx)
	fromT, _ := time.Parse(time.DateOnly, from)
	liveSince := fromT.Add(-liveMargin)
	sd := &scopeData{from: from, to: to, now: now, tenants: map[int]*tenantInfo{}, classes: map[int]*classInfo{},
		exempt: map[classDate]map[Session]bool{}, deadlines: map[deadlineKey]time.Time{}, liveSince: liveSince,
		staffIllnessAt: staffIllnessAt}
	var tenants []*ent.Tenant
	var err error
	switch {
	case sc.DistrictID != 0:
		sd.district = sc.DistrictID
		if !v.Platform() && !v.Sees(sc.DistrictID) {
			return nil, privacy.Denyf("district %d is not yours", sc.DistrictID)
		}
		d, err := c.Tenant.Get(ictx, sc.DistrictID)
		if err != nil {
			return nil, err
		}
		if d.Kind != tenant.KindDistrict {
			return nil, types.Invalid("districtID", "%s is not a district", d.Name)
		}
		tenants, err = c.Tenant.Query().Where(tenant.ParentID(sc.DistrictID), tenant.StatusEQ(tenant.StatusActive)).
			Order(ent.Asc(tenant.FieldName), ent.Asc(tenant.FieldID)).All(ictx)
		if err != nil {
			return nil, err
		}
		for _, t := range tenants {
			if !covers(t.ID, 0) {
				return nil, privacy.Denyf("you may not read the checks of %s", t.Name)
			}
		}
	case sc.TenantID != 0:
		if !covers(sc.TenantID, 0) {
			return nil, privacy.Denyf("you may not read the checks of institution %d", sc.TenantID)
		}
		t, err := c.Tenant.Get(ictx, sc.TenantID)
		if err != nil {
			return nil, err
		}
		if t.Kind == tenant.KindDistrict {
			return nil, types.Invalid("tenantID", "%s is a district: use districtID", t.Name)
		}
		tenants = []*ent.Tenant{t}
	case sc.GradeID != 0:
		g, err := c.Grade.Query().Where(grade.ID(sc.GradeID)).Only(ctx)
		if err != nil {
			if ent.IsNotFound(err) && !v.Platform() {
				return nil, privacy.Denyf("grade %d is not in your scope", sc.GradeID)
			}
			return nil, err
		}
		t, err := c.Tenant.Get(ictx, g.TenantID)
		if err != nil {
			return nil, err
		}
		tenants = []*ent.Tenant{t}
		sd.classPreds = append(sd.classPreds, class.TenantID(g.TenantID), class.GradeID(g.ID))
	case sc.ClassID != 0:
		cl, err := c.Class.Query().Where(class.ID(sc.ClassID)).Only(ctx)
		if err != nil {
			if ent.IsNotFound(err) && !v.Platform() {
				return nil, privacy.Denyf("class %d is not in your scope", sc.ClassID)
			}
			return nil, err
		}
		t, err := c.Tenant.Get(ictx, cl.TenantID)
		if err != nil {
			return nil, err
		}
		tenants = []*ent.Tenant{t}
		sd.classPreds = append(sd.classPreds, class.TenantID(cl.TenantID), class.ID(cl.ID))
	}
	rules, err := rulesOf(ctx, c, tenants)
	if err != nil {
		return nil, err
	}
	locs := map[string]*time.Location{}
	held := map[Session]bool{}
	for _, t := range tenants {
		loc, ok := locs[t.Timezone]
		if !ok {
			loc = Location(t)
			locs[t.Timezone] = loc
		}
		ti := &tenantInfo{t: t, loc: loc, today: now.In(loc).Format(time.DateOnly), sessions: rules[t.ID].Sessions,
			rules: rules[t.ID], overrides: map[string]bool{}}
		sd.tenants[t.ID] = ti
		sd.tids = append(sd.tids, t.ID)
		for _, s := range ti.sessions {
			held[s] = true
		}
	}
	for _, s := range sessionOrder {
		if held[s] {
			sd.sessions = append(sd.sessions, s)
		}
	}
	if sc.DistrictID != 0 || sc.TenantID != 0 {
		sd.classPreds = append(sd.classPreds, func(s *entsql.Selector) { s.Where(sd.inScope(s.Dialect(), s.C(class.FieldTenantID))) })
	}
	sd.classPreds = append(sd.classPreds, class.Or(class.ClosedOnIsNil(), class.ClosedOnGT(liveSince)))
	if len(sd.tids) == 0 {
		return sd, nil
	}

	// The internal count of the scope's classes and the calendars do not depend on the classes read below:
	// they are read meanwhile, on a connection of their own. The calendars fill only the institutions'
	// overrides and terms, which nothing reads before the wait.
	type sideResult struct {
		all int
		err error
	}
	sideDone := meanwhile(ctx, func() (r sideResult) {
		if r.all, r.err = c.Class.Query().Where(sd.classPreds...).Count(ictx); r.err != nil {
			return r
		}
		r.err = loadCalendars(ictx, c, sd.tenants, sd.tids, from, to)
		return r
	})

	// The classes, with the caller's rights: all of the scope, or no board. One row per institution with
	// its classes' IDs (a district has thousands of classes: rows of entities cost more than the query),
	// then the few classes with an opening or closing date.
	var groups []struct {
		TenantID int            `sql:"tenant_id"`
		IDs      string         `sql:"ids"`
		Dated    sql.NullString `sql:"dated"`
	}
	err = c.Class.Query().Where(sd.classPreds...).Modify(func(s *entsql.Selector) {
		id := "CAST(" + s.C(class.FieldID) + " AS VARCHAR(20))"
		dated := "CASE WHEN " + s.C(class.FieldOpenedOn) + " IS NOT NULL OR " + s.C(class.FieldClosedOn) + " IS NOT NULL THEN " + id + " END"
		s.Select(entsql.As(s.C(class.FieldTenantID), "tenant_id"))
		s.AppendSelectExprAs(entsql.Raw(concatIDs(s.Dialect(), id)), "ids")
		s.AppendSelectExprAs(entsql.Raw(concatIDs(s.Dialect(), dated)), "dated")
		s.GroupBy(s.C(class.FieldTenantID))
	}).Scan(ctx, &groups)
	if err != nil {
		return nil, err
	}
	var dated []int
	parsed, n := make([][]int, len(groups)), 0
	for i, g := range groups {
		if parsed[i], err = parseIDs(g.IDs); err != nil {
			return nil, err
		}
		n += len(parsed[i])
	}
	sd.classes = make(map[int]*classInfo, n)
	infos := make([]classInfo, 0, n) // one allocation for all
	for i, g := range groups {
		ids := parsed[i]
		ti := sd.tenants[g.TenantID]
		if ti == nil {
			return nil, fmt.Errorf("board: a class of institution %d outside the scope", g.TenantID)
		}
		for _, id := range ids {
			if !covers(g.TenantID, id) {
				return nil, privacy.Denyf("you may not read the checks of class %d", id)
			}
			infos = append(infos, classInfo{id: id, tenantID: g.TenantID, idx: len(infos)})
			sd.classes[id] = &infos[len(infos)-1]
		}
		ti.whole += len(ids)
		if g.Dated.Valid {
			more, err := parseIDs(g.Dated.String)
			if err != nil {
				return nil, err
			}
			dated = append(dated, more...)
		}
	}
	sd.infos = infos
	side := sideDone()
	if side.err != nil {
		return nil, side.err
	}
	if all := side.all; all != len(sd.classes) {
		return nil, privacy.Denyf("%d of the %d classes of the scope are outside your view", all-len(sd.classes), all)
	}
	if err := sd.markPartial(ctx, c, dated, from, to); err != nil {
		return nil, err
	}
	slices.Sort(sd.partial)
	if sc.ClassID != 0 || sc.GradeID != 0 {
		sd.classIDs = keys(sd.classes)
	}

	dates := sd.dates()
	for _, ti := range sd.tenants {
		ti.memo = make(map[string]bool, len(dates))
		for _, d := range dates {
			ti.memo[d] = ti.schoolDay(d)
		}
	}

	// Exemptions of the scope's classes for the range.
	exq := c.Exemption.Query().Where(exemption.TenantIDIn(sd.tids...), exemption.DateGTE(from), exemption.DateLTE(to))
	if sd.classIDs != nil {
		exq.Where(exemption.ClassIDIn(sd.classIDs...))
	}
	exs, err := exq.Select(exemption.FieldClassID, exemption.FieldDate, exemption.FieldSession).All(ictx)
	if err != nil {
		return nil, err
	}
	for _, e := range exs {
		if sd.classes[e.ClassID] == nil {
			continue
		}
		k := classDate{e.ClassID, e.Date}
		if sd.exempt[k] == nil {
			sd.exempt[k] = map[Session]bool{}
		}
		if e.Session == nil {
			sd.exempt[k][allSessions] = true
		} else {
			sd.exempt[k][Session(*e.Session)] = true
		}
	}
	return sd, nil
}

// markPartial reads the opening and closing dates of the classes dated (those that have one) and marks
// the classes that open after from or close by to as partial: counted only on the days they are open.
func (sd *scopeData) markPartial(ctx context.Context, c *ent.Client, dated []int, from, to string) error {
	if len(dated) == 0 {
		return nil
	}
	cls, err := c.Class.Query().Where(idIn[predicate.Class](class.FieldID, dated)).
		Select(class.FieldID, class.FieldTenantID, class.FieldOpenedOn, class.FieldClosedOn).All(ctx)
	if err != nil {
		return err
	}
	for _, cl := range cls {
		ci, ti := sd.classes[cl.ID], sd.tenants[cl.TenantID]
		if ci == nil || ti == nil {
			continue
		}
		if cl.OpenedOn != nil {
			ci.first = cl.OpenedOn.In(ti.loc).Format(time.DateOnly)
		}
		if cl.ClosedOn != nil {
			ci.end = cl.ClosedOn.In(ti.loc).Format(time.DateOnly)
		}
		ci.partial = (ci.first != "" && ci.first > from) || (ci.end != "" && ci.end <= to)
		if ci.partial {
			sd.partial = append(sd.partial, ci.id)
			ti.whole--
		}
	}
	return nil
}

// loadCalendars fills the institutions' calendars (overrides from from to to, terms): one query for the
// overrides, one for the terms, whatever the number of institutions.
func loadCalendars(ictx context.Context, c *ent.Client, tenants map[int]*tenantInfo, tids []int, from, to string) error {
	dq := c.CalendarDay.Query().Where(calendarday.DateGTE(from), calendarday.DateLTE(to))
	tq := c.Term.Query()
	if tids != nil { // nil: every tenant's (the dispatcher), rows of others skipped
		dq.Where(calendarday.TenantIDIn(tids...))
		tq.Where(term.TenantIDIn(tids...))
	}
	days, err := dq.Select(calendarday.FieldTenantID, calendarday.FieldDate, calendarday.FieldKind).All(ictx)
	if err != nil {
		return err
	}
	for _, d := range days {
		if ti := tenants[d.TenantID]; ti != nil {
			ti.overrides[d.Date] = d.Kind == calendarday.KindSchoolDay
		}
	}
	terms, err := tq.Select(term.FieldTenantID, term.FieldStartDate, term.FieldEndDate).All(ictx)
	if err != nil {
		return err
	}
	for _, tm := range terms {
		if ti := tenants[tm.TenantID]; ti != nil {
			ti.terms = append(ti.terms, [2]string{tm.StartDate, tm.EndDate})
		}
	}
	return nil
}

// dates lists the dates of the range.
func (sd *scopeData) dates() []string {
	from, _ := time.Parse(time.DateOnly, sd.from)
	to, _ := time.Parse(time.DateOnly, sd.to)
	var out []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}

// concatIDs aggregates an expression's values (IDs) into one comma-separated string.
func concatIDs(dia, expr string) string {
	if dia == dialect.Postgres {
		return "string_agg(" + expr + ", ',')"
	}
	return "group_concat(" + expr + ", ',')"
}

func parseIDs(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	ids := make([]int, 0, strings.Count(s, ",")+1)
	err := eachID(s, func(id int) { ids = append(ids, id) })
	return ids, err
}

// eachID calls f with each ID of a comma-separated list (concatIDs), without splitting it first: the
// lists of a district hold thousands of IDs.
func eachID(s string, f func(int)) error {
	for s != "" {
		field, rest, _ := strings.Cut(s, ",")
		id, err := strconv.Atoi(field)
		if err != nil {
			return fmt.Errorf("board: class ID %q: %w", field, err)
		}
		f(id)
		s = rest
	}
	return nil
}

func idSet(ids []int) map[int]bool {
	m := make(map[int]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func keys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ---- the aggregates ----

type sessionAgg struct {
	Completion
	zero, enrolled, present, absentIllness, absentOther, symptomatic, abnormalTemp int
	absences                                                                       Absences
	symptoms                                                                       map[string]int
}

type dayAgg struct {
	sessions    map[Session]*sessionAgg
	absences    Absences // distinct students (trends)
	symptomatic int
}

type aggregates struct {
	days map[string]*dayAgg
	// reported are, on a board, the classes with a report per session (the checks' first versions),
	// indexed by classInfo.idx.
	reported map[Session][]bool
	// byTenant are, in a trend, the same per institution (their sum is the scope's).
	byTenant map[int]*aggregates
}

// each returns the aggregates a row of an institution adds to: the scope's, and in a trend the
// institution's own.
func (a *aggregates) each(tenantID int, date string, s Session) []*sessionAgg {
	out := []*sessionAgg{a.session(date, s)}
	if a.byTenant != nil && tenantID != 0 {
		out = append(out, a.tenant(tenantID).session(date, s))
	}
	return out
}

func (a *aggregates) tenant(id int) *aggregates {
	if a.byTenant[id] == nil {
		a.byTenant[id] = &aggregates{days: map[string]*dayAgg{}}
	}
	return a.byTenant[id]
}

func (a *aggregates) session(date string, s Session) *sessionAgg {
	d := a.day(date)
	if d.sessions[s] == nil {
		d.sessions[s] = &sessionAgg{symptoms: map[string]int{}}
	}
	return d.sessions[s]
}

// pupils are the pupils on the reports of a date of the institutions tids: per institution, those of its
// session with the most. The aggregates are a scope's (byTenant set) or one institution's.
func (a *aggregates) pupils(date string, tids []int) int {
	if a.byTenant == nil {
		n := 0
		if d := a.days[date]; d != nil {
			for _, s := range d.sessions {
				n = max(n, s.enrolled)
			}
		}
		return n
	}
	n := 0
	for _, tid := range tids {
		if ta := a.byTenant[tid]; ta != nil {
			n += ta.pupils(date, nil)
		}
	}
	return n
}

func (a *aggregates) day(date string) *dayAgg {
	if a.days[date] == nil {
		a.days[date] = &dayAgg{sessions: map[Session]*sessionAgg{}}
	}
	return a.days[date]
}

// checkPreds select the checks that count: of the scope's live classes, in the range, in a session the
// institution holds, not exempted.
//
// A trend groups by institution and decides its days in Go; SQL excludes exempted checks and those of
// classes closed before the range. A board (one date) excludes the institutions not in session in SQL, so
// its rows need no institution, and the exempted classes with uncorrelated subqueries (hashed once) rather
// than a correlated one per check (notExemptedOn). Classes closed before the range (history, not loaded)
// can only have checks then if they were closed retroactively: a board leaves them out of the SQL (strict
// false) and, when one shows up among the reported classes, runs again strict.
func (sd *scopeData) checkPreds(trend, strict bool) []predicate.ClassCheck {
	ps := []predicate.ClassCheck{func(s *entsql.Selector) { s.Where(sd.inScope(s.Dialect(), s.C(classcheck.FieldTenantID))) }}
	if sd.from == sd.to {
		ps = append(ps, classcheck.Date(sd.from))
	} else {
		ps = append(ps, classcheck.DateGTE(sd.from), classcheck.DateLTE(sd.to))
	}
	if sd.classIDs != nil || trend || strict {
		ps = append(ps, sd.ofClasses())
	}
	if trend {
		return append(ps, notExempted(), sd.sessionHeld(func(*tenantInfo) bool { return true }))
	}
	return append(ps, sd.sessionHeld(func(ti *tenantInfo) bool { return ti.inSession(sd.from) }), sd.notExemptedOn())
}

// notExemptedOn: on a board's date, no exemption of the check's class for the whole day or for its
// session. Each is "class_id NOT IN (the exempted classes)", a subquery PostgreSQL runs once and hashes.
// (Keeping exempted classes apart in the GROUP BY instead made PostgreSQL expect thousands of groups, sort
// every check and spill the sort to disk: 3 MB at 15,000 classes, a third of the board's time.)
func (sd *scopeData) notExemptedOn() predicate.ClassCheck {
	wholeDay, sessions := false, map[Session]bool{}
	for _, m := range sd.exempt {
		for s := range m {
			if s == allSessions {
				wholeDay = true
			} else {
				sessions[s] = true
			}
		}
	}
	return func(s *entsql.Selector) {
		d := entsql.Dialect(s.Dialect())
		exempted := func(session *Session) *entsql.Selector {
			e := d.Table(exemption.Table)
			p := []*entsql.Predicate{entsql.EQ(e.C(exemption.FieldDate), sd.from), sd.inScope(s.Dialect(), e.C(exemption.FieldTenantID))}
			if session == nil {
				p = append(p, entsql.IsNull(e.C(exemption.FieldSession)))
			} else {
				p = append(p, entsql.EQ(e.C(exemption.FieldSession), *session))
			}
			return d.Select(e.C(exemption.FieldClassID)).From(e).Where(entsql.And(p...))
		}
		if wholeDay {
			s.Where(entsql.NotIn(s.C(classcheck.FieldClassID), exempted(nil)))
		}
		for _, ses := range sessionOrder {
			if sessions[ses] {
				s.Where(entsql.Or(entsql.NEQ(s.C(classcheck.FieldSession), ses),
					entsql.NotIn(s.C(classcheck.FieldClassID), exempted(&ses))))
			}
		}
	}
}

// perClass are the classes whose check rows are grouped by class and decided in Go: the partial classes.
func (sd *scopeData) perClass() []int { return sd.partial }

// ofClasses: the check's class is one of the scope's live classes. For an institution or a district that
// is "not closed before the range" (a correlated lookup by primary key); for a grade or a class, the IDs.
func (sd *scopeData) ofClasses() predicate.ClassCheck {
	if sd.classIDs != nil {
		return classcheck.ClassIDIn(sd.classIDs...)
	}
	return func(s *entsql.Selector) {
		b := entsql.Dialect(s.Dialect())
		t := b.Table(class.Table)
		s.Where(entsql.NotExists(b.Select(t.C(class.FieldID)).From(t).Where(entsql.And(
			entsql.ColumnsEQ(t.C(class.FieldID), s.C(classcheck.FieldClassID)),
			entsql.LTE(t.C(class.FieldClosedOn), sd.liveSince),
		))))
	}
}

// inScope: the column holds one of the scope's institutions. A district's are named by the same
// subquery that listed them, not as a list of hundreds of IDs: PostgreSQL's generic plans (prepared
// statements are reused) test such lists linearly, row by row.
func (sd *scopeData) inScope(dia, col string) *entsql.Predicate {
	if sd.district == 0 {
		if len(sd.tids) == 1 {
			return entsql.EQ(col, sd.tids[0])
		}
		return entsql.In(col, anys(sd.tids)...)
	}
	b := entsql.Dialect(dia)
	t := b.Table(tenant.Table)
	return entsql.In(col, b.Select(t.C(tenant.FieldID)).From(t).Where(entsql.And(
		entsql.EQ(t.C(tenant.FieldParentID), sd.district), entsql.EQ(t.C(tenant.FieldStatus), tenant.StatusActive))))
}

// anys is vs as ent's IN predicates take them.
func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// sessionHeld: the check's session is one its institution holds, for the institutions that pass keep.
func (sd *scopeData) sessionHeld(keep func(*tenantInfo) bool) predicate.ClassCheck {
	return func(s *entsql.Selector) {
		var or []*entsql.Predicate
		for _, ses := range sd.sessions {
			var ids []any
			for _, id := range sd.tids {
				if ti := sd.tenants[id]; keep(ti) && ti.holds(ses) {
					ids = append(ids, id)
				}
			}
			switch {
			case len(ids) == 0:
			case len(ids) == len(sd.tids):
				or = append(or, entsql.EQ(s.C(classcheck.FieldSession), ses))
			case 2*len(ids) > len(sd.tids): // name the fewer: those left out
				var out []any
				for _, id := range sd.tids {
					if ti := sd.tenants[id]; !keep(ti) || !ti.holds(ses) {
						out = append(out, id)
					}
				}
				or = append(or, entsql.And(entsql.EQ(s.C(classcheck.FieldSession), ses), entsql.NotIn(s.C(classcheck.FieldTenantID), out...)))
			default:
				or = append(or, entsql.And(entsql.EQ(s.C(classcheck.FieldSession), ses), entsql.In(s.C(classcheck.FieldTenantID), ids...)))
			}
		}
		if len(or) == 0 {
			s.Where(entsql.False())
			return
		}
		s.Where(entsql.Or(or...))
	}
}

// notExempted: no exemption of the class for the date and the session (or the whole day).
func notExempted() predicate.ClassCheck {
	return func(s *entsql.Selector) {
		b := entsql.Dialect(s.Dialect())
		e := b.Table(exemption.Table)
		s.Where(entsql.NotExists(b.Select(e.C(exemption.FieldID)).From(e).Where(entsql.And(
			entsql.ColumnsEQ(e.C(exemption.FieldClassID), s.C(classcheck.FieldClassID)),
			entsql.ColumnsEQ(e.C(exemption.FieldDate), s.C(classcheck.FieldDate)),
			entsql.Or(entsql.IsNull(e.C(exemption.FieldSession)),
				entsql.ColumnsEQ(e.C(exemption.FieldSession), s.C(classcheck.FieldSession))),
		))))
	}
}

// keyColumns selects the key of grouped check rows: the date; the session unless bySession is false; the
// institution in trends (0 on boards); and the class for the partial classes (decided per date in Go; 0
// for the others). It returns the GROUP BY columns.
func (sd *scopeData) keyColumns(s *entsql.Selector, trend, bySession bool) []string {
	group := []string{s.C(classcheck.FieldDate)}
	s.Select(entsql.As(s.C(classcheck.FieldDate), "date"))
	if bySession {
		s.AppendSelectAs(s.C(classcheck.FieldSession), "session")
		group = append(group, s.C(classcheck.FieldSession))
	}
	if trend {
		s.AppendSelectAs(s.C(classcheck.FieldTenantID), "tenant_id")
		group = append(group, s.C(classcheck.FieldTenantID))
	} else {
		s.AppendSelectExprAs(entsql.Raw("0"), "tenant_id")
	}
	per := sd.perClass()
	if len(per) == 0 {
		s.AppendSelectExprAs(entsql.Raw("0"), "pclass")
		return group
	}
	col := s.C(classcheck.FieldClassID)
	s.AppendSelectExprAs(entsql.ExprFunc(func(b *entsql.Builder) {
		b.WriteString("CASE WHEN " + col + " IN (").Args(anys(per)...).WriteString(") THEN " + col + " ELSE 0 END")
	}), "pclass")
	return append(group, "pclass")
}

// counts reports whether a row (of an institution, or a partial class) counts for a date and session.
// Board rows carry no institution: SQL kept only those in session.
func (sd *scopeData) counts(tenantID, pclass int, date string, s Session) bool {
	if tenantID != 0 {
		ti := sd.tenants[tenantID]
		if ti == nil || !ti.inSession(date) || !ti.holds(s) {
			return false
		}
	}
	if pclass != 0 {
		ci := sd.classes[pclass]
		return ci != nil && ci.openOn(date) && !sd.exempted(pclass, date, s)
	}
	return true
}

func sumInt(expr string) string { return "CAST(SUM(" + expr + ") AS BIGINT)" }

type checkRow struct {
	TenantID     int    `sql:"tenant_id"`
	Date         string `sql:"date"`
	Session      string `sql:"session"`
	PClass       int    `sql:"pclass"`
	Submitted    int    `sql:"submitted"`
	OnTime       int    `sql:"on_time"`
	Zero         int    `sql:"zero"`
	Enrolled     int    `sql:"enrolled"`
	Present      int    `sql:"present"`
	Illness      int    `sql:"illness"`
	Other        int    `sql:"other"`
	Symptomatic  int    `sql:"symptomatic"`
	AbnormalTemp int    `sql:"abnormal"`
	// Reported lists the classes of the group with a report, comma-separated (boards only).
	Reported sql.NullString `sql:"reported"`
}

type entryRow struct {
	TenantID    int            `sql:"tenant_id"`
	Date        string         `sql:"date"`
	Session     string         `sql:"session"`
	PClass      int            `sql:"pclass"`
	Kind        string         `sql:"kind"`
	AbsenceType sql.NullString `sql:"absence_type"`
	Symptoms    sql.NullString `sql:"symptoms"`
	N           int            `sql:"n"`
}

func (sd *scopeData) aggregate(ctx context.Context, c *ent.Client, trend bool) (*aggregates, error) {
	agg := &aggregates{days: map[string]*dayAgg{}, reported: map[Session][]bool{}}
	if trend {
		agg.byTenant = map[int]*aggregates{}
	}
	if len(sd.tids) == 0 {
		return agg, nil
	}
	ictx := internal(ctx)

	// The check lines' GROUP BY does not depend on the checks' one: it runs meanwhile, on a connection of
	// its own (a board runs it again, strict, in the rare case the checks' query has to be).
	type lines struct {
		bySession []entryRow
		byDay     []dayEntryRow
		err       error
	}
	linesDone := meanwhile(ctx, func() (l lines) {
		if trend {
			l.byDay, l.err = sd.entriesByDay(ictx, c)
		} else {
			l.bySession, l.err = sd.entriesBySession(ictx, c, false)
		}
		return l
	})

	// Expected and exempted, from the calendars, the classes and the exemptions, per institution, date
	// and session.
	type key struct {
		tenant int
		date   string
		s      Session
	}
	expected := map[key]int{}
	byTenant := map[int][]*classInfo{}
	for _, id := range sd.partial {
		ci := sd.classes[id]
		byTenant[ci.tenantID] = append(byTenant[ci.tenantID], ci)
	}
	exemptByTenant := map[int][]classDate{}
	for k := range sd.exempt {
		if ci := sd.classes[k.class]; ci != nil {
			exemptByTenant[ci.tenantID] = append(exemptByTenant[ci.tenantID], k)
		}
	}
	for _, date := range sd.dates() {
		for _, tid := range sd.tids {
			ti := sd.tenants[tid]
			if !ti.inSession(date) {
				continue
			}
			open := ti.whole
			for _, ci := range byTenant[tid] {
				if ci.openOn(date) {
					open++
				}
			}
			for _, s := range ti.sessions {
				exempted := 0
				for _, k := range exemptByTenant[tid] {
					if k.date == date && sd.classes[k.class].openOn(date) && sd.exempted(k.class, date, s) {
						exempted++
					}
				}
				for _, a := range agg.each(tid, date, s) {
					a.Expected += open - exempted
					a.Exempted += exempted
				}
				expected[key{tid, date, s}] = open - exempted
			}
		}
	}

	// Submissions: one GROUP BY over the checks. A report counts once, by its first version (on time or
	// not); its figures come from its current version.
	strict := false
	query := func() ([]checkRow, error) {
		var rows []checkRow
		err := c.ClassCheck.Query().Where(sd.checkPreds(trend, strict)...).
			Where(classcheck.Or(classcheck.Current(true), classcheck.Version(1))).
			Modify(func(s *entsql.Selector) {
				first := s.C(classcheck.FieldVersion) + " = 1"
				cur := s.C(classcheck.FieldCurrent)
				when := func(cond, val string) string { return sumInt("CASE WHEN " + cond + " THEN " + val + " ELSE 0 END") }
				group := sd.keyColumns(s, trend, true)
				s.GroupBy(group...)
				for _, x := range [][2]string{
					{when(first, "1"), "submitted"},
					{when(first+" AND "+s.C(classcheck.FieldOnTime), "1"), "on_time"},
					{when(cur+" AND "+s.C(classcheck.FieldZeroReport), "1"), "zero"},
					{when(cur, s.C(classcheck.FieldEnrolled)), "enrolled"},
					{when(cur, s.C(classcheck.FieldPresent)), "present"},
					{when(cur, s.C(classcheck.FieldAbsentIllness)), "illness"},
					{when(cur, s.C(classcheck.FieldAbsentOther)), "other"},
					{when(cur, s.C(classcheck.FieldSymptomatic)), "symptomatic"},
					{when(cur, s.C(classcheck.FieldAbnormalTemperature)), "abnormal"},
				} {
					s.AppendSelectExprAs(entsql.Raw(x[0]), x[1])
				}
				if !trend {
					// The classes that reported, so those that did not are a difference in Go rather than a
					// second pass over the checks (an anti-join of every class and session).
					id := "CASE WHEN " + first + " THEN CAST(" + s.C(classcheck.FieldClassID) + " AS VARCHAR(20)) END"
					s.AppendSelectExprAs(entsql.Raw(concatIDs(s.Dialect(), id)), "reported")
				} else {
					s.AppendSelectExprAs(entsql.Raw("NULL"), "reported")
				}
			}).Scan(ictx, &rows)
		return rows, err
	}
	rows, err := query()
	if err != nil {
		return nil, fmt.Errorf("board: checks: %w", err)
	}
	reported, unknown, err := sd.reportedIn(rows)
	if err != nil {
		return nil, err
	}
	if !trend && sd.classIDs == nil && unknown {
		strict = true // a class closed retroactively has reports: exclude it in SQL
		if rows, err = query(); err != nil {
			return nil, fmt.Errorf("board: checks: %w", err)
		}
		if reported, _, err = sd.reportedIn(rows); err != nil {
			return nil, err
		}
	}
	submitted := map[key]int{}
	for i, r := range rows {
		s := Session(r.Session)
		if !sd.counts(r.TenantID, r.PClass, r.Date, s) {
			continue
		}
		submitted[key{r.TenantID, r.Date, s}] += r.Submitted
		if len(reported[i]) > 0 {
			if agg.reported[s] == nil {
				agg.reported[s] = make([]bool, len(sd.infos))
			}
			for _, ci := range reported[i] {
				agg.reported[s][ci.idx] = true
			}
		}
		for _, a := range agg.each(r.TenantID, r.Date, s) {
			a.Submitted += r.Submitted
			a.OnTime += r.OnTime
			a.Late += r.Submitted - r.OnTime
			a.zero += r.Zero
			a.enrolled += r.Enrolled
			a.present += r.Present
			a.absentIllness += r.Illness
			a.absentOther += r.Other
			a.symptomatic += r.Symptomatic
			a.abnormalTemp += r.AbnormalTemp
		}
	}
	for _, ag := range append([]*aggregates{agg}, slices.Collect(maps.Values(agg.byTenant))...) {
		for _, d := range ag.days {
			for _, a := range d.sessions {
				a.Pending = max(a.Expected-a.Submitted, 0)
			}
		}
	}

	// Overdue in a trend, per institution, date and session, past the deadline in the institution's time
	// zone. (A board counts its listed non-reporters instead.)
	if trend {
		for k, n := range expected {
			pending := max(n-submitted[k], 0)
			if pending == 0 {
				continue
			}
			dl, err := sd.deadline(sd.tenants[k.tenant], k.date, k.s)
			if err != nil {
				return nil, err
			}
			if sd.now.After(dl) {
				for _, a := range agg.each(k.tenant, k.date, k.s) {
					a.Overdue += pending
				}
			}
		}
	}

	// Check lines: one GROUP BY joined to the current checks that count.
	l := linesDone()
	if l.err == nil && strict {
		l.bySession, l.err = sd.entriesBySession(ictx, c, true)
	}
	if l.err != nil {
		return nil, fmt.Errorf("board: check lines: %w", l.err)
	}
	if trend {
		sd.addEntriesByDay(agg, l.byDay)
	} else if err := sd.addEntriesBySession(agg, l.bySession); err != nil {
		return nil, fmt.Errorf("board: check lines: %w", err)
	}
	for _, d := range agg.days {
		for _, a := range d.sessions {
			a.Completion.rates()
		}
	}
	return agg, nil
}

// entryQuery selects the current checks that count, for joining their lines.
func (sd *scopeData) entryQuery(c *ent.Client, trend, strict bool) *ent.ClassCheckQuery {
	return c.ClassCheck.Query().Where(sd.checkPreds(trend, strict)...).Where(classcheck.Current(true))
}

// reportedIn reads the classes a board's rows report (nil for a trend's), per row: those of the scope's
// live classes. unknown tells whether a row of institutions (not a partial class) reports another class.
func (sd *scopeData) reportedIn(rows []checkRow) (reported [][]*classInfo, unknown bool, err error) {
	reported = make([][]*classInfo, len(rows))
	for i, r := range rows {
		if !r.Reported.Valid || r.Reported.String == "" {
			continue
		}
		cis := make([]*classInfo, 0, strings.Count(r.Reported.String, ",")+1)
		err := eachID(r.Reported.String, func(id int) {
			if ci := sd.classes[id]; ci != nil {
				cis = append(cis, ci)
			} else if r.PClass == 0 {
				unknown = true
			}
		})
		if err != nil {
			return nil, false, err
		}
		reported[i] = cis
	}
	return reported, unknown, nil
}

func (sd *scopeData) entriesBySession(ictx context.Context, c *ent.Client, strict bool) ([]entryRow, error) {
	var rows []entryRow
	err := sd.entryQuery(c, false, strict).Modify(func(s *entsql.Selector) {
		e := entsql.Dialect(s.Dialect()).Table(checkentry.Table)
		s.Join(e).On(s.C(classcheck.FieldID), e.C(checkentry.FieldCheckID))
		extra := []string{e.C(checkentry.FieldKind), e.C(checkentry.FieldAbsenceType), e.C(checkentry.FieldSymptoms)}
		group := sd.keyColumns(s, false, true)
		s.AppendSelectAs(extra[0], "kind").AppendSelectAs(extra[1], "absence_type").AppendSelectAs(extra[2], "symptoms")
		s.AppendSelectExprAs(entsql.Raw("COUNT(*)"), "n")
		s.GroupBy(append(group, extra...)...)
	}).Scan(ictx, &rows)
	return rows, err
}

func (sd *scopeData) addEntriesBySession(agg *aggregates, rows []entryRow) error {
	for _, r := range rows {
		s := Session(r.Session)
		if !sd.counts(r.TenantID, r.PClass, r.Date, s) {
			continue
		}
		a := agg.session(r.Date, s)
		if r.Kind == string(checkentry.KindAbsent) && r.AbsenceType.Valid {
			a.absences.add(checkentry.AbsenceType(r.AbsenceType.String), r.N)
		}
		if r.Symptoms.Valid {
			var symptoms []string
			if err := json.Unmarshal([]byte(r.Symptoms.String), &symptoms); err != nil {
				return fmt.Errorf("symptoms %q: %w", r.Symptoms.String, err)
			}
			for _, sym := range slices.Compact(slices.Sorted(slices.Values(symptoms))) {
				a.symptoms[sym] += r.N
			}
		}
	}
	return nil
}

type dayEntryRow struct {
	TenantID    int            `sql:"tenant_id"`
	Date        string         `sql:"date"`
	PClass      int            `sql:"pclass"`
	Kind        string         `sql:"kind"`
	AbsenceType sql.NullString `sql:"absence_type"`
	N           int            `sql:"n"`
}

// entriesByDay counts distinct students per institution, day, kind and cause (so not by session).
// Sessions an institution does not hold are excluded in SQL (sessionHeld); institution days and partial
// classes are decided here.
func (sd *scopeData) entriesByDay(ictx context.Context, c *ent.Client) ([]dayEntryRow, error) {
	var rows []dayEntryRow
	err := sd.entryQuery(c, true, true).Modify(func(s *entsql.Selector) {
		e := entsql.Dialect(s.Dialect()).Table(checkentry.Table)
		s.Join(e).On(s.C(classcheck.FieldID), e.C(checkentry.FieldCheckID))
		extra := []string{e.C(checkentry.FieldKind), e.C(checkentry.FieldAbsenceType)}
		group := sd.keyColumns(s, true, false)
		s.AppendSelectAs(extra[0], "kind").AppendSelectAs(extra[1], "absence_type")
		s.AppendSelectExprAs(entsql.Raw("COUNT(DISTINCT "+e.C(checkentry.FieldStudentID)+")"), "n")
		s.GroupBy(append(group, extra...)...)
	}).Scan(ictx, &rows)
	return rows, err
}

func (sd *scopeData) addEntriesByDay(agg *aggregates, rows []dayEntryRow) {
	for _, r := range rows {
		ti := sd.tenants[r.TenantID]
		if ti == nil || !ti.inSession(r.Date) {
			continue
		}
		if r.PClass != 0 && (sd.classes[r.PClass] == nil || !sd.classes[r.PClass].openOn(r.Date)) {
			continue
		}
		for _, d := range []*dayAgg{agg.day(r.Date), agg.tenant(r.TenantID).day(r.Date)} {
			switch {
			case r.Kind == string(checkentry.KindAbsent) && r.AbsenceType.Valid:
				d.absences.add(checkentry.AbsenceType(r.AbsenceType.String), r.N)
			case r.Kind == string(checkentry.KindSymptomatic):
				d.symptomatic += r.N
			}
		}
	}
}

// ---- the classes that have not reported ----

type classRow struct {
	ClassID    int
	TenantID   int
	Name       string
	SortOrder  int
	GradeName  sql.NullString
	GradeOrder sql.NullInt64
}

// nonReporters lists, per session, the expected classes that have not reported: the scope's classes
// (already read with the caller's rights) less those the checks' GROUP BY found reported, with their
// names, grades and class teachers (classDetails).
func (sd *scopeData) nonReporters(ctx context.Context, c *ent.Client, b *Board, reported map[Session][]bool) error {
	date := b.Date
	type miss struct {
		class int
		s     int // index in b.Sessions
	}
	var missing []miss
	ids := map[int]bool{}
	for i, sb := range b.Sessions {
		if sb.Pending == 0 {
			continue
		}
		due := map[int]bool{} // institutions holding the session on a school day
		for id, ti := range sd.tenants {
			due[id] = ti.inSession(date) && ti.holds(sb.Session)
		}
		done := reported[sb.Session]
		for j := range sd.infos {
			ci := &sd.infos[j]
			// most have reported: that test first
			if (done != nil && done[j]) || !due[ci.tenantID] || !ci.openOn(date) || sd.exempted(ci.id, date, sb.Session) {
				continue
			}
			missing = append(missing, miss{ci.id, i})
			ids[ci.id] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	byClass, err := sd.classDetails(ctx, c, keys(ids))
	if err != nil {
		return err
	}
	type listed struct {
		d *classDetail
		s int
	}
	list := make([]listed, 0, len(missing))
	for _, m := range missing {
		if d := byClass[m.class]; d != nil { // nil: gone since the classes were read
			list = append(list, listed{d, m.s})
		}
	}
	slices.SortFunc(list, func(x, y listed) int { return compareDetails(x.d, y.d) })
	for _, m := range list {
		in := m.d
		sb := &b.Sessions[m.s]
		ti := sd.tenants[in.row.TenantID]
		dl, err := sd.deadline(ti, date, sb.Session)
		if err != nil {
			return err
		}
		sb.NonReporting = append(sb.NonReporting, NonReporter{TenantID: ti.t.ID, SchoolName: ti.t.Name, ClassID: in.row.ClassID,
			ClassName: in.row.Name, GradeName: in.row.GradeName.String, Teachers: in.teachers, Phones: in.phones, Deadline: dl, Overdue: sd.now.After(dl)})
	}
	return nil
}

// classDetail is a class with its grade and class teachers (and their phones, in the same order).
type classDetail struct {
	row              classRow
	tenantRank       int // the institution's place in the scope's list (sd.tids)
	teachers, phones []string
}

// classDetails reads classes with their grades and class teachers, internally, in one query, for classes
// of the scope only (the caller was shown to read their checks). Every viewer of a board may read grades
// and users' names, and the class teachers' assignments must be listed even for a health teacher, who may
// see the board but not the assignments. The class teachers are the users holding a class_teacher
// assignment at the class valid now, substitutes included, in order: class teacher(s), substitutes,
// deputies.
func (sd *scopeData) classDetails(ctx context.Context, c *ent.Client, ids []int) (map[int]*classDetail, error) {
	// Each class once, its teachers in order: class teacher(s), substitutes, deputies.
	type teacher struct {
		name, phone string
		rank, id    int
		validFrom   time.Time
	}
	byClass := make(map[int]*classDetail, len(ids))
	if len(ids) == 0 {
		return byClass, nil
	}
	ts := map[int][]teacher{}
	rank := make(map[int]int, len(sd.tids))
	for i, tid := range sd.tids {
		rank[tid] = i
	}
	d := entsql.Dialect(c.Dialect())
	// Written with the SQL builder and scanned by hand: a district's non-reporters are thousands of rows,
	// and ent's reflective scan cost more than the query. The read is internal (see above), so going
	// past ent's privacy layer changes nothing.
	cl, g, a, u := d.Table(class.Table), d.Table(grade.Table).As("g"), d.Table(assignment.Table).As("a"), d.Table(user.Table).As("u")
	q := d.Select(
		cl.C(class.FieldID), cl.C(class.FieldTenantID), cl.C(class.FieldName), cl.C(class.FieldSortOrder),
		g.C(grade.FieldName), g.C(grade.FieldSortOrder),
		a.C(assignment.FieldID), a.C(assignment.FieldValidFrom), a.C(assignment.FieldDeputy), a.C(assignment.FieldDelegatedFromID),
		u.C(user.FieldDisplayName), u.C(user.FieldPhone),
	).From(cl)
	q.LeftJoin(g).On(g.C(grade.FieldID), cl.C(class.FieldGradeID))
	q.LeftJoin(a).OnP(entsql.And(
		entsql.ColumnsEQ(a.C(assignment.FieldTenantID), cl.C(class.FieldTenantID)),
		entsql.EQ(a.C(assignment.FieldNodeType), authz.NodeClass),
		entsql.ColumnsEQ(a.C(assignment.FieldNodeID), cl.C(class.FieldID)),
		entsql.EQ(a.C(assignment.FieldRole), authz.ClassTeacher),
		entsql.LTE(a.C(assignment.FieldValidFrom), sd.now),
		entsql.Or(entsql.IsNull(a.C(assignment.FieldValidTo)), entsql.GT(a.C(assignment.FieldValidTo), sd.now)),
	))
	q.LeftJoin(u).OnP(entsql.And(entsql.ColumnsEQ(u.C(user.FieldID), a.C(assignment.FieldUserID)), entsql.EQ(u.C(user.FieldActive), true)))
	q.Where(idsIn(cl.C(class.FieldID), ids))
	query, args := q.Query()
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("board: classes: %w", err)
	}
	for rows.Next() {
		var (
			r                   classRow
			assignID, delegated sql.NullInt64
			validFrom           sql.NullTime
			deputy              sql.NullBool
			name, phone         sql.NullString
		)
		if err := rows.Scan(&r.ClassID, &r.TenantID, &r.Name, &r.SortOrder, &r.GradeName, &r.GradeOrder,
			&assignID, &validFrom, &deputy, &delegated, &name, &phone); err != nil {
			rows.Close()
			return nil, fmt.Errorf("board: classes: %w", err)
		}
		if byClass[r.ClassID] == nil {
			byClass[r.ClassID] = &classDetail{row: r, tenantRank: rank[r.TenantID]}
		}
		if !assignID.Valid || !name.Valid { // no assignment in force, or its holder's account is off
			continue
		}
		t := teacher{name: name.String, phone: phone.String, id: int(assignID.Int64), validFrom: validFrom.Time}
		switch {
		case deputy.Valid && deputy.Bool:
			t.rank = 2
		case delegated.Valid:
			t.rank = 1
		}
		ts[r.ClassID] = append(ts[r.ClassID], t)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("board: classes: %w", err)
	}

	for id, in := range byClass {
		slices.SortFunc(ts[id], func(x, y teacher) int {
			return cmp.Or(cmp.Compare(x.rank, y.rank), x.validFrom.Compare(y.validFrom), cmp.Compare(x.id, y.id))
		})
		in.teachers, in.phones = []string{}, []string{}
		for _, t := range ts[id] {
			if !slices.Contains(in.teachers, t.name) {
				in.teachers, in.phones = append(in.teachers, t.name), append(in.phones, t.phone)
			}
		}
	}
	return byClass, nil
}

// classOrder orders classes as the scope's institutions were listed (by name), then by grade and class.
// openClasses lists the scope's classes open on date, in the school's order, with their details.
func (sd *scopeData) openClasses(ctx context.Context, c *ent.Client, date string) ([]int, map[int]*classDetail, error) {
	var ids []int
	for id, ci := range sd.classes {
		if ci.openOn(date) {
			ids = append(ids, id)
		}
	}
	details, err := sd.classDetails(ctx, c, ids)
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(ids, sd.classOrder(details))
	return ids, details, nil
}

func (sd *scopeData) classOrder(byClass map[int]*classDetail) func(x, y int) int {
	return func(x, y int) int {
		a, b := byClass[x], byClass[y]
		if a == nil || b == nil {
			return cmp.Compare(x, y)
		}
		return compareDetails(a, b)
	}
}

// compareDetails is classOrder's comparison of two classes read by classDetails.
func compareDetails(a, b *classDetail) int {
	gradeOrder := func(r *classRow) int {
		if r.GradeOrder.Valid {
			return int(r.GradeOrder.Int64)
		}
		return 1 << 30
	}
	return cmp.Or(cmp.Compare(a.tenantRank, b.tenantRank), cmp.Compare(gradeOrder(&a.row), gradeOrder(&b.row)),
		cmp.Compare(a.row.GradeName.String, b.row.GradeName.String), cmp.Compare(a.row.SortOrder, b.row.SortOrder),
		cmp.Compare(a.row.Name, b.row.Name), cmp.Compare(a.row.ClassID, b.row.ClassID))
}

// ---- open alerts and follow-ups ----

// upwardOr are the alerts counted outside the school (the district, the daily report): all but a staff
// member's illness the principal has not reported upward, which only schools (its own) count.
func upwardOr(schools []int) predicate.Alert {
	return alert.Or(alert.RuleNEQ(alert.RuleStaffIllness), alert.UpwardEQ(alert.UpwardReported), alert.TenantIDIn(schools...))
}

// upwardFor is upwardOr for the reader of ctx: her own schools count a staff illness before the decision.
func upwardFor(ctx context.Context) predicate.Alert {
	return upwardOr(rule.ScopeOf(viewer.FromContext(ctx), authz.ObjStaffIllness).Tenants)
}

// openItems counts the scope's open alerts (by rule) and follow-ups with one GROUP BY each, and the pupils
// in the observation room, on their (tenant_id, status) index, read internally: the viewer was shown to read the checks of the whole scope,
// and these are counts, never names (a district reads no follow-up, but may know how many are open). The
// list of open alerts is read with the viewer's own rights, and only below the district.
func (sd *scopeData) openItems(ctx context.Context, c *ent.Client, b *Board) error {
	b.Alerts.ByRule = []AlertRuleCount{}
	if len(sd.tids) == 0 {
		return nil
	}
	ictx := internal(ctx)
	open := []alert.Status{alert.StatusOpen, alert.StatusAcknowledged}
	alertScope := func(s *entsql.Selector) {
		s.Where(sd.inScope(s.Dialect(), s.C(alert.FieldTenantID)))
		if sd.classIDs != nil {
			s.Where(entsql.In(s.C(alert.FieldClassID), anys(sd.classIDs)...))
		}
	}
	var alerts []struct {
		Rule    string `sql:"rule"`
		N       int    `sql:"n"`
		Overdue int    `sql:"overdue"`
	}
	err := c.Alert.Query().Where(alertScope, alert.StatusIn(open...), upwardOr(sd.staffIllnessAt)).Modify(func(s *entsql.Selector) {
		s.Select(entsql.As(s.C(alert.FieldRule), "rule"))
		s.AppendSelectExprAs(entsql.Raw("COUNT(*)"), "n")
		s.AppendSelectExprAs(entsql.ExprFunc(func(b *entsql.Builder) {
			b.WriteString("CAST(SUM(CASE WHEN " + s.C(alert.FieldReportBy) + " < ").Arg(sd.now).
				WriteString(" AND " + s.C(alert.FieldCdcContactedAt) + " IS NULL THEN 1 ELSE 0 END) AS BIGINT)")
		}), "overdue")
		s.GroupBy(s.C(alert.FieldRule))
	}).Scan(ictx, &alerts)
	if err != nil {
		return fmt.Errorf("board: open alerts: %w", err)
	}
	byRule := map[alert.Rule]int{}
	for _, r := range alerts {
		byRule[alert.Rule(r.Rule)] += r.N
		b.Alerts.Open += r.N
		b.Alerts.ReportOverdue += r.Overdue
	}
	for _, r := range alertRules {
		if byRule[r] > 0 {
			b.Alerts.ByRule = append(b.Alerts.ByRule, AlertRuleCount{r, byRule[r]})
		}
	}

	var fus []struct {
		N         int `sql:"n"`
		Clearance int `sql:"clearance"`
		Overdue   int `sql:"overdue"`
	}
	err = c.FollowUp.Query().Where(func(s *entsql.Selector) {
		s.Where(sd.inScope(s.Dialect(), s.C(followup.FieldTenantID)))
		if sd.classIDs != nil {
			s.Where(entsql.In(s.C(followup.FieldClassID), anys(sd.classIDs)...))
		}
	}, followup.StatusEQ(followup.StatusOpen)).Modify(func(s *entsql.Selector) {
		s.Select()
		s.AppendSelectExprAs(entsql.Raw("COUNT(*)"), "n")
		s.AppendSelectExprAs(entsql.ExprFunc(func(b *entsql.Builder) {
			b.WriteString("COALESCE(CAST(SUM(CASE WHEN " + s.C(followup.FieldClearance) + " = ").Arg(string(followup.ClearanceRequired)).
				WriteString(" THEN 1 ELSE 0 END) AS BIGINT), 0)")
		}), "clearance")
		s.AppendSelectExprAs(entsql.ExprFunc(func(b *entsql.Builder) {
			b.WriteString("COALESCE(CAST(SUM(CASE WHEN " + s.C(followup.FieldOutcome) + " = ").Arg(string(followup.OutcomeUnknown)).
				WriteString(" AND " + s.C(followup.FieldDueAt) + " < ").Arg(sd.now).WriteString(" THEN 1 ELSE 0 END) AS BIGINT), 0)")
		}), "overdue")
	}).Scan(ictx, &fus)
	if err != nil {
		return fmt.Errorf("board: open follow-ups: %w", err)
	}
	for _, r := range fus {
		b.FollowUps = FollowUpCounts{Open: r.N, NeedsClearance: r.Clearance, CauseOverdue: r.Overdue}
	}
	b.InObservation, err = c.ObservationStay.Query().Where(func(s *entsql.Selector) {
		s.Where(sd.inScope(s.Dialect(), s.C(observationstay.FieldTenantID)))
		if sd.classIDs != nil {
			s.Where(entsql.In(s.C(observationstay.FieldClassID), anys(sd.classIDs)...))
		}
	}, observationstay.StatusEQ(observationstay.StatusOpen)).Count(ictx)
	if err != nil {
		return fmt.Errorf("board: observation room: %w", err)
	}

	if sd.district != 0 {
		return nil
	}
	list, err := c.Alert.Query().Where(alertScope, alert.StatusIn(open...)).
		Order(ent.Desc(alert.FieldOpenedAt), ent.Desc(alert.FieldID)).Limit(MaxOpenAlerts).All(ctx)
	switch {
	case errors.Is(err, privacy.Deny):
		return nil // no right to read alerts: counts only
	case err != nil:
		return fmt.Errorf("board: open alerts: %w", err)
	}
	b.OpenAlerts = list
	if b.OpenAlerts == nil {
		b.OpenAlerts = []*ent.Alert{}
	}
	return nil
}
