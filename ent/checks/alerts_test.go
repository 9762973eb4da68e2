package checks_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

func healthTeacher(s *school, c *ent.Client) context.Context {
	return viewer.NewContext(context.Background(), &viewer.Viewer{UserID: 0, Label: "user:nurse", Role: authz.HealthTeacher,
		TenantID: s.T.ID, TenantIDs: []int{s.T.ID}, Authz: c.Authz,
		Grants: []authz.Grant{{Role: authz.HealthTeacher, TenantID: s.T.ID, Node: authz.Node(authz.NodeSchool, s.T.ID)}}})
}

func alerts(c *ent.Client) []*ent.Alert {
	return c.Alert.Query().Order(ent.Asc(alert.FieldID)).AllX(privacy.DecisionContext(context.Background(), privacy.Allow))
}

// TestFollowUpThroughClearance: an illness absence opens a follow-up due the same day; fever ended →
// needs clearance 48 h later; until then a report that counts the pupil present and well is refused
// (nothing written) and one that names her absent is taken; the health teacher cannot clear early, then
// clears, and the zero report goes through.
func TestFollowUpThroughClearance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		r := checks.Report{ClassID: s.Class.ID, Date: monday, Session: classcheck.SessionMorning, Enrolled: 4, Present: 3,
			Entries: []checks.Entry{{PersonID: s.Pupils[0].ID, Kind: checkentry.KindAbsent,
				AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"fever"}}}}
		if _, err := checks.Submit(s.teacher, c, r, at("08:00")); err != nil {
			t.Fatal(err)
		}
		f, err := c.FollowUp.Query().Where(followup.StudentID(s.Pupils[0].ID)).Only(s.teacher)
		if err != nil {
			t.Fatalf("no follow-up opened: %v", err)
		}
		if f.Status != followup.StatusOpen || !f.DueAt.Equal(at("18:00")) {
			t.Errorf("follow-up = %+v", f)
		}
		// A correction of the same morning does not open a second one.
		r.AmendReason, r.IdempotencyKey = "", "second"
		r.Entries[0].DoctorSeen = true
		if _, err := checks.Submit(s.teacher, c, r, at("08:30")); err != nil {
			t.Fatal(err)
		}
		if n := c.FollowUp.Query().CountX(s.teacher); n != 1 {
			t.Errorf("%d follow-ups", n)
		}

		ended := at("20:00") // the fever fell Monday evening
		f, err = checks.UpdateFollowUp(s.teacher, c, f.ID, checks.FollowUpChange{Outcome: followup.OutcomeCommonIllness,
			Diagnosis: "上呼吸道感染", SymptomsEndedAt: &ended, Note: "家长电话"}, at("21:00"))
		if err != nil {
			t.Fatal(err)
		}
		if f.Clearance != followup.ClearanceRequired || !f.EarliestReturnAt.Equal(ended.Add(48*time.Hour)) {
			t.Fatalf("after the update: %+v", f)
		}
		tuesday := checks.Report{ClassID: s.Class.ID, Date: "2026-11-24", Session: classcheck.SessionMorning, Zero: true}
		var notBack *types.InputError
		before, _ := count(t, c)
		if _, err := checks.Submit(s.teacher, c, tuesday, at("07:55").AddDate(0, 0, 1)); !errors.As(err, &notBack) ||
			notBack.Field != "entries" || !strings.Contains(notBack.Error(), "甲 (2026-11-23)") {
			t.Fatalf("a zero report counting 甲 present before her clearance: %v", err)
		}
		if after, _ := count(t, c); after != before {
			t.Errorf("the refused report wrote %d checks", after-before)
		}
		tuesday.Zero, tuesday.Present = false, 3
		tuesday.Entries = []checks.Entry{{PersonID: s.Pupils[0].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)}}
		if _, err := checks.Submit(s.teacher, c, tuesday, at("07:56").AddDate(0, 0, 1)); err != nil {
			t.Fatalf("甲 reported absent: %v", err)
		}
		nurse := healthTeacher(s, c)
		var in *types.InputError
		if _, err := checks.Clear(nurse, c, f.ID, false, ended.Add(47*time.Hour)); !errors.As(err, &in) {
			t.Fatalf("cleared before 48 h: %v", err)
		}
		if _, err := checks.Clear(s.teacher, c, f.ID, false, ended.Add(49*time.Hour)); err == nil {
			t.Error("the class teacher cleared the return; only the health teacher may")
		}
		f, err = checks.Clear(nurse, c, f.ID, false, ended.Add(49*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if f.Clearance != followup.ClearanceCleared || f.Status != followup.StatusClosed {
			t.Errorf("after clearance: %+v", f)
		}
		thursday := checks.Report{ClassID: s.Class.ID, Date: "2026-11-26", Session: classcheck.SessionMorning, Zero: true}
		if _, err := checks.Submit(s.teacher, c, thursday, at("07:55").AddDate(0, 0, 3)); err != nil {
			t.Errorf("cleared, 甲 is back, the zero report: %v", err)
		}
		steps := c.FollowUpStep.Query().CountX(s.teacher)
		if steps != 1 {
			t.Errorf("%d timestamped steps, want 1", steps)
		}
	})
}

