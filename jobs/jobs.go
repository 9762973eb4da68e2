package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
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

// Scheduler enqueues periodic tasks. asynq has no leader election, so every entry it enqueues carries a
// deterministic task ID: two schedulers never cause work twice (STACK.md §5).
type Scheduler struct {
	s *asynq.Scheduler
}

// NewScheduler builds the scheduler in UTC; tenants' own time zones are resolved by the tasks.
func NewScheduler(rdb *redis.Client) *Scheduler {
	stamp := &dispatchStamp{now: time.Now}
	return &Scheduler{s: asynq.NewSchedulerFromRedisClient(rdb, &asynq.SchedulerOpts{
		Location:        time.UTC,
		Logger:          slogLogger{},
		PreEnqueueFunc:  stamp.pre,
		PostEnqueueFunc: stamp.post,
	})}
}

// RegisterDispatcher adds the one entry that drives per-tenant work: every minute, at second 0 (so that
// every scheduler ticks in the same minute), a dispatch task whose task ID is that minute.
func (s *Scheduler) RegisterDispatcher() error { return s.registerDispatcher("* * * * *") }

func (s *Scheduler) registerDispatcher(spec string) error {
	_, err := s.s.Register(spec, asynq.NewTask(TypeDispatch, nil), DispatchOptions(time.Now())...)
	return err
}

// Run schedules until ctx is cancelled.
func (s *Scheduler) Run(ctx context.Context) error {
	if err := s.s.Start(); err != nil {
		return err
	}
	<-ctx.Done()
	s.s.Shutdown()
	return nil
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
