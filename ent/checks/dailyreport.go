package checks

// The compiled daily reports (日报告 / 零报告, DOMAIN.md §2.4, §3.3): at each institution's cut-off its
// class and staff checks are frozen into a school report; at the district's cut-off the school reports are
// frozen into a district report. Each is a snapshot with lineage (which check, or which school report, at
// which version it included).
//
// Compiling is idempotent: the lineage decides. Compiling again with the same lineage writes nothing; a
// different lineage after a report exists (a late report, a correction) writes version N+1, marked
// amended with the reason, and moves `current` to it; the old version is never touched but for `current`
// (DOMAIN.md §6.1: a sent snapshot is never overwritten). Two compiles racing for the same version
// collide on the unique (tenant, kind, date, version) index: one fails, is retried, and finds nothing to do.
//
// "Not reported is never zero" (DOMAIN.md §6.2): a class that had not reported is a row in state missing
// with no figures; a school is a zero report only when every expected report is in and none names an
// illness absence, a symptom or a fever.
//
// The compile runs as the system (a job) and reads internally; who may read the reports is the
// DailyReport policy's business.

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/staffcheck"
	"github.com/campushealth/campushealth/ent/staffgroup"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
)

// ErrNotSchoolDay: the date is not a school day for the institution (or, for a district, for any of
// its institutions), or has not come: no report is compiled.
var ErrNotSchoolDay = errors.New("not a school day")

// Compiled is the outcome of a compile.
type Compiled struct {
	Report  *ent.DailyReport // the current version after the compile
	Written bool             // a new version was written (false: the lineage had not changed)
}

