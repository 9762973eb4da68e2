package chase

import (
	"context"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/delivery"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/privacy"
)

// Delivery is how one message of a chase step went: in-app (stored, and when it was read) or through an
// external channel (its delivery's status, attempts and last error).
type Delivery struct {
	Recipient string
	Channel   string // in_app, email, sms
	Status    string // sent, pending, failed
	Attempts  int
	Error     *string
	At        *time.Time // sent (in-app: stored)
	ReadAt    *time.Time
}

// Deliveries reports the messages of a chase log row. The caller has read the row (the class's checks'
// readers); the messages and deliveries are read past privacy, and only their channel and outcome shown —
// never an address or a body.
func Deliveries(ctx context.Context, c *ent.Client, l *ent.ChaseLog) ([]*Delivery, error) {
	if len(l.NotificationIds) == 0 {
		return []*Delivery{}, nil
	}
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	notes, err := c.Notification.Query().Where(notification.IDIn(l.NotificationIds...)).WithRecipient().
		Order(ent.Asc(notification.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	sent, err := c.Delivery.Query().Where(delivery.NotificationIDIn(l.NotificationIds...)).
		Order(ent.Asc(delivery.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := []*Delivery{}
	for _, n := range notes {
		who := ""
		if n.Edges.Recipient != nil {
			who = n.Edges.Recipient.DisplayName
		}
		at := n.CreatedAt
		out = append(out, &Delivery{Recipient: who, Channel: "in_app", Status: "sent", At: &at, ReadAt: n.ReadAt})
		for _, d := range sent {
			if d.NotificationID != nil && *d.NotificationID == n.ID {
				var lastErr *string
				if d.LastError != "" {
					lastErr = &d.LastError
				}
				out = append(out, &Delivery{Recipient: who, Channel: string(d.Channel), Status: string(d.Status),
					Attempts: d.Attempts, Error: lastErr, At: d.SentAt})
			}
		}
	}
	return out, nil
}
