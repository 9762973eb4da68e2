package checks_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TestStaffCheck: the leader who answers for a staff group (包教职工) checks its members in post — zero
// report, resend, a full report as a new version; a stranger to the group, another group, a class
// teacher are refused, nothing written; who reads the sheets and their lines.
func TestStaffCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		mk := func(name string, status staff.Status) int {
			return c.Staff.Create().SetTenantID(s.T.ID).SetName(name).SetStaffType(staff.StaffTypeTeacher).SetStatus(status).SaveX(sys).ID
		}
		members := []int{mk("赵老师", staff.StatusInPost), mk("钱老师", staff.StatusInPost), mk("孙师傅", staff.StatusInPost)}
		onLeave, stranger := mk("李老师", staff.StatusOnLeave), mk("周老师", staff.StatusInPost)
		g := c.StaffGroup.Create().SetTenantID(s.T.ID).SetName("王校长包保组").AddMemberIDs(append(members, onLeave)...).SaveX(sys)
		h := c.StaffGroup.Create().SetTenantID(s.T.ID).SetName("总务处").AddMemberIDs(stranger).SaveX(sys)
		as := func(role authz.Role, node string) context.Context {
			return viewer.NewContext(context.Background(), &viewer.Viewer{Label: "user:" + string(role), Role: role,
				TenantID: s.T.ID, TenantIDs: []int{s.T.ID}, Authz: c.Authz,
				Grants: []authz.Grant{{Role: role, TenantID: s.T.ID, Node: node}}})
		}
		leader := as(authz.GradeLeader, authz.Node(authz.NodeStaffGroup, g.ID))
		morning := classcheck.SessionMorning

		zero, err := checks.SubmitStaff(leader, c, checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: morning, Zero: true}, at("07:40"))
		if err != nil {
			t.Fatal(err)
		}
		if zero.Enrolled != 3 || zero.Present != 3 || !zero.ZeroReport || !zero.OnTime || zero.Version != 1 {
			t.Errorf("zero report (3 in post, one on leave not counted): %+v", zero)
		}
		again, err := checks.SubmitStaff(leader, c, checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: morning, Zero: true}, at("07:45"))
		if err != nil || again.ID != zero.ID {
			t.Fatalf("resend: %+v, %v", again, err)
		}

		full := checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: morning, Present: 2, Entries: []checks.Entry{
			{PersonID: members[0], Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave), Symptoms: []string{"fever"}},
			{PersonID: members[1], Kind: checkentry.KindSymptomatic, Symptoms: []string{"cough"}, Temperature: ptr(38.0)},
		}}
		v2, err := checks.SubmitStaff(leader, c, full, at("08:20"))
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || v2.AbsentIllness != 1 || v2.Symptomatic != 1 || v2.AbnormalTemperature != 1 || v2.Amendment {
			t.Errorf("full report: %+v", v2)
		}
		if c.StaffCheck.GetX(sys, zero.ID).Current {
			t.Error("the zero report is still current after the correction")
		}

		// Refusals leave nothing behind.
		ictx := privacy.DecisionContext(context.Background(), privacy.Allow)
		before, lines := c.StaffCheck.Query().CountX(ictx), c.StaffCheckEntry.Query().CountX(ictx)
		bad := full
		bad.Entries = append([]checks.Entry{}, full.Entries...)
		bad.Entries[1].PersonID = stranger
		var in *types.InputError
		if _, err := checks.SubmitStaff(leader, c, bad, at("08:30")); !errors.As(err, &in) || in.Field != "entries[1].staffID" {
			t.Errorf("a stranger to the group: %v", err)
		}
		if _, err := checks.SubmitStaff(leader, c, checks.StaffReport{StaffGroupID: h.ID, Date: monday, Session: morning, Zero: true}, at("08:30")); !errors.Is(err, privacy.Deny) {
			t.Errorf("another group's check: %v", err)
		}
		if _, err := checks.SubmitStaff(s.teacher, c, checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: morning, Zero: true, IdempotencyKey: "x"}, at("08:30")); !errors.Is(err, privacy.Deny) {
			t.Errorf("a class teacher: %v", err)
		}
		if n, m := c.StaffCheck.Query().CountX(ictx), c.StaffCheckEntry.Query().CountX(ictx); n != before || m != lines {
			t.Errorf("refused reports wrote %d checks, %d lines", n-before, m-lines)
		}

		// Readers: the leader its group's sheets; the health teacher the school's, lines included; the
		// district the counts only.
		nurse := as(authz.HealthTeacher, authz.Node(authz.NodeSchool, s.T.ID))
		district := viewer.NewContext(context.Background(), &viewer.Viewer{Label: "user:district", Role: authz.DistrictAdmin,
			TenantID: *s.T.ParentID, TenantIDs: []int{*s.T.ParentID, s.T.ID}, Authz: c.Authz,
			Grants: []authz.Grant{{Role: authz.DistrictAdmin, TenantID: s.T.ID, Node: authz.Node(authz.NodeSchool, s.T.ID)}}})
		c.StaffCheck.Create().SetTenantID(s.T.ID).SetStaffGroupID(h.ID).SetDate(monday).SetSession("morning").SetVersion(1).
			SetEnrolled(1).SetPresent(1).SetAbsentIllness(0).SetAbsentOther(0).SetSymptomatic(0).SetAbnormalTemperature(0).
			SetSubmittedBy("总务主任").SetSubmittedAt(at("07:30")).SetOnTime(true).SetContentHash("h").SaveX(sys)
		for _, r := range []struct {
			who           string
			ctx           context.Context
			checks, lines int
		}{
			{"leader of the group", leader, 2, 2},
			{"health teacher", nurse, 3, 2},
			{"district", district, 3, 0},
			{"class teacher", s.teacher, 0, 0},
		} {
			n, _ := c.StaffCheck.Query().Count(r.ctx)
			m, _ := c.StaffCheckEntry.Query().Count(r.ctx)
			if n != r.checks || m != r.lines {
				t.Errorf("%s reads %d staff checks and %d lines, want %d and %d", r.who, n, m, r.checks, r.lines)
			}
		}
	})
}