// CompileSchool compiles an institution's report for a local date as of now (at or after its cut-off).
func CompileSchool(ctx context.Context, client *ent.Client, tenantID int, date string, now time.Time) (*Compiled, error) {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, types.Invalid("date", "use a date as YYYY-MM-DD")
	}
	ictx := internal(ctx)
	t, err := client.Tenant.Get(ictx, tenantID)
	if err != nil {
		return nil, err
	}
	if t.Kind == tenant.KindDistrict {
		return nil, types.Invalid("tenantID", "%s is a district", t.Name)
	}
	rules, err := RulesFor(ctx, client, t)
	if err != nil {
		return nil, err
	}
	cutOff, err := rules.At(date, rules.ReportCutoff)
	if err != nil {
		return nil, err
	}

	// The lineage first, the board after: whatever the board adds that the lineage missed (a report
	// committed in between) raises the source count above source_rows, and the dispatcher compiles again.
	chks, err := client.ClassCheck.Query().Where(classcheck.TenantID(t.ID), classcheck.Date(date)).
		Order(ent.Asc(classcheck.FieldVersion)).All(ictx)
	if err != nil {
		return nil, err
	}
	staffChks, err := client.StaffCheck.Query().Where(staffcheck.TenantID(t.ID), staffcheck.Date(date)).
		Order(ent.Asc(staffcheck.FieldVersion)).All(ictx)
	if err != nil {
		return nil, err
	}
	// Exemptions are sources too: one declared after the cut-off turns a missing class into an exempted one.
	exs, err := client.Exemption.Query().Where(exemption.TenantID(t.ID), exemption.Date(date)).All(ictx)
	if err != nil {
		return nil, err
	}
	// Staff illnesses reported upward: the open ones (counted in the open alerts) and, whatever their state,
	// those reported this day. A decision is a source of the day's report (DueReports dates it alike), so it
	// stays in the lineage once closed: else reporting a closed one after the compile would write nothing.
	loc := Location(t)
	day, _ := time.ParseInLocation(time.DateOnly, date, loc)
	reported, err := client.Alert.Query().Where(alert.TenantID(t.ID), alert.RuleEQ(alert.RuleStaffIllness),
		alert.UpwardEQ(alert.UpwardReported), alert.Or(alert.StatusIn(alert.StatusOpen, alert.StatusAcknowledged),
			alert.And(alert.UpwardDecidedAtGTE(day), alert.UpwardDecidedAtLT(day.AddDate(0, 0, 1))))).
		Select(alert.FieldStatus, alert.FieldUpward, alert.FieldUpwardDecidedAt).Order(ent.Asc(alert.FieldID)).All(ictx)
	if err != nil {
		return nil, err
	}
	decisions := 0
	reported = slices.DeleteFunc(reported, func(a *ent.Alert) bool {
		if reportedOn(a, loc) == date {
			decisions++
			return false
		}
		return a.Status != alert.StatusOpen && a.Status != alert.StatusAcknowledged
	})
	b, sd, err := boardFor(ctx, client, Scope{TenantID: t.ID, upward: true}, date, now)
	if err != nil {
		return nil, err
	}
	ti := sd.tenants[t.ID]
	if ti == nil || !ti.inSession(date) {
		return nil, ErrNotSchoolDay
	}

	type unit struct {
		id int
		s  Session
	}
	type report struct{ first, current *ent.ClassCheck }
	reports := map[unit]*report{}
	var lineage []types.LineageItem
	for _, chk := range chks {
		k := unit{chk.ClassID, chk.Session}
		if reports[k] == nil {
			reports[k] = &report{first: chk}
		}
		if chk.Current {
			reports[k].current = chk
			lineage = append(lineage, types.LineageItem{Kind: types.LineageClassCheck, UnitID: chk.ClassID,
				Session: string(chk.Session), ID: chk.ID, Version: chk.Version})
		}
	}
	absences, err := absencesByCheck(ictx, client, t.ID, date)
	if err != nil {
		return nil, err
	}

	ids, details, err := sd.openClasses(ctx, client, date)
	if err != nil {
		return nil, err
	}
	rows := []types.ReportRow{}
	for _, id := range ids {
		d := details[id]
		if d == nil {
			continue
		}
		for _, ses := range ti.sessions {
			row := types.ReportRow{TenantID: t.ID, SchoolName: t.Name, ClassID: id, ClassName: d.row.Name,
				GradeName: d.row.GradeName.String, Teachers: d.teachers, Session: string(ses)}
			r := reports[unit{id, ses}]
			switch {
			case sd.exempted(id, date, ses):
				row.State = types.RowExempted
			case r == nil || r.current == nil:
				row.State = types.RowMissing
			default:
				row.State = types.RowLate
				if r.first.OnTime {
					row.State = types.RowOnTime
				}
				cur, a := r.current, absences[r.current.ID]
				at := r.first.SubmittedAt
				row.CheckID, row.Version, row.SubmittedAt = cur.ID, cur.Version, &at
				row.Enrolled, row.Present, row.Symptomatic = &cur.Enrolled, &cur.Present, &cur.Symptomatic
				row.AbnormalTemperature = &cur.AbnormalTemperature
				row.SickLeave, row.Personal, row.Unexcused, row.EarlyLeave = &a.SickLeave, &a.PersonalLeave, &a.Unexcused, &a.EarlyLeave
			}
			rows = append(rows, row)
		}
	}

	figures := types.ReportFigures{Sessions: []types.SessionFigures{}, Staff: []types.SessionFigures{}}
	for _, sb := range b.Sessions {
		figures.Sessions = append(figures.Sessions, sessionFigures(sb))
	}
	figures.OpenAlerts = b.Alerts.Open
	for _, rc := range b.Alerts.ByRule {
		figures.OpenAlertsByRule = append(figures.OpenAlertsByRule, types.RuleCount{Rule: string(rc.Rule), Count: rc.Count})
	}
	if figures.Observation, err = observationFigures(ictx, client, t.ID, date); err != nil {
		return nil, err
	}
	if figures.Health, err = healthFigures(ictx, client, t.ID, rules, date, now); err != nil {
		return nil, err
	}
	if figures.StaffHealth, err = staffHealthFigures(ictx, client, t.ID, rules, date, now); err != nil {
		return nil, err
	}
	staffFigures, staffLineage, err := staffReports(ictx, client, t.ID, ti.sessions, staffChks)
	if err != nil {
		return nil, err
	}
	figures.Staff = staffFigures
	lineage = append(lineage, staffLineage...)
	for _, a := range reported { // a decision after the compile amends the report
		lineage = append(lineage, types.LineageItem{Kind: types.LineageStaffIllness, UnitID: t.ID, ID: a.ID, Version: 1})
	}
	for _, ex := range exs {
		item := types.LineageItem{Kind: types.LineageExemption, UnitID: ex.ClassID, ID: ex.ID, Version: 1}
		if ex.Session != nil {
			item.Session = string(*ex.Session)
		}
		lineage = append(lineage, item)
	}

	zero := len(figures.Sessions) > 0
	submitted := 0
	for _, f := range append(slices.Clone(figures.Sessions), figures.Staff...) {
		submitted += f.Submitted
		if f.Missing > 0 || f.AbsentIllness > 0 || f.Symptomatic > 0 || f.AbnormalTemperature > 0 {
			zero = false
		}
	}
	zero = zero && submitted > 0

	return save(ctx, client, snapshot{
		tenantID: t.ID, kind: dailyreport.KindSchool, date: date, cutOff: cutOff, now: now, zero: zero,
		figures: figures, rows: rows, lineage: lineage, sourceRows: len(chks) + len(staffChks) + len(exs) + decisions,
		names: rowNames(rows),
	})
}

