package chase_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/calendarday"
	"github.com/campushealth/campushealth/ent/chaselog"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/chase"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

const monday = "2026-11-23"

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(hm string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly+" 15:04", monday+" "+hm, shanghai)
	return t
}

// inbox records what the chase asked to send, de-duplicating per (user, key) as the notification
// service does.
type inbox struct {
	mu   sync.Mutex
	msgs []chase.Message
	seen map[string]bool
}

func (b *inbox) Notify(_ context.Context, m chase.Message) ([]int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	var ids []int
	for _, u := range m.UserIDs {
		k := m.DedupeKey + "/" + string(rune(u))
		if b.seen[k] {
			continue
		}
		b.seen[k] = true
		one := m
		one.UserIDs = []int{u}
		b.msgs = append(b.msgs, one)
		ids = append(ids, len(b.msgs))
	}
	return ids, nil
}

// to returns the messages sent to a user, and empties nothing.
func (b *inbox) to(u int) []chase.Message {
	var out []chase.Message
	for _, m := range b.msgs {
		if m.UserIDs[0] == u {
			out = append(out, m)
		}
	}
	return out
}

type county struct {
	school                              *ent.Tenant
	c1, c2, c3                          *ent.Class
	t1, sub, t2, t3, gl, p, r, da, idle int
}

func build(t *testing.T, c *ent.Client) *county {
	ctx := viewer.NewContext(context.Background(), viewer.System("test"))
	w := &county{}
	d := c.Tenant.Create().SetName("区教育局").SetKind(tenant.KindDistrict).SaveX(ctx)
	w.school = c.Tenant.Create().SetName("实验小学").SetKind(tenant.KindPrimarySchool).SetParent(d).SaveX(ctx)
	g := c.Grade.Create().SetTenantID(w.school.ID).SetName("一年级").SaveX(ctx)
	cls := make([]*ent.Class, 3)
	for i := range cls {
		cls[i] = c.Class.Create().SetTenantID(w.school.ID).SetGrade(g).SetName([]string{"一(1)班", "一(2)班", "一(3)班"}[i]).SaveX(ctx)
	}
	w.c1, w.c2, w.c3 = cls[0], cls[1], cls[2]
	n := 0
	mk := func(tid int, role authz.Role) int {
		n++
		return c.User.Create().SetTenantID(tid).SetLogin("u" + string(rune('a'+n))).SetDisplayName("user" + string(rune('A'+n))).
			SetRole(role).SetPasswordHash("x").SaveX(ctx).ID
	}
	assign := func(u int, role authz.Role, typ authz.NodeType, node int, from time.Time, to *time.Time, delegated *int) *ent.Assignment {
		return c.Assignment.Create().SetTenantID(w.school.ID).SetUserID(u).SetRole(role).SetNodeType(typ).SetNodeID(node).
			SetValidFrom(from).SetNillableValidTo(to).SetNillableDelegatedFromID(delegated).SaveX(ctx)
	}
	week := at("00:00").AddDate(0, 0, -7)
	w.t1, w.sub, w.t2, w.t3 = mk(w.school.ID, authz.ClassTeacher), mk(w.school.ID, authz.ClassTeacher), mk(w.school.ID, authz.ClassTeacher), mk(w.school.ID, authz.ClassTeacher)
	a1 := assign(w.t1, authz.ClassTeacher, authz.NodeClass, w.c1.ID, week, nil, nil)
	// The class teacher of class 1 is on leave today; her substitute stands in until tomorrow.
	tomorrow := at("00:00").AddDate(0, 0, 1)
	assign(w.sub, authz.ClassTeacher, authz.NodeClass, w.c1.ID, at("00:00"), &tomorrow, &a1.ID)
	assign(w.t2, authz.ClassTeacher, authz.NodeClass, w.c2.ID, week, nil, nil)
	assign(w.t3, authz.ClassTeacher, authz.NodeClass, w.c3.ID, week, nil, nil)
	w.gl = mk(w.school.ID, authz.ClassTeacher)
	assign(w.gl, authz.GradeLeader, authz.NodeGrade, g.ID, week, nil, nil)
	w.p, w.r = mk(w.school.ID, authz.Principal), mk(w.school.ID, authz.EpidemicReporter)
	w.da = mk(d.ID, authz.DistrictAdmin)
	w.idle = mk(w.school.ID, authz.HealthTeacher) // named by no step
	return w
}

