package checks_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
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

const monday = "2026-11-23"

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// at is a local time on the test Monday.
func at(hm string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly+" 15:04", monday+" "+hm, shanghai)
	return t
}

type school struct {
	T              *ent.Tenant
	Class, Other   *ent.Class
	Pupils         []*ent.Student
	teacher, other context.Context
}

func newSchool(t *testing.T, c *ent.Client) *school { return newSchoolOf(t, c, "teacher") }

// newSchoolOf is a school whose class teacher signs in as teacher (a login is unique across schools).
func newSchoolOf(t *testing.T, c *ent.Client, teacher string) *school {
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	s := &school{}
	d := c.Tenant.Create().SetName("D").SetKind(tenant.KindDistrict).SaveX(sys)
	s.T = c.Tenant.Create().SetName("S").SetKind(tenant.KindPrimarySchool).SetParent(d).SaveX(sys)
	g := c.Grade.Create().SetTenantID(s.T.ID).SetName("一年级").SaveX(sys)
	s.Class = c.Class.Create().SetTenantID(s.T.ID).SetName("一年级(1)班").SetGrade(g).SaveX(sys)
	s.Other = c.Class.Create().SetTenantID(s.T.ID).SetName("一年级(2)班").SetGrade(g).SaveX(sys)
	for i, n := range []string{"甲", "乙", "丙", "丁"} {
		s.Pupils = append(s.Pupils, c.Student.Create().SetTenantID(s.T.ID).SetClass(s.Class).SetName(n).
			SetStudentNumber(string(rune('A'+i))).SetGender(student.GenderFemale).SaveX(sys))
	}
	c.Student.Create().SetTenantID(s.T.ID).SetClass(s.Other).SetName("戊").SetStudentNumber("E").SetGender(student.GenderMale).SaveX(sys)
	u := c.User.Create().SetTenantID(s.T.ID).SetLogin(teacher).SetDisplayName("陈老师").SetRole(authz.ClassTeacher).SetPasswordHash("x").SaveX(sys)
	grant := func(cl *ent.Class) context.Context {
		return viewer.NewContext(context.Background(), &viewer.Viewer{UserID: u.ID, Label: "user:" + teacher, Role: authz.ClassTeacher,
			TenantID: s.T.ID, TenantIDs: []int{s.T.ID}, Authz: c.Authz,
			Grants: []authz.Grant{{Role: authz.ClassTeacher, TenantID: s.T.ID, Node: authz.Node(authz.NodeClass, cl.ID)}}})
	}
	s.teacher, s.other = grant(s.Class), grant(s.Other)
	return s
}

func ptr[T any](v T) *T { return &v }

func count(t *testing.T, c *ent.Client) (checksN, entries int) {
	ctx := privacy.DecisionContext(context.Background(), privacy.Allow)
	return c.ClassCheck.Query().CountX(ctx), c.CheckEntry.Query().CountX(ctx)
}