// TestStaffIllnessAlert: a staff member off sick, or present with a fever, raises the school's staff
// illness alert at once (one a day; a correction naming another joins it); a cough without a fever does not.
// The alert is the school's: the health teacher reads it, a class teacher does not (staff health is not
// hers to see), and it is closed with the decision on reporting upward.
func TestStaffIllnessAlert(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		mk := func(name string) int {
			return c.Staff.Create().SetTenantID(s.T.ID).SetName(name).SetStaffType(staff.StaffTypeTeacher).SaveX(sys).ID
		}
		zhao, qian, sun := mk("赵老师"), mk("钱老师"), mk("孙师傅")
		g := c.StaffGroup.Create().SetTenantID(s.T.ID).SetName("总务处").AddMemberIDs(zhao, qian, sun).SaveX(sys)
		leader := viewer.NewContext(context.Background(), &viewer.Viewer{Label: "user:leader", Role: authz.GradeLeader,
			TenantID: s.T.ID, TenantIDs: []int{s.T.ID}, Authz: c.Authz,
			Grants: []authz.Grant{{Role: authz.GradeLeader, TenantID: s.T.ID, Node: authz.Node(authz.NodeStaffGroup, g.ID)}}})
		report := checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: classcheck.SessionMorning, Present: 2, Entries: []checks.Entry{
			{PersonID: zhao, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)},
			{PersonID: qian, Kind: checkentry.KindSymptomatic, Symptoms: []string{"cough"}, Temperature: ptr(36.9)},
		}}
		if _, err := checks.SubmitStaff(leader, c, report, at("07:40")); err != nil {
			t.Fatal(err)
		}
		nurse := healthTeacher(s, c)
		staffAlerts := func(ctx context.Context) []*ent.Alert {
			return c.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness)).Order(ent.Asc(alert.FieldID)).AllX(ctx)
		}
		got := staffAlerts(nurse)
		if len(got) != 1 || got[0].Cases != 1 || !slices.Equal(got[0].StaffIds, []int{zhao}) || got[0].ClassID != nil ||
			got[0].Date != monday || got[0].Status != alert.StatusOpen || !got[0].OpenedAt.Equal(at("07:40")) {
			t.Fatalf("the health teacher's staff alerts = %+v, want 赵 alone", got)
		}
		// 孙 comes in with 38.0 °C: the correction joins the open alert.
		report.Entries = append(report.Entries, checks.Entry{PersonID: sun, Kind: checkentry.KindSymptomatic, Temperature: ptr(38.0)})
		if _, err := checks.SubmitStaff(leader, c, report, at("08:00")); err != nil {
			t.Fatal(err)
		}
		if got := staffAlerts(nurse); len(got) != 1 || got[0].Cases != 2 || !slices.Equal(got[0].StaffIds, []int{zhao, sun}) {
			t.Errorf("after the correction: %+v, want 赵 and 孙 in one alert", got)
		}
		if got := staffAlerts(s.teacher); len(got) != 0 {
			t.Errorf("a class teacher reads the staff's illness: %+v", got)
		}
		a := staffAlerts(nurse)[0]
		if _, err := checks.UpdateAlert(nurse, c, a.ID, checks.AlertChange{Status: alert.StatusHandled,
			Disposition: "校长决定上报教育局 reported to the bureau"}, at("09:00")); err != nil {
			t.Fatal(err)
		}
		if got := c.Alert.GetX(nurse, a.ID); got.Status != alert.StatusHandled || got.OpenKey != nil {
			t.Errorf("handled: %+v", got)
		}
		// The noon check names 赵 and 孙 again: the alert handled this morning named them, so nothing opens. 钱
		// falls ill at noon: a new alert, naming all three, continuing the morning's.
		noon := report
		noon.Session = classcheck.SessionNoon
		if _, err := checks.SubmitStaff(leader, c, noon, at("13:00")); err != nil {
			t.Fatal(err)
		}
		if got := staffAlerts(nurse); len(got) != 1 {
			t.Errorf("the noon check naming the handled alert's staff again: %d alerts, want the handled one alone", len(got))
		}
		noon.Entries[1] = checks.Entry{PersonID: qian, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)}
		noon.Present = 1
		if _, err := checks.SubmitStaff(leader, c, noon, at("13:10")); err != nil {
			t.Fatal(err)
		}
		got = staffAlerts(nurse)
		if len(got) != 2 || got[1].Status != alert.StatusOpen || !slices.Equal(got[1].StaffIds, []int{zhao, qian, sun}) {
			t.Errorf("钱 off sick at noon: %+v, want a second alert, open, naming 赵, 钱 and 孙", got)
		}
		if len(got) == 2 && (got[1].FollowsID == nil || *got[1].FollowsID != a.ID || got[0].FollowsID != nil) {
			t.Errorf("the noon alert continues %v, want the morning's %d", got[1].FollowsID, a.ID)
		}
	})
}

