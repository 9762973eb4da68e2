package api_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/exemption"
)

// boardFixture: Monday 23 November 2026 at 10:00 in School A (district One).
//
//	一年级(1)班  a.teacher's class: zero report at 08:10 (on time)
//	一年级(2)班  report at 09:20 (late): 甲 sick leave (fever, cough), 乙 personal leave, 丙 present with a sore
//	            throat at 37.8 °C (a fever alert and a follow-up open)
//	二年级(1)班  exempted all day (exam)
//	二年级(2)班  nothing: its class teacher 王老师 is listed
//
// Kindergarten A2's 小一班 reported the morning at 08:00. a.leader leads 一年级.
type boardFixture struct {
	w                  *world
	g1, g2             *ent.Grade
	c11, c12, c21, c22 *ent.Class
	kg                 *ent.Class
	leader             string // grade leader's token
}

// mondayAt is a time on the fixtures' Monday, 23 November 2026, in Shanghai.
func mondayAt(hm string) time.Time {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	d, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-23 "+hm, shanghai)
	return d
}

func (e *env) boardFixture() *boardFixture {
	t := e.t
	at := mondayAt
	e.now = at("10:00")
	w := e.newWorld()
	sys := system()
	c := e.client
	f := &boardFixture{w: w}
	f.g1 = must(c.Grade.Create().SetTenantID(w.A.ID).SetName("一年级").SetSortOrder(1).Save(sys))
	f.g2 = must(c.Grade.Create().SetTenantID(w.A.ID).SetName("二年级").SetSortOrder(2).Save(sys))
	mk := func(tid int, g *ent.Grade, name string) *ent.Class {
		b := c.Class.Create().SetTenantID(tid).SetName(name)
		if g != nil {
			b.SetGrade(g)
		}
		return must(b.Save(sys))
	}
	f.c11, f.c12 = mk(w.A.ID, f.g1, "一年级(1)班"), mk(w.A.ID, f.g1, "一年级(2)班")
	f.c21, f.c22 = mk(w.A.ID, f.g2, "二年级(1)班"), mk(w.A.ID, f.g2, "二年级(2)班")
	f.kg = mk(w.A2.ID, nil, "小一班")
	var pupils []*ent.Student
	for i, n := range []string{"甲", "乙", "丙", "丁"} {
		pupils = append(pupils, must(c.Student.Create().SetTenantID(w.A.ID).SetClass(f.c12).SetName(n).
			SetStudentNumber(fmt.Sprintf("A12-%d", i)).SetGender("female").Save(sys)))
	}
	must(c.Student.Create().SetTenantID(w.A.ID).SetClass(f.c11).SetName("子").SetStudentNumber("A11-1").SetGender("male").Save(sys))
	must(c.Student.Create().SetTenantID(w.A2.ID).SetClass(f.kg).SetName("辰").SetStudentNumber("K-1").SetGender("male").Save(sys))
	termStart := at("00:00").AddDate(0, -2, 0)
	assign := func(u *ent.User, role authz.Role, typ authz.NodeType, node int) {
		must(c.Assignment.Create().SetTenantID(*u.TenantID).SetUserID(u.ID).SetRole(role).SetNodeType(typ).
			SetNodeID(node).SetValidFrom(termStart).Save(sys))
	}
	assign(w.ta, authz.ClassTeacher, authz.NodeClass, f.c11.ID)
	wang := must(c.User.Create().SetTenantID(w.A.ID).SetLogin("a.wang").SetDisplayName("王老师").SetRole(authz.ClassTeacher).
		SetPhone("13800000001").SetPasswordHash(testHash(t)).Save(sys))
	assign(wang, authz.ClassTeacher, authz.NodeClass, f.c22.ID)
	leader := must(c.User.Create().SetTenantID(w.A.ID).SetLogin("a.leader").SetDisplayName("吴组长").SetRole(authz.GradeLeader).
		SetPasswordHash(testHash(t)).Save(sys))
	assign(leader, authz.GradeLeader, authz.NodeGrade, f.g1.ID)
	res, err := e.auth.Login(context.Background(), "a.leader", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	f.leader = res.Token

	submit := func(r checks.Report, hm string) {
		t.Helper()
		if _, err := checks.Submit(sys, c, r, at(hm)); err != nil {
			t.Fatal(err)
		}
	}
	sick, personal := checkentry.AbsenceTypeSickLeave, checkentry.AbsenceTypePersonalLeave
	temp := 37.8
	submit(checks.Report{ClassID: f.c11.ID, Date: "2026-11-23", Session: "morning", Zero: true}, "08:10")
	submit(checks.Report{ClassID: f.c12.ID, Date: "2026-11-23", Session: "morning", Enrolled: 4, Present: 2, Entries: []checks.Entry{
		{PersonID: pupils[0].ID, Kind: checkentry.KindAbsent, AbsenceType: &sick, Symptoms: []string{"fever", "cough"}},
		{PersonID: pupils[1].ID, Kind: checkentry.KindAbsent, AbsenceType: &personal},
		{PersonID: pupils[2].ID, Kind: checkentry.KindSymptomatic, Symptoms: []string{"sore_throat"}, Temperature: &temp},
	}}, "09:20")
	must(c.Exemption.Create().SetTenantID(w.A.ID).SetClassID(f.c21.ID).SetDate("2026-11-23").SetReason(exemption.ReasonExam).Save(sys))
	submit(checks.Report{ClassID: f.kg.ID, Date: "2026-11-23", Session: "morning", Zero: true}, "08:00")
	return f
}

const boardQuery = `query($s: BoardScopeInput!, $d: String!) { board(scope: $s, date: $d) {
  scope { classID gradeID tenantID districtID } date asOf institutions inSession classes
  sessions { session expected submitted onTime late pending overdue exempted completeness onTimeRate
    zeroReports enrolled present absentIllness absentOther absences { sickLeave personalLeave unexcused earlyLeave }
    symptomatic symptoms { symptom count } abnormalTemperature illnessAbsenceRate
    nonReporting { tenantID schoolName classID className gradeName teachers phones deadline overdue } }
  alerts { open reportOverdue byRule { rule count } }
  followUps { open needsClearance causeOverdue }
  openAlerts { id rule status classID class { id name } }
} }`

type gqlSession struct {
	Session                                                    string
	Expected, Submitted, OnTime, Late, Pending, Overdue        int
	Exempted                                                   int
	Completeness, OnTimeRate                                   *float64
	ZeroReports, Enrolled, Present, AbsentIllness, AbsentOther int
	Absences                                                   struct{ SickLeave, PersonalLeave, Unexcused, EarlyLeave int }
	Symptomatic, AbnormalTemperature                           int
	IllnessAbsenceRate                                         *float64
	Symptoms                                                   []struct {
		Symptom string
		Count   int
	}
	NonReporting []struct {
		TenantID, SchoolName, ClassID, ClassName, GradeName string
		Teachers, Phones                                    []string
		Deadline                                            time.Time
		Overdue                                             bool
	}
}

type gqlBoard struct {
	Scope                            struct{ ClassID, GradeID, TenantID, DistrictID *string }
	Date                             string
	AsOf                             time.Time
	Institutions, InSession, Classes int
	Sessions                         []gqlSession
	Alerts                           struct {
		Open, ReportOverdue int
		ByRule              []struct {
			Rule  string
			Count int
		}
	}
	FollowUps  struct{ Open, NeedsClearance, CauseOverdue int }
	OpenAlerts *[]struct {
		ID, Rule, Status, ClassID string
		Class                     struct{ ID, Name string }
	}
}

func (e *env) board(token string, scope map[string]any, date string) (*gqlBoard, *gqlResponse) {
	e.t.Helper()
	r := e.gql(token, boardQuery, map[string]any{"s": scope, "d": date})
	if len(r.Errors) > 0 {
		return nil, r
	}
	var b gqlBoard
	r.decode(e.t, "board", &b)
	return &b, nil
}

func id(n int) string { return fmt.Sprint(n) }

// TestBoardOverGraphQL: the boards of a class teacher, a grade leader, a principal and a district admin,
// with the IDs usable as node IDs; refusals outside the scope and across districts; bad dates.
func TestBoardOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		date := "2026-11-23"

		// The principal's school board.
		b, r := e.board(w.tok["a.principal"], map[string]any{"tenantID": w.A.ID}, date)
		if r != nil {
			t.Fatalf("principal: %+v", r.Errors)
		}
		if b.Scope.TenantID == nil || *b.Scope.TenantID != id(w.A.ID) || b.Scope.ClassID != nil || b.Scope.DistrictID != nil ||
			b.Date != date || b.Institutions != 1 || b.InSession != 1 || b.Classes != 4 || len(b.Sessions) != 2 {
			t.Fatalf("school board header: %+v", b)
		}
		m := b.Sessions[0]
		if m.Session != "morning" || m.Expected != 3 || m.Submitted != 2 || m.OnTime != 1 || m.Late != 1 || m.Pending != 1 ||
			m.Overdue != 1 || m.Exempted != 1 || m.ZeroReports != 1 || m.Enrolled != 5 || m.Present != 3 ||
			m.Symptomatic != 1 || m.AbnormalTemperature != 1 {
			t.Errorf("morning: %+v", m)
		}
		if m.Completeness == nil || *m.Completeness != 2.0/3 || m.OnTimeRate == nil || *m.OnTimeRate != 1.0/3 {
			t.Errorf("rates: %v %v", m.Completeness, m.OnTimeRate)
		}
		if m.IllnessAbsenceRate == nil || *m.IllnessAbsenceRate != 1.0/5 {
			t.Errorf("illness-absence rate: %v, want one pupil of the five reported", m.IllnessAbsenceRate)
		}
		if n := b.Sessions[1]; n.Submitted != 0 || n.IllnessAbsenceRate != nil {
			t.Errorf("noon, nothing in: illness-absence rate %v, want null", n.IllnessAbsenceRate)
		}
		if m.Absences.SickLeave != 1 || m.Absences.PersonalLeave != 1 || len(m.Symptoms) != 3 || m.Symptoms[0].Count != 1 {
			t.Errorf("absences and symptoms: %+v %+v", m.Absences, m.Symptoms)
		}
		if len(m.NonReporting) != 1 {
			t.Fatalf("non-reporting: %+v", m.NonReporting)
		}
		nr := m.NonReporting[0]
		if nr.ClassID != id(f.c22.ID) || nr.TenantID != id(w.A.ID) || nr.ClassName != "二年级(2)班" || nr.GradeName != "二年级" ||
			len(nr.Teachers) != 1 || nr.Teachers[0] != "王老师" || len(nr.Phones) != 1 || nr.Phones[0] != "13800000001" ||
			!nr.Overdue || nr.Deadline.IsZero() {
			t.Errorf("the missing class: %+v", nr)
		}
		// Noon: nothing reported yet; the figures are the submitted reports' (none), the rate 0 of 3.
		if n := b.Sessions[1]; n.Session != "noon" || n.Expected != 3 || n.Pending != 3 || n.Overdue != 0 || len(n.NonReporting) != 3 {
			t.Errorf("noon: %+v", n)
		}
		if b.Alerts.Open != 1 || len(b.Alerts.ByRule) != 1 || b.Alerts.ByRule[0].Rule != "fever" || b.FollowUps.Open != 1 {
			t.Errorf("open items: %+v %+v", b.Alerts, b.FollowUps)
		}
		if b.OpenAlerts == nil || len(*b.OpenAlerts) != 1 || (*b.OpenAlerts)[0].Class.ID != id(f.c12.ID) || (*b.OpenAlerts)[0].ClassID != id(f.c12.ID) {
			t.Fatalf("open alerts: %+v", b.OpenAlerts)
		}
		// The IDs are the schema's node IDs.
		var node struct {
			Typename string `json:"__typename"`
			Name     string
		}
		e.gql(w.tok["a.principal"], `query($id: ID!) { node(id: $id) { __typename ... on Class { name } } }`,
			map[string]any{"id": nr.ClassID}).ok(t).decode(t, "node", &node)
		if node.Typename != "Class" || node.Name != "二年级(2)班" {
			t.Errorf("node(nonReporting.classID): %+v", node)
		}
		e.gql(w.tok["a.principal"], `query($id: ID!) { node(id: $id) { __typename } }`,
			map[string]any{"id": (*b.OpenAlerts)[0].ID}).ok(t).decode(t, "node", &node)
		if node.Typename != "Alert" {
			t.Errorf("node(openAlerts.id): %+v", node)
		}

		// The grade leader: his grade (both classes reported), not the other grade, not the school.
		g, r := e.board(f.leader, map[string]any{"gradeID": f.g1.ID}, date)
		if r != nil {
			t.Fatalf("grade leader: %+v", r.Errors)
		}
		if gm := g.Sessions[0]; gm.Expected != 2 || gm.Submitted != 2 || gm.Completeness == nil || *gm.Completeness != 1 ||
			len(gm.NonReporting) != 0 || g.OpenAlerts == nil || len(*g.OpenAlerts) != 1 {
			t.Errorf("grade 1: %+v", g)
		}
		// The class teacher: her class.
		cb, r := e.board(w.tok["a.teacher"], map[string]any{"classID": f.c11.ID}, date)
		if r != nil {
			t.Fatalf("class teacher: %+v", r.Errors)
		}
		if cm := cb.Sessions[0]; cb.Classes != 1 || cm.Expected != 1 || cm.OnTime != 1 || cm.ZeroReports != 1 || cb.Alerts.Open != 0 ||
			cb.OpenAlerts == nil || len(*cb.OpenAlerts) != 0 {
			t.Errorf("class board: %+v", cb)
		}
		// The district admin: both institutions (a primary school and a kindergarten), counts but no alert list.
		d, r := e.board(w.tok["d1.admin"], map[string]any{"districtID": w.D1.ID}, date)
		if r != nil {
			t.Fatalf("district: %+v", r.Errors)
		}
		if d.Institutions != 2 || d.Classes != 5 || len(d.Sessions) != 3 || d.Sessions[0].Expected != 4 || d.Sessions[0].Submitted != 3 ||
			d.Alerts.Open != 1 || d.FollowUps.Open != 1 || d.OpenAlerts != nil {
			t.Errorf("district board: %+v", d)
		}

		// Refusals: FORBIDDEN, never a partial board.
		for _, x := range []struct {
			who, token string
			scope      map[string]any
		}{
			{"class teacher, another class", w.tok["a.teacher"], map[string]any{"classID": f.c12.ID}},
			{"class teacher, her grade", w.tok["a.teacher"], map[string]any{"gradeID": f.g1.ID}},
			{"class teacher, her school", w.tok["a.teacher"], map[string]any{"tenantID": w.A.ID}},
			{"grade leader, another grade", f.leader, map[string]any{"gradeID": f.g2.ID}},
			{"grade leader, the school", f.leader, map[string]any{"tenantID": w.A.ID}},
			{"principal, the district", w.tok["a.principal"], map[string]any{"districtID": w.D1.ID}},
			{"principal, another school", w.tok["a2.principal"], map[string]any{"tenantID": w.A.ID}},
			{"another district, the district", w.tok["d2.admin"], map[string]any{"districtID": w.D1.ID}},
			{"another district, a school", w.tok["d2.admin"], map[string]any{"tenantID": w.A.ID}},
			{"another district, a class", w.tok["d2.admin"], map[string]any{"classID": f.c11.ID}},
			{"another district's school", w.tok["b.principal"], map[string]any{"gradeID": f.g1.ID}},
		} {
			if _, r := e.board(x.token, x.scope, date); r == nil || r.Code() != "FORBIDDEN" {
				t.Errorf("%s: want FORBIDDEN, got %+v", x.who, r)
			}
			r := e.gql(x.token, `query($s: BoardScopeInput!) { trend(scope: $s, from: "2026-11-16", to: "2026-11-23") { date } }`,
				map[string]any{"s": x.scope})
			if r.Code() != "FORBIDDEN" {
				t.Errorf("%s, trend: want FORBIDDEN, got %+v", x.who, r.Errors)
			}
		}

		// Bad input names the argument.
		for _, x := range []struct {
			query string
			field string
		}{
			{`{ board(scope: {tenantID: "` + id(w.A.ID) + `"}, date: "23/11/2026") { date } }`, "date"},
			{`{ board(scope: {}, date: "2026-11-23") { date } }`, "scope"},
			{`{ board(scope: {tenantID: "` + id(w.A.ID) + `", classID: null}, date: "2026-11-23") { date } }`, ""},
			{`{ trend(scope: {tenantID: "` + id(w.A.ID) + `"}, from: "monday", to: "2026-11-23") { date } }`, "from"},
			{`{ trend(scope: {tenantID: "` + id(w.A.ID) + `"}, from: "2026-11-23", to: "2026-11-2") { date } }`, "to"},
			{`{ trend(scope: {tenantID: "` + id(w.A.ID) + `"}, from: "2026-11-23", to: "2026-11-16") { date } }`, "to"},
			{`{ trend(scope: {tenantID: "` + id(w.A.ID) + `"}, from: "2026-01-01", to: "2026-11-23") { date } }`, "to"},
		} {
			r := e.gql(w.tok["a.principal"], x.query, nil)
			if x.field == "" {
				r.ok(t) // an explicit null is "not this one"
				continue
			}
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != x.field {
				t.Errorf("%s: want BAD_USER_INPUT on %s, got %+v", x.query, x.field, r.Errors)
			}
		}
	})
}

