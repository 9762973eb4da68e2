package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent/database/dbtest"
)

// The scheduler's entry is registered once with a placeholder task ID; each tick gets the minute's.
func TestStampDispatchID(t *testing.T) {
	opts := DispatchOptions(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	now := time.Date(2026, 11, 23, 8, 0, 59, 0, time.UTC) // a scheduler a second early names 08:01
	stamp := &dispatchStamp{now: func() time.Time { return now }}
	stamp.pre(asynq.NewTask(TypeDispatch, nil), opts)
	stamp.post(nil, nil)
	for _, o := range opts {
		if o.Type() == asynq.TaskIDOpt && o.Value() != "dispatch:2026-11-23T08:01Z" {
			t.Errorf("task ID %v", o.Value())
		}
	}
	other := []asynq.Option{asynq.TaskID("keep")}
	stamp.pre(asynq.NewTask("roster:import", nil), other)
	stamp.post(nil, nil)
	if other[0].Value() != "keep" {
		t.Errorf("another task's ID changed: %v", other[0].Value())
	}
}

// TestSchedulerTicks: asynq's real scheduler, ticking every second, enqueues the dispatch under the
// current minute's task ID — so the in-place stamping works with the asynq in go.mod, and the ticks of
// one minute are one task (on miniredis and on Redis).
func TestSchedulerTicks(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		insp := asynq.NewInspectorFromRedisClient(rdb)
		s := NewScheduler(rdb)
		if err := s.registerDispatcher("@every 1s"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		time.Sleep(2500 * time.Millisecond)
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		var found []string
		for _, minute := range []time.Time{start, time.Now()} {
			id := DispatchID(minute)
			if info, err := insp.GetTaskInfo("critical", id); err == nil && info.Type == TypeDispatch {
				found = append(found, id)
				_ = insp.DeleteTask("critical", id) // the real Redis is shared
			}
		}
		if len(found) == 0 {
			t.Fatalf("no dispatch task under the minute's ID (%s)", DispatchID(start))
		}
		if n, err := insp.ListPendingTasks("critical"); err == nil {
			for _, ti := range n {
				if ti.Type == TypeDispatch && !strings.HasPrefix(ti.ID, TypeDispatch+":") {
					t.Errorf("a dispatch task with the placeholder or a random ID: %s", ti.ID)
				}
			}
		}
	})
}
