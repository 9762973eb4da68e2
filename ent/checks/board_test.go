package checks_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/actor"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

const (
	morning = classcheck.SessionMorning
	noon    = classcheck.SessionNoon
	fullDay = classcheck.SessionFullDay
)

var termStart = time.Date(2026, 9, 1, 0, 0, 0, 0, shanghai)

// boardWorld: a district with two schools. School A (primary) has two grades of two classes:
//
//	一年级(1)班  zero report at 08:10 (on time)
//	一年级(2)班  report at 09:20 (late): 甲 sick leave (fever, cough), 乙 personal leave, 丙 present with
//	            a sore throat at 37.8 °C
//	二年级(1)班  exempted all day (exam)
//	二年级(2)班  nothing: its class teacher 王老师 and her substitute 李老师 are listed
//
// School B (kindergarten) has one class that reported the morning on time, one opening on Tuesday and
// one closed from Monday. A deactivated school and another district's school must never appear.
type boardWorld struct {
	c                  *ent.Client
	sys                context.Context
	district, a, b     *ent.Tenant
	g1, g2             *ent.Grade
	c11, c12, c21, c22 *ent.Class
	kg                 *ent.Class
	pupils12           []*ent.Student
	pupil11            *ent.Student
	// viewers
	teacher11, leader1, principalA, principalB, districtAdmin, otherDistrict, logistics, health context.Context
}

