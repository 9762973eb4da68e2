// Package migrations holds the versioned SQL schema, one directory per dialect, and applies it.
//
// The files are generated from the ent schema by generate.go (see its header) and applied with
// golang-migrate; ent's auto-migration (client.Schema.Create) is never used, so what runs in production is
// exactly what was reviewed. Never edit a generated file by hand: atlas.sum pins their checksums.
//
// One file is written by hand: sqlite/20261207030000_sqlite_utc_times.up.sql, data only, rewrites the times
// SQLite databases stored in their writers' UTC offsets in UTC, the offset ent/database binds every time in
// since (TestSQLiteUTCTimes checks it names every time column the schema had then). Its line in atlas.sum was
// computed as generate.go computes the others' (atlas's migrate.WriteSumFile over the directory).
package migrations

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	"github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/database/sqlite"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	pgxconn "github.com/jackc/pgx/v5"
)

// Dialect names accepted by Apply; they equal entgo.io/ent/dialect.Postgres and dialect.SQLite.
const (
	Postgres = "postgres"
	SQLite   = "sqlite3"
)

//go:embed postgres/*.sql sqlite/*.sql
var embedded embed.FS

// files is what Apply reads; a variable so tests can substitute other migrations.
var files fs.FS = embedded

// sqliteMu stands in for the lock golang-migrate's sqlite driver doesn't take; see Apply.
var sqliteMu sync.Mutex

// lockTimeout bounds how long Apply waits for another replica that is migrating the same PostgreSQL database.
// golang-migrate's default (15 s) is too short for a slow migration; waiting longer is harmless.
const lockTimeout = 10 * time.Minute

// Apply brings the database up to the newest embedded migration. Having nothing to do is success.
//
// It does not close db. golang-migrate's Close closes the *sql.DB handed to WithInstance, so golang-migrate
// never sees db itself: it runs on a private single-connection pool around one connection borrowed from db
// (see withBorrowedConn), which goes back to db afterwards.
//
// On PostgreSQL, replicas starting at once are safe: golang-migrate holds a session advisory lock
// (pg_advisory_lock, keyed by database, schema and migrations table) while it reads the version and runs the
// files, so the others wait, then find nothing to do. golang-migrate's SQLite "lock" is only a flag on its
// driver value, so Apply serializes SQLite runs within the process itself; the embedded database is meant for
// a single process, and two processes migrating one file at once are not protected.
func Apply(ctx context.Context, db *sql.DB, dialect string) error {
	var err error
	switch dialect {
	case Postgres:
		err = withBorrowedConn(ctx, db, applyPostgres)
	case SQLite, "sqlite":
		sqliteMu.Lock()
		defer sqliteMu.Unlock()
		err = withBorrowedConn(ctx, db, applySQLite)
	default:
		return fmt.Errorf("migrations: unsupported dialect %q (want %q or %q)", dialect, Postgres, SQLite)
	}
	if err != nil {
		return fmt.Errorf("migrations: %s: %w", dialect, err)
	}
	return nil
}

func applyPostgres(ctx context.Context, private *sql.DB, raw driver.Conn) error {
	// pgx's stdlib connection, or a wrapper of it (database/pgpipe): either hands out the pgx connection.
	if _, ok := raw.(interface{ Conn() *pgxconn.Conn }); !ok {
		return fmt.Errorf("want a pgx (github.com/jackc/pgx/v5/stdlib) *sql.DB, got driver connection %T", raw)
	}
	drv, err := pgx.WithInstance(private, &pgx.Config{})
	if err != nil {
		return err
	}
	err = up(ctx, "postgres", drv)
	// Releases the *sql.Conn the driver pinned for the advisory lock and closes the private pool.
	return errors.Join(err, drv.Close())
}

