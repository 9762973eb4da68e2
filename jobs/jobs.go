package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/jobs/notify"
)

// Queues and their priorities: chasing a class that has not reported beats compiling a report.
var Queues = map[string]int{"critical": 6, "default": 3, "low": 1}

// Worker processes background tasks.
type Worker struct {
	srv *asynq.Server
	mux *asynq.ServeMux
}

// NewWorker builds a worker on the app's own Redis client (one pool for the API, rate limits and jobs).
func NewWorker(rdb *redis.Client, concurrency int) *Worker {
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Concurrency:     concurrency,
		Queues:          Queues,
		ShutdownTimeout: 20 * time.Second,
		Logger:          slogLogger{},
		RetryDelayFunc:  retryDelay,
	})
	mux := asynq.NewServeMux()
	mux.Use(Instrument)
	// Task families register here as they arrive (compile, chase, notify, import).
	return &Worker{srv: srv, mux: mux}
}

// HandleDispatch lets the worker run the dispatcher's ticks.
func (w *Worker) HandleDispatch(d *Dispatcher) { w.mux.Handle(TypeDispatch, d) }

// HandleCompile lets the worker compile daily reports.
func (w *Worker) HandleCompile(c *Compiler) { w.mux.Handle(TypeCompile, c) }

// Run processes tasks until ctx is cancelled, then waits for running tasks (up to the shutdown timeout).
func (w *Worker) Run(ctx context.Context) error {
	if err := w.srv.Start(w.mux); err != nil {
		return err
	}
	<-ctx.Done()
	w.srv.Shutdown()
	return nil
}

// retryDelay is asynq's default backoff, except for task families that set their own.
func retryDelay(n int, err error, t *asynq.Task) time.Duration {
	if strings.HasPrefix(t.Type(), "notify:") {
		return notify.RetryDelay(n, err, t)
	}
	return asynq.DefaultRetryDelayFunc(n, err, t)
}

// Scheduler enqueues periodic tasks. asynq has no leader election, so every task it enqueues carries a
// deterministic task ID: two schedulers never cause work twice (STACK.md §5). The dispatch is enqueued by a
// loop of its own rather than as an entry of asynq's scheduler: that one enqueues an entry with the options
// it was registered with (a fixed task ID would run once and never again, #1055), and rewriting them in
// place before each run raced with asynq's goroutines, which read them too (the race detector found it).
type Scheduler struct {
	s        *asynq.Scheduler
	client   *asynq.Client
	dispatch time.Duration // the dispatch's period (a minute; 0: none)
}

// NewScheduler builds the scheduler in UTC; tenants' own time zones are resolved by the tasks.
func NewScheduler(rdb *redis.Client) *Scheduler {
	return &Scheduler{
		s:      asynq.NewSchedulerFromRedisClient(rdb, &asynq.SchedulerOpts{Location: time.UTC, Logger: slogLogger{}}),
		client: asynq.NewClientFromRedisClient(rdb),
	}
}

// RegisterDispatcher adds the task that drives per-tenant work: every minute, at second 0 (so that every
// scheduler ticks in the same minute), a dispatch task whose task ID is that minute.
func (s *Scheduler) RegisterDispatcher() error {
	s.dispatch = time.Minute
	return nil
}

// Run schedules until ctx is cancelled.
func (s *Scheduler) Run(ctx context.Context) error {
	if err := s.s.Start(); err != nil {
		return err
	}
	var wg sync.WaitGroup
	if s.dispatch > 0 {
		wg.Go(func() { s.dispatchEvery(ctx, s.dispatch) })
	}
	<-ctx.Done()
	wg.Wait()
	s.s.Shutdown()
	return nil
}

// dispatchEvery enqueues, at the start of every period until ctx ends, the dispatch task of that minute.
// A conflict on its task ID is another scheduler's enqueue of the same minute.
func (s *Scheduler) dispatchEvery(ctx context.Context, period time.Duration) {
	for {
		tick := time.Now().Truncate(period).Add(period)
		wait := time.NewTimer(time.Until(tick))
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-wait.C:
		}
		_, err := s.client.EnqueueContext(ctx, asynq.NewTask(TypeDispatch, nil), DispatchOptions(tick)...)
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) && ctx.Err() == nil {
			slog.WarnContext(ctx, "scheduler: dispatch not enqueued", "minute", DispatchID(tick), "err", err)
		}
	}
}

// slogLogger routes asynq's logs through slog.
type slogLogger struct{}

func (slogLogger) Debug(args ...any) { slog.Debug("asynq", "msg", args) }
func (slogLogger) Info(args ...any)  { slog.Info("asynq", "msg", args) }
func (slogLogger) Warn(args ...any)  { slog.Warn("asynq", "msg", args) }
func (slogLogger) Error(args ...any) {
	// asynq tries to close the client it was given on shutdown and complains that it cannot: the client
	// is the app's, shared on purpose, and closed by the app. Not an error.
	if strings.Contains(fmt.Sprint(args...), "redis connection is shared") {
		slog.Debug("asynq", "msg", args)
		return
	}
	slog.Error("asynq", "msg", args)
}
func (slogLogger) Fatal(args ...any) { slog.Error("asynq fatal", "msg", args) }
