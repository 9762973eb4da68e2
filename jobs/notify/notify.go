// Package notify sends notifications: in-app (stored, live over GraphQL subscriptions), e-mail, SMS and IM
// group robots, as asynq tasks with retries. Send is what the chase ladder and report compilation call.
//
// Every external message is a Delivery row first and a task second: the row is written in the caller's
// transaction, the task is queued after the commit. If Redis is down the row stays pending and Sweep
// queues it later; a task ID per delivery (notify:<id>) and the row's status keep anything from being
// sent twice.
package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/delivery"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/robotwebhook"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Message is a notification to staff accounts.
type Message struct {
	TenantID  int            // the tenant it is about; recipients belong to it or to its district
	UserIDs   []int          // recipients (staff accounts)
	Template  string         // e.g. "chase.reminder", "chase.digest", "report.amended"
	Data      map[string]any // template data
	DedupeKey string         // one message per (recipient, DedupeKey), ever: a replay sends nothing
	Ref       string         // what it is about, e.g. "class:12:2026-11-23:morning" (shown in the chase log)
}

// Options tune a Service.
type Options struct {
	SMTP     SMTPConfig    // e-mail; see SMTPFromEnv
	SMS      SMSProvider   // nil: LogSMS
	Robots   *Robots       // nil: Robots{}
	Channels []Channel     // replace channels by name (tests)
	Queue    string        // asynq queue; "" means "critical" (chasing beats compiling)
	MaxRetry int           // attempts after the first; 0 means 8
	Timeout  time.Duration // per attempt; 0 means 1 minute
	Now      func() time.Time
}

// Service sends notifications.
type Service struct {
	client    *ent.Client
	queue     *asynq.Client
	hub       *Hub
	templates *Templates
	channels  map[string]Channel
	opts      Options
}

