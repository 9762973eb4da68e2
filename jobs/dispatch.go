package jobs

// The dispatcher: one scheduler entry, every minute, instead of one entry per tenant. asynq's scheduler
// runs in UTC and has no leader election (STACK.md §5), so the entry enqueues a `dispatch:<UTC minute>`
// task whose task ID is the minute: two schedulers (or a restart) ticking in the same minute enqueue it
// once. Its handler asks each registered finder what is due now, in each tenant's own time zone and
// calendar, and enqueues per-tenant tasks whose task IDs name the work (`compile:<school>:<date>`), so
// asking twice — two dispatch tasks, or a dispatch and the submission path — still enqueues it once.
//
// Extending it: a task family writes a Finder (bulk queries over all tenants, never one query per tenant)
// returning its due tasks with deterministic TaskIDs, and registers it with Dispatcher.Register, e.g. the
// chase ladder (DOMAIN.md §3.4) as `chase:<class>:<date>:<session>:<step>`.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"
)

// Clock is the time source; tests pass a fixed one.
type Clock func() time.Time

// orWall is the clock, or the wall clock when none was given.
func (c Clock) orWall() Clock {
	if c == nil {
		return time.Now
	}
	return c
}

// Due is a task a finder wants enqueued. Opts must carry a deterministic asynq.TaskID (a finder is asked
// every minute, by any number of dispatchers) and a Retention that keeps the ID taken as long as the work
// must not be repeated.
type Due struct {
	Task *asynq.Task
	Opts []asynq.Option
}

// Finder finds what is due at now. It must be cheap (it runs every minute) and read in bulk.
type Finder func(ctx context.Context, now time.Time) ([]Due, error)

// TypeDispatch is the dispatcher's periodic task.
const TypeDispatch = "dispatch"

// Dispatch tasks: the minute is the task ID, kept for DispatchRetention (longer than any clock skew
// between schedulers); a tick older than StaleTick is skipped, because the next tick finds the same work.
const (
	DispatchRetention = 10 * time.Minute
	StaleTick         = 5 * time.Minute
	dispatchIDLayout  = "2006-01-02T15:04Z"
)

// Dispatcher runs the registered finders and enqueues what they find.
type Dispatcher struct {
	queue *asynq.Client
	now   Clock

	mu      sync.Mutex
	finders []namedFinder
}

type namedFinder struct {
	name string
	find Finder
}

// NewDispatcher builds a dispatcher enqueuing on queue; now may be nil (time.Now).
func NewDispatcher(queue *asynq.Client, now Clock) *Dispatcher {
	now = now.orWall()
	return &Dispatcher{queue: queue, now: now}
}

// Register adds a finder under a name (for logs).
func (d *Dispatcher) Register(name string, f Finder) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.finders = append(d.finders, namedFinder{name, f})
}

// DispatchResult counts what a dispatch did.
type DispatchResult struct {
	Enqueued  int // new tasks
	Duplicate int // already enqueued, running or retained under the same task ID
}

// Dispatch asks every finder what is due at now and enqueues it. A failing finder does not stop the
// others; their errors are joined.
func (d *Dispatcher) Dispatch(ctx context.Context, now time.Time) (DispatchResult, error) {
	d.mu.Lock()
	finders := append([]namedFinder(nil), d.finders...)
	d.mu.Unlock()
	var res DispatchResult
	var errs []error
	for _, f := range finders {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		due, err := f.find(ctx, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.name, err))
			continue
		}
		for _, t := range due {
			_, err := d.queue.EnqueueContext(ctx, t.Task, t.Opts...)
			switch {
			case errors.Is(err, asynq.ErrTaskIDConflict), errors.Is(err, asynq.ErrDuplicateTask):
				res.Duplicate++
			case err != nil:
				errs = append(errs, fmt.Errorf("%s: enqueue %s: %w", f.name, t.Task.Type(), err))
			default:
				res.Enqueued++
			}
		}
	}
	if res.Enqueued > 0 || len(errs) > 0 {
		slog.InfoContext(ctx, "dispatch", "at", now.UTC().Format(time.RFC3339), "enqueued", res.Enqueued,
			"duplicate", res.Duplicate, "errors", len(errs))
	}
	return res, errors.Join(errs...)
}

// DispatchID is the task ID of the dispatch of a minute (UTC): the tick rounded to the nearest minute, so
// schedulers whose clocks differ by a few seconds name the same minute.
func DispatchID(tick time.Time) string {
	return TypeDispatch + ":" + tick.UTC().Round(time.Minute).Format(dispatchIDLayout)
}

// DispatchOptions are the dispatch task's options for a tick.
func DispatchOptions(tick time.Time) []asynq.Option {
	return []asynq.Option{asynq.TaskID(DispatchID(tick)), asynq.Retention(DispatchRetention),
		asynq.Queue("critical"), asynq.MaxRetry(0), asynq.Timeout(50 * time.Second)}
}

// ProcessTask handles a dispatch task: the minute comes from its task ID.
func (d *Dispatcher) ProcessTask(ctx context.Context, t *asynq.Task) error {
	now := d.now()
	minute := now
	if id, ok := asynq.GetTaskID(ctx); ok {
		if m, err := time.Parse(dispatchIDLayout, strings.TrimPrefix(id, TypeDispatch+":")); err == nil {
			minute = m
		}
	}
	if now.Sub(minute) > StaleTick {
		slog.InfoContext(ctx, "dispatch: stale tick skipped", "minute", minute.Format(time.RFC3339))
		return nil
	}
	// Judge by the later of the two: a tick processed late still sees the cut-offs that passed meanwhile.
	_, err := d.Dispatch(ctx, later(now, minute))
	return err
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
