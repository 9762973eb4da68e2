package pgpipe_test

import (
	"context"
	"database/sql"
	"reflect"
	"slices"
	"testing"

	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/database/pgpipe"
)

type fixture struct {
	t   *testing.T
	db  *database.DB
	ctx context.Context
}

func setUp(t *testing.T, db *database.DB) *fixture {
	f := &fixture{t: t, db: db, ctx: context.Background()}
	if _, err := db.SQL.ExecContext(f.ctx, `CREATE TABLE pipe (k varchar(8) PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) keys() []string {
	f.t.Helper()
	rows, err := f.db.SQL.QueryContext(f.ctx, `SELECT k FROM pipe ORDER BY k`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

// inTx runs fn in a transaction and commits it, or rolls it back when fn fails.
func (f *fixture) inTx(fn func(tx *sql.Tx) error) error {
	f.t.Helper()
	tx, err := f.db.SQL.BeginTx(f.ctx, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			f.t.Errorf("rollback: %v", rerr)
		}
		return err
	}
	return tx.Commit()
}

func (f *fixture) want(when string, keys ...string) {
	f.t.Helper()
	if got := f.keys(); !slices.Equal(got, keys) {
		f.t.Fatalf("%s: rows %v, want %v", when, got, keys)
	}
}

// On both databases a statement held for the commit behaves as if it ran where it was written: it commits
// with its transaction, fails the commit when it fails, goes when the transaction is rolled back, and is
// seen by the statements after it. (SQLite runs it at once; PostgreSQL sends it with the COMMIT.)
func TestHeldStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setUp(t, db)
		held := pgpipe.AtCommit(f.ctx)

		if err := f.inTx(func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('a')`); err != nil {
				return err
			}
			_, err := tx.ExecContext(held, `INSERT INTO pipe VALUES ($1)`, "b")
			return err
		}); err != nil {
			t.Fatalf("commit with a held insert: %v", err)
		}
		f.want("after commit", "a", "b")

		var heldErr error
		err := f.inTx(func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('c')`); err != nil {
				return err
			}
			_, heldErr = tx.ExecContext(held, `INSERT INTO pipe VALUES ('a')`) // a duplicate key
			return heldErr
		})
		if err == nil {
			t.Fatal("a transaction whose held insert breaks a unique key committed")
		}
		if db.Dialect == "postgres" && heldErr != nil {
			t.Errorf("the held insert failed at once (%v): on PostgreSQL it should travel with the COMMIT", heldErr)
		}
		f.want("after the failed commit (nothing of it kept)", "a", "b")

		tx, err := db.SQL.BeginTx(f.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(held, `INSERT INTO pipe VALUES ('d')`); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		f.want("after rollback", "a", "b")

		if err := f.inTx(func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(held, `INSERT INTO pipe VALUES ('e')`); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(f.ctx, `SELECT count(*) FROM pipe WHERE k = 'e'`).Scan(&n); err != nil {
				return err
			}
			if n != 1 {
				t.Errorf("the transaction does not see its held insert (count %d)", n)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}

		if _, err := db.SQL.ExecContext(held, `INSERT INTO pipe VALUES ('f')`); err != nil {
			t.Fatal(err)
		}
		f.want("outside a transaction it runs at once", "a", "b", "e", "f")
	})
}

// The BEGIN that waits for a transaction's first statement still makes it a transaction: others do not see
// its writes before the commit, a rollback undoes its first statement too, an error in its first statement
// leaves the connection usable, and an empty transaction commits.
func TestDeferredBegin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setUp(t, db)

		tx, err := db.SQL.BeginTx(f.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('a')`); err != nil {
			t.Fatal(err)
		}
		if db.Dialect == "postgres" { // SQLite's writer would block this reader's connection, not hide the row
			f.want("before the commit, seen from another connection")
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		f.want("after commit", "a")

		tx, err = db.SQL.BeginTx(f.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('b')`); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		f.want("after rolling back a first statement", "a")

		if err := f.inTx(func(tx *sql.Tx) error {
			_, err := tx.QueryContext(f.ctx, `SELECT nothing FROM nowhere`)
			return err
		}); err == nil {
			t.Fatal("a bad first statement did not fail")
		}
		if err := f.inTx(func(*sql.Tx) error { return nil }); err != nil {
			t.Fatalf("empty transaction: %v", err)
		}
		db.SQL.SetMaxOpenConns(1) // the next statements reuse the connection the failures ran on
		if err := f.inTx(func(tx *sql.Tx) error {
			_, err := tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('c')`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		f.want("after a failed and an empty transaction", "a", "c")

		// A script (several statements, no arguments) may come first.
		if err := f.inTx(func(tx *sql.Tx) error {
			_, err := tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('s1'); INSERT INTO pipe VALUES ('s2')`)
			return err
		}); err != nil {
			t.Fatalf("a script as the first statement: %v", err)
		}
		f.want("after a script", "a", "c", "s1", "s2")

		// On PostgreSQL a failed statement spoils its transaction: a commit after it, the error ignored,
		// must fail and keep nothing, with or without statements held for it.
		if db.Dialect == "postgres" {
			for _, hold := range []bool{false, true} {
				tx, err := db.SQL.BeginTx(f.ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('x')`); err != nil {
					t.Fatal(err)
				}
				if _, err := tx.ExecContext(f.ctx, `INSERT INTO nowhere VALUES (1)`); err == nil {
					t.Fatal("an insert into a missing table succeeded")
				}
				if hold {
					if _, err := tx.ExecContext(pgpipe.AtCommit(f.ctx), `INSERT INTO pipe VALUES ($1)`, "y"); err != nil {
						t.Fatal(err)
					}
				}
				if err := tx.Commit(); err == nil {
					t.Errorf("a transaction with a failed statement committed (held statements: %v)", hold)
				}
				f.want("after committing a failed transaction", "a", "c", "s1", "s2")
			}
		}

		// Read-only transactions are honoured when the BEGIN is deferred.
		ro, err := db.SQL.BeginTx(f.ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ro.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('d')`)
		ro.Rollback()
		if db.Dialect == "postgres" && err == nil {
			t.Error("a read-only transaction wrote")
		}
	})
}

// Rows read by a transaction's first statement (sent in a batch with its BEGIN) come back as the same Go
// values as rows read outside a transaction (pgx's own database/sql rows): every column type the schema
// uses, and NULL.
func TestFirstStatementRows(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	if _, err := db.SQL.ExecContext(ctx, `CREATE TABLE kinds (id bigint, n int, s smallint, f double precision,
		b boolean, t varchar, at timestamptz, d date, j jsonb, raw bytea, nothing text)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, `INSERT INTO kinds VALUES (4294967296, -7, 3, 36.6, true, '晨检',
		'2026-11-23 08:15:00+08', '2026-11-23', '{"fever": [1, 2]}', '\x00ff', NULL)`); err != nil {
		t.Fatal(err)
	}
	scan := func(q interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}) []any {
		t.Helper()
		rows, err := q.QueryContext(ctx, `SELECT * FROM kinds`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if !rows.Next() {
			t.Fatalf("no row: %v", rows.Err())
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		return vals
	}
	outside := scan(db.SQL)
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	first := scan(tx)
	if !reflect.DeepEqual(first, outside) {
		t.Errorf("first statement of a transaction read\n%#v\nwant (as outside one)\n%#v", first, outside)
	}
}

// A transaction whose context ends — before its first statement or after — keeps nothing, and the
// connection serves the next transaction cleanly.
func TestCancelledTransactions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setUp(t, db)
		db.SQL.SetMaxOpenConns(1) // every transaction below runs on the same connection

		ctx, cancel := context.WithCancel(f.ctx)
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		cancel() // before anything was sent; database/sql rolls back in the background, so a statement
		// may still slip in, but it is not kept
		tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('a')`)
		if err := tx.Commit(); err == nil {
			t.Error("a transaction whose context had ended committed")
		}

		ctx, cancel = context.WithCancel(f.ctx)
		tx, err = db.SQL.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO pipe VALUES ('b')`); err != nil {
			t.Fatal(err)
		}
		cancel() // after the BEGIN and a write went
		if err := tx.Commit(); err == nil {
			t.Error("a transaction whose context had ended committed")
		}

		if err := f.inTx(func(tx *sql.Tx) error {
			_, err := tx.ExecContext(f.ctx, `INSERT INTO pipe VALUES ('c')`)
			return err
		}); err != nil {
			t.Fatalf("the next transaction: %v", err)
		}
		f.want("after two cancelled transactions", "c")
	})
}
