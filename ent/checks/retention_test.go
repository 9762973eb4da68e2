package checks_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/enrollment"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/followupstep"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// healthRecords is a day of one school's named health records, as the checks made them: a pupil off sick
// with a fever (a follow-up, with a step), a pupil at 38.2 °C sent to the observation room (a stay, a fever
// alert naming her, a reminder naming her), a staff member off sick (a staff follow-up, a staff illness alert).
type healthRecords struct {
	check, staffCheck *ent.ClassCheck
	lines             []int
	followUp          *ent.FollowUp
	stay              *ent.ObservationStay
	alerts            []*ent.Alert
}

func dayOfRecords(t *testing.T, c *ent.Client, s *school, group *ent.StaffGroup, member int, date string) healthRecords {
	t.Helper()
	d, _ := time.ParseInLocation(time.DateOnly+" 15:04", date+" 08:00", shanghai)
	sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
	room := checkentry.DispositionObservationRoom
	chk, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: date, Session: classcheck.SessionMorning, Present: 3,
		Entries: []checks.Entry{
			{PersonID: s.Pupils[0].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"fever"}},
			{PersonID: s.Pupils[1].ID, Kind: checkentry.KindSymptomatic, Symptoms: []string{"fever", "cough"}, Temperature: ptr(38.2), Disposition: &room},
		}}, d)
	if err != nil {
		t.Fatal(err)
	}
	leader := viewer.NewContext(context.Background(), &viewer.Viewer{Label: "user:leader", Role: authz.GradeLeader,
		TenantID: s.T.ID, TenantIDs: []int{s.T.ID}, Authz: c.Authz,
		Grants: []authz.Grant{{Role: authz.GradeLeader, TenantID: s.T.ID, Node: authz.Node(authz.NodeStaffGroup, group.ID)}}})
	if _, err := checks.SubmitStaff(leader, c, checks.StaffReport{StaffGroupID: group.ID, Date: date, Session: classcheck.SessionMorning,
		Entries: []checks.Entry{{PersonID: member, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)}}}, d); err != nil {
		t.Fatal(err)
	}
	r := healthRecords{check: chk}
	r.lines = c.CheckEntry.Query().Where(checkentry.CheckID(chk.ID)).IDsX(sys)
	r.followUp = c.FollowUp.Query().Where(followup.Date(date), followup.TenantID(s.T.ID)).OnlyX(sys)
	if _, err := checks.UpdateFollowUp(healthTeacher(s, c), c, r.followUp.ID,
		checks.FollowUpChange{Outcome: "common_illness", Diagnosis: "感冒"}, d.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	r.stay = c.ObservationStay.Query().Where(observationstay.Date(date), observationstay.TenantID(s.T.ID)).OnlyX(sys)
	// She goes home: the room is free for a later day's stay.
	c.ObservationStay.UpdateOne(r.stay).SetStatus(observationstay.StatusClosed).ClearOpenKey().SetOutAt(d.Add(time.Hour)).
		SetOutcome(observationstay.OutcomeCollectedByParent).ExecX(sys)
	ref := "stay:" + strconv.Itoa(r.stay.ID) // the reminder naming her, as jobs.StayReminder writes it
	c.Notification.Create().SetTenantID(s.T.ID).SetRecipientID(c.User.Query().Where(user.TenantID(s.T.ID)).FirstIDX(sys)).
		SetTemplate("observation.long").SetDedupeKey(ref + ":long").SetRef(ref).SetSubject("乙 在观察室").SetBody("乙").ExecX(sys)
	r.alerts = c.Alert.Query().Where(alert.Date(date), alert.TenantID(s.T.ID)).AllX(sys)
	if len(r.lines) != 2 || len(r.alerts) < 2 {
		t.Fatalf("%s: %d lines, %d alerts", date, len(r.lines), len(r.alerts))
	}
	// The alerts are handled that day: a later day's cases open alerts of their own.
	for _, a := range r.alerts {
		if _, err := checks.UpdateAlert(healthTeacher(s, c), c, a.ID, checks.AlertChange{Status: alert.StatusHandled, Disposition: "家长接回"}, d.Add(2*time.Hour)); err != nil &&
			a.Rule != alert.RuleStaffIllness {
			t.Fatal(err)
		}
	}
	return r
}