// TestStaffIllnessGoesUpwardOnlyWhenReported (DOMAIN.md §4: the principal decides whether a staff illness
// goes upward): until she reports it, the district neither reads the alert nor counts it — on its board, on
// the school's board, in the trend and in the school's compiled daily report — while the school counts it.
// Only she decides: the health teacher is refused. Keeping it in the school needs a reason and may still
// become a report; a report is final; another rule's alert has no decision to make.
func TestStaffIllnessGoesUpwardOnlyWhenReported(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		s := newSchool(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		zhao := c.Staff.Create().SetTenantID(s.T.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).SaveX(sys).ID
		g := c.StaffGroup.Create().SetTenantID(s.T.ID).SetName("总务处").AddMemberIDs(zhao).SaveX(sys)
		holder := func(role authz.Role) context.Context {
			return viewer.NewContext(context.Background(), &viewer.Viewer{Label: "user:" + string(role), Role: role,
				TenantID: s.T.ID, TenantIDs: []int{s.T.ID}, Authz: c.Authz,
				Grants: []authz.Grant{{Role: role, TenantID: s.T.ID, Node: authz.Node(authz.NodeSchool, s.T.ID)}}})
		}
		principal, nurse := holder(authz.Principal), holder(authz.HealthTeacher)
		district := viewer.NewContext(context.Background(), &viewer.Viewer{Label: "user:district", Role: authz.DistrictAdmin,
			TenantID: *s.T.ParentID, TenantIDs: []int{*s.T.ParentID, s.T.ID}, Authz: c.Authz,
			Grants: []authz.Grant{{Role: authz.DistrictAdmin, TenantID: s.T.ID, Node: authz.Node(authz.NodeSchool, s.T.ID)}}})
		if _, err := checks.SubmitStaff(sys, c, checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: classcheck.SessionMorning,
			Entries: []checks.Entry{{PersonID: zhao, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)}}}, at("07:40")); err != nil {
			t.Fatal(err)
		}
		ill := c.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness)).OnlyX(nurse)
		if ill.Upward == nil || *ill.Upward != alert.UpwardPending {
			t.Fatalf("a new staff illness: upward %v, want pending", ill.Upward)
		}
		staffIllness := func(counts checks.AlertCounts) int {
			for _, rc := range counts.ByRule {
				if rc.Rule == alert.RuleStaffIllness {
					return rc.Count
				}
			}
			return 0
		}
		// seen is what a reader finds of the staff illness: alerts read, on the district's board, on the
		// school's board, in the district summary's open alerts, and in the school's daily report compiled now.
		seen := func(ctx context.Context, hm string) (read, districtBoard, schoolBoard, trend, report int) {
			t.Helper()
			read = c.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness)).CountX(ctx)
			if v := viewer.FromContext(ctx); v.Role == authz.DistrictAdmin {
				b, err := checks.BoardFor(ctx, c, checks.Scope{DistrictID: *s.T.ParentID}, monday, at(hm))
				if err != nil {
					t.Fatal(err)
				}
				districtBoard = staffIllness(b.Alerts)
			}
			b, err := checks.BoardFor(ctx, c, checks.Scope{TenantID: s.T.ID}, monday, at(hm))
			if err != nil {
				t.Fatal(err)
			}
			schoolBoard = staffIllness(b.Alerts)
			if v := viewer.FromContext(ctx); v.Role == authz.DistrictAdmin {
				sheet, err := checks.DistrictSummarySheet(ctx, c, *s.T.ParentID, monday, monday, at(hm))
				if err != nil || len(sheet.Rows) != 1 {
					t.Fatalf("district summary: %+v, %v", sheet, err)
				}
				trend, _ = strconv.Atoi(sheet.Rows[0][slices.Index(sheet.Header, "未关闭预警")])
			}
			compiled, err := checks.CompileSchool(sys, c, s.T.ID, monday, at(hm))
			if err != nil {
				t.Fatal(err)
			}
			for _, rc := range compiled.Report.Figures.OpenAlertsByRule {
				if rc.Rule == string(alert.RuleStaffIllness) {
					report += rc.Count
				}
			}
			return
		}
		check := func(who string, ctx context.Context, hm string, want [5]int) {
			t.Helper()
			r, db, sb, tr, rep := seen(ctx, hm)
			if got := [5]int{r, db, sb, tr, rep}; got != want {
				t.Errorf("%s at %s: read, district board, school board, district summary, report = %v, want %v", who, hm, got, want)
			}
		}
		check("the principal", principal, "08:00", [5]int{1, 0, 1, 0, 0})
		check("the district", district, "08:00", [5]int{0, 0, 0, 0, 0})

		var in *types.InputError
		if _, err := checks.DecideUpward(nurse, c, ill.ID, checks.UpwardDecision{Report: true}, at("08:10")); !errors.Is(err, privacy.Deny) {
			t.Errorf("the health teacher decides: %v", err)
		}
		if _, err := checks.DecideUpward(principal, c, ill.ID, checks.UpwardDecision{}, at("08:10")); !errors.As(err, &in) || in.Field != "note" {
			t.Errorf("kept in the school without a reason: %v", err)
		}
		kept, err := checks.DecideUpward(principal, c, ill.ID, checks.UpwardDecision{Note: "轻微感冒，已就医"}, at("08:15"))
		if err != nil || *kept.Upward != alert.UpwardWithheld || kept.UpwardNote != "轻微感冒，已就医" || !kept.UpwardDecidedAt.Equal(at("08:15")) {
			t.Fatalf("kept in the school: %+v, %v", kept, err)
		}
		check("the district, the illness kept in the school", district, "08:20", [5]int{0, 0, 0, 0, 0})

		reported, err := checks.DecideUpward(principal, c, ill.ID, checks.UpwardDecision{Report: true, Note: "发热，待排查"}, at("09:00"))
		if err != nil || *reported.Upward != alert.UpwardReported || reported.Status != alert.StatusOpen {
			t.Fatalf("reported upward: %+v, %v", reported, err)
		}
		check("the district, reported", district, "09:05", [5]int{1, 1, 1, 1, 1})
		check("the principal, reported", principal, "09:05", [5]int{1, 0, 1, 0, 1})
		rpt := c.DailyReport.Query().Where(dailyreport.TenantID(s.T.ID), dailyreport.Current(true)).OnlyX(sys)
		if rpt.Version != 2 || !rpt.Amended || !strings.Contains(rpt.AmendReason, "reported upward") {
			t.Errorf("the daily report after the report upward: v%d amended %v %q, want v2 amended for it", rpt.Version, rpt.Amended, rpt.AmendReason)
		}
		if again, err := checks.DecideUpward(principal, c, ill.ID, checks.UpwardDecision{Report: true}, at("09:10")); err != nil || !again.UpwardDecidedAt.Equal(at("09:00")) {
			t.Errorf("reported again: %+v, %v", again, err)
		}
		if _, err := checks.DecideUpward(principal, c, ill.ID, checks.UpwardDecision{Note: "撤回"}, at("09:10")); !errors.As(err, &in) || in.Field != "id" {
			t.Errorf("a report taken back: %v", err)
		}
		fever := c.Alert.Create().SetTenantID(s.T.ID).SetClassID(s.Class.ID).SetRule(alert.RuleFever).SetOpenedAt(at("08:00")).
			SetDate(monday).SaveX(sys)
		if _, err := checks.DecideUpward(principal, c, fever.ID, checks.UpwardDecision{Report: true}, at("09:10")); !errors.As(err, &in) || in.Field != "id" {
			t.Errorf("a decision on a fever alert: %v", err)
		}
	})
}

