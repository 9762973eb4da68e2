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
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/stafffollowup"
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

// TestDailyReportStaffHealth: the daily report counts the staff beside the pupils (DOMAIN.md §2.4: students
// and staff). School A's general affairs: 赵 off sick morning (fever, cough) and noon (diarrhoea) is one,
// ILI; 钱 off sick with no symptoms given is "other"; 李 off sick at noon with a rash; 孙, present with a
// fever, and 周, on personal leave, are not off sick. 赵 is recorded with a notifiable disease: a new case;
// so is 李, but she has been one since Friday (her Friday follow-up still open): no new case. 王, off on
// Friday, is diagnosed on Monday on Friday's follow-up: a new case of Monday's. 吴, off last
// Thursday, is cleared back to work on Monday morning: a return (not 郑, cleared last week). The principal
// verifies 钱's absence: 赵's and 李's are unverified. The pupils' figures stay the pupils' (甲 alone), and
// the district adds B's staff member off sick with vomiting to A's.
func TestDailyReportStaffHealth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c) // 1-2's morning: 甲 off sick with fever and cough (ILI)
		staffOf := func(tid int, names ...string) []int {
			ids := make([]int, len(names))
			for i, n := range names {
				ids[i] = c.Staff.Create().SetTenantID(tid).SetName(n).SetStaffType(staff.StaffTypeTeacher).SaveX(w.sys).ID
			}
			return ids
		}
		s := staffOf(w.a.ID, "赵老师", "钱老师", "孙师傅", "周老师", "李老师", "吴老师", "郑老师")
		zhao, qian, sun, zhou, li, wu, zheng := s[0], s[1], s[2], s[3], s[4], s[5], s[6]
		wang := staffOf(w.a.ID, "王老师")[0] // seconded to another department since Friday: not in today's check
		g := c.StaffGroup.Create().SetTenantID(w.a.ID).SetName("总务处").AddMemberIDs(s...).SaveX(w.sys)
		sick := func(id int, symptoms ...string) checks.Entry {
			return checks.Entry{PersonID: id, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: symptoms}
		}
		submit := func(r checks.StaffReport, now time.Time) {
			t.Helper()
			if _, err := checks.SubmitStaff(w.sys, c, r, now); err != nil {
				t.Fatal(err)
			}
		}
		submit(checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: morning, Present: 4, Entries: []checks.Entry{
			sick(zhao, "fever", "cough"), sick(qian),
			{PersonID: sun, Kind: checkentry.KindSymptomatic, Temperature: ptr(38.2)},
			{PersonID: zhou, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypePersonalLeave)},
		}}, at("07:40"))
		submit(checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: noon, Present: 5, Entries: []checks.Entry{
			sick(zhao, "diarrhoea"), sick(li, "rash")}}, at("13:10"))

		friday, thursday := at("10:00").AddDate(0, 0, -3), at("10:00").AddDate(0, 0, -4)
		c.StaffFollowUp.Create().SetTenantID(w.a.ID).SetStaffID(li).SetStaffGroupID(g.ID).SetDate("2026-11-20").SetDueAt(friday).
			SetOutcome(stafffollowup.OutcomeNotifiable).SetNotifiableAt(friday).SetDiagnosis("水痘").SetClearance(stafffollowup.ClearanceRequired).ExecX(w.sys)
		wangFriday := c.StaffFollowUp.Create().SetTenantID(w.a.ID).SetStaffID(wang).SetStaffGroupID(g.ID).SetDate("2026-11-20").
			SetDueAt(friday).SaveX(w.sys)
		ended := at("08:00").AddDate(0, 0, -3)
		back := c.StaffFollowUp.Create().SetTenantID(w.a.ID).SetStaffID(wu).SetStaffGroupID(g.ID).SetDate("2026-11-19").
			SetSymptoms([]string{"fever"}).SetDueAt(thursday).SetClearance(stafffollowup.ClearanceRequired).SetSymptomsEndedAt(ended).
			SetEarliestReturnAt(ended.Add(48 * time.Hour)).SaveX(w.sys)
		c.StaffFollowUp.Create().SetTenantID(w.a.ID).SetStaffID(zheng).SetStaffGroupID(g.ID).SetDate("2026-11-16").SetDueAt(thursday).
			SetClearance(stafffollowup.ClearanceCleared).SetClearedAt(thursday).SetStatus(stafffollowup.StatusClosed).ExecX(w.sys)
		if _, err := checks.ClearStaff(w.health, c, back.ID, false, at("07:50")); err != nil {
			t.Fatal(err)
		}
		today := func(id int) *ent.StaffFollowUp {
			return c.StaffFollowUp.Query().Where(stafffollowup.StaffID(id), stafffollowup.Date(monday)).OnlyX(w.sys)
		}
		for _, id := range []int{zhao, li} {
			if _, err := checks.UpdateStaffFollowUp(w.health, c, today(id).ID, checks.FollowUpChange{Outcome: followup.OutcomeNotifiable,
				Diagnosis: "水痘"}, at("14:00")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := checks.UpdateStaffFollowUp(w.health, c, wangFriday.ID, checks.FollowUpChange{Outcome: followup.OutcomeNotifiable,
			Diagnosis: "流行性腮腺炎"}, at("10:00")); err != nil {
			t.Fatal(err)
		}
		if _, err := checks.VerifyStaff(w.principalA, c, []int{today(qian).ID}, at("15:00")); err != nil {
			t.Fatal(err)
		}

		// School B's kitchen: 冯 off sick with vomiting.
		feng := staffOf(w.b.ID, "冯师傅")
		kitchen := c.StaffGroup.Create().SetTenantID(w.b.ID).SetName("食堂").AddMemberIDs(feng...).SaveX(w.sys)
		submit(checks.StaffReport{StaffGroupID: kitchen.ID, Date: monday, Session: morning, Entries: []checks.Entry{sick(feng[0], "vomiting")}}, at("07:30"))

		a := compile(t, w, dailyreport.KindSchool, w.a.ID, "16:01").Report.Figures
		want := types.HealthFigures{IllnessAbsent: 3, NewCases: 2, Returns: 1, Unverified: 2,
			ByGroup: []types.GroupCount{{Group: "ili", Count: 1}, {Group: "rash", Count: 1}, {Group: "other", Count: 1}}}
		if h := a.StaffHealth; h == nil || h.IllnessAbsent != want.IllnessAbsent || h.NewCases != want.NewCases ||
			h.Returns != want.Returns || h.Unverified != want.Unverified || !slices.Equal(h.ByGroup, want.ByGroup) {
			t.Errorf("school A's staff health = %+v, want %+v", h, want)
		}
		if h := a.Health; h == nil || h.IllnessAbsent != 1 || h.NewCases != 0 || h.Returns != 0 || h.Unverified != 1 {
			t.Errorf("school A's pupils' health = %+v, want 甲 alone", h)
		}
		d := compile(t, w, dailyreport.KindDistrict, w.district.ID, "17:01").Report.Figures.StaffHealth
		wantGroups := []types.GroupCount{{Group: "ili", Count: 1}, {Group: "gastro", Count: 1}, {Group: "rash", Count: 1}, {Group: "other", Count: 1}}
		if d == nil || d.IllnessAbsent != 4 || d.NewCases != 2 || d.Returns != 1 || d.Unverified != 3 || !slices.Equal(d.ByGroup, wantGroups) {
			t.Errorf("the district's staff health = %+v, want A's and B's 冯 (gastro, unverified)", d)
		}
	})
}