// New builds the service on the app's ent client and Redis (nil Redis: nothing is queued, deliveries stay
// pending, and live events reach this process only).
func New(client *ent.Client, rdb *redis.Client, opts Options) (*Service, error) {
	tm, err := LoadTemplates()
	if err != nil {
		return nil, err
	}
	if opts.Queue == "" {
		opts.Queue = "critical"
	}
	if opts.MaxRetry <= 0 {
		opts.MaxRetry = 8
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SMS == nil {
		opts.SMS = LogSMS{}
	}
	if opts.Robots == nil {
		opts.Robots = &Robots{}
	}
	s := &Service{client: client, hub: NewHub(rdb), templates: tm, opts: opts}
	if rdb != nil {
		s.queue = asynq.NewClientFromRedisClient(rdb)
	}
	s.channels = map[string]Channel{}
	for _, c := range []Channel{InApp{Hub: s.hub}, Email{Config: opts.SMTP}, SMS{Provider: opts.SMS}, *opts.Robots} {
		s.channels[c.Name()] = c
	}
	for _, c := range opts.Channels {
		s.channels[c.Name()] = c
	}
	return s, nil
}

// Hub is the live-event hub (the GraphQL subscription reads it; serve runs Hub().Run).
func (s *Service) Hub() *Hub { return s.hub }

// Templates are the message templates.
func (s *Service) Templates() *Templates { return s.templates }

// system is ctx acting as the notification system: past privacy (Send is called by trusted code on
// behalf of whoever triggered it), keeping ctx's deadline and transaction.
func system(ctx context.Context) context.Context {
	if v := viewer.FromContext(ctx); v == nil {
		ctx = viewer.NewContext(ctx, viewer.System("notify"))
	}
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// Send writes an in-app Notification per recipient and a Delivery per external channel the recipient's
// preferences enable, in the caller's transaction when ctx has one (ent.TxFromContext), else in its own;
// after the commit it queues a task per Delivery and tells live subscriptions.
//
// A recipient who already has a notification with m.DedupeKey is skipped: a replay writes and queues
// nothing and returns no notifications. An unknown template, or data a template (in any language) cannot
// render, is an error and nothing is written. Inactive accounts are skipped.
func (s *Service) Send(ctx context.Context, m Message) ([]*ent.Notification, error) {
	if err := s.validate(m.TenantID, m.Template, m.DedupeKey); err != nil {
		return nil, err
	}
	if len(m.UserIDs) == 0 {
		return nil, types.Invalid("userIDs", "no recipients")
	}
	texts, err := s.templates.RenderAll(m.Template, m.Data)
	if err != nil {
		return nil, err
	}
	var out []*ent.Notification
	var queued []*ent.Delivery
	err = s.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		out, queued = nil, nil
		t, err := c.Tenant.Get(ctx, m.TenantID)
		if err != nil {
			return fmt.Errorf("notify: tenant %d: %w", m.TenantID, err)
		}
		allowed := []int{t.ID}
		if t.ParentID != nil {
			allowed = append(allowed, *t.ParentID)
		}
		ids := slices.Compact(slices.Sorted(slices.Values(m.UserIDs)))
		users, err := c.User.Query().Where(user.IDIn(ids...)).All(ctx)
		if err != nil {
			return err
		}
		done, err := c.Notification.Query().
			Where(notification.RecipientIDIn(ids...), notification.DedupeKey(m.DedupeKey)).
			Select(notification.FieldRecipientID).Ints(ctx)
		if err != nil {
			return err
		}
		prefs, err := s.preferences(ctx, c, ids)
		if err != nil {
			return err
		}
		if len(users) != len(ids) {
			return types.Invalid("userIDs", "%d of %d recipients do not exist", len(ids)-len(users), len(ids))
		}
		loc := location(t.Timezone)
		now := s.opts.Now()
		for _, u := range users {
			switch {
			case u.TenantID == nil || !slices.Contains(allowed, *u.TenantID):
				return types.Invalid("userIDs", "user %d is not staff of tenant %d or its district", u.ID, m.TenantID)
			case !u.Active || slices.Contains(done, u.ID):
				continue
			}
			p := prefs[u.ID]
			if p == nil {
				p = DefaultPreferences(u)
			}
			text := texts[p.Locale]
			n, err := c.Notification.Create().SetTenantID(*u.TenantID).SetRecipientID(u.ID).
				SetTemplate(m.Template).SetDedupeKey(m.DedupeKey).SetRef(m.Ref).SetLocale(p.Locale).
				SetSubject(text.Subject).SetBody(text.Body).Save(ctx)
			if err != nil {
				return err
			}
			out = append(out, n)
			notBefore := p.quietUntil(now, loc)
			for _, ch := range p.Channels {
				to := p.address(ch, u)
				if to == "" {
					continue // nowhere to send it: the in-app notification remains
				}
				d, err := c.Delivery.Create().SetTenantID(*u.TenantID).SetNotificationID(n.ID).
					SetChannel(delivery.Channel(ch)).SetAddress(to).SetTemplate(m.Template).
					SetDedupeKey(m.DedupeKey).SetRef(m.Ref).SetLocale(p.Locale).
					SetSubject(text.Subject).SetBody(text.Body).SetNillableNotBefore(notBefore).Save(ctx)
				if err != nil {
					return err
				}
				queued = append(queued, d)
			}
		}
		return nil
	}, func(ctx context.Context) {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		for _, n := range out {
			_ = s.channels[ChannelInApp].Deliver(pctx, Payload{NotificationID: n.ID, RecipientID: n.RecipientID, TenantID: n.TenantID})
		}
		s.enqueue(ctx, queued)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SendToRobots posts a message (typically a digest) to every enabled IM robot of the tenant, once per
// (robot, dedupeKey), ever. It is written and queued like Send.
func (s *Service) SendToRobots(ctx context.Context, tenantID int, template string, data map[string]any, dedupeKey, ref string) error {
	if err := s.validate(tenantID, template, dedupeKey); err != nil {
		return err
	}
	texts, err := s.templates.RenderAll(template, data)
	if err != nil {
		return err
	}
	var queued []*ent.Delivery
	return s.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		queued = nil
		robots, err := c.RobotWebhook.Query().
			Where(robotwebhook.TenantID(tenantID), robotwebhook.Enabled(true)).All(ctx)
		if err != nil {
			return err
		}
		done, err := c.Delivery.Query().
			Where(delivery.TenantID(tenantID), delivery.RobotIDNotNil(), delivery.DedupeKey(dedupeKey)).
			Select(delivery.FieldRobotID).Ints(ctx)
		if err != nil {
			return err
		}
		for _, r := range robots {
			if slices.Contains(done, r.ID) {
				continue
			}
			text, ok := texts[r.Locale]
			if !ok {
				text = texts[DefaultLocale]
			}
			d, err := c.Delivery.Create().SetTenantID(tenantID).SetRobotID(r.ID).SetChannel(delivery.ChannelRobot).
				SetAddress(r.Name).SetTemplate(template).SetDedupeKey(dedupeKey).SetRef(ref).SetLocale(r.Locale).
				SetSubject(text.Subject).SetBody(text.Body).Save(ctx)
			if err != nil {
				return err
			}
			queued = append(queued, d)
		}
		return nil
	}, func(ctx context.Context) { s.enqueue(ctx, queued) })
}

func (s *Service) validate(tenantID int, template, dedupeKey string) error {
	switch {
	case tenantID <= 0:
		return types.Invalid("tenantID", "a message needs a tenant")
	case dedupeKey == "":
		return types.Invalid("dedupeKey", "a message needs a dedupe key")
	case len(dedupeKey) > 255:
		return types.Invalid("dedupeKey", "at most 255 characters")
	case !slices.Contains(s.templates.Names(), template):
		return fmt.Errorf("%w %q does not exist", ErrTemplate, template)
	}
	return nil
}

// inTx runs write in the caller's transaction, or in a new one, and after after a successful commit.
func (s *Service) inTx(ctx context.Context, write func(context.Context, *ent.Client) error, after func(context.Context)) error {
	sctx := system(ctx)
	if tx := ent.TxFromContext(ctx); tx != nil {
		if err := write(sctx, tx.Client()); err != nil {
			return err
		}
		tx.OnCommit(func(next ent.Committer) ent.Committer {
			return ent.CommitFunc(func(cctx context.Context, tx *ent.Tx) error {
				if err := next.Commit(cctx, tx); err != nil {
					return err
				}
				after(context.WithoutCancel(sctx))
				return nil
			})
		})
		return nil
	}
	tx, err := s.client.Tx(sctx)
	if err != nil {
		return err
	}
	if err := write(ent.NewTxContext(sctx, tx), tx.Client()); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	after(context.WithoutCancel(sctx))
	return nil
}

func location(tz string) *time.Location {
	if l, err := time.LoadLocation(tz); err == nil {
		return l
	}
	return time.UTC
}
