package checks_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/checksetting"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TestRulesChangeTheWorkflow: settings are not decoration — the district's and the school's settings
// move the deadline (on time or late), the sessions a school may report, what temperature is abnormal,
// when a cluster fires, when a pupil may return and whether a certificate is needed.
func TestRulesChangeTheWorkflow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		ictx := viewer.NewContext(context.Background(), viewer.System("test"))
		c.CheckSetting.Create().SetTenantID(*s.T.ParentID).SetMorningDeadline("08:00").SetFeverThreshold(37.8).
			SetClusterDay(2).SetReturnAfterFeverHours(24).SaveX(ictx)
		own := c.CheckSetting.Create().SetTenantID(s.T.ID).SetSessions([]string{"morning", "evening"}).
			SetNotifiableNeedsCertificate(false).SaveX(ictx)

		morning, noon, evening := classcheck.SessionMorning, classcheck.SessionNoon, classcheck.SessionEvening
		// 08:10 is late under the district's 08:00 deadline (the default 09:00 would be on time).
		chk, err := checks.Submit(s.other, c, checks.Report{ClassID: s.Other.ID, Date: monday, Session: morning, Zero: true}, at("08:10"))
		if err != nil || chk.OnTime {
			t.Fatalf("zero report at 08:10 under an 08:00 deadline: %+v, %v", chk, err)
		}
		if x, _ := checks.Expect(s.other, c, s.Other.ID, monday, morning, at("08:10")); x.State != checks.Late {
			t.Errorf("expected report: %+v", x)
		}
		// The school dropped the noon check and added an evening one.
		_, err = checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: monday, Session: noon, Zero: true}, at("12:00"))
		var in *types.InputError
		if !errors.As(err, &in) || in.Field != "session" {
			t.Errorf("noon check in a school without one: %v", err)
		}
		if x, _ := checks.Expect(s.teacher, c, s.Class.ID, monday, noon, at("15:00")); x.State != checks.NotDue {
			t.Errorf("a session the school does not hold is never due: %+v", x)
		}

		// 37.6 °C is not abnormal at a 37.8 threshold; two similar cases make a cluster (cluster_day 2).
		r := checks.Report{ClassID: s.Class.ID, Date: monday, Session: evening, Enrolled: 4, Present: 4, Entries: []checks.Entry{
			{PersonID: s.Pupils[0].ID, Kind: checkentry.KindSymptomatic, Symptoms: []string{"cough"}, Temperature: ptr(37.6)},
			{PersonID: s.Pupils[1].ID, Kind: checkentry.KindSymptomatic, Symptoms: []string{"vomiting"}},
			{PersonID: s.Pupils[2].ID, Kind: checkentry.KindSymptomatic, Symptoms: []string{"diarrhoea"}},
		}}
		chk, err = checks.Submit(s.teacher, c, r, at("19:00"))
		if err != nil {
			t.Fatal(err)
		}
		if chk.AbnormalTemperature != 0 {
			t.Errorf("37.6 °C counted abnormal at a 37.8 threshold")
		}
		var rules []alert.Rule
		for _, a := range alerts(c) {
			rules = append(rules, a.Rule)
			if a.Rule == alert.RuleClusterDay && (a.SymptomGroup != "gastro" || a.Cases != 2) {
				t.Errorf("cluster: %+v", a)
			}
		}
		if len(rules) != 1 || rules[0] != alert.RuleClusterDay {
			t.Errorf("alerts: %v (want one gastro cluster, no fever alert)", rules)
		}

		// Return 24 h after the fever ends (district), and no certificate for a notifiable disease (school).
		r = checks.Report{ClassID: s.Class.ID, Date: monday, Session: morning, Enrolled: 4, Present: 3, Entries: []checks.Entry{
			{PersonID: s.Pupils[3].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"fever"}}}}
		if _, err := checks.Submit(s.teacher, c, r, at("07:50")); err != nil {
			t.Fatal(err)
		}
		f := c.FollowUp.Query().Where(followup.StudentID(s.Pupils[3].ID)).OnlyX(ictx)
		ended := at("07:00")
		f, err = checks.UpdateFollowUp(s.teacher, c, f.ID, checks.FollowUpChange{Outcome: followup.OutcomeNotifiable,
			Diagnosis: "influenza", SymptomsEndedAt: &ended}, at("10:00"))
		if err != nil {
			t.Fatal(err)
		}
		if f.EarliestReturnAt == nil || !f.EarliestReturnAt.Equal(ended.Add(24*time.Hour)) {
			t.Errorf("earliest return %v, want 24 h after %v", f.EarliestReturnAt, ended)
		}
		if _, err := checks.Clear(healthTeacher(s, c), c, f.ID, false, ended.Add(25*time.Hour)); err != nil {
			t.Errorf("clearance without a certificate where the school waives it: %v", err)
		}

		// Clearing the school's sessions inherits the defaults again: the noon check is back.
		c.CheckSetting.UpdateOne(own).ClearSessions().ExecX(ictx)
		if _, err := checks.Submit(s.teacher, c, checks.Report{ClassID: s.Class.ID, Date: monday, Session: noon, Zero: true}, at("12:00")); err != nil {
			t.Errorf("noon check after the school's sessions were cleared: %v", err)
		}
		// The district moves the noon deadline: the next submission judges by it at once, though the rules
		// read by the submissions above are cached (by the versions of the settings rows they were read at).
		c.CheckSetting.Update().Where(checksetting.TenantID(*s.T.ParentID)).SetNoonDeadline("11:00").ExecX(ictx)
		chk, err = checks.Submit(s.other, c, checks.Report{ClassID: s.Other.ID, Date: monday, Session: noon, Zero: true}, at("11:30"))
		if err != nil || chk.OnTime {
			t.Errorf("zero report at 11:30 after the district moved the noon deadline to 11:00: %+v, %v", chk, err)
		}
	})
}

