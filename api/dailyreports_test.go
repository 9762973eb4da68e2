package api_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/staff"
)

const dailyReportsQuery = `query($w: DailyReportWhereInput) {
  dailyReports(first: 20, where: $w, orderBy: {field: VERSION, direction: ASC}) { totalCount edges { node {
    id kind date version current amended amendReason zeroReport
    figures { sessions { session expected submitted onTime late missing exempted completeness } openAlerts
      health { ...health } staffHealth { ...health }
      schools { institutions inSession compiled nonReporting { id name } missingClasses { className session } } }
    rows { classID className session state enrolled present checkID version }
    lineage { kind unitID session id version }
    versions { id version current }
  } } } }
fragment health on HealthFigures { illnessAbsent byGroup { group count } newCases returns unverified }`

type gqlDailyReport struct {
	ID, Kind, Date   string
	Version          int
	Current, Amended bool
	AmendReason      string
	ZeroReport       bool
	Figures          struct {
		Sessions []struct {
			Session                                              string
			Expected, Submitted, OnTime, Late, Missing, Exempted int
			Completeness                                         *float64
		}
		OpenAlerts          int
		Health, StaffHealth *gqlHealth
		Schools             *struct {
			Institutions, InSession, Compiled int
			NonReporting                      []struct{ ID, Name string }
			MissingClasses                    []struct{ ClassName, Session string }
		}
	}
	Rows []struct {
		ClassID, ClassName, Session, State string
		Enrolled, Present                  *int
		CheckID                            *string
		Version                            *int
	}
	Lineage []struct {
		Kind, UnitID, ID string
		Session          *string
		Version          int
	}
	Versions []struct {
		ID      string
		Version int
		Current bool
	}
}

type gqlHealth struct {
	IllnessAbsent, NewCases, Returns, Unverified int
	ByGroup                                      []struct {
		Group string
		Count int
	}
}

func (e *env) dailyReports(token string, where map[string]any) []gqlDailyReport {
	e.t.Helper()
	var got struct {
		TotalCount int
		Edges      []struct{ Node gqlDailyReport }
	}
	e.gql(token, dailyReportsQuery, map[string]any{"w": where}).ok(e.t).decode(e.t, "dailyReports", &got)
	out := make([]gqlDailyReport, len(got.Edges))
	for i, ed := range got.Edges {
		out[i] = ed.Node
	}
	return out
}