func TestCheckWorkflow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		morning := classcheck.SessionMorning
		expect := func(now time.Time) *checks.Expectation {
			t.Helper()
			x, err := checks.Expect(s.teacher, c, s.Class.ID, monday, morning, now)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}

		if x := expect(at("07:00")); x.State != checks.Pending || x.Overdue {
			t.Fatalf("before the check: %+v", x)
		}
		if x := expect(at("09:30")); x.State != checks.Pending || !x.Overdue {
			t.Fatalf("missing after the deadline must be pending and overdue, never zero: %+v", x)
		}

		// Zero report at 08:10: on time, everyone present.
		zero, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: monday, Session: morning, Zero: true}, at("08:10"))
		if err != nil {
			t.Fatal(err)
		}
		if !zero.ZeroReport || zero.Enrolled != 4 || zero.Present != 4 || !zero.OnTime || zero.SubmittedBy != "陈老师" {
			t.Errorf("zero report = %+v", zero)
		}
		// Sent again (weak network): the same check, nothing written.
		again, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: monday, Session: morning, Zero: true}, at("08:11"))
		if err != nil || again.ID != zero.ID {
			t.Fatalf("resend: %v, %v", again, err)
		}
		if n, _ := count(t, c); n != 1 {
			t.Errorf("resend wrote a check: %d", n)
		}
		if x := expect(at("09:30")); x.State != checks.Submitted || x.Check.ID != zero.ID {
			t.Errorf("after the zero report: %+v", x)
		}

		// A correction before the deadline: version 2, not an amendment; version 1 kept.
		full := checks.Report{ClassID: s.Class.ID, Date: monday, Session: morning, Enrolled: 4, Present: 3, Entries: []checks.Entry{
			{PersonID: s.Pupils[0].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"fever", "cough"}, DoctorSeen: true},
			{PersonID: s.Pupils[1].ID, Kind: checkentry.KindSymptomatic, Symptoms: []string{"sore_throat"}, Temperature: ptr(37.8), Disposition: ptr(checkentry.DispositionObservationRoom)},
		}}
		v2, err := checks.Submit(s.teacher, c, full, at("08:40"))
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || v2.Amendment || v2.AbsentIllness != 1 || v2.Symptomatic != 1 || v2.AbnormalTemperature != 1 || v2.ZeroReport {
			t.Errorf("full report = %+v", v2)
		}
		old := c.ClassCheck.GetX(privacy.DecisionContext(context.Background(), privacy.Allow), zero.ID)
		if old.Current {
			t.Error("version 1 still current")
		}

		// After the deadline a correction needs a reason and is flagged as an amendment.
		late := full
		late.Present, late.Entries = 4, full.Entries[1:]
		var in *types.InputError
		if _, err := checks.Submit(s.teacher, c, late, at("10:00")); !errors.As(err, &in) || in.Field != "amendReason" {
			t.Fatalf("amendment without reason: %v", err)
		}
		late.AmendReason = "甲 arrived at 8:50"
		v3, err := checks.Submit(s.teacher, c, late, at("10:00"))
		if err != nil {
			t.Fatal(err)
		}
		if v3.Version != 3 || !v3.Amendment || v3.OnTime {
			t.Errorf("amendment = %+v", v3)
		}
		if x := expect(at("10:05")); x.State != checks.Submitted || x.Check.ID != v3.ID {
			t.Errorf("the class reported on time, and the current version is the amendment: %+v", x)
		}

		// A first report after the deadline is late.
		if _, err := checks.Submit(s.other, c, checks.Report{ClassID: s.Other.ID, Date: monday, Session: morning, Zero: true}, at("09:20")); err != nil {
			t.Fatal(err)
		}
		if x, _ := checks.Expect(s.other, c, s.Other.ID, monday, morning, at("09:30")); x.State != checks.Late {
			t.Errorf("late report: %+v", x)
		}
	})
}

func TestCheckValidationWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		stranger := c.Student.Query().Where(student.ClassID(s.Other.ID)).FirstX(privacy.DecisionContext(sys, privacy.Allow))
		base := func() checks.Report {
			return checks.Report{ClassID: s.Class.ID, Date: monday, Session: classcheck.SessionMorning, Enrolled: 4, Present: 3,
				Entries: []checks.Entry{{PersonID: s.Pupils[0].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypePersonalLeave)}}}
		}
		cases := map[string]struct {
			mod   func(r *checks.Report)
			field string
		}{
			"temperature too high": {func(r *checks.Report) {
				r.Entries[0].Kind, r.Entries[0].Temperature, r.Present = checkentry.KindSymptomatic, ptr(43.5), 4
			}, "entries[0].temperature"},
			"temperature too low": {func(r *checks.Report) {
				r.Entries[0].Kind, r.Entries[0].Temperature, r.Present = checkentry.KindSymptomatic, ptr(33.9), 4
			}, "entries[0].temperature"},
			"student not in class":  {func(r *checks.Report) { r.Entries[0].PersonID = stranger.ID }, "entries[0].studentID"},
			"counts do not add up":  {func(r *checks.Report) { r.Present = 4 }, "present"},
			"future date":           {func(r *checks.Report) { r.Date = "2026-11-30" }, "date"},
			"no such session":       {func(r *checks.Report) { r.Session = classcheck.SessionFullDay }, "session"},
			"weekend":               {func(r *checks.Report) { r.Date = "2026-11-22" }, "date"},
			"absence without cause": {func(r *checks.Report) { r.Entries[0].AbsenceType = nil }, "entries[0].absenceType"},
			"unknown symptom":       {func(r *checks.Report) { r.Entries[0].Symptoms = []string{"boredom"} }, "entries[0].symptoms"},
			"zero with absences":    {func(r *checks.Report) { r.Zero = true }, "entries"},
			"class out of scope":    {func(r *checks.Report) { r.ClassID = s.Other.ID; r.Entries = nil; r.Present = 1; r.Enrolled = 1 }, "classID"},
		}
		now := at("08:30").AddDate(0, 0, 1) // Tuesday morning: Monday has come and gone
		for name, tc := range cases {
			r := base()
			tc.mod(&r)
			_, err := checks.Submit(s.teacher, c, r, now)
			var in *types.InputError
			if !errors.As(err, &in) || in.Field != tc.field {
				t.Errorf("%s: got %v, want an input error on %s", name, err, tc.field)
			}
		}
		if n, e := count(t, c); n != 0 || e != 0 {
			t.Errorf("bad reports wrote %d checks and %d lines", n, e)
		}
	})
}