// TestTrendOverGraphQL: a week of the district, day by day, the weekend not a school day (no rates).
func TestTrendOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		var days []struct {
			Date                                 string
			InSession, Expected, Submitted, Late int
			Pending, Exempted                    int
			Completeness, OnTimeRate             *float64
			Absences                             struct{ SickLeave, PersonalLeave int }
			Symptomatic                          int
			Sessions                             []struct {
				Session             string
				Expected, Submitted int
			}
		}
		e.gql(f.w.tok["d1.admin"], `query($s: BoardScopeInput!) { trend(scope: $s, from: "2026-11-21", to: "2026-11-24") {
			date inSession expected submitted late pending exempted completeness onTimeRate
			absences { sickLeave personalLeave } symptomatic sessions { session expected submitted } } }`,
			map[string]any{"s": map[string]any{"districtID": f.w.D1.ID}}).ok(t).decode(t, "trend", &days)
		if len(days) != 4 || days[0].Date != "2026-11-21" || days[3].Date != "2026-11-24" {
			t.Fatalf("days: %+v", days)
		}
		for _, d := range []int{0, 1, 3} { // Saturday, Sunday, and Tuesday (not come yet)
			if days[d].InSession != 0 || days[d].Expected != 0 || days[d].Completeness != nil || days[d].OnTimeRate != nil {
				t.Errorf("%s: %+v", days[d].Date, days[d])
			}
		}
		mon := days[2]
		// School A: morning 3 + noon 3 expected; kindergarten: morning 1 + full day 1.
		if mon.InSession != 2 || mon.Expected != 8 || mon.Submitted != 3 || mon.Late != 1 || mon.Pending != 5 || mon.Exempted != 2 ||
			mon.Absences.SickLeave != 1 || mon.Absences.PersonalLeave != 1 || mon.Symptomatic != 1 || len(mon.Sessions) != 3 {
			t.Errorf("Monday: %+v", mon)
		}
	})
}

