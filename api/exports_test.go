package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/tenant"
)

// download GETs a path with a bearer token.
func (e *env) download(token, path string) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// sheets downloads an export as CSV and as XLSX and returns the CSV's records (header first), after
// checking the byte-order mark and that the workbook holds the same cells.
func (e *env) sheets(token, path string) [][]string {
	t := e.t
	t.Helper()
	code, body := e.download(token, strings.Replace(path, ".{}", ".csv", 1))
	if code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, code, body)
	}
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Errorf("%s: no byte-order mark", path)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	code, body = e.download(token, strings.Replace(path, ".{}", ".xlsx", 1))
	if code != http.StatusOK {
		t.Fatalf("%s (xlsx): %d %s", path, code, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(records) {
		t.Fatalf("%s: %d XLSX rows, %d CSV records", path, len(rows), len(records))
	}
	for i := range rows {
		want := records[i]
		for len(want) > 0 && want[len(want)-1] == "" { // excelize leaves trailing empty cells out
			want = want[:len(want)-1]
		}
		if !slices.Equal(rows[i], want) {
			t.Errorf("%s row %d: XLSX %q, CSV %q", path, i, rows[i], records[i])
		}
	}
	return records
}

// cells picks columns of a row by header name.
func cells(header, row []string, names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, row[slices.Index(header, n)])
	}
	return out
}

// TestSchoolDailyExport: the principal's daily report of School A, class by class and session by session,
// with totals; the classes that have not reported say so, never 0.
func TestSchoolDailyExport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		recs := e.sheets(w.tok["a.principal"], "/exports/school-daily.{}?date=2026-11-23")
		h := recs[0]
		if !slices.Equal(h, checks.SchoolDailyHeader) {
			t.Fatalf("header %q", h)
		}
		rows := recs[1:]
		if len(rows) != 10 { // 4 classes × 2 sessions + 2 totals
			t.Fatalf("%d rows:\n%q", len(rows), rows)
		}
		cols := []string{"年级", "班级", "班主任", "时段", "上报状态", "应到人数", "实到人数", "病假", "事假", "旷课", "早退", "有症状人数", "体温异常人数", "上报时间"}
		want := [][]string{
			{"一年级", "一年级(1)班", "a.teacher", "晨检", "按时", "1", "1", "0", "0", "0", "0", "0", "0", "08:10"},
			{"一年级", "一年级(1)班", "a.teacher", "午检", "待报", "", "", "", "", "", "", "", "", ""},
			{"一年级", "一年级(2)班", "", "晨检", "迟报", "4", "2", "1", "1", "0", "0", "1", "1", "09:20"},
			{"一年级", "一年级(2)班", "", "午检", "待报", "", "", "", "", "", "", "", "", ""},
			{"二年级", "二年级(1)班", "", "晨检", "免报", "", "", "", "", "", "", "", "", ""},
			{"二年级", "二年级(1)班", "", "午检", "免报", "", "", "", "", "", "", "", "", ""},
			{"二年级", "二年级(2)班", "王老师", "晨检", "未报", "", "", "", "", "", "", "", "", ""},
			{"二年级", "二年级(2)班", "王老师", "午检", "待报", "", "", "", "", "", "", "", "", ""},
			{"合计", "", "", "晨检", "已报 2/3（按时 1，迟报 1，未报 1，待报 0，免报 1）", "5", "3", "1", "1", "0", "0", "1", "1", ""},
			// The noon check is not due yet: its classes and its total say 待报, not 未报.
			{"合计", "", "", "午检", "已报 0/3（按时 0，迟报 0，未报 0，待报 3，免报 1）", "待报", "待报", "待报", "待报", "待报", "待报", "待报", "待报", ""},
		}
		for i, row := range rows {
			if got := cells(h, row, cols...); !slices.Equal(got, want[i]) {
				t.Errorf("row %d:\n got  %q\n want %q", i, got, want[i])
			}
			if row[0] != "2026-11-23" || row[1] != "School A" {
				t.Errorf("row %d: %q", i, row)
			}
		}

		// The district may read its school's report (counts and staff names, no child); another district,
		// the class teacher and another school's principal may not.
		code, body := e.download(w.tok["d1.admin"], "/exports/school-daily.csv?date=2026-11-23&tenantID="+id(w.A.ID))
		if code != http.StatusOK || strings.Contains(string(body), "甲") {
			t.Errorf("district: %d %s", code, body)
		}
		for _, x := range []struct{ who, token, path string }{
			{"class teacher", w.tok["a.teacher"], "/exports/school-daily.csv?date=2026-11-23"},
			{"grade leader", f.leader, "/exports/school-daily.xlsx?date=2026-11-23"},
			{"other district", w.tok["d2.admin"], "/exports/school-daily.csv?date=2026-11-23&tenantID=" + id(w.A.ID)},
			{"other school", w.tok["a2.principal"], "/exports/school-daily.csv?date=2026-11-23&tenantID=" + id(w.A.ID)},
		} {
			if code, body := e.download(x.token, x.path); code != http.StatusForbidden || !strings.Contains(string(body), "FORBIDDEN") {
				t.Errorf("%s: %d %s", x.who, code, body)
			}
		}
		for _, x := range []struct{ path, field string }{
			{"/exports/school-daily.csv?date=23.11.2026", "date"},
			{"/exports/school-daily.csv", "date"},
			{"/exports/school-daily.xlsx?date=2026-11-23&tenantID=abc", "tenantID"},
		} {
			code, body := e.download(w.tok["a.principal"], x.path)
			if code != http.StatusBadRequest || !strings.Contains(string(body), `"field":"`+x.field+`"`) {
				t.Errorf("%s: %d %s", x.path, code, body)
			}
		}
		if code, _ := e.download("", "/exports/school-daily.csv?date=2026-11-23"); code != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", code)
		}
	})
}