func TestCalendarAndExemptions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		c.Term.Create().SetTenantID(s.T.ID).SetName("2026秋").SetStartDate("2026-09-01").SetEndDate("2027-01-20").ExecX(sys)
		c.CalendarDay.Create().SetTenantID(s.T.ID).SetDate(monday).SetKind("holiday").SetNote("运动会调休").ExecX(sys)
		c.CalendarDay.Create().SetTenantID(s.T.ID).SetDate("2026-11-22").SetKind("school_day").SetNote("补课").ExecX(sys)
		morning := classcheck.SessionMorning
		state := func(date string) checks.State {
			x, err := checks.Expect(s.teacher, c, s.Class.ID, date, morning, at("23:00").AddDate(0, 0, 7))
			if err != nil {
				t.Fatal(err)
			}
			return x.State
		}
		if got := state(monday); got != checks.NotDue {
			t.Errorf("holiday: %s", got)
		}
		if got := state("2026-11-22"); got != checks.Pending {
			t.Errorf("make-up Sunday: %s", got)
		}
		if got := state("2027-02-01"); got != checks.NotDue {
			t.Errorf("outside the term: %s", got)
		}
		// The grade leader exempts class 1 on Tuesday for an exam; the teacher cannot report, nobody chases.
		c.Exemption.Create().SetTenantID(s.T.ID).SetClassID(s.Class.ID).SetDate("2026-11-24").
			SetReason(exemption.ReasonExam).SetNote("期中考试").ExecX(sys)
		if got := state("2026-11-24"); got != checks.Exempted {
			t.Errorf("exempted day: %s", got)
		}
		_, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: "2026-11-24", Session: morning, Zero: true}, at("08:00").AddDate(0, 0, 1))
		var in *types.InputError
		if !errors.As(err, &in) {
			t.Errorf("report on an exempted day: %v", err)
		}

		// Submit reads the calendar and the exemptions in a statement of its own: it must agree with Expect,
		// count only its own school's calendar, and honour an exemption of one session only.
		other := c.Tenant.Create().SetName("S2").SetKind(tenant.KindPrimarySchool).SaveX(sys)
		c.CalendarDay.Create().SetTenantID(other.ID).SetDate("2026-11-20").SetKind("holiday").ExecX(sys)
		c.Exemption.Create().SetTenantID(s.T.ID).SetClassID(s.Class.ID).SetDate("2026-11-25").
			SetSession(exemption.SessionNoon).SetReason(exemption.ReasonExam).ExecX(sys)
		for _, tc := range []struct {
			date    string
			session checks.Session
			field   string // of the input error, "" when the report is taken
		}{
			{monday, morning, "date"},       // holiday
			{"2026-11-22", morning, ""},     // make-up Sunday
			{"2026-11-21", morning, "date"}, // Saturday
			{"2026-08-31", morning, "date"}, // a Monday before the term
			{"2026-11-20", morning, ""},     // another school's holiday
			{"2026-11-25", morning, ""},     // the exemption is for noon only
			{"2026-11-25", classcheck.SessionNoon, "session"},
		} {
			_, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: tc.date, Session: tc.session, Zero: true}, at("08:00").AddDate(0, 0, 7))
			var in *types.InputError
			switch {
			case tc.field == "" && err != nil:
				t.Errorf("%s %s: %v", tc.date, tc.session, err)
			case tc.field != "" && (!errors.As(err, &in) || in.Field != tc.field):
				t.Errorf("%s %s: want an error on %s, got %v", tc.date, tc.session, tc.field, err)
			}
		}
	})
}

// TestSubmitClosedClassNamesLocalDay: a check of a closed class names the day it closed in the school's time
// zone, however the time comes back from the database (SQLite stores it in UTC: 16:00 the day before).
func TestSubmitClosedClassNamesLocalDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := privacy.DecisionContext(context.Background(), privacy.Allow)
		c.Class.UpdateOne(s.Class).SetClosedOn(at("00:00")).ExecX(sys)
		_, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: monday, Session: classcheck.SessionMorning, Zero: true}, at("08:10"))
		var in *types.InputError
		if !errors.As(err, &in) || in.Field != "classID" || !strings.Contains(err.Error(), "closed on "+monday) {
			t.Errorf("a check of the class closed on %s: %v", monday, err)
		}
	})
}