// TestTrendBySchoolOverGraphQL: a district's trend broken down by school adds up to its trend, each school
// with its own figures; a school's staff may not break down the district.
func TestTrendBySchoolOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		var schools []struct {
			Tenant struct{ ID, Name string }
			Days   []struct {
				Date                                          string
				InSession, Expected, Submitted, Late, Pending int
				Exempted                                      int
				Completeness                                  *float64
			}
		}
		query := `query($s: BoardScopeInput!) { trendBySchool(scope: $s, from: "2026-11-22", to: "2026-11-23") {
			tenant { id name } days { date inSession expected submitted late pending exempted completeness } } }`
		e.gql(f.w.tok["d1.admin"], query, map[string]any{"s": map[string]any{"districtID": f.w.D1.ID}}).ok(t).decode(t, "trendBySchool", &schools)
		if len(schools) != 2 || schools[0].Tenant.Name != "Kindergarten A2" || schools[1].Tenant.Name != "School A" {
			t.Fatalf("schools: %+v", schools)
		}
		kg, a := schools[0].Days, schools[1].Days
		if len(kg) != 2 || len(a) != 2 || kg[0].InSession != 0 || a[0].Completeness != nil {
			t.Fatalf("Sunday is no school day: %+v / %+v", kg, a)
		}
		// School A: morning 3 + noon 3 expected, 2 in (one late), 2 exempted; the kindergarten: 2 expected, 1 in.
		if m := a[1]; m.InSession != 1 || m.Expected != 6 || m.Submitted != 2 || m.Late != 1 || m.Pending != 4 || m.Exempted != 2 {
			t.Errorf("School A on Monday: %+v", m)
		}
		if m := kg[1]; m.InSession != 1 || m.Expected != 2 || m.Submitted != 1 || m.Pending != 1 || m.Completeness == nil || *m.Completeness != 0.5 {
			t.Errorf("Kindergarten A2 on Monday: %+v", m)
		}
		long := `{ trendBySchool(scope: {districtID: "` + strconv.Itoa(f.w.D1.ID) + `"}, from: "2026-10-01", to: "2026-11-23") { tenant { id } } }`
		if r := e.gql(f.w.tok["d1.admin"], long, nil); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "to" {
			t.Errorf("54 days by school: %+v", r.Errors)
		}
		if r := e.gql(f.w.tok["a.principal"], query, map[string]any{"s": map[string]any{"districtID": f.w.D1.ID}}); r.Code() != "FORBIDDEN" {
			t.Errorf("a principal broke down the district: %+v", r.Errors)
		}
	})
}