func submit(t *testing.T, c *ent.Client, cl *ent.Class, when time.Time) {
	t.Helper()
	ctx := viewer.NewContext(context.Background(), viewer.System("teacher"))
	if _, err := checks.Submit(ctx, c, checks.Report{ClassID: cl.ID, Date: monday, Session: classcheck.SessionMorning, Zero: true}, when); err != nil {
		t.Fatal(err)
	}
}

// run does what the dispatcher and the worker do at a minute: find the due steps, queue those not
// queued before (asynq refuses a task ID it holds; TestEnqueueOnce checks that on Redis) and fire them.
func run(t *testing.T, c *ent.Client, n chase.Notifier, queued map[string]bool, now time.Time) []chase.Step {
	t.Helper()
	due, err := chase.Due(context.Background(), c, now)
	if err != nil {
		t.Fatal(err)
	}
	due = slices.DeleteFunc(due, func(s chase.Step) bool { return queued[s.TaskID()] })
	for _, s := range due {
		queued[s.TaskID()] = true
		if err := chase.Fire(context.Background(), c, n, s, now); err != nil {
			t.Fatal(err)
		}
	}
	return due
}

// TestLadder walks one morning minute by minute with the default ladder: the order of the steps, who is
// told at each, nobody told about a class that has reported, one message per person per step (a
// digest when several classes), a substitute told with the class teacher, a retried step silent.
func TestLadder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := build(t, c)
		box, queued := &inbox{}, map[string]bool{}
		var fired []chase.Step
		for now := at("08:00"); !now.After(at("11:00")); now = now.Add(time.Minute) {
			switch now {
			case at("08:40"):
				submit(t, c, w.c2, now) // before any reminder
			case at("08:50"):
				submit(t, c, w.c3, now) // after the first reminder
			}
			for _, s := range run(t, c, box, queued, now) {
				if s.Session == "morning" {
					fired = append(fired, s)
				}
			}
		}
		var steps []int
		for _, s := range fired {
			steps = append(steps, s.Index)
		}
		if !slices.Equal(steps, []int{0, 1, 2, 3}) {
			t.Fatalf("morning steps fired: %v, want the ladder in order 0 1 2 3, each once", steps)
		}
		count := func(u int) int { return len(box.to(u)) }
		if count(w.t2) != 0 {
			t.Errorf("the teacher whose class reported before the deadline got %d messages", count(w.t2))
		}
		if count(w.t3) != 1 {
			t.Errorf("class 3's teacher: %d messages, want the first reminder only (reported at 08:50)", count(w.t3))
		}
		if count(w.t1) != 2 || count(w.sub) != 2 {
			t.Errorf("class 1 (never reported): teacher %d, substitute %d messages (want both at steps 0 and 1)", count(w.t1), count(w.sub))
		}
		if count(w.gl) != 1 || count(w.p) != 1 || count(w.r) != 1 || count(w.da) != 1 || count(w.idle) != 0 {
			t.Errorf("grade leader %d, principal %d, reporter %d, district %d, health teacher %d: want 1 1 1 1 0",
				count(w.gl), count(w.p), count(w.r), count(w.da), count(w.idle))
		}
		if m := box.to(w.sub); len(m) == 2 && (m[0].Template != "chase.reminder" || m[1].Template != "chase.escalation") {
			t.Errorf("substitute's templates: %s, %s", m[0].Template, m[1].Template)
		}
		if m := box.to(w.gl); len(m) == 1 && !slices.Equal(m[0].Data["Classes"].([]string), []string{"一(1)班"}) {
			t.Errorf("grade leader told about %v at the deadline (class 3 had reported at 08:50)", m[0].Data["Classes"])
		}

		// The chase log of class 1: four steps in ladder order, each naming who was told.
		ctx := viewer.NewContext(context.Background(), viewer.System("test"))
		logs := c.ChaseLog.Query().Where(chaselog.ClassID(w.c1.ID), chaselog.SessionEQ(chaselog.SessionMorning)).
			Order(ent.Asc(chaselog.FieldDueAt)).AllX(ctx)
		if len(logs) != 4 {
			t.Fatalf("class 1 has %d log rows", len(logs))
		}
		for i, l := range logs {
			if l.Step != i || l.Outcome != chaselog.OutcomeSent || len(l.RecipientIds) == 0 || len(l.NotificationIds) != len(l.RecipientIds) {
				t.Errorf("log %d: %+v", i, l)
			}
		}
		if !slices.Contains(logs[1].RecipientIds, w.gl) || !slices.Contains(logs[3].RecipientIds, w.da) {
			t.Errorf("deadline step told %v, +60 told %v", logs[1].RecipientIds, logs[3].RecipientIds)
		}
		if n := c.ChaseLog.Query().Where(chaselog.ClassID(w.c2.ID)).CountX(ctx); n != 0 {
			t.Errorf("class 2 reported before any step but has %d log rows", n)
		}
		// A retried step (at-least-once delivery) sends and logs nothing more.
		before, rows := len(box.msgs), c.ChaseLog.Query().CountX(ctx)
		if err := chase.Fire(context.Background(), c, box, fired[1], at("09:05")); err != nil {
			t.Fatal(err)
		}
		if len(box.msgs) != before || c.ChaseLog.Query().CountX(ctx) != rows {
			t.Error("a retried step sent or logged again")
		}
	})
}

