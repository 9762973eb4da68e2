package checks_test

import (
	"errors"
	"time"

	"slices"
	"testing"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/types"
)

// TestDailyReportHealth: the daily report counts the pupils absent for illness once each, by the symptom
// group of all their sessions' symptoms; the follow-ups that reported a notifiable disease that day (one
// follow-up reported twice is one case); the returns cleared that day (not a clearance of last week,
// not one after the compile); and the absences the epidemic reporter (here the principal) has not verified:
// only she or the principal verifies, a second verification keeps the first. The district adds its
// schools' up.
func TestDailyReportHealth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c) // 1-2's morning: 甲 off sick with fever and cough (ILI)
		p := w.pupils12
		if _, err := checks.Submit(w.sys, c, checks.Report{ClassID: w.c12.ID, Date: monday, Session: checks.Session("noon"),
			Enrolled: 4, Present: 2, Entries: []checks.Entry{
				{PersonID: p[0].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"diarrhoea"}},
				{PersonID: p[3].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)},
			}}, at("13:30")); err != nil {
			t.Fatal(err)
		}
		// 子 of 1-1 was off with a fever last Thursday; her symptoms ended on Friday morning.
		ended := at("08:00").AddDate(0, 0, -3)
		back := c.FollowUp.Create().SetTenantID(w.a.ID).SetStudentID(w.pupil11.ID).SetClassID(w.c11.ID).SetDate("2026-11-19").
			SetSymptoms([]string{"fever"}).SetDueAt(ended).SetClearance(followup.ClearanceRequired).SetSymptomsEndedAt(ended).
			SetEarliestReturnAt(ended.Add(48 * time.Hour)).SaveX(w.sys)
		// One cleared last week is not today's return.
		c.FollowUp.Create().SetTenantID(w.a.ID).SetStudentID(p[1].ID).SetClassID(w.c12.ID).SetDate("2026-11-16").
			SetDueAt(ended).SetClearance(followup.ClearanceCleared).SetClearedAt(ended).SetStatus(followup.StatusClosed).ExecX(w.sys)
		if _, err := checks.Clear(w.health, c, back.ID, false, at("07:50")); err != nil {
			t.Fatal(err)
		}
		// 甲's follow-up: suspected scarlet fever at 11:00, confirmed at 15:00 — one case.
		fu := c.FollowUp.Query().Where(followup.StudentID(p[0].ID), followup.Date(monday)).OnlyX(w.sys)
		for _, hm := range []string{"11:00", "15:00"} {
			if _, err := checks.UpdateFollowUp(w.health, c, fu.ID, checks.FollowUpChange{Outcome: followup.OutcomeNotifiable,
				Diagnosis: "猩红热"}, at(hm)); err != nil {
				t.Fatal(err)
			}
		}

		// The daily verification: the principal verifies 甲's absence at 15:30 (again at 15:40 keeps the first);
		// the health teacher may not, another school's principal does not see it, and nothing is marked.
		var in *types.InputError
		if _, err := checks.Verify(w.health, c, []int{fu.ID}, at("15:00")); !errors.Is(err, privacy.Deny) {
			t.Errorf("the health teacher verified: %v", err)
		}
		if _, err := checks.Verify(w.principalB, c, []int{fu.ID}, at("15:00")); !errors.As(err, &in) || in.Field != "ids" {
			t.Errorf("another school's principal verified: %v", err)
		}
		for _, hm := range []string{"15:30", "15:40"} {
			if _, err := checks.Verify(w.principalA, c, []int{fu.ID}, at(hm)); err != nil {
				t.Fatal(err)
			}
		}
		if got := c.FollowUp.GetX(w.sys, fu.ID); got.VerifiedAt == nil || !got.VerifiedAt.Equal(at("15:30")) || got.VerifiedByID == nil {
			t.Errorf("甲's follow-up after verifying = %+v", got)
		}

		school := compile(t, w, dailyreport.KindSchool, w.a.ID, "16:01").Report.Figures.Health
		// 甲: fever and cough in the morning, diarrhoea at noon: ILI, once; 丁: no symptoms given.
		want := types.HealthFigures{IllnessAbsent: 2, NewCases: 1, Returns: 1, Unverified: 1, // 丁's
			ByGroup: []types.GroupCount{{Group: "ili", Count: 1}, {Group: "other", Count: 1}}}
		if school == nil || school.IllnessAbsent != want.IllnessAbsent || school.NewCases != want.NewCases ||
			school.Returns != want.Returns || school.Unverified != want.Unverified || !slices.Equal(school.ByGroup, want.ByGroup) {
			t.Fatalf("school A's health = %+v, want %+v", school, want)
		}
		// A clearance after the compile is not in the snapshot's figures.
		district := compile(t, w, dailyreport.KindDistrict, w.district.ID, "17:01").Report.Figures.Health
		if district == nil || district.IllnessAbsent != 2 || district.NewCases != 1 || district.Returns != 1 || district.Unverified != 1 ||
			!slices.Equal(district.ByGroup, want.ByGroup) {
			t.Errorf("the district's health = %+v, want A's %+v (B has none)", district, want)
		}
	})
}