func newBoardWorld(t *testing.T, c *ent.Client) *boardWorld {
	t.Helper()
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	w := &boardWorld{c: c, sys: sys}
	w.district = c.Tenant.Create().SetName("示范区").SetKind(tenant.KindDistrict).SaveX(sys)
	w.a = c.Tenant.Create().SetName("A 实验小学").SetKind(tenant.KindPrimarySchool).SetParent(w.district).SaveX(sys)
	w.b = c.Tenant.Create().SetName("B 幼儿园").SetKind(tenant.KindKindergarten).SetParent(w.district).SaveX(sys)
	gone := c.Tenant.Create().SetName("C 停办学校").SetKind(tenant.KindPrimarySchool).SetParent(w.district).
		SetStatus(tenant.StatusDeactivated).SaveX(sys)
	c.Class.Create().SetTenantID(gone.ID).SetName("停办(1)班").ExecX(sys)
	other := c.Tenant.Create().SetName("邻区").SetKind(tenant.KindDistrict).SaveX(sys)
	stranger := c.Tenant.Create().SetName("邻区小学").SetKind(tenant.KindPrimarySchool).SetParent(other).SaveX(sys)
	c.Class.Create().SetTenantID(stranger.ID).SetName("邻区(1)班").ExecX(sys)

	w.g1 = c.Grade.Create().SetTenantID(w.a.ID).SetName("一年级").SetSortOrder(1).SaveX(sys)
	w.g2 = c.Grade.Create().SetTenantID(w.a.ID).SetName("二年级").SetSortOrder(2).SaveX(sys)
	mk := func(g *ent.Grade, name string) *ent.Class {
		return c.Class.Create().SetTenantID(w.a.ID).SetName(name).SetGrade(g).SaveX(sys)
	}
	w.c11, w.c12 = mk(w.g1, "一年级(1)班"), mk(w.g1, "一年级(2)班")
	w.c21, w.c22 = mk(w.g2, "二年级(1)班"), mk(w.g2, "二年级(2)班")
	pupil := func(tid int, cl *ent.Class, name, number string) *ent.Student {
		return c.Student.Create().SetTenantID(tid).SetClass(cl).SetName(name).SetStudentNumber(number).
			SetGender(student.GenderFemale).SaveX(sys)
	}
	w.pupil11 = pupil(w.a.ID, w.c11, "子", "A11-1")
	pupil(w.a.ID, w.c11, "丑", "A11-2")
	for i, n := range []string{"甲", "乙", "丙", "丁"} {
		w.pupils12 = append(w.pupils12, pupil(w.a.ID, w.c12, n, fmt.Sprintf("A12-%d", i)))
	}
	pupil(w.a.ID, w.c21, "寅", "A21-1")
	pupil(w.a.ID, w.c22, "卯", "A22-1")

	w.kg = c.Class.Create().SetTenantID(w.b.ID).SetName("小一班").SaveX(sys)
	pupil(w.b.ID, w.kg, "辰", "B1-1")
	tuesday := time.Date(2026, 11, 24, 0, 0, 0, 0, shanghai)
	c.Class.Create().SetTenantID(w.b.ID).SetName("小二班").SetOpenedOn(tuesday).ExecX(sys)
	c.Class.Create().SetTenantID(w.b.ID).SetName("小三班").SetClosedOn(time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai)).ExecX(sys)

	// Accounts and assignments (valid from the start of term).
	mkUser := func(tid int, login, name string, role authz.Role) *ent.User {
		return c.User.Create().SetTenantID(tid).SetLogin(login).SetDisplayName(name).SetRole(role).SetPasswordHash("x").SaveX(sys)
	}
	assign := func(u *ent.User, role authz.Role, typ authz.NodeType, node int) *ent.Assignment {
		return c.Assignment.Create().SetTenantID(*u.TenantID).SetUserID(u.ID).SetRole(role).SetNodeType(typ).
			SetNodeID(node).SetValidFrom(termStart).SaveX(sys)
	}
	t11 := mkUser(w.a.ID, "t11", "陈老师", authz.ClassTeacher)
	assign(t11, authz.ClassTeacher, authz.NodeClass, w.c11.ID)
	wang := mkUser(w.a.ID, "t22", "王老师", authz.ClassTeacher)
	main := assign(wang, authz.ClassTeacher, authz.NodeClass, w.c22.ID)
	li := mkUser(w.a.ID, "sub22", "李老师", authz.SubjectTeacher)
	c.Assignment.Create().SetTenantID(w.a.ID).SetUserID(li.ID).SetRole(authz.ClassTeacher).SetNodeType(authz.NodeClass).
		SetNodeID(w.c22.ID).SetValidFrom(at("00:00").AddDate(0, 0, -3)).SetValidTo(at("00:00").AddDate(0, 0, 4)).
		SetDelegatedFromID(main.ID).ExecX(sys)
	// Substitutes not valid at 10:00 are not listed: one whose stand-in ended at 08:00 this morning, one
	// from noon, and one last week.
	for _, sub := range []struct {
		login, name string
		from, to    time.Time
	}{
		{"early22", "赵老师", at("00:00").AddDate(0, 0, -2), at("08:00")},
		{"late22", "孙老师", at("12:00"), at("12:00").AddDate(0, 0, 3)},
		{"old22", "钱老师", at("00:00").AddDate(0, 0, -10), at("00:00").AddDate(0, 0, -5)},
	} {
		u := mkUser(w.a.ID, sub.login, sub.name, authz.SubjectTeacher)
		c.Assignment.Create().SetTenantID(w.a.ID).SetUserID(u.ID).SetRole(authz.ClassTeacher).SetNodeType(authz.NodeClass).
			SetNodeID(w.c22.ID).SetValidFrom(sub.from).SetValidTo(sub.to).SetDelegatedFromID(main.ID).ExecX(sys)
	}
	t12 := mkUser(w.a.ID, "t12", "周老师", authz.ClassTeacher)
	assign(t12, authz.ClassTeacher, authz.NodeClass, w.c12.ID)
	leader := mkUser(w.a.ID, "leader1", "吴组长", authz.GradeLeader)
	assign(leader, authz.GradeLeader, authz.NodeGrade, w.g1.ID)
	kgt := mkUser(w.b.ID, "kgt", "郑老师", authz.ClassTeacher)
	assign(kgt, authz.ClassTeacher, authz.NodeClass, w.kg.ID)

	as := func(u *ent.User) context.Context {
		t.Helper()
		loaded, err := actor.LoadUser(sys, c, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		v, err := actor.ForUser(context.Background(), c, loaded, at("10:00"))
		if err != nil {
			t.Fatal(err)
		}
		return viewer.NewContext(context.Background(), v)
	}
	w.teacher11, w.leader1 = as(t11), as(leader)
	w.principalA = as(mkUser(w.a.ID, "pa", "校长A", authz.Principal))
	w.principalB = as(mkUser(w.b.ID, "pb", "园长B", authz.Principal))
	w.districtAdmin = as(mkUser(w.district.ID, "da", "区管理员", authz.DistrictAdmin))
	w.otherDistrict = as(mkUser(other.ID, "oa", "邻区管理员", authz.DistrictAdmin))
	w.logistics = as(mkUser(w.a.ID, "lg", "后勤", authz.Logistics))
	w.health = as(mkUser(w.a.ID, "ht", "保健老师", authz.HealthTeacher))
	teacher12, teacherKG := as(t12), as(kgt)

	// The morning.
	submit := func(ctx context.Context, r checks.Report, now time.Time) {
		t.Helper()
		if _, err := checks.Submit(ctx, c, r, now); err != nil {
			t.Fatal(err)
		}
	}
	submit(w.teacher11, checks.Report{ClassID: w.c11.ID, Date: monday, Session: morning, Zero: true}, at("08:10"))
	c.Exemption.Create().SetTenantID(w.a.ID).SetClassID(w.c21.ID).SetDate(monday).SetReason(exemption.ReasonExam).
		SetNote("期中考试").ExecX(sys)
	p := w.pupils12
	submit(teacher12, checks.Report{ClassID: w.c12.ID, Date: monday, Session: morning, Enrolled: 4, Present: 2, Entries: []checks.Entry{
		{PersonID: p[0].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"fever", "cough"}},
		{PersonID: p[1].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypePersonalLeave)},
		{PersonID: p[2].ID, Kind: checkentry.KindSymptomatic, Symptoms: []string{"sore_throat"}, Temperature: ptr(37.8)},
	}}, at("09:20"))
	submit(teacherKG, checks.Report{ClassID: w.kg.ID, Date: monday, Session: morning, Zero: true}, at("08:00"))
	return w
}

func board(t *testing.T, ctx context.Context, c *ent.Client, sc checks.Scope, date string, now time.Time) *checks.Board {
	t.Helper()
	b, err := checks.BoardFor(ctx, c, sc, date, now)
	if err != nil {
		t.Fatalf("board %+v: %v", sc, err)
	}
	return b
}