// TestDailyReportsAPI: School A's report compiled at 16:00 and the district's at 17:00; a class reports
// its noon check after the cut-off through GraphQL, which enqueues the school's recompile; version 2 is
// amended, version 1 still reads as it was, and the diff names the class. Who reads which report, and
// the export of any version parsed back.
func TestDailyReportsAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		at := mondayAt
		const date = "2026-11-23"
		if _, err := checks.CompileSchool(system(), e.client, w.A.ID, date, at("16:00")); err != nil {
			t.Fatal(err)
		}
		if _, err := checks.CompileDistrict(system(), e.client, w.D1.ID, date, at("17:00")); err != nil {
			t.Fatal(err)
		}
		schoolA := map[string]any{"tenantID": id(w.A.ID), "kind": "school", "date": date}
		v1 := e.dailyReports(w.tok["a.principal"], schoolA)
		if len(v1) != 1 || v1[0].Version != 1 || v1[0].ZeroReport || len(v1[0].Rows) != 8 || len(v1[0].Lineage) != 3 { // two checks and 2-1's exemption
			t.Fatalf("v1: %+v", v1)
		}
		if r := v1[0].Rows[6]; r.ClassName != "二年级(2)班" || r.State != "missing" || r.Enrolled != nil || r.CheckID != nil {
			t.Errorf("missing class: %+v", r)
		}
		// 甲 is off sick with fever and cough: one pupil, influenza-like; the district's report says the same.
		d1 := e.dailyReports(w.tok["d1.admin"], map[string]any{"kind": "district", "date": date})
		if len(d1) != 1 {
			t.Fatalf("the district's reports: %+v", d1)
		}
		for _, r := range append(v1, d1...) {
			if h := r.Figures.Health; h == nil || h.IllnessAbsent != 1 || len(h.ByGroup) != 1 || h.ByGroup[0].Group != "ili" ||
				h.ByGroup[0].Count != 1 || h.NewCases != 0 || h.Returns != 0 {
				t.Errorf("the %s report's health = %+v, want 1 pupil off with ILI", r.Kind, h)
			}
		}

		// A late noon check through GraphQL: the submission path enqueues the recompile after commit.
		e.now = at("17:30")
		var chk struct{ ID string }
		e.gql(w.tok["a.teacher"], `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-23", session: noon) { id } }`,
			map[string]any{"c": id(f.c11.ID)}).ok(t).decode(t, "submitZeroReport", &chk)
		insp := asynq.NewInspectorFromRedisClient(e.rdb.(*redis.Client))
		taskID := "compile:" + id(w.A.ID) + ":" + date + ":src" + chk.ID
		info, err := insp.GetTaskInfo("default", taskID)
		if err != nil {
			t.Fatalf("recompile task %s: %v", taskID, err)
		}
		t.Cleanup(func() { _ = insp.DeleteTask("default", taskID) }) // the real Redis is shared
		if !strings.Contains(string(info.Payload), `"kind":"school"`) {
			t.Errorf("payload %s", info.Payload)
		}
		// A check of a day whose report was never compiled enqueues nothing: the cut-off compiles it.
		var early struct{ ID string }
		e.gql(w.tok["a.teacher"], `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-20", session: noon) { id } }`,
			map[string]any{"c": id(f.c11.ID)}).ok(t).decode(t, "submitZeroReport", &early)
		if _, err := insp.GetTaskInfo("default", "compile:"+id(w.A.ID)+":2026-11-20:src"+early.ID); !errors.Is(err, asynq.ErrTaskNotFound) {
			t.Errorf("a check of an uncompiled day enqueued a recompile: %v", err)
		}
		if _, err := checks.CompileSchool(system(), e.client, w.A.ID, date, at("17:31")); err != nil {
			t.Fatal(err)
		}
		both := e.dailyReports(w.tok["a.principal"], schoolA)
		if len(both) != 2 || both[0].Current || !both[1].Current || !both[1].Amended || !strings.Contains(both[1].AmendReason, "一年级(1)班") {
			t.Fatalf("versions: %+v", both)
		}
		if both[0].Rows[1].State != "missing" || both[1].Rows[1].State != "late" || len(both[1].Versions) != 2 {
			t.Errorf("v1 row %+v, v2 row %+v", both[0].Rows[1], both[1].Rows[1])
		}
		// An exemption recorded after the cut-off asks for a recompile at once, as a late check does.
		var ex struct{ ID string }
		e.gql(w.tok["a.principal"], `mutation($c: ID!) { exemptClass(input: {classID: $c, date: "2026-11-23", session: noon,
			reason: field_trip}) { id } }`, map[string]any{"c": id(f.c22.ID)}).ok(t).decode(t, "exemptClass", &ex)
		exTask := "compile:" + id(w.A.ID) + ":" + date + ":src" + ex.ID
		if _, err := insp.GetTaskInfo("default", exTask); err != nil {
			t.Errorf("a late exemption's recompile %s: %v", exTask, err)
		}
		t.Cleanup(func() { _ = insp.DeleteTask("default", exTask) })
		var diff struct {
			Diff struct {
				Rows []struct {
					Key    string
					Before struct{ State string }
					After  struct{ State string }
				}
				Totals []struct{ Group, Session, Field string }
				Added  []struct{ ID string }
			}
		}
		e.gql(w.tok["a.principal"], `query($id: ID!, $a: ID!) { node(id: $id) { ... on DailyReport { diff(against: $a) {
			rows { key before { state } after { state } } totals { group session field } added { id } } } } }`,
			map[string]any{"id": both[1].ID, "a": both[0].ID}).ok(t).decode(t, "node", &diff)
		if len(diff.Diff.Rows) != 1 || diff.Diff.Rows[0].Before.State != "missing" || diff.Diff.Rows[0].After.State != "late" ||
			len(diff.Diff.Added) != 1 || diff.Diff.Added[0].ID != chk.ID || len(diff.Diff.Totals) == 0 {
			t.Errorf("diff: %+v", diff.Diff)
		}

		// Who reads: the district its schools' and its own; not another district, school or a class teacher.
		if rs := e.dailyReports(w.tok["d1.admin"], nil); len(rs) != 4 { // A ×2, A2, the district
			t.Errorf("district reads %d reports", len(rs))
		}
		dist := e.dailyReports(w.tok["d1.admin"], map[string]any{"kind": "district"})
		if len(dist) != 1 || dist[0].Figures.Schools == nil || dist[0].Figures.Schools.Compiled != 2 {
			t.Errorf("district report: %+v", dist)
		}
		for _, who := range []string{"d2.admin", "a2.principal", "b.principal"} {
			if rs := e.dailyReports(w.tok[who], schoolA); len(rs) != 0 {
				t.Errorf("%s reads School A's reports: %d", who, len(rs))
			}
		}
		if r := e.gql(w.tok["a.teacher"], dailyReportsQuery, nil); r.Code() != "FORBIDDEN" && len(r.Errors) == 0 {
			t.Errorf("class teacher: %+v", r)
		}

		// Export of any version: CSV (BOM) and XLSX hold the same cells; version 1 still says 未报.
		recs := e.sheets(w.tok["a.principal"], "/exports/daily-report/"+both[0].ID+".{}")
		if !slices.Equal(recs[0], checks.DailyReportHeader) {
			t.Fatalf("header %q", recs[0])
		}
		h := recs[0]
		if got := cells(h, recs[2], "版本", "班级", "时段", "上报状态", "应到人数"); !slices.Equal(got, []string{"v1", "一年级(1)班", "午检", "未报", ""}) {
			t.Errorf("v1 export row: %q", got)
		}
		// Below the totals, the pupils' health of the day.
		health := slices.IndexFunc(recs, func(r []string) bool { return len(r) > 3 && r[3] == "健康情况" })
		if want := []string{"因病缺勤 1 人（流感样 1）", "新增传染病病例 0", "复课 0", "新增留观 0（仍在 0，转诊 0，其中教职工 0）"}; health < 0 ||
			!slices.Equal(recs[health][4:8], want) {
			t.Errorf("the export's health line is %q, want %q", recs[max(health, 0)], want)
		}
		recs2 := e.sheets(w.tok["d1.admin"], "/exports/daily-report/"+both[1].ID+".{}")
		if got := cells(h, recs2[2], "版本", "班级", "上报状态", "应到人数"); !slices.Equal(got, []string{"v2", "一年级(1)班", "迟报", "1"}) {
			t.Errorf("v2 export row: %q", got)
		}
		for _, x := range []struct {
			who, token string
			code       int
		}{{"other district", w.tok["d2.admin"], http.StatusNotFound}, {"class teacher", w.tok["a.teacher"], http.StatusForbidden}} {
			if code, body := e.download(x.token, "/exports/daily-report/"+both[0].ID+".csv"); code != x.code {
				t.Errorf("%s: %d %s", x.who, code, body)
			}
		}
		if code, _ := e.download(w.tok["a.principal"], "/exports/daily-report/x.csv"); code != http.StatusBadRequest {
			t.Errorf("bad id: %d", code)
		}
	})
}

