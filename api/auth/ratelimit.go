package auth

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// RateLimit counts failed logins per account and per IP in fixed windows in Redis, so every API replica
// shares one count. While Redis is unreachable each process counts on its own (local), so an outage does
// not lift the limit: a guesser gets at most the limit per replica and window.
type RateLimit struct {
	Redis      redis.UniversalClient
	PerAccount int           // failed attempts per account per window (default 5)
	PerIP      int           // failed attempts per IP per window (default 50: a school shares one NAT address)
	Window     time.Duration // default 15 minutes
	KeyPrefix  string        // namespace when several deployments (or test runs) share one Redis

	local localCounts
}

// localCounts are failed attempts by key in the current fixed window, counted in this process only.
type localCounts struct {
	mu     sync.Mutex
	since  time.Time
	counts map[string]int
}

// do runs fn on the counts of the current window (a new one when the last is over), under the lock.
func (c *localCounts) do(window time.Duration, fn func(counts map[string]int)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || time.Since(c.since) > window {
		c.since, c.counts = time.Now(), map[string]int{}
	}
	fn(c.counts)
}

func (l *RateLimit) keys(login, ip string) (string, string) {
	return l.KeyPrefix + "ratelimit:login:account:" + login, l.KeyPrefix + "ratelimit:login:ip:" + ip
}

// Blocked reports whether the account or the IP has used up its failed attempts: in Redis, or in this
// process's own counts while Redis is down (logged).
func (l *RateLimit) Blocked(ctx context.Context, login, ip string) bool {
	ka, ki := l.keys(login, ip)
	var n []int
	vals, err := l.Redis.MGet(ctx, ka, ki).Result()
	if err != nil {
		slog.WarnContext(ctx, "login rate limit: Redis unavailable, counting in this process", "err", err)
		l.local.do(l.Window, func(counts map[string]int) { n = []int{counts[ka], counts[ki]} })
	} else {
		n = []int{count(vals[0]), count(vals[1])}
	}
	return n[0] >= l.PerAccount || n[1] >= l.PerIP
}

// Failed records a failed attempt.
func (l *RateLimit) Failed(ctx context.Context, login, ip string) {
	ka, ki := l.keys(login, ip)
	_, err := l.Redis.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range []string{ka, ki} {
			p.Incr(ctx, k)
			p.ExpireNX(ctx, k, l.Window)
		}
		return nil
	})
	if err != nil {
		slog.WarnContext(ctx, "login rate limit: Redis unavailable, counting in this process", "err", err)
		l.local.do(l.Window, func(counts map[string]int) { counts[ka]++; counts[ki]++ })
	}
}

// Succeeded clears the account's count (the IP's stays: one good login must not reset a guessing IP).
func (l *RateLimit) Succeeded(ctx context.Context, login string) {
	ka, _ := l.keys(login, "")
	l.Redis.Del(ctx, ka)
	l.local.do(l.Window, func(counts map[string]int) { delete(counts, ka) })
}

// count is a counter read by MGET: a decimal string, or nil when the key does not exist.
func count(v any) int {
	s, _ := v.(string)
	n, _ := strconv.Atoi(s)
	return n
}