// TestDistrictSummaryExport: district One over Saturday to Monday, one row per school and day. School A3
// reported nothing on Monday: 未报, never 0.
func TestDistrictSummaryExport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		sys := system()
		a3 := must(e.client.Tenant.Create().SetName("School A3").SetKind(tenant.KindSecondarySchool).SetParent(w.D1).Save(sys))
		must(e.client.Class.Create().SetTenantID(a3.ID).SetName("初一(1)班").Save(sys))

		recs := e.sheets(w.tok["d1.admin"], "/exports/district-summary.{}?from=2026-11-21&to=2026-11-23")
		h := recs[0]
		if !slices.Equal(h, checks.DistrictSummaryHeader) {
			t.Fatalf("header %q", h)
		}
		rows := recs[1:]
		if len(rows) != 9 { // 3 days × 3 schools
			t.Fatalf("%d rows:\n%q", len(rows), rows)
		}
		want := [][]string{
			{"2026-11-21", "Kindergarten A2", "幼儿园", "非上报日", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "0"},
			{"2026-11-21", "School A", "小学", "非上报日", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "0"},
			{"2026-11-21", "School A3", "中学", "非上报日", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "0"},
		}
		for i, wr := range want {
			if !slices.Equal(rows[i], wr) {
				t.Errorf("Saturday row %d:\n got  %q\n want %q", i, rows[i], wr)
			}
		}
		monday := map[string][]string{
			// expected, submitted, on time, late, overdue (未报), not yet due (待报), exempted, rates, absences by
			// cause, symptomatic, the illness-absence rate (School A: one pupil off sick of the five on its
			// reports), open alerts. It is Monday morning: the noon checks are not due.
			"Kindergarten A2": {"部分上报", "2", "1", "1", "0", "0", "1", "0", "50.0%", "50.0%", "0", "0", "0", "0", "0", "0.0%", "0"},
			"School A":        {"部分上报", "6", "2", "1", "1", "1", "3", "2", "33.3%", "16.7%", "1", "1", "0", "0", "1", "20.0%", "1"},
			"School A3":       {"未报", "2", "0", "0", "0", "1", "1", "0", "0.0%", "0.0%", "未报", "未报", "未报", "未报", "未报", "未报", "0"},
		}
		for _, row := range rows[6:] {
			if row[0] != "2026-11-23" {
				t.Fatalf("Monday rows: %q", rows[6:])
			}
			if got := row[3:]; !slices.Equal(got, monday[row[1]]) {
				t.Errorf("Monday %s:\n got  %q\n want %q", row[1], got, monday[row[1]])
			}
		}
		// Before the morning deadline nothing is overdue: School A3, with nothing in, says 待报, not 未报.
		e.now = mondayAt("08:00")
		early := e.sheets(w.tok["d1.admin"], "/exports/district-summary.{}?from=2026-11-23&to=2026-11-23")
		i := slices.IndexFunc(early, func(r []string) bool { return r[1] == "School A3" })
		wantA3 := []string{"待报", "2", "0", "0", "0", "0", "2", "0", "0.0%", "0.0%", "待报", "待报", "待报", "待报", "待报", "待报", "0"}
		if i < 0 || !slices.Equal(early[i][3:], wantA3) {
			t.Errorf("School A3 at 08:00: %q", early)
		}

		for _, x := range []struct{ who, token, path string }{
			{"principal", w.tok["a.principal"], "/exports/district-summary.csv?from=2026-11-21&to=2026-11-23&districtID=" + id(w.D1.ID)},
			{"other district", w.tok["d2.admin"], "/exports/district-summary.xlsx?from=2026-11-21&to=2026-11-23&districtID=" + id(w.D1.ID)},
		} {
			if code, body := e.download(x.token, x.path); code != http.StatusForbidden {
				t.Errorf("%s: %d %s", x.who, code, body)
			}
		}
		for _, x := range []struct{ path, field string }{
			{"/exports/district-summary.csv?from=2026-11-21&to=tomorrow", "to"},
			{"/exports/district-summary.csv?from=21/11/2026&to=2026-11-23", "from"},
			{"/exports/district-summary.csv?from=2026-11-23&to=2026-11-21", "to"},
			{"/exports/district-summary.csv?from=2026-01-01&to=2026-11-23", "to"},
			{"/exports/district-summary.csv?from=2026-11-21&to=2026-11-23&districtID=" + id(w.A.ID), "districtID"},
		} {
			code, body := e.download(w.tok["d1.admin"], x.path)
			if code != http.StatusBadRequest || !strings.Contains(string(body), `"field":"`+x.field+`"`) {
				t.Errorf("%s: %d %s", x.path, code, body)
			}
		}
	})
}