func session(t *testing.T, b *checks.Board, s checks.Session) *checks.SessionBoard {
	t.Helper()
	for i := range b.Sessions {
		if b.Sessions[i].Session == s {
			return &b.Sessions[i]
		}
	}
	t.Fatalf("board has no %s session: %+v", s, b.Sessions)
	return nil
}

func rate(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 1e-9 {
		t.Errorf("%s = %v, want %.4f", name, deref(got), want)
	}
}

func deref(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

func completion(t *testing.T, what string, got checks.Completion, want checks.Completion) {
	t.Helper()
	got.Completeness, got.OnTimeRate = nil, nil
	if got != want {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

func names(nr []checks.NonReporter) []string {
	var out []string
	for _, n := range nr {
		out = append(out, n.ClassName)
	}
	return out
}

func TestSchoolBoard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c)
		school := checks.Scope{TenantID: w.a.ID}

		// At 08:30 nothing is overdue yet.
		early := board(t, w.principalA, c, school, monday, at("08:30"))
		if m := session(t, early, morning); m.Pending != 1 || m.Overdue != 0 || len(m.NonReporting) != 1 || m.NonReporting[0].Overdue {
			t.Errorf("before the deadline: %+v", m)
		}

		b := board(t, w.principalA, c, school, monday, at("10:00"))
		if b.Institutions != 1 || b.InSession != 1 || b.Classes != 4 || b.Date != monday || !b.AsOf.Equal(at("10:00")) {
			t.Errorf("board header: %+v", b)
		}
		if got := []checks.Session{b.Sessions[0].Session, b.Sessions[1].Session}; len(b.Sessions) != 2 || got[0] != morning || got[1] != noon {
			t.Fatalf("a primary school holds morning and noon checks: %+v", b.Sessions)
		}
		m := session(t, b, morning)
		completion(t, "morning", m.Completion, checks.Completion{Expected: 3, Submitted: 2, OnTime: 1, Late: 1, Pending: 1, Overdue: 1, Exempted: 1})
		rate(t, "completeness", m.Completeness, 2.0/3)
		rate(t, "on-time rate", m.OnTimeRate, 1.0/3)
		if m.ZeroReports != 1 || m.Enrolled != 6 || m.Present != 4 || m.AbsentIllness != 1 || m.AbsentOther != 1 ||
			m.Symptomatic != 1 || m.AbnormalTemperature != 1 {
			t.Errorf("morning figures: %+v", m)
		}
		if m.Absences != (checks.Absences{SickLeave: 1, PersonalLeave: 1}) {
			t.Errorf("absences by cause: %+v", m.Absences)
		}
		rate(t, "illness-absence rate", m.IllnessAbsenceRate, 1.0/6) // over the reported classes' six pupils
		wantSymptoms := []checks.SymptomCount{{"cough", 1}, {"fever", 1}, {"sore_throat", 1}}
		if !slices.Equal(m.Symptoms, wantSymptoms) {
			t.Errorf("symptoms: %+v", m.Symptoms)
		}
		if len(m.NonReporting) != 1 {
			t.Fatalf("non-reporting: %+v", m.NonReporting)
		}
		nr := m.NonReporting[0]
		dl, _ := checks.Resolve(w.a, nil, nil).Deadline(monday, morning)
		if nr.ClassID != w.c22.ID || nr.ClassName != "二年级(2)班" || nr.GradeName != "二年级" || nr.SchoolName != w.a.Name ||
			nr.TenantID != w.a.ID || !nr.Overdue || !nr.Deadline.Equal(dl) || !slices.Equal(nr.Teachers, []string{"王老师", "李老师"}) {
			t.Errorf("the missing class: %+v", nr)
		}

		// Noon: nobody has reported, nothing is overdue before 14:00; the exemption covers the whole day.
		n := session(t, b, noon)
		completion(t, "noon", n.Completion, checks.Completion{Expected: 3, Pending: 3, Exempted: 1})
		rate(t, "noon completeness", n.Completeness, 0)
		if !slices.Equal(names(n.NonReporting), []string{"一年级(1)班", "一年级(2)班", "二年级(2)班"}) {
			t.Errorf("noon non-reporting: %v", names(n.NonReporting))
		}
		if n.Enrolled != 0 || n.Symptoms == nil || len(n.Symptoms) != 0 || n.IllnessAbsenceRate != nil {
			t.Errorf("noon figures (no report in: no rate, not 0): %+v", n)
		}

		// The board agrees with Expect, class by class.
		for _, cl := range []*ent.Class{w.c11, w.c12, w.c21, w.c22} {
			x, err := checks.Expect(w.principalA, c, cl.ID, monday, morning, at("10:00"))
			if err != nil {
				t.Fatal(err)
			}
			listed := slices.ContainsFunc(m.NonReporting, func(n checks.NonReporter) bool { return n.ClassID == cl.ID })
			if listed != (x.State == checks.Pending) {
				t.Errorf("%s: Expect says %s, listed as non-reporting: %v", cl.Name, x.State, listed)
			}
		}

		// A correction after the deadline: still on time (the first version was), figures from the current one.
		if _, err := checks.Submit(w.teacher11, c, checks.Report{ClassID: w.c11.ID, Date: monday, Session: morning, Enrolled: 2, Present: 1,
			Entries:     []checks.Entry{{PersonID: w.pupil11.ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeUnexcused)}},
			AmendReason: "子 did not come"}, at("09:40")); err != nil {
			t.Fatal(err)
		}
		m = session(t, board(t, w.health, c, school, monday, at("10:00")), morning)
		completion(t, "after the correction", m.Completion, checks.Completion{Expected: 3, Submitted: 2, OnTime: 1, Late: 1, Pending: 1, Overdue: 1, Exempted: 1})
		if m.ZeroReports != 0 || m.Present != 3 || m.Absences != (checks.Absences{SickLeave: 1, PersonalLeave: 1, Unexcused: 1}) {
			t.Errorf("figures after the correction: %+v", m)
		}

		// Grade boards.
		g1 := board(t, w.principalA, c, checks.Scope{GradeID: w.g1.ID}, monday, at("10:00"))
		gm := session(t, g1, morning)
		completion(t, "grade 1", gm.Completion, checks.Completion{Expected: 2, Submitted: 2, OnTime: 1, Late: 1})
		rate(t, "grade 1 completeness", gm.Completeness, 1)
		if g1.Classes != 2 || len(gm.NonReporting) != 0 {
			t.Errorf("grade 1: %+v", g1)
		}
		g2 := session(t, board(t, w.principalA, c, checks.Scope{GradeID: w.g2.ID}, monday, at("10:00")), morning)
		completion(t, "grade 2", g2.Completion, checks.Completion{Expected: 1, Pending: 1, Overdue: 1, Exempted: 1})
		rate(t, "grade 2 completeness", g2.Completeness, 0)
		if !slices.Equal(names(g2.NonReporting), []string{"二年级(2)班"}) {
			t.Errorf("grade 2 non-reporting: %v", names(g2.NonReporting))
		}

		// A class board, for its own teacher.
		own := session(t, board(t, w.teacher11, c, checks.Scope{ClassID: w.c11.ID}, monday, at("10:00")), morning)
		completion(t, "own class", own.Completion, checks.Completion{Expected: 1, Submitted: 1, OnTime: 1})

		// A holiday: nothing expected, and no rate at all (not 0 %, not 100 %).
		c.CalendarDay.Create().SetTenantID(w.a.ID).SetDate(monday).SetKind("holiday").SetNote("运动会调休").ExecX(w.sys)
		h := board(t, w.principalA, c, school, monday, at("10:00"))
		if h.InSession != 0 || len(h.Sessions) != 2 {
			t.Errorf("holiday board: %+v", h)
		}
		for _, s := range h.Sessions {
			completion(t, "holiday "+string(s.Session), s.Completion, checks.Completion{})
			if s.Completeness != nil || s.OnTimeRate != nil || len(s.NonReporting) != 0 || s.Enrolled != 0 {
				t.Errorf("holiday %s: completeness %v, on time %v, %d non-reporting, %d enrolled",
					s.Session, deref(s.Completeness), deref(s.OnTimeRate), len(s.NonReporting), s.Enrolled)
			}
		}
	})
}

