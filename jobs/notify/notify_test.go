package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/delivery"
	"github.com/campushealth/campushealth/ent/notificationpreference"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

func sys() context.Context {
	return privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fixture: a district with a school; the school's teachers with different preferences.
type fixture struct {
	c                     *ent.Client
	district, school      *ent.Tenant
	zh, en, plain, nobody *ent.User // zh: e-mail+SMS in Chinese; en: e-mail in English; plain: defaults with a phone; nobody: defaults, no phone
	dadmin                *ent.User
}

func newFixture(t *testing.T, c *ent.Client) *fixture {
	ctx := sys()
	f := &fixture{c: c}
	f.district = must(c.Tenant.Create().SetName("District").SetKind(tenant.KindDistrict).Save(ctx))
	f.school = must(c.Tenant.Create().SetName("School").SetKind(tenant.KindPrimarySchool).SetParent(f.district).Save(ctx))
	user := func(login, phone string, tn *ent.Tenant, role authz.Role) *ent.User {
		return must(c.User.Create().SetLogin(login).SetDisplayName(login).SetRole(role).SetPasswordHash("x").
			SetTenantID(tn.ID).SetPhone(phone).Save(ctx))
	}
	f.zh = user("zh", "13800000001", f.school, authz.ClassTeacher)
	f.en = user("en", "", f.school, authz.ClassTeacher)
	f.plain = user("plain", "13800000003", f.school, authz.ClassTeacher)
	f.nobody = user("nobody", "", f.school, authz.ClassTeacher)
	f.dadmin = user("dadmin", "", f.district, authz.DistrictAdmin)
	must(c.NotificationPreference.Create().SetTenantID(f.school.ID).SetUserID(f.zh.ID).
		SetChannels([]string{"email", "sms"}).SetEmail("zh@school.example").Save(ctx))
	must(c.NotificationPreference.Create().SetTenantID(f.school.ID).SetUserID(f.en.ID).
		SetChannels([]string{"email"}).SetEmail("en@school.example").SetLocale("en").Save(ctx))
	return f
}

var reminder = map[string]any{"Class": "三年级2班", "Session": "晨检", "Deadline": "08:30", "Date": "2026-11-23"}

func randomQueue() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "notify-test-" + hex.EncodeToString(b)
}

// each runs fn on SQLite with miniredis and on PostgreSQL with the real Redis, as the API tests do.
func each(t *testing.T, fn func(t *testing.T, db *database.DB, rdb *redis.Client)) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		rdb := dbtest.MiniRedis(t)
		if db.Dialect == dialect.Postgres {
			rdb = dbtest.Redis(t)
		}
		fn(t, db, rdb)
	})
}

// queued lists the delivery task IDs waiting in queue q.
func queued(t *testing.T, rdb *redis.Client, q string) []string {
	t.Helper()
	ins := asynq.NewInspectorFromRedisClient(rdb)
	var ids []string
	for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){ins.ListPendingTasks, ins.ListScheduledTasks} {
		tasks, err := list(q)
		if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatal(err)
		}
		for _, ti := range tasks {
			ids = append(ids, ti.ID)
		}
	}
	return ids
}

func deliveries(t *testing.T, c *ent.Client) []*ent.Delivery {
	t.Helper()
	return must(c.Delivery.Query().Order(ent.Asc(delivery.FieldID)).All(sys()))
}

