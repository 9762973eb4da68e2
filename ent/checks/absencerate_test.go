package checks_test

import (
	"context"
	"slices"
	"testing"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/viewer"
)

// offSick is a report of the class on the date and session naming the pupils off sick (病假), the rest present.
func offSick(class *ent.Class, enrolled int, date string, session classcheck.Session, pupils ...*ent.Student) checks.Report {
	r := checks.Report{ClassID: class.ID, Date: date, Session: session, Enrolled: enrolled, Present: enrolled - len(pupils)}
	for _, p := range pupils {
		r.Entries = append(r.Entries, checks.Entry{PersonID: p.ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)})
	}
	return r
}

// absenceRateAlerts are the school's absence_rate alerts, oldest first.
func absenceRateAlerts(c *ent.Client) []*ent.Alert {
	return slices.DeleteFunc(alerts(c), func(a *ent.Alert) bool { return a.Rule != alert.RuleAbsenceRate })
}

// TestAbsenceRateOffByDefault: with no absence rate set anywhere, a school with every pupil off sick opens no
// absence_rate alert.
func TestAbsenceRateOffByDefault(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		if _, err := checks.Submit(s.teacher, c, offSick(s.Class, 4, monday, classcheck.SessionMorning, s.Pupils...), at("08:00")); err != nil {
			t.Fatal(err)
		}
		wu := c.Student.Query().Where(student.ClassID(s.Other.ID)).OnlyX(sys)
		if _, err := checks.Submit(s.other, c, offSick(s.Other, 1, monday, classcheck.SessionMorning, wu), at("08:05")); err != nil {
			t.Fatal(err)
		}
		if got := absenceRateAlerts(c); len(got) != 0 {
			t.Errorf("all five pupils off sick with no rate set opened %+v", got)
		}
	})
}

// TestAbsenceRateInheritedFromDistrict: the district sets 40 % and the school inherits it. With five pupils
// attending (a suspended sixth does not count), one off sick is below it, and so is a correction naming
// another one instead (the version it replaces no longer counts); a correction naming both reaches it exactly
// and opens one alert at the school, no class, no reporting clock. A further correction and the noon check
// naming them again count nobody twice; the other class's pupil off sick the same day joins the alert; the
// next day starts again. The health teacher reads the alert, the class teacher who reported does not: it is
// the school's.
func TestAbsenceRateInheritedFromDistrict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		c.CheckSetting.Create().SetTenantID(*s.T.ParentID).SetAbsenceRate(40).ExecX(sys)
		c.Student.Create().SetTenantID(s.T.ID).SetClass(s.Class).SetName("己").SetStudentNumber("F").
			SetGender(student.GenderMale).SetStatus(student.StatusSuspended).ExecX(sys)
		if rules, err := checks.RulesFor(sys, c, s.T); err != nil || rules.AbsenceRate != 40 {
			t.Fatalf("the school's absence rate = %v (%v), want the district's 40", rules.AbsenceRate, err)
		}
		jia, yi := s.Pupils[0], s.Pupils[1]
		submit := func(ctx context.Context, r checks.Report, hm string) {
			t.Helper()
			if _, err := checks.Submit(ctx, c, r, at(hm)); err != nil {
				t.Fatalf("%s: %v", hm, err)
			}
		}
		submit(s.teacher, offSick(s.Class, 4, monday, classcheck.SessionMorning, jia), "08:00")
		if got := absenceRateAlerts(c); len(got) != 0 {
			t.Fatalf("one of five pupils off sick (20 %%, below 40 %%) opened %+v", got)
		}
		submit(s.teacher, offSick(s.Class, 4, monday, classcheck.SessionMorning, yi), "08:10")
		if got := absenceRateAlerts(c); len(got) != 0 {
			t.Fatalf("a correction naming 乙 off sick instead of 甲 (still one of five: the version it replaces no longer counts) opened %+v", got)
		}

		corrected := offSick(s.Class, 4, monday, classcheck.SessionMorning, jia, yi)
		submit(s.teacher, corrected, "08:20")
		got := absenceRateAlerts(c)
		if len(got) != 1 {
			t.Fatalf("two of five off sick (40 %%) opened %d absence_rate alerts, want 1", len(got))
		}
		a := got[0]
		if a.Cases != 2 || !slices.Equal(slices.Sorted(slices.Values(a.StudentIds)), []int{jia.ID, yi.ID}) || a.ClassID != nil ||
			a.DormRoom != "" || a.ReportBy != nil || a.Date != monday || a.Status != alert.StatusOpen || a.TenantID != s.T.ID {
			t.Fatalf("the alert = %+v, want the school's, open, for %s, naming 甲 and 乙, without a class or a report-by time", a, monday)
		}

		corrected.Entries[0].Note = "发热，家长来电"
		submit(s.teacher, corrected, "08:40")
		submit(s.teacher, offSick(s.Class, 4, monday, classcheck.SessionNoon, jia), "13:00")
		if got := absenceRateAlerts(c); len(got) != 1 || got[0].Cases != 2 {
			t.Fatalf("after a further correction and the noon check naming the same pupils: %+v, want one alert with 2 cases", got)
		}

		wu := c.Student.Query().Where(student.ClassID(s.Other.ID)).OnlyX(sys)
		submit(s.other, offSick(s.Other, 1, monday, classcheck.SessionMorning, wu), "13:20")
		got = absenceRateAlerts(c)
		if len(got) != 1 || got[0].ID != a.ID || got[0].Cases != 3 || !slices.Contains(got[0].StudentIds, wu.ID) {
			t.Fatalf("the other class's pupil off sick: %+v, want her joining the one alert (3 cases)", got)
		}
		if n := c.Alert.Query().Where(alert.RuleEQ(alert.RuleAbsenceRate)).CountX(healthTeacher(s, c)); n != 1 {
			t.Errorf("the health teacher reads %d absence_rate alerts, want 1", n)
		}
		if n, _ := c.Alert.Query().Where(alert.RuleEQ(alert.RuleAbsenceRate)).Count(s.teacher); n != 0 {
			t.Error("a class teacher reads the school's absence_rate alert")
		}

		tuesday := at("08:00").AddDate(0, 0, 1)
		if _, err := checks.Submit(s.teacher, c, offSick(s.Class, 4, "2026-11-24", classcheck.SessionMorning, jia, yi), tuesday); err != nil {
			t.Fatal(err)
		}
		if got := absenceRateAlerts(c); len(got) != 2 || got[1].Date != "2026-11-24" || got[1].Cases != 2 || got[0].Cases != 3 {
			t.Errorf("Tuesday's two of five: %+v, want a second alert of its own with 2 cases", got)
		}
	})
}