// TestEraseAfterRetention: the named health records of the dates before the cutoff go — the pupils' and
// staff members' lines, follow-ups with their steps, stays with the reminders naming the person, the names in
// alerts — and what is counted stays: the checks and their figures, the alerts with their rule and count.
// Each removal is audited, and the entries audited before about those records no longer hold their values.
// The records of later dates, and another school's, are untouched. Erasing again finds nothing.
func TestEraseAfterRetention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
		var days [3]healthRecords
		var schools [2]*school
		for i := range schools {
			s := newSchoolOf(t, c, "teacher"+strconv.Itoa(i))
			member := c.Staff.Create().SetTenantID(s.T.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).SaveX(sys).ID
			group := c.StaffGroup.Create().SetTenantID(s.T.ID).SetName("组").AddMemberIDs(member).SaveX(sys)
			schools[i] = s
			days[i] = dayOfRecords(t, c, s, group, member, "2023-11-20") // a Monday three years back
			if i == 0 {
				days[2] = dayOfRecords(t, c, s, group, member, monday)
			}
		}
		old, recent, other := days[0], days[2], days[1]

		erased, err := checks.Erase(context.Background(), c, schools[0].T.ID, "2023-11-23")
		if err != nil {
			t.Fatal(err)
		}
		if want := (checks.Erased{CheckLines: 2, StaffCheckLines: 1, FollowUps: 1, StaffFollowUps: 1, Stays: 1, AlertsUnnamed: len(old.alerts)}); erased != want {
			t.Errorf("erased %+v, want %+v", erased, want)
		}
		if n := c.CheckEntry.Query().Where(checkentry.IDIn(old.lines...)).CountX(sys); n != 0 {
			t.Errorf("%d of the old lines are still there", n)
		}
		if chk := c.ClassCheck.GetX(sys, old.check.ID); chk.AbsentIllness != 1 || chk.Symptomatic != 1 || chk.AbnormalTemperature != 1 {
			t.Errorf("the old check lost its figures: %+v", chk)
		}
		if _, err := c.FollowUp.Get(sys, old.followUp.ID); !ent.IsNotFound(err) {
			t.Errorf("the old follow-up: %v", err)
		}
		if n := c.FollowUpStep.Query().Where(followupstep.FollowUpID(old.followUp.ID)).CountX(sys); n != 0 {
			t.Errorf("%d steps of the old follow-up are still there", n)
		}
		if _, err := c.ObservationStay.Get(sys, old.stay.ID); !ent.IsNotFound(err) {
			t.Errorf("the old stay: %v", err)
		}
		if c.Notification.Query().Where(notification.Ref("stay:" + strconv.Itoa(old.stay.ID))).ExistX(sys) {
			t.Error("the reminder naming the old stay's pupil is still there")
		}
		for _, a := range old.alerts {
			got := c.Alert.GetX(sys, a.ID)
			if len(got.StudentIds) != 0 || len(got.StaffIds) != 0 || got.Cases != a.Cases || got.Rule != a.Rule {
				t.Errorf("old alert %s: names %v %v, cases %d (was %d)", a.Rule, got.StudentIds, got.StaffIds, got.Cases, a.Cases)
			}
		}
		// The audit: the old lines' creation no longer records the pupil or her symptoms; their deletion is there.
		for _, id := range old.lines {
			entries := c.AuditLog.Query().Where(auditlog.EntityType("CheckEntry"), auditlog.EntityID(id)).AllX(sys)
			var ops []auditlog.Operation
			for _, e := range entries {
				ops = append(ops, e.Operation)
				for _, ch := range e.Changes {
					if ch.Field != "*" {
						t.Errorf("the audit of erased line %d still records %s = %v", id, ch.Field, ch.New)
					}
				}
			}
			if !slices.Contains(ops, auditlog.OperationCreate) || !slices.Contains(ops, auditlog.OperationDelete) {
				t.Errorf("erased line %d audited as %v, want its creation and its deletion", id, ops)
			}
		}

		// Later dates and the other school keep everything, their audit included.
		for _, r := range []healthRecords{recent, other} {
			if n := c.CheckEntry.Query().Where(checkentry.IDIn(r.lines...)).CountX(sys); n != len(r.lines) {
				t.Errorf("%d of %d lines kept", n, len(r.lines))
			}
			if _, err := c.ObservationStay.Get(sys, r.stay.ID); err != nil {
				t.Errorf("a stay kept: %v", err)
			}
			if n := c.FollowUpStep.Query().Where(followupstep.FollowUpID(r.followUp.ID)).CountX(sys); n == 0 {
				t.Error("a follow-up kept, or its steps, is gone")
			}
			for _, a := range r.alerts {
				if got := c.Alert.GetX(sys, a.ID); !slices.Equal(got.StudentIds, a.StudentIds) || !slices.Equal(got.StaffIds, a.StaffIds) {
					t.Errorf("alert %s kept names %v %v, had %v %v", a.Rule, got.StudentIds, got.StaffIds, a.StudentIds, a.StaffIds)
				}
			}
			e := c.AuditLog.Query().Where(auditlog.EntityType("CheckEntry"), auditlog.EntityID(r.lines[0]),
				auditlog.OperationEQ(auditlog.OperationCreate)).OnlyX(sys)
			if !slices.ContainsFunc(e.Changes, func(ch types.FieldChange) bool { return ch.Field == "student_id" }) {
				t.Errorf("a kept line's audit lost its values: %+v", e.Changes)
			}
		}

		if again, err := checks.Erase(context.Background(), c, schools[0].T.ID, "2023-11-23"); err != nil || again.Total() != 0 {
			t.Errorf("erasing again: %+v, %v", again, err)
		}
		if _, err := checks.Erase(context.Background(), c, schools[0].T.ID, "2023-13-01"); err == nil {
			t.Error("a bad date is taken")
		}
	})
}