func TestSendRoutesByPreferenceAndIsIdempotent(t *testing.T) {
	each(t, func(t *testing.T, db *database.DB, rdb *redis.Client) {
		f := newFixture(t, db.Client)
		q := randomQueue()
		s := must(New(db.Client, rdb, Options{Queue: q}))
		m := Message{TenantID: f.school.ID, UserIDs: []int{f.zh.ID, f.en.ID, f.plain.ID, f.nobody.ID, f.dadmin.ID},
			Template: "chase.reminder", Data: reminder, DedupeKey: "expected:1:step:0", Ref: "class:12:2026-11-23:morning"}
		ns, err := s.Send(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 5 {
			t.Fatalf("%d notifications", len(ns))
		}
		byUser := map[int]*ent.Notification{}
		for _, n := range ns {
			byUser[n.RecipientID] = n
		}
		if n := byUser[f.en.ID]; n.Locale != "en" || !strings.HasPrefix(n.Subject, "[Check reminder]") {
			t.Errorf("en: %+v", n)
		}
		if n := byUser[f.zh.ID]; n.Locale != "zh-CN" || !strings.Contains(n.Subject, "晨午检提醒") || n.Ref != m.Ref {
			t.Errorf("zh: %+v", n)
		}
		if byUser[f.dadmin.ID].TenantID != f.district.ID {
			t.Errorf("a district admin's notification belongs to the district")
		}
		// zh: e-mail + SMS; en: e-mail; plain: SMS to the account's phone; nobody and dadmin: in-app only.
		got := map[string]bool{}
		for _, d := range deliveries(t, db.Client) {
			got[string(d.Channel)+":"+d.Address+":"+d.Locale] = true
			if d.Status != delivery.StatusPending || d.QueuedAt == nil {
				t.Errorf("delivery %d: %s queued %v", d.ID, d.Status, d.QueuedAt)
			}
		}
		want := []string{"email:zh@school.example:zh-CN", "sms:13800000001:zh-CN", "email:en@school.example:en", "sms:13800000003:zh-CN"}
		if len(got) != len(want) {
			t.Errorf("deliveries %v, want %v", got, want)
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("missing delivery %s (have %v)", w, got)
			}
		}
		if n := len(queued(t, rdb, q)); n != 4 {
			t.Errorf("%d tasks queued, want 4", n)
		}

		// A replay writes and queues nothing.
		again, err := s.Send(context.Background(), m)
		if err != nil || len(again) != 0 {
			t.Fatalf("replay: %v, %d notifications", err, len(again))
		}
		if n := must(db.Client.Notification.Query().Count(sys())); n != 5 {
			t.Errorf("%d notifications after replay", n)
		}
		if n := len(deliveries(t, db.Client)); n != 4 {
			t.Errorf("%d deliveries after replay", n)
		}
		if n := len(queued(t, rdb, q)); n != 4 {
			t.Errorf("%d tasks after replay", n)
		}
		// A replay that adds a recipient reaches only the new one.
		other := must(db.Client.User.Create().SetLogin("late").SetDisplayName("late").SetRole(authz.ClassTeacher).
			SetPasswordHash("x").SetTenantID(f.school.ID).Save(sys()))
		m.UserIDs = append(m.UserIDs, other.ID)
		if ns, err := s.Send(context.Background(), m); err != nil || len(ns) != 1 || ns[0].RecipientID != other.ID {
			t.Errorf("late recipient: %v %v", err, ns)
		}
	})
}

func TestSendRefusesBadMessages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db.Client)
		s := must(New(db.Client, nil, Options{}))
		ok := Message{TenantID: f.school.ID, UserIDs: []int{f.zh.ID}, Template: "chase.reminder", Data: reminder, DedupeKey: "k"}
		bad := func(name string, mut func(*Message), want string) {
			m := ok
			mut(&m)
			_, err := s.Send(context.Background(), m)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: got %v, want %q", name, err, want)
			}
		}
		bad("unknown template", func(m *Message) { m.Template = "chase.nope" }, `"chase.nope" does not exist`)
		bad("missing data", func(m *Message) { m.Data = map[string]any{"Class": "1班"} }, `map has no entry for key "Session"`)
		bad("no dedupe key", func(m *Message) { m.DedupeKey = "" }, "dedupe key")
		bad("no recipients", func(m *Message) { m.UserIDs = nil }, "no recipients")
		other := must(db.Client.Tenant.Create().SetName("Elsewhere").SetKind(tenant.KindDistrict).Save(sys()))
		stranger := must(db.Client.User.Create().SetLogin("stranger").SetDisplayName("s").SetRole(authz.DistrictAdmin).
			SetPasswordHash("x").SetTenantID(other.ID).Save(sys()))
		bad("another tenant's user", func(m *Message) { m.UserIDs = []int{stranger.ID} }, "is not staff of tenant")
		if n := must(db.Client.Notification.Query().Count(sys())); n != 0 {
			t.Errorf("%d notifications written by refused messages", n)
		}
	})
}