// sessionFigures turns a board session into a report's figures.
func sessionFigures(sb SessionBoard) types.SessionFigures {
	return types.SessionFigures{
		Session: string(sb.Session), Expected: sb.Expected, Submitted: sb.Submitted, OnTime: sb.OnTime, Late: sb.Late,
		Missing: sb.Pending, Exempted: sb.Exempted, Completeness: sb.Completeness, Timeliness: sb.OnTimeRate,
		ZeroReports: sb.ZeroReports, Enrolled: sb.Enrolled, Present: sb.Present, AbsentIllness: sb.AbsentIllness,
		AbsentOther: sb.AbsentOther, Absences: types.Absences(sb.Absences), Symptomatic: sb.Symptomatic,
		AbnormalTemperature: sb.AbnormalTemperature,
	}
}

// absencesByCheck counts the absence lines of the current checks of an institution's date by cause.
func absencesByCheck(ictx context.Context, c *ent.Client, tenantID int, date string) (map[int]Absences, error) {
	var lines []struct {
		CheckID int    `sql:"check_id"`
		Type    string `sql:"absence_type"`
		N       int    `sql:"n"`
	}
	err := c.CheckEntry.Query().Where(checkentry.TenantID(tenantID), checkentry.KindEQ(checkentry.KindAbsent),
		checkentry.HasCheckWith(classcheck.Date(date), classcheck.Current(true))).
		Modify(func(s *entsql.Selector) {
			s.Select(entsql.As(s.C(checkentry.FieldCheckID), "check_id"), entsql.As(s.C(checkentry.FieldAbsenceType), "absence_type"))
			s.AppendSelectExprAs(entsql.Raw("COUNT(*)"), "n")
			s.Where(entsql.NotNull(s.C(checkentry.FieldAbsenceType)))
			s.GroupBy(s.C(checkentry.FieldCheckID), s.C(checkentry.FieldAbsenceType))
		}).Scan(ictx, &lines)
	if err != nil {
		return nil, err
	}
	out := map[int]Absences{}
	for _, l := range lines {
		a := out[l.CheckID]
		a.add(checkentry.AbsenceType(l.Type), l.N)
		out[l.CheckID] = a
	}
	return out, nil
}

