package checks_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// principalOf is the school's principal, who decides whether a staff illness goes upward.
func principalOf(s *school, c *ent.Client) context.Context {
	return viewer.NewContext(context.Background(), &viewer.Viewer{Label: "user:principal", Role: authz.Principal,
		TenantID: s.T.ID, TenantIDs: []int{s.T.ID}, Authz: c.Authz,
		Grants: []authz.Grant{{Role: authz.Principal, TenantID: s.T.ID, Node: authz.Node(authz.NodeSchool, s.T.ID)}}})
}

// staffIllnessAlert opens a staff illness alert of the school on monday, waiting for the principal.
func staffIllnessAlert(t *testing.T, c *ent.Client, s *school, name string) *ent.Alert {
	t.Helper()
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	id := c.Staff.Create().SetTenantID(s.T.ID).SetName(name).SetStaffType(staff.StaffTypeTeacher).SaveX(sys).ID
	return c.Alert.Create().SetTenantID(s.T.ID).SetRule(alert.RuleStaffIllness).SetUpward(alert.UpwardPending).
		SetOpenedAt(at("07:40")).SetCases(1).SetStaffIds([]int{id}).SetDate(monday).SaveX(sys)
}

// TestStaffIllnessReportedAfterTheCompileMakesTheReportStale: the principal reports a staff illness upward
// after the school's daily report is compiled, and the recompile she asked for is lost (Redis was down).
// The dispatcher finds the report stale all the same, and the next version counts the illness; a decision
// before the compile, a decision to keep it in the school, or one on the next local day leave the report
// as it is. A report upward of an illness already handled amends the report too (it would otherwise stay
// stale for good).
func TestStaffIllnessReportedAfterTheCompileMakesTheReportStale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		var asked []string // the recompiles asked for, none of them enqueued
		principal := checks.OnCompiledReport(principalOf(s, c), func(_ context.Context, tenantID int, date string, sourceID int) {
			asked = append(asked, date)
		})
		early, late, kept, handled := staffIllnessAlert(t, c, s, "赵老师"), staffIllnessAlert(t, c, s, "钱老师"),
			staffIllnessAlert(t, c, s, "孙老师"), staffIllnessAlert(t, c, s, "李老师")
		night := staffIllnessAlert(t, c, s, "周老师")
		decide := func(a *ent.Alert, d checks.UpwardDecision, now time.Time) {
			t.Helper()
			if _, err := checks.DecideUpward(principal, c, a.ID, d, now); err != nil {
				t.Fatalf("decision on #%d: %v", a.ID, err)
			}
		}
		due := func(now time.Time) []checks.DueReport {
			t.Helper()
			all, err := checks.DueReports(sys, c, now)
			if err != nil {
				t.Fatal(err)
			}
			return slices.DeleteFunc(all, func(d checks.DueReport) bool { return d.TenantID != s.T.ID })
		}
		compileAt := func(date string, now time.Time) *checks.Compiled {
			t.Helper()
			got, err := checks.CompileSchool(sys, c, s.T.ID, date, now)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		inLineage := func(r *ent.DailyReport, a *ent.Alert) bool {
			return slices.ContainsFunc(r.Lineage, func(l types.LineageItem) bool {
				return l.Kind == types.LineageStaffIllness && l.ID == a.ID
			})
		}

		// Reported before the compile: counted by it, nothing stale after. The night's is handled already, and
		// its time written in UTC (a server in UTC): 04:00 in Shanghai is still Sunday there.
		decide(early, checks.UpwardDecision{Report: true}, at("15:00"))
		if _, err := checks.UpdateAlert(healthTeacher(s, c), c, night.ID, checks.AlertChange{Status: alert.StatusHandled,
			Disposition: "已就医"}, at("03:50").UTC()); err != nil {
			t.Fatal(err)
		}
		decide(night, checks.UpwardDecision{Report: true}, at("04:00").UTC())
		v1 := compileAt(monday, at("16:01")).Report
		if v1.SourceRows != 2 || !inLineage(v1, early) || !inLineage(v1, night) {
			t.Fatalf("v1: source rows %d, lineage %+v; want the decisions before it in both", v1.SourceRows, v1.Lineage)
		}
		if d := due(at("16:05")); len(d) != 0 {
			t.Errorf("a decision before the compile makes the report due: %+v", d)
		}

		// Reported after the compile, the recompile lost: the dispatcher finds the report stale.
		decide(late, checks.UpwardDecision{Report: true, Note: "发热"}, at("16:30"))
		if !slices.Equal(asked, []string{monday}) {
			t.Fatalf("recompiles asked for: %v, want monday's", asked)
		}
		want := checks.DueReport{Kind: dailyreport.KindSchool, TenantID: s.T.ID, Date: monday, Why: checks.DueStale, Sources: 3}
		if d := due(at("16:31")); !slices.Equal(d, []checks.DueReport{want}) {
			t.Fatalf("after a report upward: due %+v, want %+v", d, want)
		}
		// Kept in the school: nothing the report counts, no new source.
		decide(kept, checks.UpwardDecision{Note: "轻微感冒"}, at("16:35"))
		if d := due(at("16:36")); !slices.Equal(d, []checks.DueReport{want}) {
			t.Errorf("after a decision to keep one in the school: due %+v, want %+v", d, want)
		}
		v2 := compileAt(monday, at("16:40"))
		if !v2.Written || v2.Report.Version != 2 || !v2.Report.Amended || v2.Report.SourceRows != 3 ||
			!inLineage(v2.Report, late) || !inLineage(v2.Report, early) || !strings.Contains(v2.Report.AmendReason, "reported upward") {
			t.Fatalf("v2: %+v", v2.Report)
		}
		if d := due(at("16:41")); len(d) != 0 {
			t.Errorf("still due after the recompile: %+v", d)
		}

		// Handled first, reported after: a source too, and the version that counts it is written.
		if _, err := checks.UpdateAlert(healthTeacher(s, c), c, handled.ID, checks.AlertChange{Status: alert.StatusHandled,
			Disposition: "已返岗"}, at("16:45")); err != nil {
			t.Fatal(err)
		}
		decide(handled, checks.UpwardDecision{Report: true}, at("16:50"))
		want.Sources = 4
		if d := due(at("16:51")); !slices.Equal(d, []checks.DueReport{want}) {
			t.Fatalf("after reporting a handled illness: due %+v, want %+v", d, want)
		}
		if v3 := compileAt(monday, at("16:55")); !v3.Written || v3.Report.Version != 3 || !inLineage(v3.Report, handled) {
			t.Fatalf("v3: %+v", v3.Report)
		}
		if d := due(at("16:56")); len(d) != 0 {
			t.Errorf("still due after the recompile: %+v", d)
		}
		if again := compileAt(monday, at("17:00")); again.Written {
			t.Error("compiling again wrote another version")
		}

		// 00:30 on Tuesday in Shanghai is Monday in UTC: the decision is Tuesday's, Monday's report stays.
		tuesday := at("00:30").AddDate(0, 0, 1)
		decide(kept, checks.UpwardDecision{Report: true}, tuesday)
		if d := due(tuesday.Add(time.Minute)); len(d) != 0 {
			t.Errorf("a decision of the next local day: due %+v", d)
		}
		tue := compileAt("2026-11-24", at("16:01").AddDate(0, 0, 1)).Report
		if tue.SourceRows != 1 || !inLineage(tue, kept) || !inLineage(tue, late) || inLineage(tue, handled) || inLineage(tue, night) {
			t.Errorf("Tuesday: source rows %d, lineage %+v", tue.SourceRows, tue.Lineage)
		}
		if d := due(at("16:02").AddDate(0, 0, 1)); len(d) != 0 {
			t.Errorf("due on Tuesday after its compile: %+v", d)
		}
	})
}

