package database_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/internal"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
)

// allow bypasses the privacy policies: these tests are about storage, not authorization.
func allow() context.Context {
	return privacy.DecisionContext(context.Background(), privacy.Allow)
}

func TestOpenMigrates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		want := map[string]string{"sqlite": dialect.SQLite, "postgres": dialect.Postgres}[lastPart(t.Name())]
		if db.Dialect != want {
			t.Fatalf("Dialect = %q, want %q", db.Dialect, want)
		}
		if err := db.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		for _, table := range []string{"tenants", "users", "sessions", "api_tokens", "audit_logs"} {
			var n int
			if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
				t.Errorf("table %s: %v", table, err)
			}
		}
		var (
			version int64
			dirty   bool
		)
		if err := db.SQL.QueryRow("SELECT version, dirty FROM schema_migrations").Scan(&version, &dirty); err != nil {
			t.Fatalf("schema_migrations: %v", err)
		}
		if newest := newestVersion(t, db.Dialect); version != newest || dirty {
			t.Errorf("schema_migrations = (%d, dirty=%v), want (%d, false)", version, dirty, newest)
		}
	})
}

// Every table has its own 2^32 range of IDs (sql/globalid), so an ID alone names the node type, as GraphQL's
// node(id:) needs.
func TestGlobalUniqueIDs(t *testing.T) {
	var starts map[string]int
	if err := json.Unmarshal([]byte(internal.IncrementStarts), &starts); err != nil {
		t.Fatal(err)
	}
	inRange := func(t *testing.T, what string, id int, table string) {
		t.Helper()
		start, ok := starts[table]
		if !ok {
			t.Fatalf("no ID range for table %s in ent/internal/globalid.go", table)
		}
		if id < start || id >= start+1<<32 {
			t.Errorf("%s ID %d outside the %s range [%d, %d)", what, id, table, start, start+1<<32)
		}
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := allow()
		tn, err := db.Client.Tenant.Create().SetName("District One").SetKind(tenant.KindDistrict).Save(ctx)
		if err != nil {
			t.Fatalf("create tenant: %v", err)
		}
		u, err := db.Client.User.Create().
			SetTenantID(tn.ID).
			SetLogin("a.b").
			SetDisplayName("A B").
			SetRole(authz.DistrictAdmin).
			SetPasswordHash("not-a-real-hash").
			Save(ctx)
		if err != nil {
			t.Fatalf("create user: %v", err)
		}
		t.Logf("tenant ID %d, user ID %d", tn.ID, u.ID)
		inRange(t, "tenant", tn.ID, "tenants")
		inRange(t, "user", u.ID, "users")
		if tn.ID>>32 == u.ID>>32 {
			t.Errorf("tenant %d and user %d share a 2^32 ID range", tn.ID, u.ID)
		}
		logs, err := db.Client.AuditLog.Query().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(logs) < 2 {
			t.Errorf("got %d audit log rows, want one per create", len(logs))
		}
		for _, l := range logs {
			inRange(t, "audit log", l.ID, "audit_logs")
		}
		// The range is what lets the Node resolver find the type from the ID alone.
		for id, want := range map[int]string{tn.ID: "Tenant", u.ID: "User"} {
			n, err := db.Client.Noder(ctx, id)
			if err != nil {
				t.Errorf("Noder(%d): %v", id, err)
				continue
			}
			var got string
			switch n.(type) {
			case *ent.Tenant:
				got = "Tenant"
			case *ent.User:
				got = "User"
			}
			if got != want {
				t.Errorf("Noder(%d) = %T, want %s", id, n, want)
			}
		}
	})
}

func TestOpenRejectsBadURL(t *testing.T) {
	for _, tc := range []struct{ url, dataDir, want string }{
		{"mysql://root:s3cret@db:3306/app", t.TempDir(), `unsupported URL scheme "mysql"`},
		{"localhost:5432/app", t.TempDir(), `unsupported URL scheme "localhost"`},
		{"", "", "no data directory"},
		{"sqlite://", "", "names no file"},
	} {
		db, err := database.Open(context.Background(), tc.url, tc.dataDir)
		if err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want an error", tc.url)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q) error = %q, want it to mention %q", tc.url, err, tc.want)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%q) error leaks the password: %q", tc.url, err)
		}
	}
}

func TestSQLiteFileSurvivesReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // does not exist yet: Open creates it
	db, err := database.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Client.Tenant.Create().SetName("D").SetKind(tenant.KindDistrict).Save(allow()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, database.SQLiteFile)); err != nil {
		t.Fatal(err)
	}
	// The second Open finds the migrations applied (golang-migrate's ErrNoChange) and keeps the data.
	db, err = database.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if n, err := db.Client.Tenant.Query().Count(allow()); err != nil || n != 1 {
		t.Fatalf("tenants after reopen = %d, %v; want 1", n, err)
	}
}