// TestSchoolTotalsExport: District One's schools over a period, one row each, the weakest first: the
// district summary's day rows added up (Friday to Monday, a weekend between), with the rates over the
// period; the same over GraphQL (schoolTotals). A principal may not read the district's; a period longer
// than half a year is refused on to.
func TestSchoolTotalsExport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		d1 := w.tok["d1.admin"]
		recs := e.sheets(d1, "/exports/school-totals.{}?from=2026-11-20&to=2026-11-23")
		if !slices.Equal(recs[0], checks.SchoolTotalsHeader) {
			t.Fatalf("header %q", recs[0])
		}
		if len(recs) != 3 {
			t.Fatalf("%d rows, want 2 schools:\n%q", len(recs)-1, recs)
		}
		// The same days in the district summary, added up per school: each summary column and its total's.
		columns := [][2]string{{"应报", "应报"}, {"已报", "已报"}, {"按时", "按时"}, {"迟报", "迟报"}, {"未报", "未报"},
			{"待报", "待报"}, {"免报", "免报"}, {"病假", "病假人次"}, {"事假", "事假人次"}, {"有症状人数", "有症状人次"}}
		days := e.sheets(d1, "/exports/district-summary.{}?from=2026-11-20&to=2026-11-23")
		sum, schoolDays := map[string]map[string]int{}, map[string]int{}
		for _, row := range days[1:] {
			if row[3] == checks.StateNotExpected {
				continue
			}
			name := row[1]
			schoolDays[name]++
			if sum[name] == nil {
				sum[name] = map[string]int{}
			}
			for _, c := range columns {
				n, _ := strconv.Atoi(row[slices.Index(days[0], c[0])]) // 未报 in a figure cell adds nothing
				sum[name][c[1]] += n
			}
		}
		for _, row := range recs[1:] {
			name := row[0]
			if got := cells(recs[0], row, "开始日期", "结束日期", "上报日数"); !slices.Equal(got, []string{"2026-11-20", "2026-11-23", strconv.Itoa(schoolDays[name])}) {
				t.Errorf("%s: period and school days %q, want %d days", name, got, schoolDays[name])
			}
			for _, c := range columns {
				if got := cells(recs[0], row, c[1])[0]; got != strconv.Itoa(sum[name][c[1]]) {
					t.Errorf("%s: %s = %s, the days add up to %d", name, c[1], got, sum[name][c[1]])
				}
			}
			want := fmt.Sprintf("%.1f%%", 100*float64(sum[name]["已报"])/float64(sum[name]["应报"]))
			if got := cells(recs[0], row, "完整率")[0]; got != want {
				t.Errorf("%s: completeness %s over the period, want %s", name, got, want)
			}
		}
		// The weakest first: School A (a third of Monday's reports in) before Kindergarten A2 (half).
		if recs[1][0] != "School A" || recs[2][0] != "Kindergarten A2" {
			t.Errorf("order %q, %q: want the weakest first", recs[1][0], recs[2][0])
		}

		var totals []struct {
			Tenant                        struct{ Name string }
			SchoolDays, Expected, Overdue int
			Completeness                  *float64
			Absences                      struct{ SickLeave int }
			Enrolled                      int
			IllnessAbsenceRate            *float64
		}
		query := `query($s: BoardScopeInput!) { schoolTotals(scope: $s, from: "2026-11-20", to: "2026-11-23") {
			tenant { name } schoolDays expected overdue completeness absences { sickLeave } enrolled illnessAbsenceRate } }`
		district := map[string]any{"s": map[string]any{"districtID": w.D1.ID}}
		e.gql(d1, query, district).ok(t).decode(t, "schoolTotals", &totals)
		if len(totals) != 2 || totals[0].Tenant.Name != "School A" {
			t.Fatalf("schoolTotals = %+v", totals)
		}
		a, want := totals[0], sum["School A"]
		if a.Expected != want["应报"] || a.Overdue != want["未报"] || a.SchoolDays != schoolDays["School A"] ||
			a.Absences.SickLeave != want["病假人次"] || a.Completeness == nil {
			t.Errorf("School A over GraphQL: %+v, the export's days add up to %v", a, want)
		}
		// The period's illness-absence rate: sick-leave person-days over the pupil-days on the reports, in
		// the export as in the API.
		if a.Enrolled == 0 || a.IllnessAbsenceRate == nil || *a.IllnessAbsenceRate != float64(a.Absences.SickLeave)/float64(a.Enrolled) {
			t.Errorf("School A's illness-absence rate over %d pupil-days, %d off sick: %v", a.Enrolled, a.Absences.SickLeave, a.IllnessAbsenceRate)
		} else if got, want := cells(recs[0], recs[1], "因病缺勤率")[0], fmt.Sprintf("%.1f%%", 100**a.IllnessAbsenceRate); got != want {
			t.Errorf("School A's 因病缺勤率 %s in the export, %s over GraphQL", got, want)
		}
		if r := e.gql(w.tok["a.principal"], query, district); r.Code() != "FORBIDDEN" {
			t.Errorf("a principal reads the district's totals: %+v", r.Errors)
		}
		code, body := e.download(d1, "/exports/school-totals.csv?from=2026-01-01&to=2026-11-23")
		if code != http.StatusBadRequest || !strings.Contains(string(body), `"field":"to"`) {
			t.Errorf("eleven months: %d %s", code, body)
		}
	})
}

