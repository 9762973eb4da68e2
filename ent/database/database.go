// Package database opens the application database (PostgreSQL, or an embedded SQLite file when no URL is
// configured), applies the embedded migrations and returns a ready ent client.
package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // database/sql driver "sqlite" (pure Go, no cgo)

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/authzstore"
	"github.com/campushealth/campushealth/ent/database/pgpipe"
	_ "github.com/campushealth/campushealth/ent/runtime" // registers the privacy policies and hooks
	"github.com/campushealth/campushealth/migrations"
)

// SQLiteFile is the name of the embedded database inside the data directory.
const SQLiteFile = "campushealth.db"

// DB is the opened database: the ent client for application code, and the pool underneath it for health
// checks and the rare raw query.
type DB struct {
	Client *ent.Client
	SQL    *sql.DB
	// Dialect is dialect.Postgres ("postgres") or dialect.SQLite ("sqlite3").
	Dialect string
}

// Open connects to databaseURL and migrates it to the newest schema.
//
//   - postgres://… or postgresql://… opens PostgreSQL through pgx.
//   - "" opens (creating it if needed) the SQLite file <dataDir>/campushealth.db.
//   - sqlite://PATH, sqlite:PATH or file:PATH opens that SQLite file; query parameters are passed to the driver
//     after the defaults below, so they can override them (except the time settings, see openSQLite).
func Open(ctx context.Context, databaseURL, dataDir string) (*DB, error) {
	databaseURL = strings.TrimSpace(databaseURL)
	var (
		db  *sql.DB
		dia string
		err error
	)
	switch scheme, _, _ := strings.Cut(databaseURL, ":"); strings.ToLower(scheme) {
	case "postgres", "postgresql":
		dia = dialect.Postgres
		db, err = openPostgres(databaseURL)
	case "":
		if databaseURL != "" {
			return nil, errors.New("database: URL has no scheme; want postgres://…, sqlite:PATH or empty for the embedded database")
		}
		if dataDir == "" {
			return nil, errors.New("database: no database URL and no data directory for the embedded SQLite database")
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("database: create data directory: %w", err)
		}
		dia = dialect.SQLite
		db, err = openSQLite(filepath.Join(dataDir, SQLiteFile), nil)
	case "sqlite", "sqlite3", "file":
		dia = dialect.SQLite
		db, err = openSQLiteURL(databaseURL)
	default:
		// Don't echo the URL: it may carry a password.
		return nil, fmt.Errorf("database: unsupported URL scheme %q; want postgres://, postgresql://, sqlite:, file: or an empty URL for the embedded SQLite database", scheme)
	}
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", dia, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: connect %s: %w", dia, err)
	}
	if err := migrations.Apply(ctx, db, dia); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: %w", err)
	}
	// The client carries the database's Casbin enforcer: the catalog is seeded and every tree loaded here.
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dia, db)), ent.Authz(authz.New()))
	if err := authzstore.Open(ctx, client); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: permissions: %w", err)
	}
	return &DB{Client: client, SQL: db, Dialect: dia}, nil
}

// Close closes the ent client and with it the connection pool.
func (d *DB) Close() error { return d.Client.Close() }

// Ping checks that the database answers; for readiness probes.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

func openPostgres(u string) (*sql.DB, error) {
	// pgx through database/sql (ent's driver), pipelined: BEGIN goes with a transaction's first statement, and
	// its audit entries with its COMMIT (pgpipe).
	connector, err := stdlib.GetDefaultDriver().(driver.DriverContext).OpenConnector(u)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(pgpipe.Connector(connector))
	// database/sql's default is an unbounded pool; bound it so a burst of requests queues in the app instead of
	// exhausting PostgreSQL's max_connections (100 by default) across replicas.
	db.SetMaxOpenConns(20)
	// Keep every connection open between bursts: database/sql closes a connection it cannot park idle, and a
	// new PostgreSQL connection is a forked backend plus a fresh prepared-statement cache (milliseconds, where a
	// query takes tens of microseconds).
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	// Recycle connections so failovers and load-balancer changes are picked up.
	db.SetConnMaxLifetime(30 * time.Minute)
	return db, nil
}

// fixedSQLiteParams are the driver settings times are stored and compared by; see openSQLite.
var fixedSQLiteParams = map[string]string{"_time_format": "sqlite", "_timezone": "UTC"}

// openSQLiteURL accepts sqlite://PATH, sqlite:PATH and file:PATH (an SQLite URI, so mode=memory etc. work).
func openSQLiteURL(u string) (*sql.DB, error) {
	scheme, rest, _ := strings.Cut(u, ":")
	path, rawQuery, _ := strings.Cut(rest, "?")
	extra, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, fmt.Errorf("bad query in SQLite URL: %w", err)
	}
	if strings.EqualFold(scheme, "file") {
		path = "file:" + path
	} else {
		path = strings.TrimPrefix(path, "//") // sqlite://rel/x.db and sqlite:///abs/x.db
	}
	if path == "" || path == "file:" {
		return nil, errors.New("SQLite URL names no file")
	}
	return openSQLite(path, extra)
}

// openSQLite opens the file with modernc.org/sqlite. The settings every connection needs:
//
//   - foreign_keys(1): SQLite ignores foreign keys unless asked, and ent's migrator refuses to run without them.
//   - journal_mode(WAL): readers don't block the writer and vice versa.
//   - busy_timeout(10000): wait up to 10 s for a lock instead of failing at once with SQLITE_BUSY.
//   - _txlock=immediate: take the write lock at BEGIN. With the default deferred BEGIN, a transaction that reads
//     and then writes fails with SQLITE_BUSY, without waiting, when another writer got in between; an immediate
//     BEGIN waits (busy_timeout) instead.
//   - _time_format=sqlite: store times as "2006-01-02 15:04:05.999999999-07:00", which SQLite's date functions
//     understand, instead of Go's time.String() (which may carry a monotonic clock suffix).
//   - _timezone=UTC: the driver converts every time.Time it binds (inserted, updated or compared in a WHERE) to
//     UTC before formatting it, so every stored time and every parameter reads "…+00:00". SQLite has no time
//     type: it compares these columns as text, which orders instants correctly only when all of them carry the
//     same offset (and the fixed layout above, whose fraction drops trailing zeros, then sorts as the instants
//     do). Left to the caller's zone, a follow-up recorded at 00:30 in Shanghai as 16:30 UTC the day before
//     fell outside that day's window [00:00+08:00, …). Times read back are the same instants, in UTC (pgx
//     gives PostgreSQL's in time.Local: code must not rely on either). Rows written before this setting keep
//     their offsets until migrations/sqlite/20261207030000_sqlite_utc_times.up.sql rewrites them.
//
// _time_format and _timezone cannot be overridden: the comparisons depend on them.
func openSQLite(path string, extra url.Values) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Set("_txlock", "immediate")
	for k, want := range fixedSQLiteParams {
		if vs, ok := extra[k]; ok && (len(vs) != 1 || vs[0] != want) {
			return nil, fmt.Errorf("SQLite URL sets %s=%s: the application needs %s=%s", k, strings.Join(vs, ","), k, want)
		}
		q.Set(k, want)
	}
	for k, vs := range extra {
		if k == "_pragma" {
			q[k] = append(q[k], vs...) // run after ours, so they win
		} else {
			q[k] = vs
		}
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// SQLite has one writer at a time anyway; a few connections let readers run beside it under WAL.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	return db, nil
}