// TestRetentionCutoff: the records of the dates before today minus the retention period go, that date's stay.
func TestRetentionCutoff(t *testing.T) {
	for _, tc := range []struct {
		today string
		days  int
		want  string
	}{{"2026-11-23", 1095, "2023-11-24"}, {"2026-03-01", 180, "2025-09-02"}, {"2024-02-29", 365, "2023-03-01"}} {
		if got, err := checks.RetentionCutoff(tc.today, tc.days); err != nil || got != tc.want {
			t.Errorf("%s less %d days: %q, %v; want %q", tc.today, tc.days, got, err, tc.want)
		}
	}
	if _, err := checks.RetentionCutoff("23/11/2026", 1095); err == nil {
		t.Error("a bad date is taken")
	}
}

// TestNoChecksPastRetention: a date whose named records the retention period erases takes no check, late
// or corrected, and no exemption: refused on date, nothing written (it would be erased the next night, and
// a recompile of its daily report would count without the lines erased before). The first date kept
// takes one. Today is Monday 2026-11-23: with three years kept, 2023-11-24 is the first date.
func TestNoChecksPastRetention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		zero := func(date string) error {
			_, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: date, Session: classcheck.SessionMorning, Zero: true}, at("08:00"))
			return err
		}
		sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
		before, _ := count(t, c)
		var in *types.InputError
		if err := zero("2023-11-23"); !errors.As(err, &in) || in.Field != "date" || !strings.Contains(in.Error(), "2023-11-24") {
			t.Errorf("a check of a date erased: %v, want refused on date naming the first date kept", err)
		}
		_, err := checks.Exempt(sys, c, c.Exemption.Create().SetTenantID(s.T.ID).SetClassID(s.Class.ID).SetDate("2023-11-23").
			SetReason(exemption.ReasonClosure), at("08:00"))
		if !errors.As(err, &in) || in.Field != "date" {
			t.Errorf("an exemption of a date erased: %v", err)
		}
		if after, _ := count(t, c); after != before || c.Exemption.Query().ExistX(sys) {
			t.Errorf("refused checks wrote %d, or the exemption was kept", after-before)
		}
		if err := zero("2023-11-24"); err != nil {
			t.Errorf("the first date kept: %v", err)
		}
	})
}