// staffReports are the staff checks' figures per session (expected: the institution's staff groups) and
// their lineage.
func staffReports(ictx context.Context, c *ent.Client, tenantID int, sessions []Session, chks []*ent.StaffCheck) ([]types.SessionFigures, []types.LineageItem, error) {
	groups, err := c.StaffGroup.Query().Where(staffgroup.TenantID(tenantID)).Count(ictx)
	if err != nil {
		return nil, nil, err
	}
	out := []types.SessionFigures{}
	var lineage []types.LineageItem
	if groups == 0 && len(chks) == 0 {
		return out, nil, nil
	}
	type unit struct {
		id int
		s  Session
	}
	first := map[unit]*ent.StaffCheck{}
	for _, chk := range chks {
		k := unit{chk.StaffGroupID, Session(chk.Session)}
		if first[k] == nil {
			first[k] = chk
		}
		if chk.Current {
			lineage = append(lineage, types.LineageItem{Kind: types.LineageStaffCheck, UnitID: chk.StaffGroupID,
				Session: string(chk.Session), ID: chk.ID, Version: chk.Version})
		}
	}
	for _, s := range sessions {
		f := types.SessionFigures{Session: string(s), Expected: groups}
		for _, chk := range chks {
			if Session(chk.Session) != s || !chk.Current {
				continue
			}
			f.Submitted++
			if first[unit{chk.StaffGroupID, s}].OnTime {
				f.OnTime++
			} else {
				f.Late++
			}
			if chk.ZeroReport {
				f.ZeroReports++
			}
			f.Enrolled += chk.Enrolled
			f.Present += chk.Present
			f.AbsentIllness += chk.AbsentIllness
			f.AbsentOther += chk.AbsentOther
			f.Symptomatic += chk.Symptomatic
			f.AbnormalTemperature += chk.AbnormalTemperature
		}
		f.Missing = max(f.Expected-f.Submitted, 0)
		if f.Expected > 0 {
			c, o := float64(min(f.Submitted, f.Expected))/float64(f.Expected), float64(min(f.OnTime, f.Expected))/float64(f.Expected)
			f.Completeness, f.Timeliness = &c, &o
		}
		out = append(out, f)
	}
	return out, lineage, nil
}

