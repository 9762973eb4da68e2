package migrations_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"

	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/migrations"
)

var tables = []string{"tenants", "users", "sessions", "api_tokens", "audit_logs"}

// The dialect constants must stay equal to ent's, which database.Open passes in.
func TestDialectNames(t *testing.T) {
	if migrations.Postgres != dialect.Postgres || migrations.SQLite != dialect.SQLite {
		t.Fatalf("dialects %q/%q, ent uses %q/%q", migrations.Postgres, migrations.SQLite, dialect.Postgres, dialect.SQLite)
	}
}

// The generated files must match atlas.sum: a hand-edited migration would otherwise replay differently on the
// dev database than it ran in production.
func TestDirectoriesMatchAtlasSum(t *testing.T) {
	for _, d := range []string{"postgres", "sqlite"} {
		dir, err := sqltool.NewGolangMigrateDir(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := atlasmigrate.Validate(dir); err != nil {
			t.Errorf("%s: %v (regenerate with go run -mod=mod ./migrations/generate.go NAME; never edit the files)", d, err)
		}
		files, err := dir.Files()
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Errorf("%s: no migrations", d)
		}
	}
}

// database.Open has already applied everything once; applying again is a no-op, leaves the caller's pool open,
// returns every connection it borrowed, and leaves no advisory lock behind.
func TestApplyAgainIsNoOpAndKeepsPool(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		before := version(t, db.SQL)
		for i := range 2 {
			if err := migrations.Apply(ctx, db.SQL, db.Dialect); err != nil {
				t.Fatalf("Apply #%d: %v", i+1, err)
			}
		}
		if got := version(t, db.SQL); got != before {
			t.Errorf("version changed from %d to %d", before, got)
		}
		if err := db.SQL.PingContext(ctx); err != nil {
			t.Fatalf("caller's *sql.DB unusable after Apply: %v", err)
		}
		if inUse := db.SQL.Stats().InUse; inUse != 0 {
			t.Errorf("%d connections still checked out after Apply", inUse)
		}
		if db.Dialect == dialect.Postgres {
			var locks int
			if err := db.SQL.QueryRow("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())").Scan(&locks); err != nil {
				t.Fatal(err)
			}
			if locks != 0 {
				t.Errorf("%d advisory locks still held after Apply", locks)
			}
		}
		// The ent client on the same pool still works.
		if _, err := db.Client.Tenant.Query().Count(ctx); err == nil || !strings.Contains(err.Error(), "privacy") {
			// Without a viewer the privacy policy denies; any other error means the pool is broken.
			t.Errorf("ent query after Apply: %v, want a privacy denial", err)
		}
	})
}

// Several replicas starting at once against an empty PostgreSQL database: golang-migrate's advisory lock makes
// one of them migrate while the others wait and then find nothing to do. Without the lock they would race on
// CREATE TABLE and fail.
func TestConcurrentApplyPostgres(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	if _, err := db.SQL.Exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public"); err != nil {
		t.Fatal(err)
	}
	const replicas = 5
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		// Each Apply borrows its own connection, i.e. its own session, like separate processes would.
		wg.Go(func() { errs[i] = migrations.Apply(ctx, db.SQL, migrations.Postgres) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	assertTables(t, db.SQL)
	var dirty bool
	if err := db.SQL.QueryRow("SELECT dirty FROM schema_migrations").Scan(&dirty); err != nil || dirty {
		t.Errorf("schema_migrations dirty=%v err=%v", dirty, err)
	}
}

// Apply on a plain database/sql pool (no database.Open): fresh SQLite file, twice, and the global-ID sequence
// seeds are in place.
func TestApplySQLiteFresh(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for i := range 2 {
		if err := migrations.Apply(ctx, db, migrations.SQLite); err != nil {
			t.Fatalf("Apply #%d: %v", i+1, err)
		}
	}
	assertTables(t, db)
	var seq int64
	if err := db.QueryRow("SELECT seq FROM sqlite_sequence WHERE name = 'users'").Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if seq == 0 || seq%(1<<32) != 0 {
		t.Errorf("users sequence starts at %d, want a multiple of 2^32", seq)
	}
}

// golang-migrate's SQLite driver has no real lock; Apply serializes in-process runs itself.
func TestConcurrentApplySQLite(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db")+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = migrations.Apply(context.Background(), db, migrations.SQLite) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Apply %d: %v", i, err)
		}
	}
	assertTables(t, db)
}

func TestApplyRejects(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := migrations.Apply(ctx, db, "mysql"); err == nil || !strings.Contains(err.Error(), "unsupported dialect") {
		t.Errorf("Apply(mysql) = %v, want unsupported dialect", err)
	}
	// The postgres path needs a pgx pool; a different driver is an error, not a panic, and the pool survives.
	if err := migrations.Apply(ctx, db, migrations.Postgres); err == nil || !strings.Contains(err.Error(), "pgx") {
		t.Errorf("Apply(postgres) on a SQLite pool = %v, want an error naming pgx", err)
	}
	if err := db.Ping(); err != nil {
		t.Errorf("pool unusable after rejected Apply: %v", err)
	}
}

func version(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	var v int64
	if err := db.QueryRow("SELECT version FROM schema_migrations").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func assertTables(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, table := range tables {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
}