// TestStaffIllnessAlertRace: two staff groups of a school report at the same moment, each naming a member
// off sick (PostgreSQL: SQLite takes one writer at a time). Both reports are taken and the school's one
// staff illness alert names both members: neither report fails on the alert the other opened, and neither
// member is lost when both join the open alert at once.
func TestStaffIllnessAlertRace(t *testing.T) {
	db := dbtest.Postgres(t)
	c := db.Client
	s := newSchool(t, c)
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	sick := func(id int) checks.Entry {
		return checks.Entry{PersonID: id, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)}
	}
	var reports [2]checks.StaffReport
	var members [2][]int
	for i, name := range []string{"总务处", "教务处"} {
		for j := range 2 {
			members[i] = append(members[i], c.Staff.Create().SetTenantID(s.T.ID).SetName(fmt.Sprintf("%s%d", name, j)).
				SetStaffType(staff.StaffTypeTeacher).SaveX(sys).ID)
		}
		g := c.StaffGroup.Create().SetTenantID(s.T.ID).SetName(name).AddMemberIDs(members[i]...).SaveX(sys)
		reports[i] = checks.StaffReport{StaffGroupID: g.ID, Date: monday, Session: classcheck.SessionMorning, Present: 1,
			Entries: []checks.Entry{sick(members[i][0])}}
	}
	race := func(at time.Time) {
		t.Helper()
		submit := func(r checks.StaffReport) func(context.Context, *ent.Client) error {
			return func(ctx context.Context, c *ent.Client) error {
				_, err := checks.SubmitStaff(ctx, c, r, at)
				return err
			}
		}
		raceTx(t, c, submit(reports[0]), submit(reports[1]))
	}
	staffIDs := func() []int {
		a := c.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness)).OnlyX(sys)
		ids := slices.Sorted(slices.Values(a.StaffIds))
		if a.Cases != len(ids) {
			t.Errorf("the alert counts %d cases for %v", a.Cases, ids)
		}
		return ids
	}
	race(at("07:40"))
	if got, want := staffIDs(), []int{members[0][0], members[1][0]}; !slices.Equal(got, want) {
		t.Errorf("the alert names %v, want %v", got, want)
	}
	// Corrections, again at once: each names a second member off sick; both join the open alert.
	for i := range reports {
		reports[i].Present = 0
		reports[i].Entries = append(reports[i].Entries, sick(members[i][1]))
	}
	race(at("08:00"))
	if got, want := staffIDs(), slices.Sorted(slices.Values(slices.Concat(members[0], members[1]))); !slices.Equal(got, want) {
		t.Errorf("after the corrections the alert names %v, want %v", got, want)
	}
}