// TestNoChase: nothing on a holiday; nothing for an exempted class; nothing when everyone reported;
// a scheduler that was down past the window catches up with the latest step only.
func TestNoChase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := build(t, c)
		ctx := viewer.NewContext(context.Background(), viewer.System("test"))
		box, queued := &inbox{}, map[string]bool{}

		c.CalendarDay.Create().SetTenantID(w.school.ID).SetDate(monday).SetKind(calendarday.KindHoliday).ExecX(ctx)
		if due := run(t, c, box, queued, at("08:45")); len(due) != 0 {
			t.Fatalf("holiday: %v", due)
		}
		c.CalendarDay.Delete().ExecX(ctx)

		for _, cl := range []*ent.Class{w.c1, w.c2} {
			c.Exemption.Create().SetTenantID(w.school.ID).SetClassID(cl.ID).SetDate(monday).SetReason(exemption.ReasonFieldTrip).ExecX(ctx)
		}
		submit(t, c, w.c3, at("08:30"))
		if due := run(t, c, box, queued, at("08:45")); len(due) != 0 || len(box.msgs) != 0 {
			t.Fatalf("two exempted classes and one reported: %v, %d messages", due, len(box.msgs))
		}
		// Noon: not reported yet; the scheduler was down from 13:40 and comes back at 14:20, past the
		// windows of the T−15 and deadline steps: the deadline step (the latest) fires, the stale
		// "15 minutes left" reminder does not.
		if due := run(t, c, box, queued, at("14:20")); len(due) != 1 || due[0].Index != 1 || due[0].Session != "noon" {
			t.Errorf("back at 14:20: %v, want only the deadline step", due)
		}
		if due := run(t, c, box, queued, at("14:21")); len(due) != 0 {
			t.Errorf("the caught-up step again at 14:21: %v", due)
		}
		if due := run(t, c, box, queued, at("14:30")); len(due) != 1 || due[0].Index != 2 || due[0].Session != "noon" {
			t.Errorf("+30 at noon: %v", due)
		}
		// Down again from 14:40 until 17:05: the +60 step (15:00) is more than two hours old, nothing fires.
		if due := run(t, c, box, queued, at("17:05")); len(due) != 0 {
			t.Errorf("a step older than the catch-up fired: %v", due)
		}
	})
}