// TestSchoolTotalsAlertResponse (DOMAIN §5: the district's situation — alerts and response times): over
// Friday to Monday School A had a fever answered in 20 minutes and handled, an ILI outbreak answered in 10
// and reported to the CDC within its 2 hours, a notifiable disease answered in 30 and reported an hour
// late, and Friday's cluster nobody answered, past its 24 hours (besides the fixture's open alerts); its
// staff member's illness counts for the district only once the principal reports it upward. Kindergarten
// A2 had none: no median.
func TestSchoolTotalsAlertResponse(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture() // now: Monday 10:00
		w := f.w
		sys := system()
		// The fixture's own alerts (its checks raised them), still open: opened, not answered.
		fixture := must(e.client.Alert.Query().Where(alert.TenantID(w.A.ID)).All(sys))
		for _, a := range fixture {
			if a.Status != alert.StatusOpen || a.ReportBy != nil {
				t.Fatalf("the fixture's alert %+v is not a plain open one", a)
			}
		}
		friday := mondayAt("08:00").AddDate(0, 0, -3)
		open := func(r alert.Rule, at time.Time, date string) *ent.AlertCreate {
			return e.client.Alert.Create().SetTenantID(w.A.ID).SetClassID(f.c12.ID).SetRule(r).SetOpenedAt(at).SetDate(date)
		}
		must(open(alert.RuleFever, mondayAt("08:00"), "2026-11-23").SetAcknowledgedAt(mondayAt("08:20")).
			SetStatus(alert.StatusHandled).SetClosedAt(mondayAt("09:00")).Save(sys))
		must(open(alert.RuleIliOutbreak, mondayAt("08:30"), "2026-11-23").SetReportBy(mondayAt("10:30")).SetStatus(alert.StatusAcknowledged).
			SetAcknowledgedAt(mondayAt("08:40")).SetCdcContactedAt(mondayAt("09:50")).Save(sys))
		must(open(alert.RuleNotifiable, mondayAt("07:00"), "2026-11-23").SetReportBy(mondayAt("09:00")).SetStatus(alert.StatusHandled).
			SetClosedAt(mondayAt("07:30")).SetCdcContactedAt(mondayAt("10:00")).Save(sys))
		must(open(alert.RuleClusterDay, friday, "2026-11-20").SetReportBy(friday.Add(checks.ClusterReportWithin)).Save(sys))
		staff := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType("teacher").Save(sys))
		ill := must(e.client.Alert.Create().SetTenantID(w.A.ID).SetRule(alert.RuleStaffIllness).SetUpward(alert.UpwardPending).
			SetStaffIds([]int{staff.ID}).SetOpenedAt(mondayAt("08:00")).SetDate("2026-11-23").Save(sys))

		type response struct {
			Opened, Responded, Handled, FalseAlarms     int
			MedianResponseMinutes                       *int
			ReportedInTime, ReportedLate, ReportOverdue int
		}
		totals := func() map[string]response {
			var got []struct {
				Tenant struct{ Name string }
				Alerts response
			}
			e.gql(w.tok["d1.admin"], `query($s: BoardScopeInput!) { schoolTotals(scope: $s, from: "2026-11-20", to: "2026-11-23") {
				tenant { name } alerts { opened responded handled falseAlarms medianResponseMinutes reportedInTime reportedLate reportOverdue } } }`,
				map[string]any{"s": map[string]any{"districtID": w.D1.ID}}).ok(t).decode(t, "schoolTotals", &got)
			out := map[string]response{}
			for _, x := range got {
				out[x.Tenant.Name] = x.Alerts
			}
			return out
		}
		twenty := 20
		want := response{Opened: 4 + len(fixture), Responded: 3, Handled: 2, MedianResponseMinutes: &twenty, ReportedInTime: 1, ReportedLate: 1, ReportOverdue: 1}
		got := totals()
		if a := got["School A"]; !reflect.DeepEqual(a, want) {
			t.Errorf("School A's alerts = %+v (median %v), want %+v", a, a.MedianResponseMinutes, want)
		}
		if k := got["Kindergarten A2"]; k.Opened != 0 || k.MedianResponseMinutes != nil {
			t.Errorf("Kindergarten A2's alerts = %+v, want none and no median", k)
		}
		must(e.client.Alert.UpdateOne(ill).SetUpward(alert.UpwardReported).SetUpwardDecidedAt(mondayAt("09:00")).Save(sys))
		if a := totals()["School A"]; a.Opened != 5+len(fixture) || a.Responded != 3 {
			t.Errorf("after the principal reported the staff illness upward: %+v, want it counted (opened %d, unanswered)", a, 5+len(fixture))
		}
	})
}