func TestDistrictBoard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c)
		b := board(t, w.districtAdmin, c, checks.Scope{DistrictID: w.district.ID}, monday, at("10:00"))
		if b.Institutions != 2 || b.InSession != 2 || b.Classes != 5 {
			t.Errorf("district header (the deactivated school and the other district left out; 小二班 opens Tuesday, 小三班 closed Monday): %+v", b)
		}
		if len(b.Sessions) != 3 || b.Sessions[0].Session != morning || b.Sessions[1].Session != noon || b.Sessions[2].Session != fullDay {
			t.Fatalf("sessions of a primary school and a kindergarten: %+v", b.Sessions)
		}
		m := session(t, b, morning)
		completion(t, "district morning", m.Completion, checks.Completion{Expected: 4, Submitted: 3, OnTime: 2, Late: 1, Pending: 1, Overdue: 1, Exempted: 1})
		rate(t, "district completeness", m.Completeness, 3.0/4)
		rate(t, "district on time", m.OnTimeRate, 2.0/4)
		if m.ZeroReports != 2 || m.Enrolled != 7 || m.Absences != (checks.Absences{SickLeave: 1, PersonalLeave: 1}) {
			t.Errorf("district morning figures: %+v", m)
		}
		completion(t, "district noon (school A only)", session(t, b, noon).Completion, checks.Completion{Expected: 3, Pending: 3, Exempted: 1})
		fd := session(t, b, fullDay)
		completion(t, "district full day (kindergarten only)", fd.Completion, checks.Completion{Expected: 1, Pending: 1})
		if len(fd.NonReporting) != 1 || fd.NonReporting[0].ClassName != "小一班" || fd.NonReporting[0].SchoolName != w.b.Name ||
			!slices.Equal(fd.NonReporting[0].Teachers, []string{"郑老师"}) {
			t.Errorf("full-day non-reporting: %+v", fd.NonReporting)
		}
		// A non-reporter list across schools, ordered by school name, grade and class.
		wantNoon := []string{"一年级(1)班", "一年级(2)班", "二年级(2)班"}
		if got := names(session(t, b, noon).NonReporting); !slices.Equal(got, wantNoon) {
			t.Errorf("noon non-reporting: %v", got)
		}

		// School B's principal gets B's board (a kindergarten: morning and full day) and nothing of A.
		kb := board(t, w.principalB, c, checks.Scope{TenantID: w.b.ID}, monday, at("10:00"))
		if len(kb.Sessions) != 2 || kb.Sessions[1].Session != fullDay || kb.Classes != 1 {
			t.Errorf("kindergarten board: %+v", kb)
		}
		completion(t, "kindergarten morning", kb.Sessions[0].Completion, checks.Completion{Expected: 1, Submitted: 1, OnTime: 1})

		// The district's board on Tuesday morning: 小二班 is open from Tuesday.
		tue := board(t, w.districtAdmin, c, checks.Scope{TenantID: w.b.ID}, "2026-11-24", at("08:00").AddDate(0, 0, 1))
		if tue.Classes != 2 {
			t.Errorf("Tuesday: %d classes open, want 2", tue.Classes)
		}
		completion(t, "Tuesday kindergarten morning", tue.Sessions[0].Completion, checks.Completion{Expected: 2, Pending: 2})

		// A platform admin sees any district.
		sys := board(t, w.sys, c, checks.Scope{DistrictID: w.district.ID}, monday, at("10:00"))
		want := m.Completion
		want.Completeness, want.OnTimeRate = nil, nil
		completion(t, "platform view", session(t, sys, morning).Completion, want)
	})
}

func TestBoardRefusesWhatTheViewerCannotRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c)
		denied := func(who string, ctx context.Context, sc checks.Scope) {
			t.Helper()
			b, err := checks.BoardFor(ctx, c, sc, monday, at("10:00"))
			if !errors.Is(err, privacy.Deny) {
				t.Errorf("%s, %+v: got %+v, %v; want a privacy denial", who, sc, b, err)
			}
			if _, err := checks.Trend(ctx, c, sc, "2026-11-16", monday, at("10:00")); !errors.Is(err, privacy.Deny) {
				t.Errorf("%s, trend %+v: %v; want a privacy denial", who, sc, err)
			}
		}
		allowed := func(who string, ctx context.Context, sc checks.Scope) {
			t.Helper()
			if _, err := checks.BoardFor(ctx, c, sc, monday, at("10:00")); err != nil {
				t.Errorf("%s, %+v: %v", who, sc, err)
			}
		}
		// The class teacher of 一年级(1)班: her class only; not her grade (she cannot see 一年级(2)班), not
		// another grade, not the school, not the district.
		allowed("class teacher", w.teacher11, checks.Scope{ClassID: w.c11.ID})
		denied("class teacher", w.teacher11, checks.Scope{ClassID: w.c12.ID})
		denied("class teacher", w.teacher11, checks.Scope{GradeID: w.g1.ID})
		denied("class teacher", w.teacher11, checks.Scope{GradeID: w.g2.ID})
		denied("class teacher", w.teacher11, checks.Scope{TenantID: w.a.ID})
		denied("class teacher", w.teacher11, checks.Scope{DistrictID: w.district.ID})
		// The grade leader of 一年级: his grade and its classes.
		allowed("grade leader", w.leader1, checks.Scope{GradeID: w.g1.ID})
		allowed("grade leader", w.leader1, checks.Scope{ClassID: w.c12.ID})
		denied("grade leader", w.leader1, checks.Scope{GradeID: w.g2.ID})
		denied("grade leader", w.leader1, checks.Scope{ClassID: w.c22.ID})
		denied("grade leader", w.leader1, checks.Scope{TenantID: w.a.ID})
		// Principals: their own school only.
		denied("principal of B", w.principalB, checks.Scope{TenantID: w.a.ID})
		denied("principal of B", w.principalB, checks.Scope{GradeID: w.g1.ID})
		denied("principal of A", w.principalA, checks.Scope{DistrictID: w.district.ID})
		// Staff without the right to read checks (logistics) get no board, even of their own school.
		denied("logistics", w.logistics, checks.Scope{TenantID: w.a.ID})
		allowed("health teacher", w.health, checks.Scope{TenantID: w.a.ID})
		// Another district's admin: nothing here.
		denied("other district", w.otherDistrict, checks.Scope{DistrictID: w.district.ID})
		denied("other district", w.otherDistrict, checks.Scope{TenantID: w.a.ID})
		denied("other district", w.otherDistrict, checks.Scope{ClassID: w.c11.ID})
		denied("no viewer", context.Background(), checks.Scope{TenantID: w.a.ID})

		// Bad input is bad input.
		var in *types.InputError
		for _, sc := range []checks.Scope{{}, {TenantID: w.a.ID, GradeID: w.g1.ID}} {
			if _, err := checks.BoardFor(w.principalA, c, sc, monday, at("10:00")); !errors.As(err, &in) || in.Field != "scope" {
				t.Errorf("scope %+v: %v", sc, err)
			}
		}
		if _, err := checks.BoardFor(w.principalA, c, checks.Scope{TenantID: w.a.ID}, "23/11/2026", at("10:00")); !errors.As(err, &in) || in.Field != "date" {
			t.Errorf("bad date: %v", err)
		}
		if _, err := checks.BoardFor(w.districtAdmin, c, checks.Scope{DistrictID: w.a.ID}, monday, at("10:00")); !errors.As(err, &in) || in.Field != "districtID" {
			t.Errorf("a school as a district: %v", err)
		}
	})
}

