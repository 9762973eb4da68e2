package jobs_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/calendarday"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// Monday 2026-11-23. Shanghai is UTC+8, Urumqi (kept on Xinjiang time here) UTC+6.
const monday = "2026-11-23"

func sh(date, hm string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly+" 15:04", date+" "+hm, shanghai)
	return t
}

// world: a district (cut-off 17:00) with school A in Shanghai (cut-off 16:00), school X in Urumqi (UTC+6,
// cut-off 16:00 there = 18:00 in Shanghai) and school H, on holiday on Monday.
type world struct {
	c        *ent.Client
	sys      context.Context
	district *ent.Tenant
	a, x, h  *ent.Tenant
	classA   *ent.Class
	clock    time.Time
	queue    string
	client   *asynq.Client
	insp     *asynq.Inspector
	compiler *jobs.Compiler
}

func newWorld(t *testing.T, c *ent.Client, rdb *redis.Client) *world {
	t.Helper()
	sys := viewer.NewContext(context.Background(), viewer.System("test"))
	w := &world{c: c, sys: sys}
	w.district = c.Tenant.Create().SetName("示范区").SetKind(tenant.KindDistrict).SaveX(sys)
	school := func(name, tz string) *ent.Tenant {
		s := c.Tenant.Create().SetName(name).SetKind(tenant.KindPrimarySchool).SetParent(w.district).SetTimezone(tz).SaveX(sys)
		return s
	}
	w.a, w.x, w.h = school("A 小学", "Asia/Shanghai"), school("X 小学", "Asia/Urumqi"), school("H 小学", "Asia/Shanghai")
	w.classA = c.Class.Create().SetTenantID(w.a.ID).SetName("一年级(1)班").SaveX(sys)
	c.Class.Create().SetTenantID(w.x.ID).SetName("一年级(1)班").ExecX(sys)
	c.Class.Create().SetTenantID(w.h.ID).SetName("一年级(1)班").ExecX(sys)
	c.CalendarDay.Create().SetTenantID(w.h.ID).SetDate(monday).SetKind(calendarday.KindHoliday).SetNote("校庆").ExecX(sys)

	// A queue of the test's own: the real Redis is shared.
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	w.queue = "test-" + hex.EncodeToString(b)
	w.client = asynq.NewClientFromRedisClient(rdb)
	w.insp = asynq.NewInspectorFromRedisClient(rdb)
	t.Cleanup(func() { _ = w.insp.DeleteQueue(w.queue, true) })
	w.compiler = &jobs.Compiler{Client: c, Queue: w.client, Now: func() time.Time { return w.clock }, On: w.queue}
	return w
}

// dispatcher is a dispatcher on the world's clock, as each scheduler process would have.
func (w *world) dispatcher() *jobs.Dispatcher {
	d := jobs.NewDispatcher(w.client, func() time.Time { return w.clock })
	d.Register("compile", w.compiler.Due)
	return d
}

// pending lists the task IDs waiting in the test queue.
func (w *world) pending(t *testing.T) []string {
	t.Helper()
	tasks, err := w.insp.ListPendingTasks(w.queue, asynq.PageSize(1000))
	if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		t.Fatal(err)
	}
	var ids []string
	for _, ti := range tasks {
		ids = append(ids, ti.ID)
	}
	sort.Strings(ids)
	return ids
}

