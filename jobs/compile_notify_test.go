package jobs_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs"
	"github.com/campushealth/campushealth/jobs/notify"
)

// TestCompileTellsWhoAttests: the school's compiled report asks its epidemic reporter and principal to
// review and submit it; an amended version tells them again (it must be attested again) and the
// district's admin; the class teacher hears of neither, and a retried compile tells nobody twice.
func TestCompileTellsWhoAttests(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		dbtest.Each(t, func(t *testing.T, db *database.DB) {
			c := db.Client
			w := newWorld(t, c, rdb)
			sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
			reporter, principal := staffUser(c, "a.reporter", authz.EpidemicReporter, w.a.ID), staffUser(c, "a.principal", authz.Principal, w.a.ID)
			teacher, admin := staffUser(c, "a.teacher", authz.ClassTeacher, w.a.ID), staffUser(c, "d.admin", authz.DistrictAdmin, w.district.ID)
			w.compiler.Notify = newNotifier(t, c, rdb)
			compile := func(hm string) {
				w.clock = sh(monday, hm)
				payload, _ := json.Marshal(jobs.CompilePayload{Kind: dailyreport.KindSchool, TenantID: w.a.ID, Date: monday})
				if err := w.compiler.ProcessTask(context.Background(), asynq.NewTask(jobs.TypeCompile, payload)); err != nil {
					t.Fatal(err)
				}
			}
			told := func(template string) []int {
				ns := c.Notification.Query().Where(notification.Template(template)).AllX(sys)
				var ids []int
				for _, n := range ns {
					ids = append(ids, n.RecipientID)
				}
				slices.Sort(ids)
				return ids
			}

			compile("16:00")
			compile("16:01") // a retried or repeated compile: nothing new
			if got, want := told("report.compiled"), sorted(reporter, principal); !slices.Equal(got, want) {
				t.Errorf("compiled: told %v, want the reporter and the principal %v", got, want)
			}
			// A late check: version 2, amended.
			if _, err := checks.Submit(sys, c, checks.Report{ClassID: w.classA.ID, Date: monday,
				Session: classcheck.SessionNoon, Zero: true}, sh(monday, "16:30")); err != nil {
				t.Fatal(err)
			}
			compile("16:31")
			compile("16:32")
			if got, want := told("report.amended"), sorted(reporter, principal, admin); !slices.Equal(got, want) {
				t.Errorf("amended: told %v, want the reporter, the principal and the district admin %v", got, want)
			}
			if n := c.Notification.Query().Where(notification.RecipientID(teacher)).CountX(sys); n != 0 {
				t.Errorf("the class teacher was told %d times", n)
			}
		})
	})
}

// staffUser creates an active account with a role in a tenant and returns its ID.
func staffUser(c *ent.Client, login string, role authz.Role, tenantID int) int {
	ctx := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
	return c.User.Create().SetLogin(login).SetDisplayName(login).SetRole(role).SetPasswordHash("x").
		SetTenantID(tenantID).SaveX(ctx).ID
}

// newNotifier is a notification service on a queue of the test's own (the real Redis is shared).
func newNotifier(t *testing.T, c *ent.Client, rdb *redis.Client) *notify.Service {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	svc, err := notify.New(c, rdb, notify.Options{Queue: "notify-" + hex.EncodeToString(b)})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func sorted(ids ...int) []int {
	slices.Sort(ids)
	return ids
}
