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

// TestSchedulerTicks: the scheduler, ticking every second, enqueues the dispatch under the current minute's
// task ID, and the ticks of one minute are one task (on miniredis and on Redis). Run with -race (make test).
func TestSchedulerTicks(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		insp := asynq.NewInspectorFromRedisClient(rdb)
		s := NewScheduler(rdb)
		s.dispatch = time.Second
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
					t.Errorf("a dispatch task under another ID than its minute: %s", ti.ID)
				}
			}
		}
	})
}
