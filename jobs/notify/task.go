package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/delivery"
)

// Task types.
const (
	TaskDeliver = "notify:deliver" // one Delivery on its channel
	TaskSweep   = "notify:sweep"   // queue pending deliveries whose task never reached Redis
)

// SweepAfter is how old a pending delivery must be before Sweep queues it again.
const SweepAfter = time.Minute

// RequeueAfter: a delivery that was queued but is still pending this long after (its task lost with an
// embedded Redis, say) is queued again; while its task exists the task ID makes that a no-op.
const RequeueAfter = time.Hour

// BaseDelay is the first retry's delay; each retry doubles it, up to MaxDelay.
var (
	BaseDelay = 30 * time.Second
	MaxDelay  = time.Hour
)

// RetryDelay is the exponential backoff of delivery tasks: BaseDelay·2ⁿ, capped at MaxDelay
// (30 s, 1 min, 2 min, … about 1 h 4 min for the eighth retry).
func RetryDelay(n int, _ error, _ *asynq.Task) time.Duration {
	d := float64(BaseDelay) * math.Pow(2, float64(n))
	if d > float64(MaxDelay) {
		return MaxDelay
	}
	return time.Duration(d)
}

type taskPayload struct {
	DeliveryID int `json:"delivery_id"`
}

// TaskID is the asynq task ID of a delivery: one task per delivery, however often it is queued.
func TaskID(deliveryID int) string { return "notify:" + strconv.Itoa(deliveryID) }

// Register adds the notification tasks to a worker's mux.
func (s *Service) Register(mux *asynq.ServeMux) {
	mux.HandleFunc(TaskDeliver, s.ProcessDelivery)
	mux.HandleFunc(TaskSweep, func(ctx context.Context, _ *asynq.Task) error {
		_, err := s.Sweep(ctx)
		return err
	})
}

// SweepTask is the periodic task a scheduler registers every minute. Unique keeps two schedulers from
// sweeping twice a minute (harmless anyway: task IDs).
func SweepTask() *asynq.Task {
	return asynq.NewTask(TaskSweep, nil, asynq.Queue("low"), asynq.Unique(50*time.Second),
		asynq.MaxRetry(0), asynq.Timeout(5*time.Minute))
}

func (s *Service) newTask(d *ent.Delivery) *asynq.Task {
	b, _ := json.Marshal(taskPayload{DeliveryID: d.ID})
	opts := []asynq.Option{asynq.TaskID(TaskID(d.ID)), asynq.Queue(s.opts.Queue),
		asynq.MaxRetry(s.opts.MaxRetry), asynq.Timeout(s.opts.Timeout)}
	if d.NotBefore != nil && d.NotBefore.After(s.opts.Now()) {
		opts = append(opts, asynq.ProcessAt(*d.NotBefore))
	}
	return asynq.NewTask(TaskDeliver, b, opts...)
}

// enqueue queues a task per delivery and stamps queued_at on those that reached Redis. A failure leaves
// the delivery pending for Sweep; a task ID conflict means it is queued already.
func (s *Service) enqueue(ctx context.Context, ds []*ent.Delivery) int {
	if len(ds) == 0 {
		return 0
	}
	var ok []int
	for i, d := range ds {
		if s.queue == nil {
			break
		}
		qctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		_, err := s.queue.EnqueueContext(qctx, s.newTask(d))
		cancel()
		if err == nil || errors.Is(err, asynq.ErrTaskIDConflict) {
			ok = append(ok, d.ID)
			continue
		}
		// Redis is unreachable: the rest would fail too (and keep the caller waiting).
		slog.WarnContext(ctx, "notify: cannot queue deliveries; they stay pending until the sweeper queues them",
			"deliveries", len(ds)-i, "err", err)
		break
	}
	if len(ok) > 0 {
		if err := s.client.Delivery.Update().Where(delivery.IDIn(ok...)).
			SetQueuedAt(s.opts.Now()).Exec(system(ctx)); err != nil {
			slog.WarnContext(ctx, "notify: record queued deliveries", "err", err)
		}
	}
	return len(ok)
}

