package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs"
)

// TestAlertsAreAnnounced: a fever reported in a class opens an alert; within a minute the dispatcher's
// finder has it and the worker tells the school's health teacher, epidemic reporter and principal (not the
// leading group: one fever is no outbreak; not the district: no reporting clock, nor for a cluster's 24
// hours); an ILI outbreak, with its 2-hour clock, reaches the leading group (by role or by a school-wide
// assignment) and the district's admin too, with the time to report by; a cluster reaches the leading
// group but not the district; a staff member's illness reaches the
// school, and the district once the principal reports it upward; the school's absence rate reached reaches
// the school alone, named as the whole school. Found again the next minute, nobody is told twice.
func TestAlertsAreAnnounced(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		dbtest.Each(t, func(t *testing.T, db *database.DB) {
			c := db.Client
			w := newWorld(t, c, rdb)
			sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
			health, reporter := staffUser(c, "a.health", authz.HealthTeacher, w.a.ID), staffUser(c, "a.reporter", authz.EpidemicReporter, w.a.ID)
			principal, teacher := staffUser(c, "a.principal", authz.Principal, w.a.ID), staffUser(c, "a.teacher", authz.ClassTeacher, w.a.ID)
			admin := staffUser(c, "d.admin", authz.DistrictAdmin, w.district.ID)
			// The leading group: its leader by role, a deputy (a teacher) by an assignment to the whole school.
			leader, deputy := staffUser(c, "a.leader", authz.LeadingGroup, w.a.ID), staffUser(c, "a.deputy", authz.ClassTeacher, w.a.ID)
			c.Assignment.Create().SetTenantID(w.a.ID).SetUserID(deputy).SetRole(authz.LeadingGroup).SetNodeType(authz.NodeSchool).
				SetNodeID(w.a.ID).SetValidFrom(sh(monday, "00:00").AddDate(0, 0, -7)).ExecX(sys)
			pupil := c.Student.Create().SetTenantID(w.a.ID).SetClassID(w.classA.ID).SetName("甲").SetStudentNumber("1").
				SetGender("male").SaveX(sys)

			an := &jobs.Announcer{Client: c, Notify: newNotifier(t, c, rdb)}
			announce := func(hm string) []jobs.Due {
				due, err := an.Due(context.Background(), sh(monday, hm))
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range due {
					if err := an.ProcessTask(context.Background(), asynq.NewTask(d.Task.Type(), d.Task.Payload())); err != nil {
						t.Fatal(err)
					}
				}
				return due
			}
			told := func(key string) []int {
				ns := c.Notification.Query().Where(notification.DedupeKey(key)).AllX(sys)
				var ids []int
				for _, n := range ns {
					ids = append(ids, n.RecipientID)
				}
				slices.Sort(ids)
				return ids
			}

			if due := announce("07:55"); len(due) != 0 {
				t.Fatalf("nothing opened yet: %d due", len(due))
			}
			_, err := checks.Submit(sys, c, checks.Report{ClassID: w.classA.ID, Date: monday, Session: classcheck.SessionMorning,
				Present: 1, Entries: []checks.Entry{{PersonID: pupil.ID, Kind: checkentry.KindSymptomatic, Temperature: ptr(38.4)}}},
				sh(monday, "08:00"))
			if err != nil {
				t.Fatal(err)
			}
			fever := c.Alert.Query().Where(alert.RuleEQ(alert.RuleFever)).OnlyX(sys)
			if due := announce("08:01"); len(due) != 1 {
				t.Fatalf("%d alerts due, want the fever", len(due))
			}
			if got, want := told(alertKey(fever)), sorted(health, reporter, principal); !slices.Equal(got, want) {
				t.Errorf("fever told %v, want the health teacher, the reporter and the principal %v (not %d, %d, %d, %d)", got, want, teacher, admin, leader, deputy)
			}

			reportBy := sh(monday, "10:00")
			ili := c.Alert.Create().SetTenantID(w.a.ID).SetClassID(w.classA.ID).SetRule(alert.RuleIliOutbreak).
				SetSymptomGroup("ili").SetOpenedAt(sh(monday, "08:00")).SetReportBy(reportBy).SetCases(5).SetDate(monday).SaveX(sys)
			announce("08:02")
			announce("08:03") // found again: nobody told twice
			if got, want := told(alertKey(ili)), sorted(health, reporter, principal, leader, deputy, admin); !slices.Equal(got, want) {
				t.Errorf("ILI told %v, want the school, its leading group and the district admin %v", got, want)
			}
			n := c.Notification.Query().Where(notification.DedupeKey(alertKey(ili)), notification.RecipientID(admin)).OnlyX(sys)
			if !strings.Contains(n.Body, "10:00") || !strings.Contains(n.Subject, "流感样病例暴发") {
				t.Errorf("the district's message: %q / %q", n.Subject, n.Body)
			}
			if got := told(alertKey(fever)); len(got) != 3 {
				t.Errorf("the fever told again: %v", got)
			}
			// A cluster has 24 hours to reach the CDC and the authority: the school assesses it first.
			cluster := c.Alert.Create().SetTenantID(w.a.ID).SetClassID(w.classA.ID).SetRule(alert.RuleClusterDay).
				SetSymptomGroup("gastro").SetOpenedAt(sh(monday, "08:02")).SetReportBy(sh(monday, "08:02").Add(checks.ClusterReportWithin)).
				SetCases(3).SetDate(monday).SaveX(sys)
			announce("08:03")
			if got, want := told(alertKey(cluster)), sorted(health, reporter, principal, leader, deputy); !slices.Equal(got, want) {
				t.Errorf("the cluster told %v, want the school and its leading group alone %v", got, want)
			}

			// A staff member off sick: the school hears at once (the principal decides on reporting upward), not
			// the district.
			ill := c.Alert.Create().SetTenantID(w.a.ID).SetRule(alert.RuleStaffIllness).SetOpenedAt(sh(monday, "08:05")).
				SetCases(1).SetStaffIds([]int{principal}).SetDate(monday).SaveX(sys)
			announce("08:06")
			if got, want := told(alertKey(ill)), sorted(health, reporter, principal); !slices.Equal(got, want) {
				t.Errorf("staff illness told %v, want the school %v", got, want)
			}
			n = c.Notification.Query().Where(notification.DedupeKey(alertKey(ill)), notification.RecipientID(principal)).OnlyX(sys)
			if !strings.Contains(n.Subject, "教职工因病") || !strings.Contains(n.Body, "教职工 staff") {
				t.Errorf("the principal's message: %q / %q", n.Subject, n.Body)
			}

			// The principal reports it upward: the district's admin hears of it (once), the school is not
			// told again.
			asPrincipal := viewer.NewContext(context.Background(), &viewer.Viewer{Role: authz.Principal, UserID: principal,
				TenantID: w.a.ID, TenantIDs: []int{w.a.ID}, Authz: c.Authz,
				Grants: []authz.Grant{{Role: authz.Principal, TenantID: w.a.ID, Node: authz.Node(authz.NodeSchool, w.a.ID)}}})
			if _, err := checks.DecideUpward(asPrincipal, c, ill.ID, checks.UpwardDecision{Report: true, Note: "发热待查"}, sh(monday, "08:30")); err != nil {
				t.Fatal(err)
			}
			announce("08:31")
			announce("08:32")
			upward := "alert_upward:" + itoa(ill.ID)
			if got := told(upward); !slices.Equal(got, []int{admin}) {
				t.Errorf("the report upward told %v, want the district admin %d", got, admin)
			}
			n = c.Notification.Query().Where(notification.DedupeKey(upward)).OnlyX(sys)
			if !strings.Contains(n.Subject, "【上报】") || !strings.Contains(n.Body, "发热待查") {
				t.Errorf("the district's message: %q / %q", n.Subject, n.Body)
			}
			if got := told(alertKey(ill)); len(got) != 3 {
				t.Errorf("the school told again: %v", got)
			}

			// The day's pupils off sick reach the school's absence rate: an alert of the whole school, no class,
			// which the school assesses first: its health teacher, reporter and principal hear, not the district.
			rate := c.Alert.Create().SetTenantID(w.a.ID).SetRule(alert.RuleAbsenceRate).SetOpenedAt(sh(monday, "08:40")).
				SetCases(1).SetStudentIds([]int{pupil.ID}).SetDate(monday).SaveX(sys)
			announce("08:41")
			if got, want := told(alertKey(rate)), sorted(health, reporter, principal); !slices.Equal(got, want) {
				t.Errorf("the absence rate told %v, want the school %v", got, want)
			}
			n = c.Notification.Query().Where(notification.DedupeKey(alertKey(rate)), notification.RecipientID(principal)).OnlyX(sys)
			if !strings.Contains(n.Subject, "因病缺勤率") || !strings.Contains(n.Body, "全校 whole school") {
				t.Errorf("the principal's message of the absence rate: %q / %q", n.Subject, n.Body)
			}
		})
	})
}

func alertKey(a *ent.Alert) string { return "alert:" + itoa(a.ID) }

func ptr[T any](v T) *T { return &v }
