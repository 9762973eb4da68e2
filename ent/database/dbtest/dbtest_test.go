package dbtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent/database/dbtest"
)

// TTLs must run down on both servers: miniredis only does that with ClockTTL(true), and code relying on expiry
// (unique-task locks, rate limits) would otherwise pass on real Redis and hang on miniredis, or the reverse.
func TestEachRedisExpiresKeys(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		ctx := context.Background()
		key := "dbtest:" + t.Name() + ":" + time.Now().Format(time.RFC3339Nano) // unique on a shared server
		if err := rdb.Set(ctx, key, "v", 100*time.Millisecond).Err(); err != nil {
			t.Fatal(err)
		}
		if got, err := rdb.Get(ctx, key).Result(); err != nil || got != "v" {
			t.Fatalf("Get = %q, %v", got, err)
		}
		time.Sleep(300 * time.Millisecond)
		if err := rdb.Get(ctx, key).Err(); !errors.Is(err, redis.Nil) {
			t.Errorf("key still there after its TTL: %v", err)
		}
	})
}
