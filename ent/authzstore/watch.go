package authzstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent"
)

// Channel carries "<replica>:<tenant>" whenever a replica changed a tenant's tree.
const Channel = "campushealth:authz:tree"

// Sync keeps this replica's enforcer in step with the others through Redis pub/sub: changes made here
// are published, changes published elsewhere are reloaded from the database. It returns once
// subscribed; the subscription ends with ctx.
func Sync(ctx context.Context, rdb redis.UniversalClient, client *ent.Client) error {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	self := hex.EncodeToString(b)
	sub := rdb.Subscribe(ctx, Channel)
	if _, err := sub.Receive(ctx); err != nil { // wait for the subscription to be confirmed
		_ = sub.Close()
		return fmt.Errorf("authz sync: %w", err)
	}
	client.Authz.OnTreeChange = func(tenantID int) {
		if err := rdb.Publish(context.WithoutCancel(ctx), Channel, self+":"+strconv.Itoa(tenantID)).Err(); err != nil {
			slog.Warn("authz sync: publish failed; other replicas keep the old tree until they restart", "tenant", tenantID, "err", err)
		}
	}
	go func() {
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case msg, ok := <-sub.Channel():
				if !ok {
					return
				}
				from, tid, _ := strings.Cut(msg.Payload, ":")
				id, err := strconv.Atoi(tid)
				if from == self || err != nil {
					continue
				}
				if err := Reload(ctx, client, id); err != nil {
					slog.Error("authz sync: reload failed", "tenant", id, "err", err)
				}
			}
		}
	}()
	return nil
}