// TestAbsenceRateTurnedOffBySchool: the district sets 10 %; the school sets 0, which turns the alert off
// for it: every pupil off sick opens none.
func TestAbsenceRateTurnedOffBySchool(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		c.CheckSetting.Create().SetTenantID(*s.T.ParentID).SetAbsenceRate(10).ExecX(sys)
		c.CheckSetting.Create().SetTenantID(s.T.ID).SetAbsenceRate(0).ExecX(sys)
		if _, err := checks.Submit(s.teacher, c, offSick(s.Class, 4, monday, classcheck.SessionMorning, s.Pupils...), at("08:00")); err != nil {
			t.Fatal(err)
		}
		if got := absenceRateAlerts(c); len(got) != 0 {
			t.Errorf("four of five off sick at a school that turned the rate off opened %+v", got)
		}
	})
}

// TestAbsenceRateRace: two classes report at the same moment (PostgreSQL), each with one of the five pupils
// off sick: each alone is 20 %, below the school's 40 %; together they reach it. The second report waits for
// the first and counts its pupil: one alert naming both, not none.
func TestAbsenceRateRace(t *testing.T) {
	db := dbtest.Postgres(t)
	c := db.Client
	s := newSchool(t, c)
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	c.CheckSetting.Create().SetTenantID(s.T.ID).SetAbsenceRate(40).ExecX(sys)
	wu := c.Student.Query().Where(student.ClassID(s.Other.ID)).OnlyX(sys)
	raceTx(t, c, submitIn(s.teacher, offSick(s.Class, 4, monday, classcheck.SessionMorning, s.Pupils[0])),
		submitIn(s.other, offSick(s.Other, 1, monday, classcheck.SessionMorning, wu)))
	got := absenceRateAlerts(c)
	if len(got) != 1 || got[0].Cases != 2 {
		t.Fatalf("two reports at once reaching 40 %% together: %+v, want one alert with 2 cases", got)
	}
}
