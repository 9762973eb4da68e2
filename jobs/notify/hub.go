package notify

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// PubSubChannel is the Redis channel that carries new in-app notifications between processes.
const PubSubChannel = "notify:in_app"

// Event tells a user's live subscriptions that a notification was added.
type Event struct {
	UserID         int `json:"u"`
	NotificationID int `json:"n"`
	TenantID       int `json:"t"`
}

// Hub fans in-app notifications out to live subscriptions (GraphQL notificationAdded). Publish goes
// through Redis pub/sub so that every API replica hears it (Run relays it to local subscribers); when
// Redis is unavailable the event still reaches this process's subscribers. The notification itself is
// stored either way: a missed live event is never a lost notification.
type Hub struct {
	rdb *redis.Client

	mu   sync.Mutex
	subs map[int]map[chan Event]struct{}
}

// NewHub returns a hub on rdb (nil: this process only).
func NewHub(rdb *redis.Client) *Hub {
	return &Hub{rdb: rdb, subs: map[int]map[chan Event]struct{}{}}
}

// Subscribe returns the events of user until ctx ends. A slow subscriber misses events rather than
// blocking others (the notification stays in the list).
func (h *Hub) Subscribe(ctx context.Context, userID int) <-chan Event {
	ch := make(chan Event, 16)
	h.mu.Lock()
	if h.subs[userID] == nil {
		h.subs[userID] = map[chan Event]struct{}{}
	}
	h.subs[userID][ch] = struct{}{}
	h.mu.Unlock()
	context.AfterFunc(ctx, func() {
		h.mu.Lock()
		delete(h.subs[userID], ch)
		if len(h.subs[userID]) == 0 {
			delete(h.subs, userID)
		}
		h.mu.Unlock()
		close(ch)
	})
	return ch
}

// Publish sends e to every replica's subscribers of e.UserID.
func (h *Hub) Publish(ctx context.Context, e Event) error {
	if h.rdb != nil {
		b, _ := json.Marshal(e)
		err := h.rdb.Publish(ctx, PubSubChannel, b).Err()
		if err == nil {
			return nil // Run relays it here too
		}
		slog.WarnContext(ctx, "notify: redis publish failed; live event reaches this process only", "err", err)
	}
	h.dispatch(e)
	return nil
}

func (h *Hub) dispatch(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[e.UserID] {
		select {
		case ch <- e:
		default:
		}
	}
}

// Run relays events published by any replica to this process's subscribers until ctx ends, resubscribing
// when Redis comes back.
func (h *Hub) Run(ctx context.Context) error {
	if h.rdb == nil {
		<-ctx.Done()
		return nil
	}
	ps := h.rdb.Subscribe(ctx, PubSubChannel)
	defer ps.Close()
	ch := ps.Channel(redis.WithChannelHealthCheckInterval(30 * time.Second))
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-ch:
			if !ok {
				return nil
			}
			var e Event
			if err := json.Unmarshal([]byte(m.Payload), &e); err != nil {
				slog.Warn("notify: bad pub/sub message", "err", err)
				continue
			}
			h.dispatch(e)
		}
	}
}

// Ready waits until Run's subscription is active (tests, and the start of a server).
func (h *Hub) Ready(ctx context.Context) error {
	if h.rdb == nil {
		return nil
	}
	for {
		n, err := h.rdb.PubSubNumSub(ctx, PubSubChannel).Result()
		if err == nil && n[PubSubChannel] > 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