// TestDailyReportStaffHealthAPI: the staff's illness of the day beside the pupils' (staffHealth): School A's
// 赵 off sick with a fever, whose absence nobody has verified, in the school's report and the district's,
// and in the school report's export as a line of its own (教职工健康情况).
func TestDailyReportStaffHealthAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		const date = "2026-11-23"
		sys := system()
		sick := checkentry.AbsenceTypeSickLeave
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("总务处").AddMemberIDs(zhao.ID).Save(sys))
		must(checks.SubmitStaff(sys, e.client, checks.StaffReport{StaffGroupID: g.ID, Date: date, Session: "morning", Entries: []checks.Entry{
			{PersonID: zhao.ID, Kind: checkentry.KindAbsent, AbsenceType: &sick, Symptoms: []string{"fever"}}}},
			mondayAt("07:40")))
		must(checks.CompileSchool(sys, e.client, w.A.ID, date, mondayAt("16:00")))
		must(checks.CompileDistrict(sys, e.client, w.D1.ID, date, mondayAt("17:00")))

		school := e.dailyReports(w.tok["a.principal"], map[string]any{"tenantID": id(w.A.ID), "kind": "school", "date": date})
		district := e.dailyReports(w.tok["d1.admin"], map[string]any{"kind": "district", "date": date})
		for _, r := range append(school, district...) {
			if h := r.Figures.StaffHealth; h == nil || h.IllnessAbsent != 1 || len(h.ByGroup) != 1 || h.ByGroup[0].Group != "fever" ||
				h.NewCases != 0 || h.Returns != 0 || h.Unverified != 1 {
				t.Errorf("the %s report's staff health = %+v, want 赵 off with a fever, unverified", r.Kind, h)
			}
			if h := r.Figures.Health; h == nil || h.IllnessAbsent != 1 || h.ByGroup[0].Group != "ili" {
				t.Errorf("the %s report's pupils' health = %+v, want 甲 alone", r.Kind, h)
			}
		}
		if len(school) != 1 || len(district) != 1 {
			t.Fatalf("%d school and %d district reports", len(school), len(district))
		}
		recs := e.sheets(w.tok["a.principal"], "/exports/daily-report/"+school[0].ID+".{}")
		line := slices.IndexFunc(recs, func(r []string) bool { return len(r) > 3 && r[3] == "教职工健康情况" })
		if want := []string{"因病缺勤 1 人（发热 1）", "新增传染病病例 0", "复工 0"}; line < 0 || !slices.Equal(recs[line][4:7], want) {
			t.Errorf("the export's staff health line is %q, want %q", recs[max(line, 0)], want)
		}
	})
}