// TestClusterOverSchoolDays: five pupils with similar symptoms within three school days of a class raise
// one window cluster alert, although no day had three. The window counts school days (Friday, then
// Monday, then Tuesday, over the weekend), and cases before it (Wednesday's) do not count.
func TestClusterOverSchoolDays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		for i := range 3 {
			s.Pupils = append(s.Pupils, c.Student.Create().SetTenantID(s.T.ID).SetClass(s.Class).SetName("新"+string(rune('a'+i))).
				SetStudentNumber("N"+string(rune('a'+i))).SetGender(student.GenderMale).SaveX(sys))
		}
		report := func(date string, pupils ...int) {
			t.Helper()
			r := checks.Report{ClassID: s.Class.ID, Date: date, Session: classcheck.SessionMorning, Enrolled: len(s.Pupils),
				Present: len(s.Pupils)}
			for _, p := range pupils {
				r.Entries = append(r.Entries, checks.Entry{PersonID: s.Pupils[p].ID, Kind: checkentry.KindSymptomatic,
					Symptoms: []string{"vomiting", "diarrhoea"}})
			}
			now, _ := time.ParseInLocation(time.DateOnly+" 15:04", date+" 08:00", shanghai)
			if _, err := checks.Submit(s.teacher, c, r, now); err != nil {
				t.Fatalf("%s: %v", date, err)
			}
		}
		report("2026-11-18", 5, 6) // Wednesday: before the window of Tuesday, and of Monday
		report("2026-11-19")       // Thursday: nobody
		report("2026-11-20", 0, 1) // Friday
		report(monday, 2, 3)       // Monday: Thursday to Monday holds 4 cases; Wednesday's would make 6
		if got := alerts(c); len(got) != 0 {
			t.Fatalf("four cases in three school days raised %d alerts (%s)", len(got), got[0].Rule)
		}
		report("2026-11-24", 4) // Tuesday: Friday to Tuesday holds 5
		got := alerts(c)
		tuesday, _ := time.ParseInLocation(time.DateOnly+" 15:04", "2026-11-24 08:00", shanghai)
		if len(got) != 1 || got[0].Rule != alert.RuleClusterWindow || got[0].Cases != 5 || got[0].ClassID == nil || *got[0].ClassID != s.Class.ID ||
			got[0].ReportBy == nil || !got[0].ReportBy.Equal(tuesday.Add(24*time.Hour)) {
			t.Fatalf("after Tuesday: %+v, want one cluster over the window with 5 cases in the class, to report within 24 hours", got)
		}
	})
}