// TestTermEndsAfterItStarts: a term that ends before it starts is refused on create and on update of
// either date, naming endDate; nothing is written.
func TestTermEndsAfterItStarts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		ctx := viewer.NewContext(context.Background(), viewer.System("test"))
		var in *types.InputError
		_, err := c.Term.Create().SetTenantID(s.T.ID).SetName("秋季学期").SetStartDate("2026-09-01").SetEndDate("2026-08-31").Save(ctx)
		if !errors.As(err, &in) || in.Field != "endDate" {
			t.Errorf("create: %v", err)
		}
		term := c.Term.Create().SetTenantID(s.T.ID).SetName("秋季学期").SetStartDate("2026-09-01").SetEndDate("2027-01-20").SaveX(ctx)
		if err := c.Term.UpdateOne(term).SetStartDate("2027-02-01").Exec(ctx); !errors.As(err, &in) {
			t.Errorf("moving the start past the end: %v", err)
		}
		if err := c.Term.UpdateOne(term).SetEndDate("2026-08-01").Exec(ctx); !errors.As(err, &in) {
			t.Errorf("moving the end before the start: %v", err)
		}
		if got := c.Term.GetX(ctx, term.ID); got.StartDate != "2026-09-01" || got.EndDate != "2027-01-20" {
			t.Errorf("term changed: %+v", got)
		}
		if err := c.Term.UpdateOne(term).SetEndDate("2027-01-31").Exec(ctx); err != nil {
			t.Errorf("a valid change: %v", err)
		}
	})
}

// The cut-offs inherit like every setting: built-in default, the district's, the school's own.
func TestCutoffsInherit(t *testing.T) {
	school := &ent.Tenant{Kind: tenant.KindPrimarySchool, Timezone: "Asia/Shanghai"}
	if r := checks.Resolve(school, nil, nil); r.ReportCutoff != "16:00" || r.DistrictCutoff != "17:00" {
		t.Errorf("defaults: %s %s", r.ReportCutoff, r.DistrictCutoff)
	}
	district := &ent.CheckSetting{ReportCutoff: ptr("15:30"), DistrictCutoff: ptr("18:00")}
	if r := checks.Resolve(school, district, nil); r.ReportCutoff != "15:30" || r.DistrictCutoff != "18:00" {
		t.Errorf("district defaults: %s %s", r.ReportCutoff, r.DistrictCutoff)
	}
	if r := checks.Resolve(school, district, &ent.CheckSetting{ReportCutoff: ptr("16:30")}); r.ReportCutoff != "16:30" {
		t.Errorf("school override: %s", r.ReportCutoff)
	}
}

