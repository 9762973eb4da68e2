// Package jobs is the background work: asynq task types, handlers and the scheduler.
package jobs

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// ConnectRedis connects to REDIS_URL. With no URL it starts an in-process Redis (miniredis) — the
// embedded default for a laptop or a demo: it keeps nothing across restarts and serves one process only.
func ConnectRedis(ctx context.Context, url string) (*redis.Client, func(), error) {
	if url == "" {
		mr := miniredis.NewMiniRedis()
		if err := mr.StartAddr("127.0.0.1:0"); err != nil {
			return nil, nil, fmt.Errorf("embedded redis: %w", err)
		}
		// Without a ticking clock, TTLs never expire (asynq unique locks, rate-limit windows).
		mr.ClockTTL(true)
		slog.Warn("REDIS_URL is not set: using an embedded in-process Redis (not for production: nothing survives a restart, one process only)",
			"addr", mr.Addr())
		rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
		return rdb, func() { _ = rdb.Close(); mr.Close() }, nil
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, nil, fmt.Errorf("redis %s: %w", opt.Addr, err)
	}
	return rdb, func() { _ = rdb.Close() }, nil
}