// TestClusterAlertFiresOnce: three pupils with ILI symptoms on one day raise one cluster alert, with its
// 24-hour report-by, and one ILI outbreak alert with a 2-hour report-by; the noon check adding a fourth
// joins them.
func TestClusterAlertFiresOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		s.Pupils = append(s.Pupils, c.Student.Create().SetTenantID(s.T.ID).SetClass(s.Class).SetName("己").
			SetStudentNumber("F").SetGender(student.GenderMale).SaveX(sys))
		ili := func(id int) checks.Entry {
			return checks.Entry{PersonID: id, Kind: checkentry.KindSymptomatic, Symptoms: []string{"cough"}, Temperature: ptr(38.2)}
		}
		morning := checks.Report{ClassID: s.Class.ID, Date: monday, Session: classcheck.SessionMorning, Enrolled: 5, Present: 5,
			Entries: []checks.Entry{ili(s.Pupils[0].ID), ili(s.Pupils[1].ID)}}
		if _, err := checks.Submit(s.teacher, c, morning, at("08:00")); err != nil {
			t.Fatal(err)
		}
		if got := alerts(c); len(got) != 1 || got[0].Rule != alert.RuleFever {
			t.Fatalf("two cases: %d alerts, want only the fever alert", len(got))
		}
		morning.Entries = append(morning.Entries, ili(s.Pupils[2].ID))
		if _, err := checks.Submit(s.teacher, c, morning, at("08:30")); err != nil {
			t.Fatal(err)
		}
		noon := checks.Report{ClassID: s.Class.ID, Date: monday, Session: classcheck.SessionNoon, Enrolled: 5, Present: 5,
			Entries: []checks.Entry{ili(s.Pupils[3].ID)}}
		if _, err := checks.Submit(s.teacher, c, noon, at("13:00")); err != nil {
			t.Fatal(err)
		}
		byRule := map[alert.Rule][]*ent.Alert{}
		for _, a := range alerts(c) {
			byRule[a.Rule] = append(byRule[a.Rule], a)
		}
		if len(byRule[alert.RuleClusterDay]) != 1 || len(byRule[alert.RuleIliOutbreak]) != 1 || len(byRule[alert.RuleFever]) != 1 {
			t.Fatalf("alerts by rule: %v", byRule)
		}
		outbreak := byRule[alert.RuleIliOutbreak][0]
		if outbreak.ReportBy == nil || !outbreak.ReportBy.Equal(at("08:30").Add(2*time.Hour)) {
			t.Errorf("ILI report-by = %v, want 10:30", outbreak.ReportBy)
		}
		if cl := byRule[alert.RuleClusterDay][0]; cl.Cases != 4 || cl.SymptomGroup != "ili" || cl.ReportBy == nil ||
			!cl.ReportBy.Equal(at("08:30").Add(24*time.Hour)) {
			t.Errorf("cluster = %+v (the noon case must join it; to the CDC and the authority within 24 hours of 08:30)", cl)
		}
		// Handled with a disposition, the rule may fire again for a new episode; a bad transition is refused.
		nurse := healthTeacher(s, c)
		var in *types.InputError
		if _, err := checks.UpdateAlert(nurse, c, outbreak.ID, checks.AlertChange{Status: alert.StatusHandled}, at("09:00")); !errors.As(err, &in) {
			t.Errorf("handled without disposition: %v", err)
		}
		if _, err := checks.UpdateAlert(nurse, c, outbreak.ID, checks.AlertChange{Status: alert.StatusAcknowledged}, at("09:00")); err != nil {
			t.Fatal(err)
		}
		done, err := checks.UpdateAlert(nurse, c, outbreak.ID, checks.AlertChange{Status: alert.StatusHandled,
			Disposition: "已报区疾控中心和教育局", CDCContact: "区疾控 张医生"}, at("09:40"))
		if err != nil {
			t.Fatal(err)
		}
		if done.OpenKey != nil || done.CdcContactedAt == nil || done.ClosedAt == nil {
			t.Errorf("handled alert = %+v", done)
		}
		if _, err := checks.UpdateAlert(nurse, c, outbreak.ID, checks.AlertChange{Status: alert.StatusAcknowledged}, at("09:50")); !errors.As(err, &in) {
			t.Errorf("reopened a handled alert: %v", err)
		}
	})
}

