package checks_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// refusedNaming: err is an input error on field whose message names want, and not wrong (the same time
// in UTC, as SQLite hands it back, or in the database server's zone).
func refusedNaming(t *testing.T, what string, err error, field, want, wrong string) {
	t.Helper()
	var in *types.InputError
	switch {
	case !errors.As(err, &in) || in.Field != field:
		t.Errorf("%s: %v, want an input error on %s", what, err, field)
	case !strings.Contains(in.Message, want) || strings.Contains(in.Message, wrong):
		t.Errorf("%s: %q, want it to name %s (the school's time), not %s", what, in.Message, want, wrong)
	}
}

// TestMessagesNameTheSchoolsTime: a refusal that names a stored time names it as the school (Asia/Shanghai)
// reads it, whatever zone the database hands it back in (SQLite: UTC, 8 hours behind; PostgreSQL: its
// server's): a report upward made at 00:30 names that day, not the day before; a stay closed at 23:30 names
// 23:30, not 15:30; a report attested at 23:30 the same; a return cleared too early names when she may
// return, at 20:00 two days after the fever fell at 20:00.
func TestMessagesNameTheSchoolsTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
		tuesday := func(hm string) time.Time { return at(hm).AddDate(0, 0, 1) }

		// A staff illness reported upward at 00:30 on Tuesday (16:30 on Monday in UTC), then taken back.
		principal := viewer.NewContext(context.Background(), &viewer.Viewer{Label: "user:principal", Role: authz.Principal,
			TenantID: s.T.ID, TenantIDs: []int{s.T.ID}, Authz: c.Authz,
			Grants: []authz.Grant{{Role: authz.Principal, TenantID: s.T.ID, Node: authz.Node(authz.NodeSchool, s.T.ID)}}})
		ill := c.Alert.Create().SetTenantID(s.T.ID).SetRule(alert.RuleStaffIllness).SetOpenedAt(tuesday("00:10")).
			SetDate("2026-11-24").SetUpward(alert.UpwardPending).SaveX(sys)
		if _, err := checks.DecideUpward(principal, c, ill.ID, checks.UpwardDecision{Report: true}, tuesday("00:30")); err != nil {
			t.Fatal(err)
		}
		_, err := checks.DecideUpward(principal, c, ill.ID, checks.UpwardDecision{Note: "撤回"}, tuesday("08:00"))
		refusedNaming(t, "a report upward taken back", err, "id", "reported upward on 2026-11-24", "2026-11-23")

		// A pupil in the observation room from 23:00, taken home at 23:30; a reading recorded afterwards.
		stay, err := checks.Admit(sys, c, checks.Admission{StudentID: s.Pupils[0].ID, Reason: observationstay.ReasonFever,
			Temperature: ptr(38.2)}, at("23:00"))
		if err != nil {
			t.Fatal(err)
		}
		home := observationstay.OutcomeCollectedByParent
		if _, err := checks.UpdateObservation(sys, c, stay.ID, checks.ObservationChange{Outcome: &home}, at("23:30")); err != nil {
			t.Fatal(err)
		}
		_, err = checks.UpdateObservation(sys, c, stay.ID, checks.ObservationChange{Note: "late"}, at("23:45"))
		refusedNaming(t, "a closed stay changed", err, "id", "the stay ended at 2026-11-23 23:30", "15:30")

		// Monday's daily report attested at 23:30, then attested again.
		compiled, err := checks.CompileSchool(sys, c, s.T.ID, monday, at("16:00"))
		if err != nil {
			t.Fatal(err)
		}
		r := compiled.Report
		if _, err := checks.Attest(sys, c, r.ID, r.ZeroReport, "", at("23:30")); err != nil {
			t.Fatal(err)
		}
		_, err = checks.Attest(sys, c, r.ID, r.ZeroReport, "", at("23:40"))
		refusedNaming(t, "a report attested twice", err, "id", "attested at 2026-11-23 23:30", "15:30")

		// 乙 off sick on Monday; her fever fell at 20:00 (12:00 UTC): she may return 48 hours later, at 20:00
		// on Wednesday, and a clearance before then is refused naming that time.
		rep := checks.Report{ClassID: s.Class.ID, Date: monday, Session: classcheck.SessionMorning, Enrolled: 4, Present: 3,
			Entries: []checks.Entry{{PersonID: s.Pupils[1].ID, Kind: checkentry.KindAbsent,
				AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"fever"}}}}
		if _, err := checks.Submit(s.teacher, c, rep, at("08:00")); err != nil {
			t.Fatal(err)
		}
		f := c.FollowUp.Query().Where(followup.StudentID(s.Pupils[1].ID)).OnlyX(sys)
		ended := at("20:00")
		if _, err := checks.UpdateFollowUp(s.teacher, c, f.ID, checks.FollowUpChange{Outcome: followup.OutcomeCommonIllness,
			SymptomsEndedAt: &ended}, at("21:00")); err != nil {
			t.Fatal(err)
		}
		_, err = checks.Clear(healthTeacher(s, c), c, f.ID, false, ended.Add(47*time.Hour))
		refusedNaming(t, "a return cleared early", err, "id", "may return from 2026-11-25 20:00", "12:00")
	})
}