// TestEraseLeavers: a pupil who graduated or transferred, and a member of staff who left, before the cutoff
// go with the health records — the pupil's guardians and class history with her, the staff member's group
// membership with him — and the audit about them no longer records their names. Kept: whoever left on or
// after the cutoff, whoever is still at school, whoever a kept record still names (乙, her leaving back-dated
// past her own recent sick leave; 戊, named by a kept alert), and another school's leavers. Leaving is
// dated when the change does not say when, once, and coming back undates it.
func TestEraseLeavers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
		s, other := newSchoolOf(t, c, "t1"), newSchoolOf(t, c, "t2")
		long := time.Date(2023, 6, 30, 17, 0, 0, 0, shanghai) // before the cutoff, 2023-11-23
		jia, yi, bing, ding := s.Pupils[0], s.Pupils[1], s.Pupils[2], s.Pupils[3]
		c.Guardian.Create().SetTenantID(s.T.ID).SetStudentID(jia.ID).SetName("甲妈妈").SetRelation("mother").SetPhone("13800000001").ExecX(sys)
		// 乙 is off sick today, and then her transfer is recorded as of long ago.
		if _, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: monday, Session: classcheck.SessionMorning, Present: 3,
			Entries: []checks.Entry{{PersonID: yi.ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)}}}, at("08:00")); err != nil {
			t.Fatal(err)
		}
		jia = c.Student.UpdateOne(jia).SetStatus(student.StatusGraduated).ClearClassID().SetLeftOn(long).SaveX(sys)
		c.Student.UpdateOne(yi).SetStatus(student.StatusTransferred).ClearClassID().SetLeftOn(long).ExecX(sys)
		bing = c.Student.UpdateOne(bing).SetStatus(student.StatusGraduated).ClearClassID().SaveX(sys) // dated now
		if bing.LeftOn == nil || time.Since(*bing.LeftOn) > time.Minute {
			t.Fatalf("丙 graduated undated: left on %v, want now", bing.LeftOn)
		}
		if again := c.Student.UpdateOne(jia).SetStatus(student.StatusGraduated).SaveX(sys); !again.LeftOn.Equal(long) {
			t.Errorf("graduating 甲 again moved her leaving to %v", again.LeftOn)
		}
		back := c.Student.UpdateOne(ding).SetStatus(student.StatusTransferred).SaveX(sys)
		if back = c.Student.UpdateOne(back).SetStatus(student.StatusAttending).SaveX(sys); back.LeftOn != nil {
			t.Errorf("丁 came back and still left on %v", back.LeftOn)
		}
		c.Student.UpdateOne(other.Pupils[0]).SetStatus(student.StatusGraduated).ClearClassID().SetLeftOn(long).ExecX(sys)
		// 戊 left long ago too, but a kept alert (today's cluster, say, reaching back) names her.
		wu := c.Student.Query().Where(student.TenantID(s.T.ID), student.Name("戊")).OnlyX(sys)
		c.Student.UpdateOne(wu).SetStatus(student.StatusTransferred).ClearClassID().SetLeftOn(long).ExecX(sys)
		c.Alert.Create().SetTenantID(s.T.ID).SetRule(alert.RuleClusterWindow).SetOpenedAt(at("08:00")).SetDate(monday).
			SetStudentIds([]int{wu.ID}).SetStatus(alert.StatusHandled).ExecX(sys)
		qian := c.Staff.Create().SetTenantID(s.T.ID).SetName("钱老师").SetStaffType(staff.StaffTypeTeacher).SaveX(sys)
		group := c.StaffGroup.Create().SetTenantID(s.T.ID).SetName("组").AddMemberIDs(qian.ID).SaveX(sys)
		c.Staff.UpdateOne(qian).SetStatus(staff.StatusLeft).SetLeftOn(long).ExecX(sys)
		sun := c.Staff.Create().SetTenantID(s.T.ID).SetName("孙老师").SetStaffType(staff.StaffTypeTeacher).SetStatus(staff.StatusLeft).SaveX(sys)
		if sun.LeftOn == nil {
			t.Error("孙老师 left undated")
		}

		erased, err := checks.Erase(context.Background(), c, s.T.ID, "2023-11-23")
		if err != nil {
			t.Fatal(err)
		}
		if erased.Pupils != 1 || erased.Staff != 1 {
			t.Errorf("erased %+v, want 甲 and 钱老师", erased)
		}
		for _, gone := range []int{jia.ID} {
			if _, err := c.Student.Get(sys, gone); !ent.IsNotFound(err) {
				t.Errorf("甲: %v", err)
			}
		}
		if n := c.Guardian.Query().Where(guardian.StudentID(jia.ID)).CountX(sys) + c.Enrollment.Query().Where(enrollment.StudentID(jia.ID)).CountX(sys); n != 0 {
			t.Errorf("%d of 甲's guardians and enrollments are kept", n)
		}
		if _, err := c.Staff.Get(sys, qian.ID); !ent.IsNotFound(err) {
			t.Errorf("钱老师: %v", err)
		}
		if n := group.QueryMembers().CountX(sys); n != 0 {
			t.Errorf("the group still has %d members", n)
		}
		for _, kept := range []int{yi.ID, bing.ID, ding.ID, wu.ID, other.Pupils[0].ID} {
			if _, err := c.Student.Get(sys, kept); err != nil {
				t.Errorf("pupil %d: %v", kept, err)
			}
		}
		if _, err := c.Staff.Get(sys, sun.ID); err != nil {
			t.Errorf("孙老师: %v", err)
		}
		for typ, id := range map[string]int{"Student": jia.ID, "Staff": qian.ID} {
			for _, e := range c.AuditLog.Query().Where(auditlog.EntityType(typ), auditlog.EntityID(id)).AllX(sys) {
				for _, ch := range e.Changes {
					if ch.Field != "*" {
						t.Errorf("the audit of erased %s %d still records %s = %v", typ, id, ch.Field, ch.New)
					}
				}
			}
		}
		if e := c.AuditLog.Query().Where(auditlog.EntityType("Student"), auditlog.EntityID(bing.ID), auditlog.OperationEQ(auditlog.OperationCreate)).OnlyX(sys); len(e.Changes) < 2 {
			t.Errorf("a kept pupil's audit lost its values: %+v", e.Changes)
		}
	})
}