// In the caller's transaction: nothing is queued or visible until it commits; a rollback leaves nothing.
func TestSendInCallersTransaction(t *testing.T) {
	each(t, func(t *testing.T, db *database.DB, rdb *redis.Client) {
		f := newFixture(t, db.Client)
		q := randomQueue()
		s := must(New(db.Client, rdb, Options{Queue: q}))
		m := Message{TenantID: f.school.ID, UserIDs: []int{f.zh.ID}, Template: "report.amended",
			Data: map[string]any{"Scope": "School", "Date": "2026-11-23", "Version": 2, "Reason": "late class"}, DedupeKey: "amend:1:v2"}
		for _, commit := range []bool{false, true} {
			tx := must(db.Client.Tx(sys()))
			ctx := ent.NewTxContext(sys(), tx)
			if _, err := s.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			if n := len(queued(t, rdb, q)); n != 0 {
				t.Errorf("queued before commit: %d", n)
			}
			if commit {
				if err := tx.Commit(); err != nil {
					t.Fatal(err)
				}
			} else if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(queued(t, rdb, q)); n != 2 {
			t.Errorf("%d tasks after commit, want 2 (e-mail, SMS)", n)
		}
		if n := must(db.Client.Notification.Query().Count(sys())); n != 1 {
			t.Errorf("%d notifications", n)
		}
	})
}

// flaky fails its first n deliveries.
type flaky struct {
	name  string
	fails atomic.Int32
	mu    sync.Mutex
	got   []Payload
}

func (f *flaky) Name() string { return f.name }
func (f *flaky) Deliver(_ context.Context, p Payload) error {
	if f.fails.Add(-1) >= 0 {
		return errors.New(f.name + " gateway is down")
	}
	f.mu.Lock()
	f.got = append(f.got, p)
	f.mu.Unlock()
	return nil
}

func (f *flaky) sent() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.got)
}

// startWorker runs a real asynq server on queue q with a fast backoff.
func startWorker(t *testing.T, rdb *redis.Client, s *Service, q string) {
	t.Helper()
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Concurrency: 4, Queues: map[string]int{q: 1},
		RetryDelayFunc:           func(int, error, *asynq.Task) time.Duration { return 50 * time.Millisecond },
		DelayedTaskCheckInterval: 50 * time.Millisecond,
		TaskCheckInterval:        50 * time.Millisecond,
		ShutdownTimeout:          2 * time.Second,
		LogLevel:                 asynq.ErrorLevel,
	})
	mux := asynq.NewServeMux()
	s.Register(mux)
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
}