// CompileDistrict compiles a district's report for a local date from its active institutions' current
// school reports. An institution in session whose report is not compiled yet (its compile failed or has
// not run) is compiled first, so the district report never silently lacks a school.
func CompileDistrict(ctx context.Context, client *ent.Client, districtID int, date string, now time.Time) (*Compiled, error) {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, types.Invalid("date", "use a date as YYYY-MM-DD")
	}
	ictx := internal(ctx)
	d, err := client.Tenant.Get(ictx, districtID)
	if err != nil {
		return nil, err
	}
	if d.Kind != tenant.KindDistrict {
		return nil, types.Invalid("districtID", "%s is not a district", d.Name)
	}
	rules, err := RulesFor(ctx, client, d)
	if err != nil {
		return nil, err
	}
	cutOff, err := rules.At(date, rules.DistrictCutoff)
	if err != nil {
		return nil, err
	}
	schools, err := client.Tenant.Query().Where(tenant.ParentID(d.ID), tenant.StatusEQ(tenant.StatusActive)).
		Order(ent.Asc(tenant.FieldName), ent.Asc(tenant.FieldID)).All(ictx)
	if err != nil {
		return nil, err
	}
	tis, err := calendarsOf(ctx, client, schools, date, date, now)
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(schools))
	for i, s := range schools {
		ids[i] = s.ID
	}
	reports, sourceRows, err := schoolReports(ictx, client, ids, date)
	if err != nil {
		return nil, err
	}
	inSession := 0
	for _, s := range schools {
		if !tis[s.ID].inSession(date) {
			continue
		}
		inSession++
		if reports[s.ID] == nil {
			if _, err := CompileSchool(ctx, client, s.ID, date, now); err != nil && !errors.Is(err, ErrNotSchoolDay) {
				return nil, fmt.Errorf("compile %s: %w", s.Name, err)
			}
			if reports, sourceRows, err = schoolReports(ictx, client, ids, date); err != nil {
				return nil, err
			}
		}
	}
	if inSession == 0 {
		return nil, ErrNotSchoolDay
	}

	summary := &types.SchoolSummary{Institutions: len(schools), InSession: inSession,
		NonReporting: []types.NamedUnit{}, Unattested: []types.NamedUnit{}, MissingClasses: []types.ReportRow{}}
	figures := types.ReportFigures{Sessions: []types.SessionFigures{}, Staff: []types.SessionFigures{}, Schools: summary,
		Observation: &types.ObservationFigures{}, Health: &types.HealthFigures{ByGroup: []types.GroupCount{}},
		StaffHealth: &types.HealthFigures{ByGroup: []types.GroupCount{}}}
	bySession, staffBySession := map[string]*types.SessionFigures{}, map[string]*types.SessionFigures{}
	alerts := map[string]int{}
	rows := []types.ReportRow{}
	var lineage []types.LineageItem
	zero := true
	for _, s := range schools {
		r := reports[s.ID]
		if !tis[s.ID].inSession(date) {
			rows = append(rows, types.ReportRow{TenantID: s.ID, SchoolName: s.Name, State: types.RowNotExpected})
			continue
		}
		if r == nil { // compiled just above unless it failed: it says so, it is never a zero
			zero = false
			summary.NonReporting = append(summary.NonReporting, types.NamedUnit{ID: s.ID, Name: s.Name})
			rows = append(rows, types.ReportRow{TenantID: s.ID, SchoolName: s.Name, State: types.RowMissing})
			continue
		}
		summary.Compiled++
		if r.AttestedAt != nil {
			summary.Attested++
		} else {
			summary.Unattested = append(summary.Unattested, types.NamedUnit{ID: s.ID, Name: s.Name})
		}
		zero = zero && r.ZeroReport
		lineage = append(lineage, types.LineageItem{Kind: types.LineageSchoolReport, UnitID: s.ID, ID: r.ID, Version: r.Version})
		figures.OpenAlerts += r.Figures.OpenAlerts
		if o := r.Figures.Observation; o != nil {
			figures.Observation.Opened += o.Opened
			figures.Observation.StillIn += o.StillIn
			figures.Observation.Referred += o.Referred
			figures.Observation.Staff += o.Staff
		}
		addHealth(figures.Health, r.Figures.Health)
		addHealth(figures.StaffHealth, r.Figures.StaffHealth)
		for _, rc := range r.Figures.OpenAlertsByRule {
			alerts[rc.Rule] += rc.Count
		}
		submitted := 0
		for _, f := range r.Figures.Sessions {
			submitted += f.Submitted
			addFigures(bySession, f)
			row := types.ReportRow{TenantID: s.ID, SchoolName: s.Name, Session: f.Session,
				Expected: ptrTo(f.Expected), Submitted: ptrTo(f.Submitted)}
			switch {
			case f.Expected == 0:
				row.State = types.RowExempted
			case f.Submitted == 0:
				row.State = types.RowMissing
			default:
				row.State = types.RowComplete
				if f.Missing > 0 {
					row.State = types.RowPartial
				}
				row.Enrolled, row.Present = ptrTo(f.Enrolled), ptrTo(f.Present)
				row.SickLeave, row.Personal = ptrTo(f.Absences.SickLeave), ptrTo(f.Absences.PersonalLeave)
				row.Unexcused, row.EarlyLeave = ptrTo(f.Absences.Unexcused), ptrTo(f.Absences.EarlyLeave)
				row.Symptomatic, row.AbnormalTemperature = ptrTo(f.Symptomatic), ptrTo(f.AbnormalTemperature)
			}
			rows = append(rows, row)
		}
		for _, f := range r.Figures.Staff {
			addFigures(staffBySession, f)
		}
		if submitted == 0 && slices.ContainsFunc(r.Figures.Sessions, func(f types.SessionFigures) bool { return f.Expected > 0 }) {
			summary.NonReporting = append(summary.NonReporting, types.NamedUnit{ID: s.ID, Name: s.Name})
		}
		for _, row := range r.Rows {
			if row.State == types.RowMissing {
				summary.MissingClasses = append(summary.MissingClasses, row)
			}
		}
	}
	for _, s := range sessionOrder {
		if f := bySession[string(s)]; f != nil {
			figures.Sessions = append(figures.Sessions, rated(*f))
		}
		if f := staffBySession[string(s)]; f != nil {
			figures.Staff = append(figures.Staff, rated(*f))
		}
	}
	for _, r := range alertRules {
		if n := alerts[string(r)]; n > 0 {
			figures.OpenAlertsByRule = append(figures.OpenAlertsByRule, types.RuleCount{Rule: string(r), Count: n})
		}
	}
	names := map[string]string{}
	for _, s := range schools {
		names[fmt.Sprintf("%s:%d:", types.LineageSchoolReport, s.ID)] = s.Name
	}
	return save(ctx, client, snapshot{
		tenantID: d.ID, kind: dailyreport.KindDistrict, date: date, cutOff: cutOff, now: now, zero: zero && summary.Compiled > 0,
		figures: figures, rows: rows, lineage: lineage, sourceRows: sourceRows, names: names,
	})
}

func ptrTo(n int) *int { return &n }