// TestAttestDailyReport: the epidemic reporter attests School A's current report, saying whether it is a
// zero report (it must say what the report says); late after the district's cut-off. Nobody else changes
// a report: the health teacher and the district read but may not attest, a class teacher may not read
// reports, another school or district does not see it; an amended version must be attested again, an
// attested one only once.
func TestAttestDailyReport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		at := mondayAt
		const date = "2026-11-23"
		v1, err := checks.CompileSchool(system(), e.client, w.A.ID, date, at("16:00"))
		if err != nil {
			t.Fatal(err)
		}
		reporter, _ := e.apiToken(w.tok["a.principal"], authz.EpidemicReporter, nil)
		health, _ := e.apiToken(w.tok["a.principal"], authz.HealthTeacher, nil)
		attest := func(token string, id int, zero bool) *gqlResponse {
			return e.gql(token, `mutation($id: ID!, $z: Boolean!) { attestDailyReport(id: $id, zeroReport: $z, note: "已核") {
				id attestedAt attestedBy attestedOnTime attestNote attester { id } } }`, map[string]any{"id": id, "z": zero})
		}
		id1 := v1.Report.ID
		for _, x := range []struct{ who, token, code string }{
			{"health teacher", health, "FORBIDDEN"},
			{"district admin", w.tok["d1.admin"], "FORBIDDEN"},
			{"class teacher", w.tok["a.teacher"], "FORBIDDEN"}, // may not read reports at all
			{"another school's principal", w.tok["a2.principal"], "NOT_FOUND"},
			{"another district", w.tok["d2.admin"], "NOT_FOUND"},
		} {
			if r := attest(x.token, id1, false); r.Code() != x.code {
				t.Errorf("%s attests: %+v, want %s", x.who, r.Errors, x.code)
			}
		}
		// Not a zero report (classes missing, an illness absence): saying it is one is refused.
		if r := attest(reporter, id1, true); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "zeroReport" {
			t.Errorf("zero claimed for a report with cases: %+v", r.Errors)
		}
		if n := e.client.DailyReport.Query().Where(dailyreport.AttestedAtNotNil()).CountX(system()); n != 0 {
			t.Fatalf("%d reports attested by refused attempts", n)
		}

		e.now = at("17:30") // after the district's 17:00 cut-off: late
		var got struct {
			ID, AttestedAt, AttestedBy, AttestNote string
			AttestedOnTime                         *bool
			Attester                               struct{ ID string }
		}
		attest(reporter, id1, false).ok(t).decode(t, "attestDailyReport", &got)
		if got.AttestedAt == "" || got.AttestedOnTime == nil || *got.AttestedOnTime || got.AttestNote != "已核" || got.AttestedBy == "" {
			t.Errorf("attestation: %+v", got)
		}
		if r := attest(w.tok["a.principal"], id1, false); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("attested twice: %+v", r.Errors)
		}
		// A late check amends the report: version 2 is unattested, version 1 keeps its attestation and
		// can no longer be attested; the principal attests version 2.
		e.gql(w.tok["a.teacher"], `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-23", session: noon) { id } }`,
			map[string]any{"c": id(f.c11.ID)}).ok(t)
		v2, err := checks.CompileSchool(system(), e.client, w.A.ID, date, at("17:40"))
		if err != nil || !v2.Written || v2.Report.AttestedAt != nil {
			t.Fatalf("v2: %+v %v", v2, err)
		}
		if old := e.client.DailyReport.GetX(system(), id1); old.AttestedAt == nil || old.Current {
			t.Errorf("v1 after the amendment: %+v", old)
		}
		attest(w.tok["a.principal"], v2.Report.ID, false).ok(t)

		// The district's report names the schools whose report nobody had attested when it was compiled.
		if _, err := checks.CompileDistrict(system(), e.client, w.D1.ID, date, at("17:50")); err != nil {
			t.Fatal(err)
		}
		var dist struct {
			Edges []struct {
				Node struct {
					Figures struct {
						Schools struct {
							Compiled, Attested int
							Unattested         []struct{ Name string }
						}
					}
				}
			}
		}
		e.gql(w.tok["d1.admin"], `{ dailyReports(where: {kind: district}) { edges { node { figures { schools {
			compiled attested unattested { name } } } } } } }`, nil).ok(t).decode(t, "dailyReports", &dist)
		if len(dist.Edges) != 1 {
			t.Fatalf("district reports: %+v", dist)
		}
		if s := dist.Edges[0].Node.Figures.Schools; s.Compiled != 2 || s.Attested != 1 || len(s.Unattested) != 1 || s.Unattested[0].Name != "Kindergarten A2" {
			t.Errorf("district's view of attestation: %+v", s)
		}
	})
}