// TestEditWindow: a district that closes each date's checks three days after it ("editable until") refuses
// a report or a correction of a date past that, on the date and naming the last day, and writes nothing;
// a date within it is still taken (late). A class or staff check and an exemption alike; with no window, any
// past date is. A resend of a report taken in time still returns it.
func TestEditWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		thursday := checks.Report{ClassID: s.Class.ID, Date: "2026-11-19", Session: classcheck.SessionMorning, Zero: true}
		friday := thursday
		friday.Date = "2026-11-20"
		// No window yet: last Thursday is taken, late.
		stored, err := checks.Submit(s.teacher, c, thursday, at("08:00"))
		if err != nil {
			t.Fatal(err)
		}
		resend := thursday
		c.CheckSetting.Create().SetTenantID(*s.T.ParentID).SetEditDays(3).ExecX(sys)
		before, _ := count(t, c)
		// A phone's retry of the report it sent in time is a resend, not a new version: the stored report.
		if again, err := checks.Submit(s.teacher, c, resend, at("08:00")); err != nil || again.ID != stored.ID {
			t.Errorf("Thursday's report resent after its window closed: %v, %v (want the stored %d)", again, err, stored.ID)
		}
		thursday.Zero, thursday.Present = false, 3
		thursday.AmendReason = "补报 late correction"
		thursday.Entries = []checks.Entry{{PersonID: s.Pupils[0].ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypePersonalLeave)}}
		var in *types.InputError
		if _, err := checks.Submit(s.teacher, c, thursday, at("08:00")); !errors.As(err, &in) || in.Field != "date" ||
			!strings.Contains(in.Error(), "2026-11-22") {
			t.Fatalf("a correction of Thursday, closed on Sunday: %v", err)
		}
		if after, _ := count(t, c); after != before {
			t.Errorf("the refused correction wrote %d checks", after-before)
		}
		if _, err := checks.Submit(s.teacher, c, friday, at("08:00")); err != nil {
			t.Errorf("Friday, open until today: %v", err)
		}
		// An exemption would change Thursday's denominators after the fact: closed too; Friday's is taken.
		exempt := func(date string) error {
			_, err := checks.Exempt(sys, c, c.Exemption.Create().SetTenantID(s.T.ID).SetClassID(s.Other.ID).SetDate(date).SetReason(exemption.ReasonFieldTrip), at("08:00"))
			return err
		}
		if err := exempt("2026-11-19"); !errors.As(err, &in) || in.Field != "date" {
			t.Errorf("an exemption of Thursday: %v", err)
		}
		if err := exempt("2026-11-20"); err != nil {
			t.Errorf("an exemption of Friday: %v", err)
		}
		if n := c.Exemption.Query().CountX(sys); n != 1 {
			t.Errorf("%d exemptions, want Friday's", n)
		}
		g := c.StaffGroup.Create().SetTenantID(s.T.ID).SetName("总务处").SaveX(sys)
		if _, err := checks.SubmitStaff(sys, c, checks.StaffReport{StaffGroupID: g.ID, Date: "2026-11-19", Session: classcheck.SessionMorning,
			Zero: true}, at("08:00")); !errors.As(err, &in) || in.Field != "date" {
			t.Errorf("a staff check of Thursday: %v", err)
		}
	})
}

// TestFeverAtTheThreshold: a reading of exactly the threshold is fever by default (the product's "≥ 37.3 °C
// → abnormal"); a school that sets fever_above follows DOMAIN.md §4 ("37.3 itself passes"): the same line
// counts no abnormal temperature, makes no fever alert and puts the pupil in the room for her symptoms, not
// for a fever; a reading above it is fever under either.
func TestFeverAtTheThreshold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		ictx := privacy.DecisionContext(sys, privacy.Allow)
		report := func(ctx context.Context, class, present, pupil int, temp float64, session classcheck.Session) *ent.ClassCheck {
			t.Helper()
			chk, err := checks.Submit(ctx, c, checks.Report{ClassID: class, Date: monday, Session: session, Present: present, Entries: []checks.Entry{
				{PersonID: pupil, Kind: checkentry.KindSymptomatic, Symptoms: []string{"headache"}, Temperature: ptr(temp),
					Disposition: ptr(checkentry.DispositionObservationRoom)},
			}}, at("08:00"))
			if err != nil {
				t.Fatal(err)
			}
			return chk
		}
		feverAlerts := func() int { return c.Alert.Query().Where(alert.RuleEQ(alert.RuleFever)).CountX(ictx) }
		if chk := report(s.teacher, s.Class.ID, 4, s.Pupils[0].ID, 37.3, classcheck.SessionMorning); chk.AbnormalTemperature != 1 || feverAlerts() != 1 {
			t.Errorf("37.3 °C by default: %d abnormal, %d fever alerts; want 1 and 1", chk.AbnormalTemperature, feverAlerts())
		}
		c.CheckSetting.Create().SetTenantID(s.T.ID).SetFeverAbove(true).SaveX(sys)
		other := c.Student.Query().Where(student.ClassID(s.Other.ID)).OnlyX(ictx)
		if chk := report(s.other, s.Other.ID, 1, other.ID, 37.3, classcheck.SessionMorning); chk.AbnormalTemperature != 0 || feverAlerts() != 1 {
			t.Errorf("37.3 °C when only above is fever: %d abnormal, %d fever alerts; want 0 and still 1", chk.AbnormalTemperature, feverAlerts())
		}
		stay := c.ObservationStay.Query().Where(observationstay.StudentID(other.ID)).OnlyX(ictx)
		if stay.Reason != observationstay.ReasonSymptoms {
			t.Errorf("her stay's reason at 37.3 °C = %s, want symptoms", stay.Reason)
		}
		if chk := report(s.other, s.Other.ID, 1, other.ID, 37.4, classcheck.SessionNoon); chk.AbnormalTemperature != 1 {
			t.Errorf("37.4 °C when only above is fever: %d abnormal, want 1", chk.AbnormalTemperature)
		}
	})
}