// run processes every pending compile task with the handler and deletes it, as a worker would.
func (w *world) run(t *testing.T) {
	t.Helper()
	tasks, err := w.insp.ListPendingTasks(w.queue, asynq.PageSize(1000))
	if err != nil {
		t.Fatal(err)
	}
	for _, ti := range tasks {
		if err := w.compiler.ProcessTask(context.Background(), asynq.NewTask(ti.Type, ti.Payload)); err != nil {
			t.Fatalf("%s: %v", ti.ID, err)
		}
		if err := w.insp.DeleteTask(w.queue, ti.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func (w *world) dispatch(t *testing.T, d *jobs.Dispatcher, at time.Time) jobs.DispatchResult {
	t.Helper()
	w.clock = at
	res, err := d.Dispatch(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// id is a compile task's ID.
func id(tenantID int, date string, suffix string) string {
	s := "compile:" + itoa(tenantID) + ":" + date
	if suffix != "" {
		s += ":" + suffix
	}
	return s
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestDispatcherCompilesOncePerSchoolInItsTimeZone(t *testing.T) {
	// Redis outside: each database is fresh (a queue of the test's own keeps the shared Redis apart).
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		dbtest.Each(t, func(t *testing.T, db *database.DB) {
			w := newWorld(t, db.Client, rdb)
			one, two := w.dispatcher(), w.dispatcher() // two scheduler processes

			// Before A's cut-off: nothing.
			if res := w.dispatch(t, one, sh(monday, "15:59")); res.Enqueued != 0 || len(w.pending(t)) != 0 {
				t.Fatalf("15:59: %+v %v", res, w.pending(t))
			}
			// A's cut-off: A only (X is at 14:00 in Urumqi, H on holiday). Twice, by two dispatchers: once.
			w.dispatch(t, one, sh(monday, "16:00"))
			res := w.dispatch(t, two, sh(monday, "16:00"))
			w.dispatch(t, one, sh(monday, "16:01"))
			if want := []string{id(w.a.ID, monday, "")}; !slices.Equal(w.pending(t), want) || res.Duplicate != 1 {
				t.Fatalf("16:00: %v (second dispatcher %+v), want %v", w.pending(t), res, want)
			}
			w.run(t)
			// Compiled: nothing more is due for A, however often the dispatcher runs.
			if res := w.dispatch(t, two, sh(monday, "16:30")); res.Enqueued != 0 || res.Duplicate != 0 {
				t.Errorf("16:30 after the compile: %+v", res)
			}
			// The district at 17:00 (Shanghai): it compiles X on the way (X's own cut-off has not come).
			w.dispatch(t, one, sh(monday, "17:00"))
			if want := []string{id(w.district.ID, monday, "")}; !slices.Equal(w.pending(t), want) {
				t.Fatalf("17:00: %v, want %v", w.pending(t), want)
			}
			w.run(t)
			all := privacy.DecisionContext(context.Background(), privacy.Allow)
			if n := db.Client.DailyReport.Query().Where(dailyreport.TenantID(w.h.ID)).CountX(all); n != 0 {
				t.Errorf("a report on H's holiday: %d", n)
			}
			d1 := db.Client.DailyReport.Query().Where(dailyreport.TenantID(w.district.ID)).OnlyX(all)
			if d1.Figures.Schools.InSession != 2 || d1.Figures.Schools.Compiled != 2 {
				t.Errorf("district: %+v", d1.Figures.Schools)
			}
			// X's own cut-off (16:00 in Urumqi): its report exists already, nothing to do.
			if res := w.dispatch(t, two, sh(monday, "18:00")); res.Enqueued != 0 {
				t.Errorf("18:00: %+v %v", res, w.pending(t))
			}

			// A late report, and Redis refused the submission path's enqueue: the dispatcher finds A's
			// report stale, recompiles it (version 2, amended), then the district follows.
			if _, err := checks.Submit(w.sys, db.Client, checks.Report{ClassID: w.classA.ID, Date: monday,
				Session: classcheck.SessionMorning, Zero: true}, sh(monday, "18:05")); err != nil {
				t.Fatal(err)
			}
			w.dispatch(t, one, sh(monday, "18:06"))
			w.dispatch(t, two, sh(monday, "18:06"))
			if want := []string{id(w.a.ID, monday, "n1")}; !slices.Equal(w.pending(t), want) {
				t.Fatalf("stale: %v, want %v", w.pending(t), want)
			}
			w.run(t) // the school's compile enqueues the district's
			a2 := db.Client.DailyReport.Query().Where(dailyreport.TenantID(w.a.ID), dailyreport.Current(true)).OnlyX(all)
			if a2.Version != 2 || !a2.Amended {
				t.Fatalf("A after the late report: %+v", a2)
			}
			if want := []string{"compile:" + itoa(w.district.ID) + ":" + monday + ":rpt" + itoa(a2.ID)}; !slices.Equal(w.pending(t), want) {
				t.Fatalf("ripple: %v, want %v", w.pending(t), want)
			}
			w.run(t)
			d2 := db.Client.DailyReport.Query().Where(dailyreport.TenantID(w.district.ID), dailyreport.Current(true)).OnlyX(all)
			if d2.Version != 2 || !d2.Amended {
				t.Errorf("district after the late report: %+v", d2)
			}
			if res := w.dispatch(t, one, sh(monday, "18:10")); res.Enqueued != 0 {
				t.Errorf("after the amendments: %+v %v", res, w.pending(t))
			}

			// The weekend: nothing, at any time (on Saturday the missed Friday would be compiled: a cut-off
			// the dispatcher missed is caught up for checks.CutoffLookback days).
			for _, hm := range []string{"16:00", "17:00", "23:59"} {
				if res := w.dispatch(t, one, sh("2026-11-29", hm)); res.Enqueued != 0 {
					t.Errorf("Sunday %s: %+v %v", hm, res, w.pending(t))
				}
			}
		})
	})
}

// The scheduler's tick: the same minute is one task whoever enqueues it.
func TestDispatchTaskOncePerMinute(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		client := asynq.NewClientFromRedisClient(rdb)
		insp := asynq.NewInspectorFromRedisClient(rdb)
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		queue := "test-" + hex.EncodeToString(b)
		t.Cleanup(func() { _ = insp.DeleteQueue(queue, true) })
		tick := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
		enqueue := func(at time.Time) error {
			_, err := client.Enqueue(asynq.NewTask(jobs.TypeDispatch, nil), append(jobs.DispatchOptions(at), asynq.Queue(queue))...)
			return err
		}
		if err := enqueue(tick); err != nil {
			t.Fatal(err)
		}
		// A second scheduler a few seconds off names the same minute.
		for _, at := range []time.Time{tick.Add(2 * time.Second), tick.Add(-3 * time.Second)} {
			if err := enqueue(at); !errors.Is(err, asynq.ErrTaskIDConflict) {
				t.Errorf("tick at %v: %v", at, err)
			}
		}
		if err := enqueue(tick.Add(time.Minute)); err != nil {
			t.Errorf("next minute: %v", err)
		}
		tasks, err := insp.ListPendingTasks(queue)
		if err != nil || len(tasks) != 2 || tasks[0].ID != "dispatch:2026-11-23T08:00Z" && tasks[1].ID != "dispatch:2026-11-23T08:00Z" {
			t.Errorf("pending: %v %v", tasks, err)
		}
	})
}