func waitSettled(t *testing.T, c *ent.Client, n int) []*ent.Delivery {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ds := deliveries(t, c)
		settled := 0
		for _, d := range ds {
			if d.Status != delivery.StatusPending {
				settled++
			}
		}
		if settled >= n {
			return ds
		}
		if time.Now().After(deadline) {
			for _, d := range ds {
				t.Logf("delivery %d %s %s attempts %d err %q", d.ID, d.Channel, d.Status, d.Attempts, d.LastError)
			}
			t.Fatalf("only %d of %d deliveries settled", settled, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A robot failing twice then answering ends sent after 3 attempts; a dead SMS gateway ends failed with its
// error recorded, while e-mail goes out.
func TestRetriesAndDeadChannel(t *testing.T) {
	each(t, func(t *testing.T, db *database.DB, rdb *redis.Client) {
		f := newFixture(t, db.Client)
		q := randomQueue()
		rs := newRobotServer(t, `{"errcode":0,"errmsg":"ok"}`)
		rs.fail = 2
		email := &flaky{name: ChannelEmail}
		sms := &flaky{name: ChannelSMS}
		sms.fails.Store(1 << 20) // dead
		s := must(New(db.Client, rdb, Options{Queue: q, MaxRetry: 3, Channels: []Channel{email, sms}}))
		must(db.Client.RobotWebhook.Create().SetTenantID(f.school.ID).SetName("年级群").SetKind("wecom").
			SetURL(rs.URL + "/cgi-bin/webhook/send?key=k").Save(sys()))
		startWorker(t, rdb, s, q)

		if _, err := s.Send(context.Background(), Message{TenantID: f.school.ID, UserIDs: []int{f.zh.ID},
			Template: "chase.reminder", Data: reminder, DedupeKey: "r1"}); err != nil {
			t.Fatal(err)
		}
		digest := map[string]any{"Scope": "三年级", "Session": "晨检", "Date": "2026-11-23", "Deadline": "08:30", "Missing": []string{"2班"}}
		if err := s.SendToRobots(context.Background(), f.school.ID, "chase.digest", digest, "digest:g3", "grade:3"); err != nil {
			t.Fatal(err)
		}
		if err := s.SendToRobots(context.Background(), f.school.ID, "chase.digest", digest, "digest:g3", "grade:3"); err != nil {
			t.Fatal(err) // a replay: nothing more
		}
		ds := waitSettled(t, db.Client, 3)
		for _, d := range ds {
			switch d.Channel {
			case delivery.ChannelRobot:
				if d.Status != delivery.StatusSent || d.Attempts != 3 || d.LastError != "" || d.Address != "年级群" {
					t.Errorf("robot: %s attempts %d err %q", d.Status, d.Attempts, d.LastError)
				}
			case delivery.ChannelSms:
				if d.Status != delivery.StatusFailed || d.Attempts != 4 || !strings.Contains(d.LastError, "sms gateway is down") {
					t.Errorf("sms: %s attempts %d err %q", d.Status, d.Attempts, d.LastError)
				}
			case delivery.ChannelEmail:
				if d.Status != delivery.StatusSent || d.Attempts != 1 || d.SentAt == nil {
					t.Errorf("email: %s attempts %d", d.Status, d.Attempts)
				}
			}
		}
		if len(ds) != 3 || rs.count() != 3 || email.sent() != 1 || sms.sent() != 0 {
			t.Errorf("%d deliveries, robot got %d requests, %d e-mails", len(ds), rs.count(), email.sent())
		}
		if n := must(db.Client.Notification.Query().Count(sys())); n != 1 {
			t.Errorf("the in-app notification: %d", n)
		}
		// Running a finished delivery's task again sends nothing.
		for _, d := range ds {
			_ = s.ProcessDelivery(context.Background(), asynq.NewTask(TaskDeliver, []byte(`{"delivery_id":`+strconv.Itoa(d.ID)+`}`)))
		}
		if rs.count() != 3 || email.sent() != 1 {
			t.Errorf("a replayed task sent again")
		}
	})
}

func TestRetryDelayIsExponential(t *testing.T) {
	prev := time.Duration(0)
	for n := 0; n < 8; n++ {
		d := RetryDelay(n, nil, nil)
		if d <= prev || d > MaxDelay {
			t.Errorf("retry %d: %v after %v", n, d, prev)
		}
		prev = d
	}
	if RetryDelay(0, nil, nil) != BaseDelay || RetryDelay(3, nil, nil) != 8*BaseDelay || RetryDelay(30, nil, nil) != MaxDelay {
		t.Errorf("delays %v %v %v", RetryDelay(0, nil, nil), RetryDelay(3, nil, nil), RetryDelay(30, nil, nil))
	}
}

// Redis down at Send: the API works, rows stay pending; once Redis is back the sweeper queues them, and
// they are sent once.
func TestRedisDownThenSweep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db.Client)
		mr, rdb := dbtest.NewMiniRedis(t)
		addr := mr.Addr()
		mr.Close() // Redis is down
		now := time.Now()
		clock := func() time.Time { return now }
		email := &flaky{name: ChannelEmail}
		sms := &flaky{name: ChannelSMS}
		q := randomQueue()
		s := must(New(db.Client, rdb, Options{Queue: q, Channels: []Channel{email, sms}, Now: clock}))

		ns, err := s.Send(context.Background(), Message{TenantID: f.school.ID, UserIDs: []int{f.zh.ID, f.en.ID},
			Template: "chase.reminder", Data: reminder, DedupeKey: "down"})
		if err != nil || len(ns) != 2 {
			t.Fatalf("Send with Redis down: %v", err)
		}
		for _, d := range deliveries(t, db.Client) {
			if d.Status != delivery.StatusPending || d.QueuedAt != nil {
				t.Errorf("delivery %d: %s queued %v", d.ID, d.Status, d.QueuedAt)
			}
		}
		// Too young to sweep, and Redis is still down.
		if n, err := s.Sweep(context.Background()); err != nil || n != 0 {
			t.Errorf("early sweep: %d %v", n, err)
		}
		// Redis is back on the same address.
		if err := mr.StartAddr(addr); err != nil {
			t.Fatal(err)
		}
		waitPing(t, rdb)
		now = now.Add(2 * time.Minute)
		if n, err := s.Sweep(context.Background()); err != nil || n != 3 {
			t.Fatalf("sweep: %d %v (want 3: two e-mails, one SMS)", n, err)
		}
		if n, _ := s.Sweep(context.Background()); n != 0 {
			t.Errorf("a second sweep queued %d again", n)
		}
		// Even if a queued delivery is swept again (its queued_at is old), the task ID keeps it single.
		now = now.Add(2 * RequeueAfter)
		if n, _ := s.Sweep(context.Background()); n != 3 {
			t.Errorf("stale sweep: %d", n)
		}
		if n := len(queued(t, rdb, q)); n != 3 {
			t.Errorf("%d tasks, want 3", n)
		}
		startWorker(t, rdb, s, q)
		waitSettled(t, db.Client, 3)
		time.Sleep(200 * time.Millisecond)
		if email.sent() != 2 || sms.sent() != 1 {
			t.Errorf("sent %d e-mails and %d SMS, want 2 and 1", email.sent(), sms.sent())
		}
	})
}

