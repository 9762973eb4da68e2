package roster_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/roster"
)

// A 5,000-row file goes through the queue: Start stashes it and enqueues a task, the handler (called here
// directly, with no viewer in its context, as the worker would) rebuilds the uploader's viewer, imports
// in one transaction and reports progress to Redis as it goes.
func TestImportAsync(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		rdb := dbtest.MiniRedis(t)
		aq := asynq.NewClientFromRedisClient(rdb)
		ctx := f.asPrincipal()

		id, res, err := roster.Start(ctx, f.c, rdb, aq, f.school.ID, "small.csv", goodCSV, roster.StartOptions{})
		if err != nil || id != "" || res == nil || res.Created != 3 {
			t.Fatalf("a small file is imported inline: id %q, %+v, %v", id, res, err)
		}

		const n = roster.DefaultThreshold
		id, res, err = roster.Start(ctx, f.c, rdb, aq, f.school.ID, "big.csv", bigRoster(n, "B"), roster.StartOptions{})
		if err != nil || id == "" || res != nil {
			t.Fatalf("a large file is queued: id %q, %+v, %v", id, res, err)
		}
		if st, err := roster.Progress(ctx, rdb, id); err != nil || st.State != roster.StateQueued || st.Total != n {
			t.Fatalf("queued: %+v, %v", st, err)
		}
		if _, err := roster.Progress(f.asClassTeacher(), rdb, id); err != nil {
			t.Errorf("a member of the school cannot see the progress: %v", err)
		}
		if _, err := roster.Progress(context.Background(), rdb, id); err != roster.ErrNotFound {
			t.Errorf("progress without a viewer: %v", err)
		}

		tasks, err := asynq.NewInspectorFromRedisClient(rdb).ListPendingTasks("default")
		if err != nil || len(tasks) != 1 || tasks[0].Type != roster.TaskType {
			t.Fatalf("pending tasks: %+v, %v", tasks, err)
		}
		var p roster.Payload
		if err := json.Unmarshal(tasks[0].Payload, &p); err != nil || p.ImportID != id || p.UserID != f.principal.ID {
			t.Fatalf("payload %+v, %v", p, err)
		}

		var seen []*roster.Status
		h := roster.NewHandler(f.c, rdb)
		h.Options.OnProgress = func(string, int, roster.Result) {
			st, err := roster.Progress(ctx, rdb, id)
			if err != nil {
				t.Errorf("progress: %v", err)
				return
			}
			seen = append(seen, st)
		}
		task := asynq.NewTask(tasks[0].Type, tasks[0].Payload)
		start := time.Now()
		if err := h.ProcessTask(context.Background(), task); err != nil {
			t.Fatalf("handler: %v", err)
		}
		t.Logf("%s: %d rows imported through the job in %v", db.Dialect, n, time.Since(start).Round(time.Millisecond))

		last := 0
		var writing int
		for _, st := range seen {
			if st.State != roster.StateRunning || st.Processed < last {
				t.Errorf("progress went %d → %+v", last, st)
			}
			if st.Phase == roster.PhaseWriting && st.Processed > 0 && st.Processed < n {
				writing++
			}
			last = st.Processed
		}
		if writing < 5 {
			t.Errorf("only %d intermediate progress reports while writing", writing)
		}
		st, err := roster.Progress(ctx, rdb, id)
		if err != nil || st.State != roster.StateDone || st.Processed != n || st.Created != n ||
			st.GuardiansCreated != n || st.StartedAt == nil || st.Finished == nil || len(st.Errors) != 0 {
			t.Fatalf("final progress: %+v, %v", st, err)
		}
		if c := f.counts(t); c.students != n+3 || c.enrollments != n+3 || c.guardians != n+3 {
			t.Errorf("after the job: %+v", c)
		}
		if rdb.Exists(context.Background(), "roster:import:"+id+":file").Val() != 0 {
			t.Error("the uploaded file is still in Redis")
		}
		// The writes are the uploader's in the audit log.
		s := f.student(t, "B00042")
		a := f.c.AuditLog.Query().Where(auditlog.EntityType("Student"), auditlog.EntityID(s.ID)).OnlyX(bypass())
		if a.Actor != "user:principal.x" || a.ActorUserID == nil || *a.ActorUserID != f.principal.ID {
			t.Errorf("audit actor %q", a.Actor)
		}

		// At-least-once delivery: the same task again does nothing.
		before := f.counts(t)
		if err := h.ProcessTask(context.Background(), task); err != nil {
			t.Fatalf("second delivery: %v", err)
		}
		if after := f.counts(t); after != before {
			t.Errorf("second delivery wrote: %+v → %+v", before, after)
		}
	})
}