// TestEnqueueOnce: two schedulers sweeping the same minute (or the next minutes of the same window)
// queue each step once, on miniredis and on Redis.
func TestEnqueueOnce(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		c := dbtest.SQLite(t).Client
		w := build(t, c)
		due, err := chase.Due(context.Background(), c, at("09:00"))
		if err != nil || len(due) != 1 || due[0].TenantID != w.school.ID || due[0].Index != 1 {
			t.Fatalf("due at the deadline: %v, %v", due, err)
		}
		insp := asynq.NewInspectorFromRedisClient(rdb)
		t.Cleanup(func() { // the real Redis is shared and keeps task IDs for a day
			for _, s := range due {
				_ = insp.DeleteTask("critical", s.TaskID())
			}
		})
		one, two := asynq.NewClientFromRedisClient(rdb), asynq.NewClientFromRedisClient(rdb)
		later, _ := chase.Due(context.Background(), c, at("09:03"))
		n1, err1 := chase.Enqueue(context.Background(), one, due)
		n2, err2 := chase.Enqueue(context.Background(), two, due)
		n3, err3 := chase.Enqueue(context.Background(), one, later)
		if err1 != nil || err2 != nil || err3 != nil || n1 != 1 || n2 != 0 || n3 != 0 {
			t.Fatalf("enqueued %d, %d, %d (%v %v %v): want 1, 0, 0", n1, n2, n3, err1, err2, err3)
		}
		info, err := insp.GetTaskInfo("critical", due[0].TaskID())
		if err != nil || info.Type != chase.TaskType {
			t.Errorf("queued task: %+v, %v", info, err)
		}
	})
}

// TestChaseCap (DOMAIN.md §4, chase limits): the school allows 2 chase messages a day to one person about
// one class. Class 1 reports neither check: its teacher and her substitute are told at the morning's two
// first steps, and at noon no more — noon's first step tells nobody (logged as capped), its second tells the
// grade leader alone; the principal and the district, told once in the morning, are told again.
func TestChaseCap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := build(t, c)
		ctx := viewer.NewContext(context.Background(), viewer.System("test"))
		c.CheckSetting.Create().SetTenantID(w.school.ID).SetChaseCap(2).ExecX(ctx)
		for _, cl := range []*ent.Class{w.c2, w.c3} {
			for _, s := range []classcheck.Session{classcheck.SessionMorning, classcheck.SessionNoon} {
				if _, err := checks.Submit(ctx, c, checks.Report{ClassID: cl.ID, Date: monday, Session: s, Zero: true}, at("07:30")); err != nil {
					t.Fatal(err)
				}
			}
		}
		box, queued := &inbox{}, map[string]bool{}
		for now := at("08:00"); !now.After(at("15:30")); now = now.Add(time.Minute) {
			run(t, c, box, queued, now)
		}
		count := func(u int) int { return len(box.to(u)) }
		if count(w.t1) != 2 || count(w.sub) != 2 {
			t.Errorf("class 1's teacher %d and substitute %d messages, want 2 each (the cap)", count(w.t1), count(w.sub))
		}
		if count(w.gl) != 2 || count(w.p) != 2 || count(w.da) != 2 {
			t.Errorf("grade leader %d, principal %d, district %d messages, want 2 each (morning and noon)", count(w.gl), count(w.p), count(w.da))
		}
		noon := c.ChaseLog.Query().Where(chaselog.ClassID(w.c1.ID), chaselog.SessionEQ(chaselog.SessionNoon)).
			Order(ent.Asc(chaselog.FieldStep)).AllX(ctx)
		if len(noon) != 4 {
			t.Fatalf("class 1 has %d noon log rows, want the four steps", len(noon))
		}
		if noon[0].Outcome != chaselog.OutcomeCapped || len(noon[0].RecipientIds) != 0 {
			t.Errorf("noon's first step: %s to %v, want capped, nobody told", noon[0].Outcome, noon[0].RecipientIds)
		}
		if noon[1].Outcome != chaselog.OutcomeSent || !slices.Equal(noon[1].RecipientIds, []int{w.gl}) {
			t.Errorf("noon's deadline step: %s to %v, want the grade leader alone (%d)", noon[1].Outcome, noon[1].RecipientIds, w.gl)
		}
	})
}