func waitPing(t *testing.T, rdb *redis.Client) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if rdb.Ping(context.Background()).Err() == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("redis did not come back")
}

// TestQuietHours: a teacher's quiet hours hold external channels back until they end (in the school's time
// zone, across midnight too); the in-app notification is there at once.
func TestQuietHours(t *testing.T) {
	// Days 23 and 24 are tomorrow and the day after (asynq schedules by the real clock).
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	tomorrow := time.Now().In(shanghai).AddDate(0, 0, 1)
	at := func(day int, hhmm string) time.Time {
		h, m, _ := strings.Cut(hhmm, ":")
		return time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day()+day-23, atoi(h), atoi(m), 0, 0, shanghai)
	}
	for _, c := range []struct {
		start, end string
		now        time.Time
		want       *time.Time // nil: not quiet
	}{
		{"22:00", "07:00", at(23, "23:30"), ptr(at(24, "07:00"))}, // after the start: until tomorrow morning
		{"22:00", "07:00", at(24, "06:59"), ptr(at(24, "07:00"))}, // after midnight: until this morning
		{"22:00", "07:00", at(24, "07:00"), nil},                  // the end is not quiet
		{"22:00", "07:00", at(23, "12:00"), nil},
		{"12:00", "14:00", at(23, "12:00"), ptr(at(23, "14:00"))}, // a lunch break
		{"12:00", "14:00", at(23, "14:30"), nil},
		{"12:00", "12:00", at(23, "12:00"), nil}, // empty window
		{"", "", at(23, "23:30"), nil},
	} {
		p := &Preferences{QuietStart: c.start, QuietEnd: c.end}
		got := p.quietUntil(c.now.UTC(), shanghai)
		if (got == nil) != (c.want == nil) || (got != nil && !got.Equal(*c.want)) {
			t.Errorf("%s–%s at %s: quiet until %v, want %v", c.start, c.end, c.now.Format("01-02 15:04"), got, c.want)
		}
	}

	each(t, func(t *testing.T, db *database.DB, rdb *redis.Client) {
		f := newFixture(t, db.Client)
		db.Client.NotificationPreference.Update().Where(notificationpreference.UserID(f.zh.ID)).
			SetQuietStart("22:00").SetQuietEnd("07:00").ExecX(sys())
		q := randomQueue()
		s := must(New(db.Client, rdb, Options{Queue: q, Now: func() time.Time { return at(23, "23:30") }}))
		ns, err := s.Send(context.Background(), Message{TenantID: f.school.ID, UserIDs: []int{f.zh.ID, f.en.ID},
			Template: "chase.reminder", Data: reminder, DedupeKey: "quiet", Ref: "class:1:2026-11-23:morning"})
		if err != nil || len(ns) != 2 {
			t.Fatalf("send: %v, %d notifications", err, len(ns))
		}
		for _, d := range deliveries(t, db.Client) {
			n := must(d.QueryNotification().Only(sys()))
			switch quiet := n.RecipientID == f.zh.ID; {
			case quiet && (d.NotBefore == nil || !d.NotBefore.Equal(at(24, "07:00"))):
				t.Errorf("%s delivery in quiet hours not held until 07:00: %v", d.Channel, d.NotBefore)
			case !quiet && d.NotBefore != nil:
				t.Errorf("delivery to a teacher without quiet hours held until %v", d.NotBefore)
			}
		}
		ins := asynq.NewInspectorFromRedisClient(rdb)
		scheduled, _ := ins.ListScheduledTasks(q)
		pending, _ := ins.ListPendingTasks(q)
		if len(scheduled) != 2 || len(pending) != 1 { // zh: e-mail and SMS at 07:00; en: e-mail now
			t.Errorf("%d scheduled, %d pending; want 2 and 1", len(scheduled), len(pending))
		}
		for _, ti := range scheduled {
			if !ti.NextProcessAt.Equal(at(24, "07:00")) {
				t.Errorf("scheduled for %v", ti.NextProcessAt)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