// TestDailyReportHealthCountsPupils: the day's new notifiable cases and returns are pupils, not follow-ups
// (a follow-up is one day's absence: a pupil off for several days has one for each). 甲, a suspected case
// since Friday (her Friday absence, still open), is recorded again on Monday, on Friday's follow-up and on
// Monday's: no new case on Monday. 乙 is recorded on Monday for the first time: a new case; so is 丙, whose
// case of October was cleared long ago. 子, off with a fever on Thursday and Friday, is cleared on both
// days' follow-ups on Monday: one return.
func TestDailyReportHealthCountsPupils(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c) // 1-2's morning: 甲 off sick with fever and cough (ILI)
		p := w.pupils12
		friday := at("10:00").AddDate(0, 0, -3)
		followUp := func(st *ent.Student, cl *ent.Class, date string) *ent.FollowUp {
			return c.FollowUp.Create().SetTenantID(w.a.ID).SetStudentID(st.ID).SetClassID(cl.ID).SetDate(date).
				SetSymptoms([]string{"fever"}).SetDueAt(friday).SaveX(w.sys)
		}
		notifiable := func(fu *ent.FollowUp, when time.Time) {
			t.Helper()
			if _, err := checks.UpdateFollowUp(w.health, c, fu.ID, checks.FollowUpChange{Outcome: followup.OutcomeNotifiable,
				Diagnosis: "水痘"}, when); err != nil {
				t.Fatal(err)
			}
		}
		jiaFriday := followUp(p[0], w.c12, "2026-11-20")
		notifiable(jiaFriday, friday)
		notifiable(jiaFriday, at("10:00"))
		notifiable(c.FollowUp.Query().Where(followup.StudentID(p[0].ID), followup.Date(monday)).OnlyX(w.sys), at("10:30"))
		notifiable(followUp(p[1], w.c12, monday), at("11:00"))
		october := at("10:00").AddDate(0, -1, -14)
		c.FollowUp.Create().SetTenantID(w.a.ID).SetStudentID(p[2].ID).SetClassID(w.c12.ID).SetDate("2026-10-09").
			SetDueAt(october).SetOutcome(followup.OutcomeNotifiable).SetClearance(followup.ClearanceCleared).
			SetClearedAt(october.AddDate(0, 0, 10)).SetStatus(followup.StatusClosed).ExecX(w.sys)
		c.FollowUpStep.Create().SetTenantID(w.a.ID).SetFollowUpID(c.FollowUp.Query().Where(followup.StudentID(p[2].ID)).OnlyIDX(w.sys)).
			SetAt(october).SetBy("test").SetOutcome("notifiable").ExecX(w.sys)
		notifiable(followUp(p[2], w.c12, monday), at("11:30"))

		ended := at("08:00").AddDate(0, 0, -3)
		for _, date := range []string{"2026-11-19", "2026-11-20"} {
			fu := c.FollowUp.Create().SetTenantID(w.a.ID).SetStudentID(w.pupil11.ID).SetClassID(w.c11.ID).SetDate(date).
				SetSymptoms([]string{"fever"}).SetDueAt(ended).SetClearance(followup.ClearanceRequired).SetSymptomsEndedAt(ended).
				SetEarliestReturnAt(ended.Add(48 * time.Hour)).SaveX(w.sys)
			if _, err := checks.Clear(w.health, c, fu.ID, false, at("07:50")); err != nil {
				t.Fatal(err)
			}
		}

		h := compile(t, w, dailyreport.KindSchool, w.a.ID, "16:01").Report.Figures.Health
		if h == nil || h.NewCases != 2 || h.Returns != 1 {
			t.Errorf("school A's health = %+v, want 2 new cases (乙, 丙) and 1 return (子)", h)
		}
	})
}
