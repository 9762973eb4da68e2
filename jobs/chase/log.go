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

// Deliveries reports how the messages notificationIDs (of chase log rows, which the caller has read: the
// class's checks' readers) went, by message: its in-app entry, then its deliveries through other channels.
// The messages and deliveries are read past privacy, and only their channel and outcome shown — never an
// address or a body. A message no longer stored has no entry. Two queries, however many messages.
func Deliveries(ctx context.Context, c *ent.Client, notificationIDs []int) (map[int][]*Delivery, error) {
	out := map[int][]*Delivery{}
	if len(notificationIDs) == 0 {
		return out, nil
	}
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	notes, err := c.Notification.Query().Where(notification.IDIn(notificationIDs...)).WithRecipient().All(ctx)
	if err != nil {
		return nil, err
	}
	sent, err := c.Delivery.Query().Where(delivery.NotificationIDIn(notificationIDs...)).
		Order(ent.Asc(delivery.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	who := map[int]string{}
	for _, n := range notes {
		if n.Edges.Recipient != nil {
			who[n.ID] = n.Edges.Recipient.DisplayName
		}
		at := n.CreatedAt
		out[n.ID] = []*Delivery{{Recipient: who[n.ID], Channel: "in_app", Status: "sent", At: &at, ReadAt: n.ReadAt}}
	}
	for _, d := range sent {
		if d.NotificationID == nil || out[*d.NotificationID] == nil {
			continue
		}
		var lastErr *string
		if d.LastError != "" {
			lastErr = &d.LastError
		}
		id := *d.NotificationID
		out[id] = append(out[id], &Delivery{Recipient: who[id], Channel: string(d.Channel), Status: string(d.Status),
			Attempts: d.Attempts, Error: lastErr, At: d.SentAt})
	}
	return out, nil
}
