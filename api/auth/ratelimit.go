package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// RateLimit counts failed logins per account and per IP in fixed windows in Redis, so every API replica
// shares one count.
type RateLimit struct {
	Redis      redis.UniversalClient
	PerAccount int           // failed attempts per account per window (default 5)
	PerIP      int           // failed attempts per IP per window (default 50: a school shares one NAT address)
	Window     time.Duration // default 15 minutes
	KeyPrefix  string        // namespace when several deployments (or test runs) share one Redis
}

func (l *RateLimit) keys(login, ip string) (string, string) {
	return l.KeyPrefix + "ratelimit:login:account:" + login, l.KeyPrefix + "ratelimit:login:ip:" + ip
}

// Blocked reports whether the account or the IP has used up its failed attempts. When Redis is down it
// lets the attempt through (logged): signing in to report matters more than the limit.
func (l *RateLimit) Blocked(ctx context.Context, login, ip string) bool {
	ka, ki := l.keys(login, ip)
	vals, err := l.Redis.MGet(ctx, ka, ki).Result()
	if err != nil {
		slog.WarnContext(ctx, "login rate limit unavailable", "err", err)
		return false
	}
	return count(vals[0]) >= l.PerAccount || count(vals[1]) >= l.PerIP
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
		slog.WarnContext(ctx, "login rate limit unavailable", "err", err)
	}
}

// Succeeded clears the account's count (the IP's stays: one good login must not reset a guessing IP).
func (l *RateLimit) Succeeded(ctx context.Context, login string) {
	ka, _ := l.keys(login, "")
	l.Redis.Del(ctx, ka)
}

func count(v any) int {
	s, _ := v.(string)
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}