// TestDailyReportHealthAcrossOffsets: the day's window is the school's local midnight to the compile, however
// the times it is compared with were written. On SQLite times are text, so a follow-up recorded in UTC (as
// a server whose clock runs in UTC records it) against bounds in Shanghai time, or one recorded in Shanghai
// time against a compile time in UTC, was compared as text: 乙's case recorded at 00:20 on Monday, written
// as 16:20 on Sunday UTC, fell before the day; 丙's at 11:00 and 子's return at 09:00, both Shanghai time,
// came after a compile at 16:01 given as 08:01 UTC; 丁's return at 16:30, after the compile, written as
// 08:30 UTC, came before one at 16:01 Shanghai time. Each way round: 2 new cases (乙, 丙) and 1 return (子).
func TestDailyReportHealthAcrossOffsets(t *testing.T) {
	for _, tc := range []struct {
		name           string
		written, given func(time.Time) time.Time // the zone the records are written in; the compile's
	}{
		{"written_in_UTC", time.Time.UTC, func(t time.Time) time.Time { return t }},
		{"compiled_in_UTC", func(t time.Time) time.Time { return t }, time.Time.UTC},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *database.DB) {
				c := db.Client
				w := newBoardWorld(t, c) // 1-2's morning: 甲 off sick with fever and cough (ILI)
				p := w.pupils12
				sunday := at("08:00").AddDate(0, 0, -1)
				followUp := func(st *ent.Student, cl *ent.Class, date string) *ent.FollowUp {
					return c.FollowUp.Create().SetTenantID(w.a.ID).SetStudentID(st.ID).SetClassID(cl.ID).SetDate(date).
						SetSymptoms([]string{"fever"}).SetDueAt(tc.written(sunday)).SetClearance(followup.ClearanceRequired).
						SetSymptomsEndedAt(tc.written(sunday)).SetEarliestReturnAt(tc.written(sunday)).SaveX(w.sys)
				}
				for _, r := range []struct {
					who *ent.Student
					hm  string
				}{{p[1], "00:20"}, {p[2], "11:00"}} {
					if _, err := checks.UpdateFollowUp(w.health, c, followUp(r.who, w.c12, monday).ID, checks.FollowUpChange{
						Outcome: followup.OutcomeNotifiable, Diagnosis: "水痘"}, tc.written(at(r.hm))); err != nil {
						t.Fatal(err)
					}
				}
				for _, r := range []struct {
					who *ent.Student
					cl  *ent.Class
					hm  string
				}{{w.pupil11, w.c11, "09:00"}, {p[3], w.c12, "16:30"}} {
					if _, err := checks.Clear(w.health, c, followUp(r.who, r.cl, "2026-11-20").ID, false, tc.written(at(r.hm))); err != nil {
						t.Fatal(err)
					}
				}
				r, err := checks.CompileSchool(w.sys, c, w.a.ID, monday, tc.given(at("16:01")))
				if err != nil {
					t.Fatal(err)
				}
				if h := r.Report.Figures.Health; h == nil || h.NewCases != 2 || h.Returns != 1 {
					t.Errorf("school A's health = %+v, want 2 new cases (乙 at 00:20, 丙 at 11:00) and 1 return (子 at 09:00; 丁's at 16:30 is after the compile)", h)
				}
			})
		})
	}
}
