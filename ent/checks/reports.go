package checks

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
)

// The two reports in the shape of the provincial systems' daily forms (学校晨午检日报表, 区县上报情况汇总表):
// one row per class and session for a school, one row per school and day for a district, with Chinese
// headers and labels. Both come from the board (BoardFor, TrendBySchool), so they are authorised as the
// board is, and they name no child. "Not reported is never zero" (DOMAIN.md §6.2): a class or a school
// that has not reported says so (未报, 待报) and its figure cells say 未报 or stay empty, never 0.

// Report state labels.
const (
	StateOnTime      = "按时"   // first version by the deadline
	StateLate        = "迟报"   // first version after the deadline
	StateMissing     = "未报"   // not reported, past the deadline
	StatePending     = "待报"   // not reported, the deadline not passed
	StateExempted    = "免报"   // exempted (exam, trip, closure…)
	StateNotExpected = "非上报日" // not a school day (holiday, weekend) or a day that has not come
	StateComplete    = "已报齐"  // district summary: every expected report in
	StatePartial     = "部分上报" // district summary: some in, some not
	StateAllExempted = "全部免报" // district summary: a school day with every report exempted
)

var sessionLabels = map[Session]string{
	classcheck.SessionMorning: "晨检", classcheck.SessionNoon: "午检", classcheck.SessionEvening: "晚检", classcheck.SessionFullDay: "全日观察",
}

var kindLabels = map[tenant.Kind]string{
	tenant.KindPrimarySchool: "小学", tenant.KindSecondarySchool: "中学", tenant.KindSpecialSchool: "特殊教育学校",
	tenant.KindKindergarten: "幼儿园", tenant.KindTrainingInstitution: "校外培训机构", tenant.KindDistrict: "教育局",
}

// SchoolDailyHeader is the school daily report's header.
var SchoolDailyHeader = types.SheetColumns[types.SheetSchoolDaily]