// submitIn is a raceTx side: r submitted at 08:00 by the viewer of as, in the side's transaction.
func submitIn(as context.Context, r checks.Report) func(context.Context, *ent.Client) error {
	return func(tx context.Context, c *ent.Client) error {
		_, err := checks.Submit(viewer.NewContext(tx, viewer.FromContext(as)), c, r, at("08:00"))
		return err
	}
}

// raceTx runs first and second in two transactions at once (PostgreSQL): second is sent while first, done,
// is not yet committed, and first commits once second waits for a lock (or is done). Both must succeed.
func raceTx(t *testing.T, c *ent.Client, first, second func(context.Context, *ent.Client) error) {
	t.Helper()
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	tx1, err := c.Tx(sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := first(ent.NewTxContext(sys, tx1), tx1.Client()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		tx2, err := c.Tx(sys)
		if err == nil {
			if err = second(ent.NewTxContext(sys, tx2), tx2.Client()); err != nil {
				_ = tx2.Rollback()
			} else {
				err = tx2.Commit()
			}
		}
		done <- err
	}()
	waiting := false
	for range 100 {
		var n int
		rows, err := c.QueryContext(sys, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
		if err != nil {
			t.Fatal(err)
		}
		if rows.Next() {
			_ = rows.Scan(&n)
		}
		rows.Close()
		if waiting = n > 0; waiting {
			break
		}
		select {
		case err := <-done: // the second did not wait for the first
			done <- err
		case <-time.After(20 * time.Millisecond):
			continue
		}
		break
	}
	if err := tx1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("the second (waiting: %v): %v", waiting, err)
	}
}