func TestTrend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c)
		sys := w.sys
		// School A's calendar: a term, a holiday on Friday 20th, a make-up school day on Sunday 15th.
		c.Term.Create().SetTenantID(w.a.ID).SetName("2026秋").SetStartDate("2026-09-01").SetEndDate("2027-01-20").ExecX(sys)
		c.CalendarDay.Create().SetTenantID(w.a.ID).SetDate("2026-11-20").SetKind("holiday").ExecX(sys)
		c.CalendarDay.Create().SetTenantID(w.a.ID).SetDate("2026-11-15").SetKind("school_day").ExecX(sys)
		// Last Thursday both sessions were reported by everyone but 二年级(2)班; a sick child stayed away all day.
		thursday := "2026-11-19"
		thu := func(hm string) time.Time { return at(hm).AddDate(0, 0, -4) }
		for _, cl := range []*ent.Class{w.c11, w.c21, w.c22} {
			if cl == w.c22 {
				continue
			}
			for _, s := range []checks.Session{morning, noon} {
				if _, err := checks.Submit(sys, c, checks.Report{ClassID: cl.ID, Date: thursday, Session: s, Zero: true}, thu("08:00")); err != nil {
					t.Fatal(err)
				}
			}
		}
		sick := func(s checks.Session, hm string) {
			p := w.pupils12
			_, err := checks.Submit(sys, c, checks.Report{ClassID: w.c12.ID, Date: thursday, Session: s, Enrolled: 4, Present: 3, Entries: []checks.Entry{
				{PersonID: p[0].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"fever"}},
			}}, thu(hm))
			if err != nil {
				t.Fatal(err)
			}
		}
		sick(morning, "08:30")
		sick(noon, "15:00") // late

		days, err := checks.Trend(w.principalA, c, checks.Scope{TenantID: w.a.ID}, "2026-11-15", "2026-11-24", at("10:00"))
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 10 || days[0].Date != "2026-11-15" || days[9].Date != "2026-11-24" {
			t.Fatalf("trend days: %+v", days)
		}
		for _, d := range days {
			school, err := checks.SchoolDay(w.principalA, c, w.a, d.Date)
			if err != nil {
				t.Fatal(err)
			}
			inSession := school && d.Date <= monday // Tuesday has not come at Monday 10:00
			if (d.InSession == 1) != inSession {
				t.Errorf("%s: in session %d, SchoolDay %v", d.Date, d.InSession, school)
			}
			if !inSession && (d.Expected != 0 || d.Completeness != nil || d.OnTimeRate != nil) {
				t.Errorf("%s is not a school day (yet): %+v", d.Date, d)
			}
			if inSession && d.Completeness == nil {
				t.Errorf("%s: school day without completeness", d.Date)
			}
		}
		byDate := map[string]checks.DayBoard{}
		for _, d := range days {
			byDate[d.Date] = d
		}
		// Sunday 15th, a make-up day nobody reported: everything pending and overdue.
		completion(t, "make-up Sunday", byDate["2026-11-15"].Completion, checks.Completion{Expected: 8, Pending: 8, Overdue: 8})
		rate(t, "make-up Sunday completeness", byDate["2026-11-15"].Completeness, 0)
		th := byDate[thursday]
		completion(t, "Thursday", th.Completion, checks.Completion{Expected: 8, Submitted: 6, OnTime: 5, Late: 1, Pending: 2, Overdue: 2})
		rate(t, "Thursday completeness", th.Completeness, 6.0/8)
		rate(t, "Thursday on time", th.OnTimeRate, 5.0/8)
		if th.Absences != (checks.Absences{SickLeave: 1}) || th.Symptomatic != 0 {
			t.Errorf("Thursday: one child away all day is one absence: %+v", th)
		}
		// Seven pupils on both sessions' reports: the day counts them and the sick child once.
		if th.Enrolled != 7 {
			t.Errorf("Thursday's pupils on the reports = %d, want 7", th.Enrolled)
		}
		rate(t, "Thursday illness-absence rate", th.IllnessAbsenceRate, 1.0/7)
		if sun := byDate["2026-11-15"]; sun.Enrolled != 0 || sun.IllnessAbsenceRate != nil {
			t.Errorf("a day nobody reported has no illness-absence rate: %+v", sun)
		}
		if len(th.Sessions) != 2 || th.Sessions[1].Session != noon || th.Sessions[1].Late != 1 {
			t.Errorf("Thursday sessions: %+v", th.Sessions)
		}
		mon := byDate[monday]
		completion(t, "Monday", mon.Completion, checks.Completion{Expected: 6, Submitted: 2, OnTime: 1, Late: 1, Pending: 4, Overdue: 1, Exempted: 2})
		if mon.Absences != (checks.Absences{SickLeave: 1, PersonalLeave: 1}) || mon.Symptomatic != 1 || mon.Enrolled != 6 {
			t.Errorf("Monday: %+v", mon)
		}
		rate(t, "Monday illness-absence rate", mon.IllnessAbsenceRate, 1.0/6)
		// The board and the trend agree on a date.
		b := board(t, w.principalA, c, checks.Scope{TenantID: w.a.ID}, thursday, at("10:00"))
		for i, s := range b.Sessions {
			if s.Completion.Expected != th.Sessions[i].Expected || s.Completion.Submitted != th.Sessions[i].Submitted ||
				s.Completion.OnTime != th.Sessions[i].OnTime || s.Completion.Overdue != th.Sessions[i].Overdue {
				t.Errorf("board and trend differ on %s %s: %+v vs %+v", thursday, s.Session, s.Completion, th.Sessions[i])
			}
		}

		// Ranges: at most 92 days, in order.
		var in *types.InputError
		if _, err := checks.Trend(w.principalA, c, checks.Scope{TenantID: w.a.ID}, "2026-09-01", "2026-12-01", at("10:00")); err != nil {
			t.Errorf("92 days: %v", err)
		}
		if _, err := checks.Trend(w.principalA, c, checks.Scope{TenantID: w.a.ID}, "2026-09-01", "2026-12-02", at("10:00")); !errors.As(err, &in) || in.Field != "to" {
			t.Errorf("93 days: %v", err)
		}
		if _, err := checks.Trend(w.principalA, c, checks.Scope{TenantID: w.a.ID}, monday, "2026-11-20", at("10:00")); !errors.As(err, &in) || in.Field != "to" {
			t.Errorf("backwards: %v", err)
		}
	})
}