// TestAssessedAlertsStayQuiet: an alert handled or dismissed speaks for its cases. The noon check naming
// the morning's three coughing pupils again opens nothing; on Tuesday, still ill, they open the day's fever
// alert but not the cluster or the outbreak again (the episode's school days); a fourth pupil falling ill
// is news: new cluster and outbreak alerts, naming all four, each with its clock, each continuing Monday's
// alert of its rule (which names the three: the fourth is the new case).
func TestAssessedAlertsStayQuiet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		nurse := healthTeacher(s, c)
		ili := func(date string, session classcheck.Session, pupils ...int) checks.Report {
			r := checks.Report{ClassID: s.Class.ID, Date: date, Session: session, Enrolled: 4, Present: 4}
			for _, p := range pupils {
				r.Entries = append(r.Entries, checks.Entry{PersonID: s.Pupils[p].ID, Kind: checkentry.KindSymptomatic,
					Symptoms: []string{"cough"}, Temperature: ptr(38.2)})
			}
			return r
		}
		submit := func(r checks.Report, now time.Time) {
			t.Helper()
			if _, err := checks.Submit(s.teacher, c, r, now); err != nil {
				t.Fatal(err)
			}
		}
		// opened returns the alerts opened at now, by rule, with the pupils they name.
		opened := func(now time.Time) map[alert.Rule][]int {
			got := map[alert.Rule][]int{}
			for _, a := range alerts(c) {
				if a.OpenedAt.Equal(now) {
					got[a.Rule] = a.StudentIds
				}
			}
			return got
		}
		pupils := func(idx ...int) []int {
			var ids []int
			for _, i := range idx {
				ids = append(ids, s.Pupils[i].ID)
			}
			return ids
		}
		submit(ili(monday, classcheck.SessionMorning, 0, 1, 2), at("08:00"))
		three := pupils(0, 1, 2)
		if got := opened(at("08:00")); len(got) != 3 || !slices.Equal(got[alert.RuleFever], three) ||
			!slices.Equal(got[alert.RuleClusterDay], three) || !slices.Equal(got[alert.RuleIliOutbreak], three) {
			t.Fatalf("three pupils with ILI: %v, want a fever, a cluster and an outbreak alert naming them", got)
		}
		mondays := map[alert.Rule]int{}
		for i, a := range alerts(c) {
			mondays[a.Rule] = a.ID
			status := alert.StatusHandled
			if i == 0 {
				status = alert.StatusFalseAlarm // the fever: dismissed, it still speaks for its pupils
			}
			if _, err := checks.UpdateAlert(nurse, c, a.ID, checks.AlertChange{Status: status, Disposition: "已报告 assessed"}, at("09:00")); err != nil {
				t.Fatal(err)
			}
		}

		submit(ili(monday, classcheck.SessionNoon, 0, 1, 2), at("13:00"))
		if got := opened(at("13:00")); len(got) != 0 {
			t.Errorf("the noon check naming the assessed pupils again opened %v", got)
		}
		tuesday := at("08:00").AddDate(0, 0, 1)
		submit(ili("2026-11-24", classcheck.SessionMorning, 0, 1, 2), tuesday)
		if got := opened(tuesday); len(got) != 1 || !slices.Equal(got[alert.RuleFever], three) {
			t.Errorf("Tuesday, the same three still ill: %v, want the day's fever alone", got)
		}
		later := tuesday.Add(5 * time.Hour)
		submit(ili("2026-11-24", classcheck.SessionNoon, 0, 1, 2, 3), later)
		four := pupils(0, 1, 2, 3)
		got := opened(later)
		if len(got) != 2 || !slices.Equal(got[alert.RuleClusterDay], four) || !slices.Equal(got[alert.RuleIliOutbreak], four) {
			t.Errorf("a fourth pupil ill: %v, want a new cluster and outbreak naming all four", got)
		}
		for _, a := range alerts(c) {
			if a.OpenedAt.Equal(later) && (a.ReportBy == nil || !a.ReportBy.After(later)) {
				t.Errorf("the new %s alert has no clock of its own: %v", a.Rule, a.ReportBy)
			}
			if a.OpenedAt.Equal(later) && (a.FollowsID == nil || *a.FollowsID != mondays[a.Rule]) {
				t.Errorf("the new %s alert continues %v, want Monday's %d", a.Rule, a.FollowsID, mondays[a.Rule])
			}
			if !a.OpenedAt.Equal(later) && a.FollowsID != nil {
				t.Errorf("the %s alert of %v continues %d: it is no new case of an assessed episode", a.Rule, a.OpenedAt, *a.FollowsID)
			}
			if a.OpenedAt.Equal(tuesday) && (a.Status != alert.StatusOpen || !slices.Equal(a.StudentIds, four)) {
				t.Errorf("Tuesday's fever alert = %s naming %v, want open, the fourth pupil joined", a.Status, a.StudentIds)
			}
		}
	})
}