// Sweep queues pending deliveries older than SweepAfter that never reached the queue (Redis was down
// when they were written), and those still pending RequeueAfter after they were queued. It returns how
// many reached the queue. The scheduler runs it every minute (SweepTask).
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.opts.Now()
	ds, err := s.client.Delivery.Query().Where(
		delivery.StatusEQ(delivery.StatusPending),
		delivery.CreatedAtLT(now.Add(-SweepAfter)),
		delivery.Or(delivery.QueuedAtIsNil(), delivery.QueuedAtLT(now.Add(-RequeueAfter))),
	).Order(ent.Asc(delivery.FieldID)).Limit(1000).All(system(ctx))
	if err != nil {
		return 0, err
	}
	n := s.enqueue(ctx, ds)
	if n > 0 {
		slog.InfoContext(ctx, "notify: sweeper queued pending deliveries", "count", n, "of", len(ds))
	}
	return n, nil
}

// ProcessDelivery delivers one Delivery and records the attempt: sent, or the error (failed once retries
// are exhausted or the failure is permanent). A delivery that is no longer pending is left alone, so a
// task that runs twice sends once.
func (s *Service) ProcessDelivery(ctx context.Context, t *asynq.Task) error {
	var p taskPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.DeliveryID == 0 {
		return fmt.Errorf("notify: bad payload: %v: %w", err, asynq.SkipRetry)
	}
	sctx := system(ctx)
	d, err := s.client.Delivery.Get(sctx, p.DeliveryID)
	if ent.IsNotFound(err) {
		return fmt.Errorf("notify: delivery %d is gone: %w", p.DeliveryID, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	if d.Status != delivery.StatusPending {
		return nil
	}
	payload := Payload{DeliveryID: d.ID, TenantID: d.TenantID, To: d.Address, Locale: d.Locale,
		Subject: d.Subject, Body: d.Body}
	if d.NotificationID != nil {
		payload.NotificationID = *d.NotificationID
	}
	var derr error
	if d.Channel == delivery.ChannelRobot {
		payload.To = ""
		if d.RobotID != nil {
			r, err := s.client.RobotWebhook.Get(sctx, *d.RobotID)
			switch {
			case ent.IsNotFound(err):
			case err != nil:
				return err
			case !r.Enabled:
				derr = permanent("robot %q is disabled", r.Name)
			default:
				payload.Robot = &Robot{Kind: r.Kind.String(), URL: r.URL, Secret: r.Secret}
			}
		}
	}
	ch := s.channels[d.Channel.String()]
	if derr == nil {
		if ch == nil {
			derr = permanent("no %s channel", d.Channel)
		} else {
			derr = ch.Deliver(ctx, payload)
		}
	}
	// The outcome is recorded even when ctx has ended (the attempt timed out).
	rctx, cancel := context.WithTimeout(context.WithoutCancel(sctx), 10*time.Second)
	defer cancel()
	upd := s.client.Delivery.UpdateOneID(d.ID).AddAttempts(1)
	if derr == nil {
		if err := upd.SetStatus(delivery.StatusSent).SetSentAt(s.opts.Now()).ClearLastError().Exec(rctx); err != nil {
			// Sent, but not recorded: retrying would send it again, so only log it.
			slog.ErrorContext(ctx, "notify: delivered but could not record it", "delivery", d.ID, "err", err)
		}
		return nil
	}
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	final := errors.Is(derr, ErrPermanent) || errors.Is(derr, asynq.SkipRetry) || !ok || retried >= maxRetry
	msg := derr.Error()
	if len(msg) > 1000 {
		msg = msg[:1000] + "…"
	}
	upd.SetLastError(msg)
	if final {
		upd.SetStatus(delivery.StatusFailed)
	}
	if err := upd.Exec(rctx); err != nil {
		slog.ErrorContext(ctx, "notify: record failed attempt", "delivery", d.ID, "err", err)
	}
	slog.WarnContext(ctx, "notify: delivery attempt failed", "delivery", d.ID, "channel", d.Channel,
		"attempt", retried+1, "final", final, "err", derr)
	if final {
		return fmt.Errorf("notify: delivery %d: %v: %w", d.ID, derr, asynq.SkipRetry)
	}
	return fmt.Errorf("notify: delivery %d: %w", d.ID, derr)
}