// Changes after the fact: an exemption entered after the class reported (a trip decided at 09:30), and a
// class closed retroactively with reports on its last days. Neither report may count: expected and
// submitted must describe the same classes, or completeness passes 100 %.
func TestBoardAfterLateChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c)
		school := checks.Scope{TenantID: w.a.ID}
		c.Exemption.Create().SetTenantID(w.a.ID).SetClassID(w.c11.ID).SetDate(monday).SetSession(exemption.SessionMorning).
			SetReason(exemption.ReasonFieldTrip).ExecX(w.sys)
		m := session(t, board(t, w.principalA, c, school, monday, at("10:00")), morning)
		completion(t, "after the exemption", m.Completion, checks.Completion{Expected: 2, Submitted: 1, Late: 1, Pending: 1, Overdue: 1, Exempted: 2})
		if m.ZeroReports != 0 || m.Enrolled != 4 {
			t.Errorf("the exempted class's report counted: %+v", m)
		}
		// Noon: the exemption was for the morning only.
		completion(t, "noon", session(t, board(t, w.principalA, c, school, monday, at("10:00")), noon).Completion,
			checks.Completion{Expected: 3, Pending: 3, Exempted: 1})

		// 一年级(2)班 closed as from two weeks ago: not expected, its late report and its lines gone.
		c.Class.UpdateOne(w.c12).SetClosedOn(at("00:00").AddDate(0, 0, -14)).ExecX(w.sys)
		b := board(t, w.principalA, c, school, monday, at("10:00"))
		m = session(t, b, morning)
		completion(t, "after the closure", m.Completion, checks.Completion{Expected: 1, Pending: 1, Overdue: 1, Exempted: 2})
		if b.Classes != 3 || m.Enrolled != 0 || m.Absences != (checks.Absences{}) || len(m.Symptoms) != 0 || m.Symptomatic != 0 {
			t.Errorf("the closed class still counts: %d classes, %+v", b.Classes, m)
		}
		rate(t, "completeness", m.Completeness, 0)
		days, err := checks.Trend(w.principalA, c, school, monday, monday, at("10:00"))
		if err != nil {
			t.Fatal(err)
		}
		completion(t, "trend after the closure (morning 1 + noon 2 expected)", days[0].Completion, checks.Completion{Expected: 3, Pending: 3, Overdue: 1, Exempted: 3})
		if days[0].Absences != (checks.Absences{}) || days[0].Symptomatic != 0 {
			t.Errorf("trend counts the closed class's lines: %+v", days[0])
		}
		// The district sees the same.
		dm := session(t, board(t, w.districtAdmin, c, checks.Scope{DistrictID: w.district.ID}, monday, at("10:00")), morning)
		completion(t, "district after the closure", dm.Completion, checks.Completion{Expected: 2, Submitted: 1, OnTime: 1, Pending: 1, Overdue: 1, Exempted: 2})
	})
}