// TestDailyReportVersionsReadTogether: a week of a school's daily reports, each with its versions (the
// console's reports panel), reads the versions in a batch, not one query per report; each report lists its
// own date's versions. The loader waits a millisecond for the rows' fields (a busy machine may split the
// batch): three batches at most for the six reports.
func TestDailyReportVersionsReadTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		rec, r := recorded(db)
		e := newEnv(t, rec, dbtest.MiniRedis(t))
		e.now = mondayAt("08:00")
		w := e.boardFixture().w
		dates := []string{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23"}
		for _, date := range dates {
			at, _ := time.ParseInLocation(time.DateOnly+" 15:04", date+" 16:00", mondayAt("00:00").Location())
			must(checks.CompileSchool(system(), e.client, w.A.ID, date, at))
		}
		var got struct {
			Edges []struct {
				Node struct {
					Date     string
					Versions []struct{ Version int }
				}
			}
		}
		r.on.Store(true)
		e.gql(w.tok["a.principal"], `{ dailyReports(first: 10, where: { kind: school }) { edges { node { date versions { version } } } } }`, nil).
			ok(t).decode(t, "dailyReports", &got)
		r.on.Store(false)
		var seen []string
		for _, ed := range got.Edges {
			seen = append(seen, ed.Node.Date)
			if len(ed.Node.Versions) != 1 || ed.Node.Versions[0].Version != 1 {
				t.Errorf("the report of %s lists versions %+v, want its one", ed.Node.Date, ed.Node.Versions)
			}
		}
		slices.Sort(seen)
		if !slices.Equal(seen, dates) {
			t.Fatalf("reports of %v, want %v", seen, dates)
		}
		reads := 0
		for _, s := range r.take() {
			reads += strings.Count(s, `FROM "daily_reports"`) + strings.Count(s, "FROM `daily_reports`")
		}
		if reads < 2 || reads > 4 {
			t.Errorf("%d reports and their versions read in %d queries; want the list and 1 (at most 3) for the versions", len(dates), reads)
		}
	})
}
