// Package dbtest gives tests real databases: every test that touches the database runs on both SQLite and
// PostgreSQL (the two dialects have separate migration files and different SQL behaviour), and every test that
// touches Redis runs on miniredis and on a real Redis.
//
// PostgreSQL and Redis are found through TEST_DATABASE_URL / TEST_REDIS_URL, or on their default local ports.
// When a server is not there, its subtests are skipped, unless REQUIRE_SERVICES=1 (set it in CI) makes that a
// failure.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent/database"
	_ "github.com/campushealth/campushealth/ent/runtime" // privacy policies and hooks, as in the binaries
)

const (
	defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	// Database 15, not 0, so running the tests doesn't mix keys into a local development instance.
	defaultRedisURL = "redis://127.0.0.1:6379/15"
	probeTimeout    = 2 * time.Second
)

// Each runs fn twice, as subtests "sqlite" and "postgres", each time on a fresh, fully migrated database that
// is removed when the subtest ends.
func Each(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, SQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, Postgres(t))
	})
}

// SQLite opens a fresh embedded database file in t.TempDir().
func SQLite(t *testing.T) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var pg struct {
	once    sync.Once
	base    *url.URL
	admin   *sql.DB // connected to the base database; creates and drops the per-test ones
	err     error
	fromEnv bool
}

// Postgres creates a throw-away database (ch_test_<random>) on the test server, migrates it and drops it
// (WITH (FORCE), so leftover connections don't block) when the test ends.
func Postgres(t *testing.T) *database.DB {
	t.Helper()
	pg.once.Do(probePostgres)
	if pg.err != nil {
		unavailable(t, pg.fromEnv, "TEST_DATABASE_URL", "PostgreSQL not reachable at %s (%v)", pg.base.Redacted(), pg.err)
	}
	name := "ch_test_" + randomHex(8)
	ctx := context.Background()
	if _, err := pg.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := pg.admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u := *pg.base
	u.Path = "/" + name
	db, err := database.Open(ctx, u.String(), "")
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() }) // runs before the DROP above (cleanups run last-in first-out)
	return db
}

func probePostgres() {
	raw := os.Getenv("TEST_DATABASE_URL")
	pg.fromEnv = raw != ""
	if raw == "" {
		raw = defaultPostgresURL
	}
	pg.base, pg.err = url.Parse(raw)
	if pg.err != nil {
		pg.base = &url.URL{Scheme: "postgres", Host: "(unparsable TEST_DATABASE_URL)"}
		return
	}
	pg.admin, pg.err = sql.Open("pgx", raw)
	if pg.err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	pg.err = pg.admin.PingContext(ctx)
	// pg.admin stays open for the life of the test binary.
}

var rd struct {
	once    sync.Once
	opts    *redis.Options
	addr    string
	err     error
	fromEnv bool
}

// Redis returns a client for the real test Redis, closed when the test ends. The server is shared by all tests
// (and test binaries running in parallel), so use unique keys and don't FLUSHDB.
func Redis(t *testing.T) *redis.Client {
	t.Helper()
	rd.once.Do(probeRedis)
	if rd.err != nil {
		unavailable(t, rd.fromEnv, "TEST_REDIS_URL", "Redis not reachable at %s (%v)", rd.addr, rd.err)
	}
	rdb := redis.NewClient(rd.opts)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func probeRedis() {
	raw := os.Getenv("TEST_REDIS_URL")
	rd.fromEnv = raw != ""
	if raw == "" {
		raw = defaultRedisURL
	}
	rd.addr = raw
	if u, err := url.Parse(raw); err == nil {
		rd.addr = u.Redacted()
	}
	rd.opts, rd.err = redis.ParseURL(raw)
	if rd.err != nil {
		return
	}
	rdb := redis.NewClient(rd.opts)
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	rd.err = rdb.Ping(ctx).Err()
}

// MiniRedis returns a client for a fresh in-process miniredis, closed when the test ends.
func MiniRedis(t *testing.T) *redis.Client {
	t.Helper()
	_, rdb := NewMiniRedis(t)
	return rdb
}

// NewMiniRedis is MiniRedis plus the server, for tests that move its clock (SetTime, FastForward).
//
// ClockTTL(true) makes TTLs run down with the clock as on a real Redis; by default miniredis keeps them frozen,
// so locks and caches with a TTL would never expire.
func NewMiniRedis(t *testing.T) (*miniredis.Miniredis, *redis.Client) {
	t.Helper()
	mr := miniredis.RunT(t)
	mr.ClockTTL(true)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() }) // before mr.Close, which RunT registered first
	return mr, rdb
}

// EachRedis runs fn twice, as subtests "miniredis" and "redis".
func EachRedis(t *testing.T, fn func(t *testing.T, rdb *redis.Client)) {
	t.Helper()
	t.Run("miniredis", func(t *testing.T) {
		fn(t, MiniRedis(t))
	})
	t.Run("redis", func(t *testing.T) {
		fn(t, Redis(t))
	})
}

// unavailable skips the test when a service isn't running, or fails it when the service was asked for: with
// REQUIRE_SERVICES=1, or when its URL was set explicitly (a misconfigured CI must not turn into skipped tests).
func unavailable(t *testing.T, explicit bool, env, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	switch {
	case explicit:
		t.Fatalf("%s, the server %s names", msg, env)
	case os.Getenv("REQUIRE_SERVICES") == "1":
		t.Fatalf("%s; REQUIRE_SERVICES=1 requires it (or set %s)", msg, env)
	}
	t.Skipf("%s; set %s to run", msg, env)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