// TestStaffIllnessReportUpwardIsFinalUnderRace (PostgreSQL): a decision that read the alert before a report
// upward committed does not undo it (the day's report counts the report as a source, a count that must not
// go down): keeping it in the school is refused, reporting it again is the report that stands.
func TestStaffIllnessReportUpwardIsFinalUnderRace(t *testing.T) {
	db := dbtest.Postgres(t)
	c := db.Client
	s := newSchool(t, c)
	principal := principalOf(s, c)
	for i, second := range []checks.UpwardDecision{{Note: "撤回"}, {Report: true, Note: "again"}} {
		a := staffIllnessAlert(t, c, s, []string{"赵老师", "钱老师"}[i])
		tx, err := c.Tx(principal)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := checks.DecideUpward(ent.NewTxContext(principal, tx), tx.Client(), a.ID, checks.UpwardDecision{Report: true}, at("09:00")); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := checks.DecideUpward(principal, c, a.ID, second, at("09:01"))
			done <- err
		}()
		waitForLock(t, c, done)
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		err = <-done
		var in *types.InputError
		if second.Report && err != nil || !second.Report && (!errors.As(err, &in) || in.Field != "id") {
			t.Errorf("%+v after the report committed: %v", second, err)
		}
		got := c.Alert.GetX(viewer.NewContext(context.Background(), viewer.System("test")), a.ID)
		if *got.Upward != alert.UpwardReported || !got.UpwardDecidedAt.Equal(at("09:00")) || got.UpwardNote != "" {
			t.Errorf("%+v: the alert is now %v decided at %v (%q), want the report of 09:00", second, *got.Upward, got.UpwardDecidedAt, got.UpwardNote)
		}
	}
}

// waitForLock waits until a statement of the database waits for a lock, or the work behind done ends.
func waitForLock(t *testing.T, c *ent.Client, done chan error) {
	t.Helper()
	ctx := context.Background()
	for range 250 {
		var n int
		rows, err := c.QueryContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
		if err != nil {
			t.Fatal(err)
		}
		if rows.Next() {
			_ = rows.Scan(&n)
		}
		rows.Close()
		if n > 0 {
			return
		}
		select {
		case err := <-done:
			done <- err
			t.Errorf("the second decision did not wait for the first: %v", err)
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Error("the second decision never waited for a lock")
}