// applySQLite turns foreign keys off around the migrations, as SQLite requires for the table rebuilds Atlas
// writes for most column changes (create new_x, copy, DROP TABLE x, rename). Atlas's own
// "PRAGMA foreign_keys = off" inside the file does nothing, because golang-migrate wraps each file in a
// transaction and SQLite ignores that pragma inside one. With foreign keys on, the DROP TABLE fails when child
// rows exist, or worse, runs ON DELETE SET NULL / CASCADE on them. Afterwards foreign_key_check makes sure the
// migrations left no dangling reference.
func applySQLite(ctx context.Context, private *sql.DB, _ driver.Conn) error {
	var fk int
	if err := private.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return err
	}
	if _, err := private.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	drv, err := sqlite.WithInstance(private, &sqlite.Config{})
	if err == nil {
		err = up(ctx, "sqlite", drv)
	}
	if err == nil {
		err = foreignKeyCheck(ctx, private)
	}
	if _, rerr := private.ExecContext(ctx, fmt.Sprintf("PRAGMA foreign_keys = %d", fk)); rerr != nil {
		err = errors.Join(err, rerr)
	}
	// The sqlite driver's Close would only close the private pool, which withBorrowedConn does.
	return err
}

func foreignKeyCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var (
			table, parent string
			rowid         sql.NullInt64
			fkid          int
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		return fmt.Errorf("after migrating, %s row %d references a missing %s row (PRAGMA foreign_key_check)", table, rowid.Int64, parent)
	}
	return rows.Err()
}

// withBorrowedConn runs fn on a private *sql.DB whose single connection is a physical connection borrowed from
// db with sql.Conn.Raw. Closing the private pool doesn't close that connection; it returns to db when Raw's
// callback ends (so everything happens inside the callback, as Raw requires). The single connection also
// keeps session state (PostgreSQL advisory lock, SQLite pragmas) on one session.
//
// After a failure the connection is discarded instead of returned: it may still be inside a statement
// (golang-migrate gives up waiting for the lock but leaves the query running), hold the advisory lock or have
// foreign keys off. Discarding it ends the session, and PostgreSQL releases the lock.
func withBorrowedConn(ctx context.Context, db *sql.DB, fn func(ctx context.Context, private *sql.DB, raw driver.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var fnErr error
	err = conn.Raw(func(dc any) error {
		raw := dc.(driver.Conn)
		private := sql.OpenDB(borrowedConnector{conn: raw, drv: db.Driver()})
		private.SetMaxOpenConns(1)
		fnErr = fn(ctx, private, raw)
		if cerr := private.Close(); cerr != nil && fnErr == nil {
			fnErr = cerr
		}
		if fnErr != nil {
			return driver.ErrBadConn
		}
		return nil
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}

// up applies the files of one dialect directory through drv.
func up(ctx context.Context, dir string, drv database.Driver) error {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		return err
	}
	src, err := iofs.New(sub, ".")
	if err != nil {
		return err
	}
	defer src.Close()
	m, err := migrate.NewWithInstance("iofs", src, dir, drv)
	if err != nil {
		return err
	}
	m.LockTimeout = lockTimeout
	// golang-migrate takes no context; stop between two files when ctx ends.
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			select {
			case m.GracefulStop <- true:
			default:
			}
		case <-done:
		}
	}()
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return err
	}
	return ctx.Err()
}

// borrowedConnector hands out one already-open driver connection and never closes it; see withBorrowedConn.
type borrowedConnector struct {
	conn driver.Conn
	drv  driver.Driver
}

func (c borrowedConnector) Connect(context.Context) (driver.Conn, error) { return noClose{c.conn}, nil }

func (c borrowedConnector) Driver() driver.Driver { return c.drv }

// noClose forwards to the borrowed connection, except Close. database/sql looks for optional interfaces on the
// connection it gets, so the ones that matter are forwarded explicitly: ExecerContext in particular, because
// a migration file is several statements in one Exec, which the prepare-then-execute fallback may not support.
// A missing interface answers driver.ErrSkip, which tells database/sql to fall back.
type noClose struct{ driver.Conn }

func (noClose) Close() error { return nil }

func (c noClose) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := c.Conn.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c noClose) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := c.Conn.(driver.QueryerContext); ok {
		return q.QueryContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c noClose) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c noClose) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() // drivers without BeginTx
}

func (c noClose) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.Conn.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