// addFigures adds a school's session figures to the district's.
func addFigures(m map[string]*types.SessionFigures, f types.SessionFigures) {
	t := m[f.Session]
	if t == nil {
		t = &types.SessionFigures{Session: f.Session}
		m[f.Session] = t
	}
	t.Expected += f.Expected
	t.Submitted += f.Submitted
	t.OnTime += f.OnTime
	t.Late += f.Late
	t.Missing += f.Missing
	t.Exempted += f.Exempted
	t.ZeroReports += f.ZeroReports
	t.Enrolled += f.Enrolled
	t.Present += f.Present
	t.AbsentIllness += f.AbsentIllness
	t.AbsentOther += f.AbsentOther
	t.Absences.SickLeave += f.Absences.SickLeave
	t.Absences.PersonalLeave += f.Absences.PersonalLeave
	t.Absences.Unexcused += f.Absences.Unexcused
	t.Absences.EarlyLeave += f.Absences.EarlyLeave
	t.Symptomatic += f.Symptomatic
	t.AbnormalTemperature += f.AbnormalTemperature
}

// rated sets the rates over the summed counts (nil when nothing is expected).
func rated(f types.SessionFigures) types.SessionFigures {
	f.Completeness, f.Timeliness = nil, nil
	if f.Expected > 0 {
		c, o := float64(f.Submitted)/float64(f.Expected), float64(f.OnTime)/float64(f.Expected)
		f.Completeness, f.Timeliness = &c, &o
	}
	return f
}

// schoolReports are the current school reports of the institutions for a date, and how many school
// report rows (every version) there are: the district's source_rows.
func schoolReports(ictx context.Context, c *ent.Client, ids []int, date string) (map[int]*ent.DailyReport, int, error) {
	out := map[int]*ent.DailyReport{}
	if len(ids) == 0 {
		return out, 0, nil
	}
	all, err := c.DailyReport.Query().Where(dailyreport.TenantIDIn(ids...), dailyreport.KindEQ(dailyreport.KindSchool),
		dailyreport.Date(date)).All(ictx)
	if err != nil {
		return nil, 0, err
	}
	for _, r := range all {
		if r.Current {
			out[r.TenantID] = r
		}
	}
	return out, len(all), nil
}

// calendarsOf resolves the calendars and rules of institutions for a date range, in bulk.
func calendarsOf(ctx context.Context, c *ent.Client, ts []*ent.Tenant, from, to string, now time.Time) (map[int]*tenantInfo, error) {
	out := map[int]*tenantInfo{}
	if len(ts) == 0 {
		return out, nil
	}
	rules, err := rulesOf(ctx, c, ts)
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(ts))
	locs := map[string]*time.Location{}
	for i, t := range ts {
		loc, ok := locs[t.Timezone]
		if !ok {
			loc = Location(t)
			locs[t.Timezone] = loc
		}
		ids[i] = t.ID
		out[t.ID] = &tenantInfo{t: t, loc: loc, today: now.In(loc).Format(time.DateOnly), sessions: rules[t.ID].Sessions,
			rules: rules[t.ID], overrides: map[string]bool{}}
	}
	if len(ts) > 1000 {
		ids = nil // every tenant's calendar rows rather than an IN list of thousands
	}
	return out, loadCalendars(internal(ctx), c, out, ids, from, to)
}

// snapshot is a compiled report before it is saved.
type snapshot struct {
	tenantID   int
	kind       dailyreport.Kind
	date       string
	cutOff     time.Time
	now        time.Time
	zero       bool
	figures    types.ReportFigures
	rows       []types.ReportRow
	lineage    []types.LineageItem
	sourceRows int
	names      map[string]string // lineage unit key → name, for the amendment reason
}