// room301 boards the class's first two pupils and the other class's pupil (returned) in dorm room 301.
func room301(c *ent.Client, s *school) *ent.Student {
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	other := c.Student.Query().Where(student.ClassID(s.Other.ID)).OnlyX(sys)
	for _, id := range []int{s.Pupils[0].ID, s.Pupils[1].ID, other.ID} {
		c.Student.UpdateOneID(id).SetBoarder(true).SetDormRoom("301").ExecX(sys)
	}
	return other
}

// vomiting is a report's lines for pupils present and vomiting (the gastro group).
func vomiting(ids ...int) []checks.Entry {
	var es []checks.Entry
	for _, id := range ids {
		es = append(es, checks.Entry{PersonID: id, Kind: checkentry.KindSymptomatic, Symptoms: []string{"vomiting"}})
	}
	return es
}

// vomitingIn is Monday's morning check of a class, everyone present, the pupils named vomiting.
func vomitingIn(class, enrolled int, pupils ...int) checks.Report {
	return checks.Report{ClassID: class, Date: monday, Session: classcheck.SessionMorning, Enrolled: enrolled, Present: enrolled,
		Entries: vomiting(pupils...)}
}

// TestDormClusterMadeTogether (PostgreSQL): two classes report their room-301 boarders at once, two and one —
// each below the cluster size, three together. The second report counts the room's cases after the first
// commits, and the room's one alert names all three.
func TestDormClusterMadeTogether(t *testing.T) {
	db := dbtest.Postgres(t)
	c := db.Client
	s := newSchool(t, c)
	other := room301(c, s)
	raceTx(t, c, submitIn(s.teacher, vomitingIn(s.Class.ID, 4, s.Pupils[0].ID, s.Pupils[1].ID)),
		submitIn(s.other, vomitingIn(s.Other.ID, 1, other.ID)))
	as := alerts(c)
	if len(as) != 1 || as[0].DormRoom != "301" || as[0].Cases != 3 {
		t.Fatalf("two reports at once making a room's cluster together: %+v, want room 301's alert with 3 cases", as)
	}
}

