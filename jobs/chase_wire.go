package jobs

import (
	"context"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/jobs/chase"
	"github.com/campushealth/campushealth/jobs/notify"
)

// Chaser runs the chase ladder (催报): Due is the dispatcher's finder, the worker runs its steps, and
// the notification service delivers what they say.
type Chaser struct {
	Client *ent.Client
	Notify *notify.Service
	Now    Clock // nil: the wall clock
}

// Due lists the chase steps that came due, as tasks with deterministic IDs.
func (c *Chaser) Due(ctx context.Context, now time.Time) ([]Due, error) {
	steps, err := chase.Due(ctx, c.Client, now)
	if err != nil {
		return nil, err
	}
	out := make([]Due, len(steps))
	for i, s := range steps {
		task, opts := s.Task()
		out[i] = Due{Task: task, Opts: opts}
	}
	return out, nil
}

// HandleChase lets the worker run chase steps.
func (w *Worker) HandleChase(c *Chaser) {
	w.mux.Handle(chase.TaskType, chase.Handler(c.Client, ChaseNotifier(c.Client, c.Notify), c.Now.orWall()))
}

// ChaseNotifier is the chase's way to the notification service.
func ChaseNotifier(client *ent.Client, svc *notify.Service) chase.Notifier {
	return notifier{client, svc}
}

// notifier sends a chase message through the notification service. A replay (a retried step) creates
// nothing new; the IDs returned are then those of the notifications sent the first time, so the chase
// log still points at them.
type notifier struct {
	client *ent.Client
	svc    *notify.Service
}

func (n notifier) Notify(ctx context.Context, m chase.Message) ([]int, error) {
	_, err := n.svc.Send(ctx, notify.Message{TenantID: m.TenantID, UserIDs: m.UserIDs, Template: m.Template,
		Data: m.Data, DedupeKey: m.DedupeKey, Ref: m.Ref})
	if err != nil {
		return nil, err
	}
	return n.client.Notification.Query().
		Where(notification.RecipientIDIn(m.UserIDs...), notification.DedupeKey(m.DedupeKey)).
		IDs(privacy.DecisionContext(ctx, privacy.Allow))
}

func (n notifier) NotifyRobots(ctx context.Context, tenantID int, template string, data map[string]any, dedupeKey, ref string) error {
	return n.svc.SendToRobots(ctx, tenantID, template, data, dedupeKey, ref)
}