// save writes the snapshot as the next version unless the current one has the same lineage.
func save(ctx context.Context, client *ent.Client, s snapshot) (*Compiled, error) {
	slices.SortFunc(s.lineage, func(a, b types.LineageItem) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.Session, b.Session))
	})
	if s.lineage == nil {
		s.lineage = []types.LineageItem{}
	}
	raw, _ := json.Marshal(s.lineage)
	sum := sha256.Sum256(raw)
	hash := hex.EncodeToString(sum[:])
	return inTx(internal(ctx), client, func(ctx context.Context, c *ent.Client) (*Compiled, error) {
		cur, err := c.DailyReport.Query().Where(dailyreport.TenantID(s.tenantID), dailyreport.KindEQ(s.kind),
			dailyreport.Date(s.date), dailyreport.Current(true)).Only(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return nil, err
		}
		if cur != nil && cur.LineageHash == hash {
			return &Compiled{Report: cur}, nil
		}
		create := c.DailyReport.Create().SetTenantID(s.tenantID).SetKind(s.kind).SetDate(s.date).SetVersion(1).
			SetCutOff(s.cutOff).SetCompiledAt(s.now).SetZeroReport(s.zero).SetFigures(s.figures).SetRows(s.rows).
			SetLineage(s.lineage).SetLineageHash(hash).SetSourceRows(s.sourceRows)
		if cur != nil {
			if err := c.DailyReport.UpdateOne(cur).SetCurrent(false).Exec(ctx); err != nil {
				return nil, err
			}
			create.SetVersion(cur.Version + 1).SetAmended(true).SetAmendReason(amendReason(cur.Lineage, s.lineage, s.names))
		}
		r, err := create.Save(ctx)
		if err != nil {
			return nil, err
		}
		return &Compiled{Report: r, Written: true}, nil
	})
}

// rowNames names the lineage units of a school report after its rows (class name), for the reason.
func rowNames(rows []types.ReportRow) map[string]string {
	out := map[string]string{}
	for _, r := range rows {
		out[fmt.Sprintf("%s:%d:%s", types.LineageClassCheck, r.ClassID, r.Session)] = r.ClassName + " " + sessionLabels[Session(r.Session)]
		out[fmt.Sprintf("%s:%d:%s", types.LineageExemption, r.ClassID, r.Session)] = r.ClassName + " " + sessionLabels[Session(r.Session)]
		out[fmt.Sprintf("%s:%d:", types.LineageExemption, r.ClassID)] = r.ClassName // a whole day's exemption
	}
	return out
}

// amendReason says what changed between two lineages: reports that arrived late, were corrected, or
// no longer count.
func amendReason(old, now []types.LineageItem, names map[string]string) string {
	key := func(l types.LineageItem) string {
		if l.Kind == types.LineageStaffIllness { // each its own: they share the school as their unit
			return fmt.Sprintf("%s:%d:#%d", l.Kind, l.UnitID, l.ID)
		}
		return fmt.Sprintf("%s:%d:%s", l.Kind, l.UnitID, l.Session)
	}
	name := func(l types.LineageItem) string {
		if n := names[key(l)]; n != "" {
			return n
		}
		return fmt.Sprintf("%s %d %s", l.Kind, l.UnitID, l.Session)
	}
	before := map[string]types.LineageItem{}
	for _, l := range old {
		before[key(l)] = l
	}
	var parts []string
	seen := map[string]bool{}
	for _, l := range now {
		k := key(l)
		seen[k] = true
		switch o, ok := before[k]; {
		case !ok && l.Kind == types.LineageExemption:
			parts = append(parts, fmt.Sprintf("%s: exempted after the cut-off (#%d)", name(l), l.ID))
		case !ok && l.Kind == types.LineageStaffIllness:
			parts = append(parts, fmt.Sprintf("教职工因病 staff illness reported upward by the principal (#%d)", l.ID))
		case !ok:
			parts = append(parts, fmt.Sprintf("%s: reported after the cut-off (v%d, #%d)", name(l), l.Version, l.ID))
		case o.ID != l.ID:
			parts = append(parts, fmt.Sprintf("%s: corrected v%d → v%d (#%d)", name(l), o.Version, l.Version, l.ID))
		}
	}
	for _, l := range old {
		if !seen[key(l)] {
			parts = append(parts, fmt.Sprintf("%s: no longer included", name(l)))
		}
	}
	reason := strings.Join(parts, "; ")
	if len(reason) > 2000 { // the column's bound; the lineage itself has everything
		cut := strings.LastIndex(reason[:2000], ";")
		if cut < 0 {
			cut = 0
		}
		reason = reason[:cut] + "; …"
	}
	return reason
}