// TestDormCluster: boarders of one dorm room from two classes fall ill the same day — no class reaches
// the cluster size, the room does: one alert at the school naming the room, joined (not duplicated) by
// later cases; day pupils and other rooms do not count.
func TestDormCluster(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		other := room301(c, s)
		c.Student.UpdateOneID(s.Pupils[2].ID).SetBoarder(true).SetDormRoom("302").ExecX(sys)
		sick := vomiting
		morning := classcheck.SessionMorning
		// Class 1 reports its two room-301 boarders: below the cluster size in the class and in the room.
		if _, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: monday, Session: morning,
			Enrolled: 4, Present: 4, Entries: sick(s.Pupils[0].ID, s.Pupils[1].ID)}, at("08:00")); err != nil {
			t.Fatal(err)
		}
		if n := len(alerts(c)); n != 0 {
			t.Fatalf("two cases opened %d alerts", n)
		}
		// Class 2's boarder in 301 makes three in the room.
		if _, err := checks.Submit(s.other, c, checks.Report{ClassID: s.Other.ID, Date: monday, Session: morning,
			Enrolled: 1, Present: 1, Entries: sick(other.ID)}, at("08:05")); err != nil {
			t.Fatal(err)
		}
		as := alerts(c)
		if len(as) != 1 || as[0].DormRoom != "301" || as[0].ClassID != nil || as[0].Rule != alert.RuleClusterDay ||
			as[0].Cases != 3 || as[0].SymptomGroup != "gastro" {
			t.Fatalf("dorm cluster: %+v", as)
		}
		// A correction adds class 1's room-302 boarder: now a class cluster of its own, while the room-301
		// alert stays the one alert of its room and room 302 (one case) has none.
		if _, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: monday, Session: morning,
			Enrolled: 4, Present: 4, Entries: sick(s.Pupils[0].ID, s.Pupils[1].ID, s.Pupils[2].ID)}, at("08:20")); err != nil {
			t.Fatal(err)
		}
		as = alerts(c)
		var rooms []string
		for _, a := range as {
			if a.DormRoom != "" {
				rooms = append(rooms, a.DormRoom)
			}
		}
		if len(as) != 2 || len(rooms) != 1 || as[0].Cases != 3 || as[1].ClassID == nil || *as[1].ClassID != s.Class.ID ||
			as[1].Rule != alert.RuleClusterDay {
			t.Errorf("after the correction: %+v", as)
		}
		// The class teacher reads her class's alerts, not the school's dorm alert; the health teacher both.
		if n := c.Alert.Query().Where(alert.DormRoom("301")).CountX(healthTeacher(s, c)); n != 1 {
			t.Errorf("the health teacher sees %d dorm alerts", n)
		}
		if n, _ := c.Alert.Query().Where(alert.DormRoom("301")).Count(s.teacher); n != 0 {
			t.Errorf("a class teacher sees the school's dorm alert")
		}
	})
}

// TestDormClusterRace: two classes report at the same moment, each with three boarders of room 401 ill
// (PostgreSQL: SQLite takes one writer at a time). Each report alone makes the room a cluster; both are
// taken, and the room has one alert naming all six — neither report fails on the alert the other opened,
// nor are its cases written over.
func TestDormClusterRace(t *testing.T) {
	db := dbtest.Postgres(t)
	c := db.Client
	s := newSchool(t, c)
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	for i := range 2 {
		c.Student.Create().SetTenantID(s.T.ID).SetClassID(s.Other.ID).SetName(fmt.Sprintf("己%d", i)).
			SetStudentNumber(fmt.Sprintf("F%d", i)).SetGender(student.GenderMale).SaveX(sys)
	}
	others := c.Student.Query().Where(student.ClassID(s.Other.ID)).IDsX(sys)
	mine := []int{s.Pupils[0].ID, s.Pupils[1].ID, s.Pupils[2].ID}
	c.Student.Update().Where(student.IDIn(append(slices.Clone(mine), others...)...)).SetBoarder(true).SetDormRoom("401").ExecX(sys)
	raceTx(t, c, submitIn(s.teacher, vomitingIn(s.Class.ID, 4, mine...)), submitIn(s.other, vomitingIn(s.Other.ID, 3, others...)))
	room := c.Alert.Query().Where(alert.DormRoom("401"), alert.RuleEQ(alert.RuleClusterDay)).AllX(sys)
	if len(room) != 1 || room[0].Cases != 6 || len(room[0].StudentIds) != 6 {
		t.Fatalf("room 401's one-day cluster alerts after two reports at once: %+v, want one with 6 cases", room)
	}
}