// Open alerts and follow-ups on the board: counts for every board (the district's too), the list of open
// alerts below the district for viewers who read alerts. 甲's sick leave opened a follow-up, 丙's 37.8 °C a
// fever alert, both in 一年级(2)班.
func TestBoardOpenAlertsAndFollowUps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c)
		fever := []checks.AlertRuleCount{{Rule: "fever", Count: 1}}
		for _, x := range []struct {
			who   string
			ctx   context.Context
			scope checks.Scope
		}{
			{"principal", w.principalA, checks.Scope{TenantID: w.a.ID}},
			{"health teacher", w.health, checks.Scope{TenantID: w.a.ID}},
			{"grade leader", w.leader1, checks.Scope{GradeID: w.g1.ID}},
		} {
			b := board(t, x.ctx, c, x.scope, monday, at("10:00"))
			if b.Alerts.Open != 1 || !slices.Equal(b.Alerts.ByRule, fever) || b.FollowUps != (checks.FollowUpCounts{Open: 1}) {
				t.Errorf("%s: alerts %+v, follow-ups %+v", x.who, b.Alerts, b.FollowUps)
			}
			if len(b.OpenAlerts) != 1 || b.OpenAlerts[0].ClassID == nil || *b.OpenAlerts[0].ClassID != w.c12.ID {
				t.Errorf("%s: open alerts %+v", x.who, b.OpenAlerts)
			}
		}
		// Nothing open in grade 2 or in 一年级(1)班: zero counts and an empty list.
		for _, x := range []struct {
			ctx   context.Context
			scope checks.Scope
		}{{w.principalA, checks.Scope{GradeID: w.g2.ID}}, {w.teacher11, checks.Scope{ClassID: w.c11.ID}}} {
			b := board(t, x.ctx, c, x.scope, monday, at("10:00"))
			if b.Alerts.Open != 0 || len(b.Alerts.ByRule) != 0 || b.FollowUps.Open != 0 || b.OpenAlerts == nil || len(b.OpenAlerts) != 0 {
				t.Errorf("%+v: %+v %+v %+v", x.scope, b.Alerts, b.FollowUps, b.OpenAlerts)
			}
		}
		// The district: counts only, no list.
		d := board(t, w.districtAdmin, c, checks.Scope{DistrictID: w.district.ID}, monday, at("10:00"))
		if d.Alerts.Open != 1 || d.FollowUps.Open != 1 || d.OpenAlerts != nil {
			t.Errorf("district: %+v %+v %+v", d.Alerts, d.FollowUps, d.OpenAlerts)
		}
		// In the evening the cause is overdue (due 18:00); a clearance required shows; a handled alert is gone.
		c.FollowUp.Update().SetClearance("required").ExecX(w.sys)
		c.Alert.Update().SetStatus("acknowledged").ExecX(w.sys)
		b := board(t, w.principalA, c, checks.Scope{TenantID: w.a.ID}, monday, at("19:00"))
		if b.FollowUps != (checks.FollowUpCounts{Open: 1, NeedsClearance: 1, CauseOverdue: 1}) || b.Alerts.Open != 1 {
			t.Errorf("evening: %+v %+v", b.FollowUps, b.Alerts)
		}
		c.Alert.Update().SetStatus("handled").SetDisposition("fever clinic").ExecX(w.sys)
		if b := board(t, w.principalA, c, checks.Scope{TenantID: w.a.ID}, monday, at("19:00")); b.Alerts.Open != 0 || len(b.OpenAlerts) != 0 {
			t.Errorf("handled alert still open: %+v", b.Alerts)
		}
	})
}

// TrendBySchool breaks a district's trend down by institution; the rows add up to the district's.
func TestTrendBySchool(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c)
		sc := checks.Scope{DistrictID: w.district.ID}
		total, err := checks.Trend(w.districtAdmin, c, sc, "2026-11-20", "2026-11-24", at("10:00"))
		if err != nil {
			t.Fatal(err)
		}
		schools, err := checks.TrendBySchool(w.districtAdmin, c, sc, "2026-11-20", "2026-11-24", checks.MaxTrendDays, at("10:00"))
		if err != nil {
			t.Fatal(err)
		}
		if len(schools) != 2 || schools[0].Tenant.ID != w.a.ID || schools[1].Tenant.ID != w.b.ID {
			t.Fatalf("schools: %+v", schools)
		}
		for i, day := range total {
			var sum checks.Completion
			var abs checks.Absences
			inSession, symptomatic, enrolled := 0, 0, 0
			for _, s := range schools {
				d := s.Days[i]
				sum.Expected, sum.Submitted, sum.OnTime, sum.Late = sum.Expected+d.Expected, sum.Submitted+d.Submitted, sum.OnTime+d.OnTime, sum.Late+d.Late
				sum.Pending, sum.Overdue, sum.Exempted = sum.Pending+d.Pending, sum.Overdue+d.Overdue, sum.Exempted+d.Exempted
				abs.SickLeave, abs.PersonalLeave = abs.SickLeave+d.Absences.SickLeave, abs.PersonalLeave+d.Absences.PersonalLeave
				inSession, symptomatic, enrolled = inSession+d.InSession, symptomatic+d.Symptomatic, enrolled+d.Enrolled
			}
			completion(t, day.Date, day.Completion, sum)
			if abs != day.Absences || inSession != day.InSession || symptomatic != day.Symptomatic || enrolled != day.Enrolled {
				t.Errorf("%s: schools add up to %+v %d %d, district %+v", day.Date, abs, inSession, symptomatic, day)
			}
		}
		// The kindergarten's days carry its own sessions only (morning, full day), no noon.
		for _, s := range schools[1].Days[3].Sessions {
			if s.Session == noon {
				t.Errorf("kindergarten with a noon session: %+v", schools[1].Days[3].Sessions)
			}
		}
		mon := schools[0].Days[3]
		completion(t, "school A on Monday", mon.Completion, checks.Completion{Expected: 6, Submitted: 2, OnTime: 1, Late: 1, Pending: 4, Overdue: 1, Exempted: 2})
		// The district's Monday: A's six pupils and the kindergarten's one, one of them off sick.
		if total[3].Enrolled != 7 || schools[1].Days[3].Enrolled != 1 {
			t.Errorf("Monday's pupils on the reports: district %d, kindergarten %d", total[3].Enrolled, schools[1].Days[3].Enrolled)
		}
		rate(t, "the district's Monday illness-absence rate", total[3].IllnessAbsenceRate, 1.0/7)
		rate(t, "the kindergarten's Monday illness-absence rate", schools[1].Days[3].IllnessAbsenceRate, 0)
	})
}
