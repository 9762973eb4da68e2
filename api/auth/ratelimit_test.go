package auth

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestRateLimitHoldsWhileRedisIsDown: with Redis unreachable the limit is counted in the process, so an
// outage does not open the door to password guessing; a good login clears the account's count, and the
// window still ends.
func TestRateLimitHoldsWhileRedisIsDown(t *testing.T) {
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = down.Close() })
	l := &RateLimit{Redis: down, PerAccount: 3, PerIP: 5, Window: time.Minute}
	ctx := context.Background()
	for range 3 {
		if l.Blocked(ctx, "teacher", "10.0.0.1") {
			t.Fatal("blocked before the limit")
		}
		l.Failed(ctx, "teacher", "10.0.0.1")
	}
	if !l.Blocked(ctx, "teacher", "10.0.0.1") {
		t.Error("3 failures per account: not blocked while Redis is down")
	}
	if !l.Blocked(ctx, "teacher", "10.0.0.9") {
		t.Error("the account is blocked from any address")
	}
	if l.Blocked(ctx, "other", "10.0.0.1") {
		t.Error("another account from the address is blocked at 3 of the address's 5")
	}
	// Two more failures of another account from the same address use up the address's 5.
	l.Failed(ctx, "other", "10.0.0.1")
	l.Failed(ctx, "other", "10.0.0.1")
	if !l.Blocked(ctx, "third", "10.0.0.1") {
		t.Error("5 failures per address: not blocked")
	}
	l.Succeeded(ctx, "teacher")
	if l.Blocked(ctx, "teacher", "10.0.0.2") {
		t.Error("a good login did not clear the account's count")
	}
	l.local.since = time.Now().Add(-2 * time.Minute) // the window is over
	if l.Blocked(ctx, "third", "10.0.0.1") {
		t.Error("the window ended but the address is still blocked")
	}
}