// A queued file with bad rows ends "failed" with its row errors and writes nothing.
func TestImportAsyncBadRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		rdb := dbtest.MiniRedis(t)
		ctx := f.asPrincipal()
		data := append(bigRoster(10, "C"), []byte("坏人,C00001,男,,高三(9)班,,,某父,父亲,110\n")...)
		id, _, err := roster.Start(ctx, f.c, rdb, asynq.NewClientFromRedisClient(rdb), f.school.ID, "bad.csv", data,
			roster.StartOptions{Threshold: 5})
		if err != nil || id == "" {
			t.Fatalf("start: %q %v", id, err)
		}
		before := f.counts(t)
		p, _ := json.Marshal(roster.Payload{ImportID: id, TenantID: f.school.ID, UserID: f.principal.ID, Filename: "bad.csv"})
		if err := roster.NewHandler(f.c, rdb).ProcessTask(context.Background(), asynq.NewTask(roster.TaskType, p)); err != nil {
			t.Fatal(err)
		}
		st, err := roster.Progress(ctx, rdb, id)
		if err != nil || st.State != roster.StateFailed || st.ErrorRows != 1 || len(st.Errors) != 3 || st.Errors[0].Line != 12 {
			t.Fatalf("progress: %+v, %v", st, err)
		}
		if after := f.counts(t); after != before {
			t.Errorf("wrote: %+v → %+v", before, after)
		}
	})
}

// A job whose context ends mid-way (the task's deadline, a worker shutting down) rolls back whole; on its
// last attempt it is recorded as failed.
func TestImportAsyncDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		rdb := dbtest.MiniRedis(t)
		id, _, err := roster.Start(f.asPrincipal(), f.c, rdb, asynq.NewClientFromRedisClient(rdb), f.school.ID,
			"big.csv", bigRoster(1200, "D"), roster.StartOptions{Threshold: 1000})
		if err != nil || id == "" {
			t.Fatalf("start: %q %v", id, err)
		}
		before := f.counts(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		h := roster.NewHandler(f.c, rdb)
		h.Options.OnProgress = func(phase string, n int, _ roster.Result) {
			if phase == roster.PhaseWriting && n > 0 {
				cancel() // after the first chunk of 500 is written, inside the transaction
			}
		}
		p, _ := json.Marshal(roster.Payload{ImportID: id, TenantID: f.school.ID, UserID: f.principal.ID, Filename: "big.csv"})
		if err := h.ProcessTask(ctx, asynq.NewTask(roster.TaskType, p)); !errors.Is(err, context.Canceled) {
			t.Fatalf("handler: %v", err)
		}
		st, err := roster.Progress(f.asPrincipal(), rdb, id)
		if err != nil || st.State != roster.StateFailed || st.Created != 0 || st.Error == "" {
			t.Errorf("progress: %+v, %v", st, err)
		}
		if after := f.counts(t); after != before {
			t.Errorf("an interrupted job wrote: %+v → %+v", before, after)
		}
	})
}

// A queued import is judged by the handler's clock (Options.Now), as the API judges the upload: the uploader's
// rights are the assignments in force then, and its progress is stamped then. A deputy standing in as
// principal for a month imports a file queued during that month; the same file run after the month is
// refused and writes nothing.
func TestImportAsyncByItsClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		rdb := dbtest.MiniRedis(t)
		sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
		from := time.Now().AddDate(0, 0, -60).Truncate(time.Second)
		deputy := f.c.User.Create().SetTenantID(f.school.ID).SetLogin("deputy.y").SetDisplayName("副校长").
			SetRole(authz.ClassTeacher).SetPasswordHash("x").SaveX(sys)
		f.c.Assignment.Create().SetTenantID(f.school.ID).SetUserID(deputy.ID).SetRole(authz.Principal).
			SetNodeType(authz.NodeSchool).SetNodeID(f.school.ID).SetValidFrom(from).SetValidTo(from.AddDate(0, 0, 30)).ExecX(sys)
		during, after := from.AddDate(0, 0, 15), from.AddDate(0, 0, 45)

		run := func(prefix string, at time.Time) *roster.Status {
			id, _, err := roster.Start(f.asPrincipal(), f.c, rdb, asynq.NewClientFromRedisClient(rdb), f.school.ID,
				"big.csv", bigRoster(20, prefix), roster.StartOptions{Threshold: 10})
			if err != nil || id == "" {
				t.Fatalf("start: %q %v", id, err)
			}
			h := roster.NewHandler(f.c, rdb)
			h.Options.Now = func() time.Time { return at }
			p, _ := json.Marshal(roster.Payload{ImportID: id, TenantID: f.school.ID, UserID: deputy.ID, Filename: "big.csv"})
			if err := h.ProcessTask(context.Background(), asynq.NewTask(roster.TaskType, p)); err != nil {
				t.Fatalf("handler: %v", err)
			}
			st, err := roster.Progress(f.asPrincipal(), rdb, id)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		if st := run("E", during); st.State != roster.StateDone || st.Created != 20 || st.StartedAt == nil ||
			!st.StartedAt.Equal(during) || st.Finished == nil || !st.Finished.Equal(during) {
			t.Errorf("during the deputy's month: %+v (started %v, finished %v), want done, 20 created, stamped %v",
				st, st.StartedAt, st.Finished, during)
		}
		before := f.counts(t)
		if st := run("F", after); st.State != roster.StateFailed || st.Created != 0 || st.Error == "" {
			t.Errorf("after the deputy's month: %+v, want failed", st)
		}
		if got := f.counts(t); got != before {
			t.Errorf("a refused import wrote: %+v → %+v", before, got)
		}
	})
}