// SchoolDailySheet is a school's daily check report for a date as of now: one row per class open on the
// date and session the school holds (by grade and class), then a totals row per session (合计), whose
// state column reads "已报 2/3（按时 1，迟报 1，未报 1，免报 1）". A class that has not reported, or is
// exempted, has empty figure cells; a totals row with no report in has 未报 in them.
func SchoolDailySheet(ctx context.Context, c *ent.Client, tenantID int, date string, now time.Time) (*Sheet, error) {
	if tenantID <= 0 {
		return nil, types.Invalid("tenantID", "name an institution")
	}
	b, sd, err := boardFor(ctx, c, Scope{TenantID: tenantID}, date, now)
	if err != nil {
		return nil, err
	}
	ti := sd.tenants[tenantID]
	s := &Sheet{Name: "学校日报", Header: SchoolDailyHeader}
	if ti == nil {
		return s, nil
	}
	ids, details, err := sd.openClasses(ctx, c, date)
	if err != nil {
		return nil, err
	}

	// The reports of the date: first versions (on time or not) and current versions (the figures), and
	// the current versions' absence lines by cause. The board has authorised the school.
	ictx := internal(ctx)
	type report struct {
		first, current *ent.ClassCheck
		absences       Absences
	}
	type key struct {
		class int
		s     Session
	}
	reports := map[key]*report{}
	byCheck := map[int]*report{}
	chks, err := c.ClassCheck.Query().Where(classcheck.TenantID(tenantID), classcheck.Date(date),
		classcheck.Or(classcheck.Current(true), classcheck.Version(1))).All(ictx)
	if err != nil {
		return nil, err
	}
	for _, chk := range chks {
		k := key{chk.ClassID, chk.Session}
		if reports[k] == nil {
			reports[k] = &report{}
		}
		if chk.Version == 1 {
			reports[k].first = chk
		}
		if chk.Current {
			reports[k].current = chk
			byCheck[chk.ID] = reports[k]
		}
	}
	var lines []struct {
		CheckID int    `sql:"check_id"`
		Type    string `sql:"absence_type"`
		N       int    `sql:"n"`
	}
	err = c.CheckEntry.Query().Where(checkentry.TenantID(tenantID), checkentry.KindEQ(checkentry.KindAbsent),
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
	for _, l := range lines {
		if r := byCheck[l.CheckID]; r != nil {
			r.absences.add(checkentry.AbsenceType(l.Type), l.N)
		}
	}

	pendingOf := map[key]NonReporter{}
	for _, sb := range b.Sessions {
		for _, nr := range sb.NonReporting {
			pendingOf[key{nr.ClassID, sb.Session}] = nr
		}
	}
	for _, id := range ids {
		d := details[id]
		if d == nil {
			continue
		}
		for _, ses := range ti.sessions {
			row := []string{date, ti.t.Name, d.row.GradeName.String, d.row.Name, strings.Join(d.teachers, "、"), sessionLabels[ses]}
			r := reports[key{id, ses}]
			switch {
			case !ti.inSession(date):
				row = append(row, StateNotExpected)
			case sd.exempted(id, date, ses):
				row = append(row, StateExempted)
			case r != nil && r.first != nil && r.current != nil:
				state := StateLate
				if r.first.OnTime {
					state = StateOnTime
				}
				cur := r.current
				row = append(row, state, itoa(cur.Enrolled), itoa(cur.Present), itoa(r.absences.SickLeave), itoa(r.absences.PersonalLeave),
					itoa(r.absences.Unexcused), itoa(r.absences.EarlyLeave), itoa(cur.Symptomatic), itoa(cur.AbnormalTemperature),
					r.first.SubmittedAt.In(ti.loc).Format("15:04"))
			default:
				state := StateMissing
				if nr, ok := pendingOf[key{id, ses}]; ok && !nr.Overdue {
					state = StatePending
				}
				row = append(row, state)
			}
			s.Rows = append(s.Rows, pad(row, len(s.Header)))
		}
	}
	for _, sb := range b.Sessions {
		state := fmt.Sprintf("已报 %d/%d（按时 %d，迟报 %d，未报 %d，待报 %d，免报 %d）", sb.Submitted, sb.Expected, sb.OnTime, sb.Late,
			sb.Overdue, sb.Pending-sb.Overdue, sb.Exempted)
		row := []string{date, ti.t.Name, "合计", "", "", sessionLabels[sb.Session], state}
		switch {
		case sb.Expected == 0 && b.InSession == 0:
			row[6] = StateNotExpected
		case sb.Submitted == 0 && sb.Expected > 0:
			for range 8 {
				row = append(row, nothingIn(sb.Completion))
			}
		case sb.Submitted > 0:
			row = append(row, itoa(sb.Enrolled), itoa(sb.Present), itoa(sb.Absences.SickLeave), itoa(sb.Absences.PersonalLeave),
				itoa(sb.Absences.Unexcused), itoa(sb.Absences.EarlyLeave), itoa(sb.Symptomatic), itoa(sb.AbnormalTemperature))
		}
		s.Rows = append(s.Rows, pad(row, len(s.Header)))
	}
	return s, nil
}

// DistrictSummaryHeader is the district summary's header.
var DistrictSummaryHeader = types.SheetColumns[types.SheetDistrictSummary]

// DistrictSummarySheet is a district's summary from from to to as of now: one row per active institution
// and day (by date, then institution name), counted in class reports. 未报 counts the reports past their
// deadline, 待报 those whose deadline has not come (today's noon check in the morning). 上报情况 says
// 已报齐, 部分上报, 未报 or 待报 (nothing in: some overdue, or none due yet), 全部免报 or 非上报日; a school
// that reported nothing has that word in its figure cells, and a day that is not a school day has empty
// cells and no rates. 未关闭预警 are the school's alerts raised by the
// end of the day and not closed by then (for today: now).
func DistrictSummarySheet(ctx context.Context, c *ent.Client, districtID int, from, to string, now time.Time) (*Sheet, error) {
	if districtID <= 0 {
		return nil, types.Invalid("districtID", "name a district")
	}
	schools, err := TrendBySchool(ctx, c, Scope{DistrictID: districtID}, from, to, MaxTrendDays, now)
	if err != nil {
		return nil, err
	}
	open, err := openAlertsByDay(ctx, c, schools, from, to, now)
	if err != nil {
		return nil, err
	}
	s := &Sheet{Name: "区县汇总", Header: DistrictSummaryHeader}
	if len(schools) == 0 {
		return s, nil
	}
	for i, day := range schools[0].Days {
		for _, sc := range schools {
			d := sc.Days[i]
			row := []string{day.Date, sc.Tenant.Name, kindLabels[sc.Tenant.Kind]}
			figures := []string{itoa(d.Absences.SickLeave), itoa(d.Absences.PersonalLeave), itoa(d.Absences.Unexcused),
				itoa(d.Absences.EarlyLeave), itoa(d.Symptomatic), percent(d.IllnessAbsenceRate)}
			counts := []string{itoa(d.Expected), itoa(d.Submitted), itoa(d.OnTime), itoa(d.Late), itoa(d.Overdue),
				itoa(d.Pending - d.Overdue), itoa(d.Exempted)}
			switch {
			case d.InSession == 0:
				row = append(row, StateNotExpected)
				row = pad(row, len(s.Header)-1)
			case d.Expected == 0:
				row = append(row, StateAllExempted)
				row = append(row, counts...)
				row = append(row, "", "") // no rates: nothing expected
				row = append(row, make([]string, len(figures))...)
			case d.Submitted == 0:
				row = append(row, nothingIn(d.Completion))
				row = append(row, counts...)
				row = append(row, percent(d.Completeness), percent(d.OnTimeRate))
				for range figures {
					row = append(row, nothingIn(d.Completion))
				}
			default:
				state := StateComplete
				if d.Pending > 0 {
					state = StatePartial
				}
				row = append(row, state)
				row = append(row, counts...)
				row = append(row, percent(d.Completeness), percent(d.OnTimeRate))
				row = append(row, figures...)
			}
			row = append(row, itoa(open[sc.Tenant.ID][day.Date]))
			s.Rows = append(s.Rows, row)
		}
	}
	return s, nil
}

// nothingIn labels reports expected with none in: 未报 when any is past its deadline, else 待报.
func nothingIn(c Completion) string {
	if c.Overdue > 0 {
		return StateMissing
	}
	return StatePending
}

// openAlertsByDay counts, per institution and date, the alerts raised on or before the date and not
// closed by the end of it (in the institution's time zone), or by now for today. One query over the
// institutions' alerts of the range.
func openAlertsByDay(ctx context.Context, c *ent.Client, schools []SchoolTrend, from, to string, now time.Time) (map[int]map[string]int, error) {
	out := map[int]map[string]int{}
	if len(schools) == 0 {
		return out, nil
	}
	tenants := map[int]*ent.Tenant{}
	var ids []int
	for _, s := range schools {
		tenants[s.Tenant.ID] = s.Tenant
		ids = append(ids, s.Tenant.ID)
		out[s.Tenant.ID] = map[string]int{}
	}
	fromT, _ := time.Parse(time.DateOnly, from)
	alerts, err := c.Alert.Query().Where(alert.TenantIDIn(ids...), alert.DateLTE(to),
		alert.Or(alert.ClosedAtIsNil(), alert.ClosedAtGT(fromT.Add(-liveMargin))),
		upwardFor(ctx)).
		Select(alert.FieldTenantID, alert.FieldDate, alert.FieldStatus, alert.FieldClosedAt).All(internal(ctx))
	if err != nil {
		return nil, err
	}
	dates := schools[0].Days
	for _, a := range alerts {
		t := tenants[a.TenantID]
		loc := Location(t)
		closed := "" // the local date it was closed on; "" while open
		switch {
		case a.ClosedAt != nil:
			closed = a.ClosedAt.In(loc).Format(time.DateOnly)
		case a.Status == alert.StatusHandled || a.Status == alert.StatusFalseAlarm:
			continue // closed, when unknown
		}
		today := now.In(loc).Format(time.DateOnly)
		for _, d := range dates {
			if d.Date > today {
				break
			}
			if a.Date <= d.Date && (closed == "" || closed > d.Date) {
				out[a.TenantID][d.Date]++
			}
		}
	}
	return out, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func percent(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p*100, 'f', 1, 64) + "%"
}

// pad fills a row with empty cells up to n.
func pad(row []string, n int) []string {
	for len(row) < n {
		row = append(row, "")
	}
	return row
}