func TestSQLiteURLForms(t *testing.T) {
	dir := t.TempDir()
	for _, u := range []string{
		"sqlite://" + filepath.Join(dir, "a.db"), // absolute path: sqlite:///tmp/…
		"sqlite:" + filepath.Join(dir, "b.db"),
		"file:" + filepath.Join(dir, "c.db"),
	} {
		db, err := database.Open(context.Background(), u, "")
		if err != nil {
			t.Errorf("Open(%q): %v", u, err)
			continue
		}
		if db.Dialect != dialect.SQLite {
			t.Errorf("Open(%q).Dialect = %q", u, db.Dialect)
		}
		db.Close()
	}
	for _, f := range []string{"a.db", "b.db", "c.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not created: %v", f, err)
		}
	}
}

// Every pooled connection gets the pragmas, not only the first one.
func TestSQLitePragmas(t *testing.T) {
	db := dbtest.SQLite(t)
	ctx := context.Background()
	var conns []interface{ Close() error }
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range 3 {
		c, err := db.SQL.Conn(ctx) // held open, so each iteration gets a different connection
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var (
			fk, busy int
			journal  string
		)
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || busy != 10000 || journal != "wal" {
			t.Errorf("connection %d: foreign_keys=%d busy_timeout=%d journal_mode=%s; want 1, 10000, wal", i, fk, busy, journal)
		}
	}
}

// Transactions that read and then write must queue, not fail: with SQLite's default deferred BEGIN, the loser of
// such a race gets SQLITE_BUSY at once, without waiting for busy_timeout. The "deferred" subtest shows the test
// catches that; "default" is what Open configures (_txlock=immediate).
func TestSQLiteConcurrentWriteTransactions(t *testing.T) {
	run := func(t *testing.T, db *database.DB) []error {
		if _, err := db.SQL.Exec("CREATE TABLE counter (n integer)"); err != nil {
			t.Fatal(err)
		}
		const workers = 6
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for i := range workers {
			wg.Go(func() {
				errs[i] = func() error {
					tx, err := db.SQL.Begin()
					if err != nil {
						return err
					}
					defer tx.Rollback()
					var n int
					if err := tx.QueryRow("SELECT COUNT(*) FROM counter").Scan(&n); err != nil {
						return err
					}
					time.Sleep(20 * time.Millisecond) // let the others read too
					if _, err := tx.Exec("INSERT INTO counter (n) VALUES (?)", n+1); err != nil {
						return err
					}
					return tx.Commit()
				}()
			})
		}
		wg.Wait()
		return errs
	}

	t.Run("default", func(t *testing.T) {
		db := dbtest.SQLite(t)
		for i, err := range run(t, db) {
			if err != nil {
				t.Errorf("transaction %d: %v", i, err)
			}
		}
		var n, maxN int
		if err := db.SQL.QueryRow("SELECT COUNT(*), MAX(n) FROM counter").Scan(&n, &maxN); err != nil {
			t.Fatal(err)
		}
		if n != 6 || maxN != 6 { // serialized: each transaction saw all earlier ones
			t.Errorf("rows=%d max=%d, want 6 and 6", n, maxN)
		}
	})
	t.Run("deferred", func(t *testing.T) {
		db, err := database.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "d.db")+"?_txlock=deferred", "")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = errors.Join(run(t, db)...)
		t.Logf("deferred: %v", err)
		if err == nil || !strings.Contains(err.Error(), "database is locked") {
			t.Errorf("with _txlock=deferred, want SQLITE_BUSY (database is locked) failures, got %v", err)
		}
	})
}

func TestCloseClosesPool(t *testing.T) {
	db, err := database.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(context.Background()); err == nil {
		t.Error("Ping after Close succeeded")
	}
}

// newestVersion is the version of the last migration file for the dialect.
func newestVersion(t *testing.T, dia string) int64 {
	t.Helper()
	dir := map[string]string{dialect.Postgres: "postgres", dialect.SQLite: "sqlite"}[dia]
	entries, err := os.ReadDir(filepath.Join("..", "..", "migrations", dir))
	if err != nil {
		t.Fatal(err)
	}
	var newest int64
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		if !ok || !strings.HasSuffix(e.Name(), ".up.sql") {
			continue
		}
		if v, err := strconv.ParseInt(prefix, 10, 64); err == nil && v > newest {
			newest = v
		}
	}
	if newest == 0 {
		t.Fatalf("no migrations in %s", dir)
	}
	return newest
}

func lastPart(name string) string { return name[strings.LastIndex(name, "/")+1:] }
