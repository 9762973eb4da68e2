// Package pgpipe saves round trips to PostgreSQL in every transaction by pipelining: a transaction's BEGIN
// travels with its first statement (as PgJDBC does), and statements marked with AtCommit travel with its
// COMMIT. A class check submission needed six round trips; it now needs four (sign-in; BEGIN with the class
// read; the insert; the audit entries with the COMMIT).
//
// Nothing changes for callers: statements run in the order written, a transaction sees its own held
// statements (they are sent before anything else it runs), a failure fails the statement or the commit it
// travels with, and a transaction that never ran a statement costs no round trip at all. Connections not
// opened through Connector (SQLite) run everything at once, so code behaves the same on every database.
package pgpipe

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

type atCommitKey struct{}

// AtCommit marks ctx so that an Exec made with it inside a transaction is sent with the COMMIT. Its result
// (rows affected) is not known when the Exec returns: use it only for writes whose one outcome is success
// or failure, such as audit entries, and only for one statement at a time (a batch takes no scripts). A
// failure fails the commit, and nothing of the transaction is kept.
func AtCommit(ctx context.Context) context.Context {
	return context.WithValue(ctx, atCommitKey{}, true)
}

func atCommit(ctx context.Context) bool { v, _ := ctx.Value(atCommitKey{}).(bool); return v }

// Connector wraps pgx's database/sql connector (stdlib) so that its connections pipeline.
func Connector(c driver.Connector) driver.Connector { return connector{c} }

type connector struct{ driver.Connector }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := dc.(*stdlib.Conn)
	if !ok {
		dc.Close()
		return nil, fmt.Errorf("pgpipe: want a pgx stdlib connection, got %T", dc)
	}
	return &conn{stdConn: sc}, nil
}

// stdConn names pgx's connection so that, embedded, it keeps its Conn method (the *pgx.Conn, which
// migrations and benchmarks ask for) instead of being shadowed by a field called Conn.
type stdConn = stdlib.Conn

// conn is pgx's connection plus what the open transaction has not sent yet. database/sql uses a connection
// from one goroutine at a time, so it needs no lock.
type conn struct {
	*stdConn
	tx      *txn     // the open transaction, nil outside one
	pending []queued // unsent: the BEGIN, then statements held for the commit
}

type queued struct {
	query string
	args  []any
}

// BeginTx sends nothing: the BEGIN waits for the transaction's first statement.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.Conn().IsClosed() {
		return nil, driver.ErrBadConn
	}
	begin, err := beginSQL(opts)
	if err != nil {
		return nil, err
	}
	c.tx = &txn{c: c, ctx: ctx}
	c.pending = []queued{{query: begin}}
	return c.tx, nil
}

func beginSQL(opts driver.TxOptions) (string, error) {
	begin := "begin"
	switch opts.Isolation {
	case driver.IsolationLevel(0): // the server's default
	case driver.IsolationLevel(1):
		begin += " isolation level read uncommitted"
	case driver.IsolationLevel(2):
		begin += " isolation level read committed"
	case driver.IsolationLevel(4), driver.IsolationLevel(5): // repeatable read, snapshot
		begin += " isolation level repeatable read"
	case driver.IsolationLevel(6):
		begin += " isolation level serializable"
	default:
		return "", fmt.Errorf("pgpipe: unsupported isolation level %d", opts.Isolation)
	}
	if opts.ReadOnly {
		begin += " read only"
	}
	return begin, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.tx != nil && atCommit(ctx) {
		c.pending = append(c.pending, queued{query, values(args)})
		return heldResult{}, nil
	}
	if len(c.pending) == 0 {
		return c.stdConn.ExecContext(ctx, query, args)
	}
	if len(args) == 0 {
		// It may be several statements (a script), which only the simple protocol takes, and a batch is
		// not: send what waits on its own first.
		res, err := c.send(ctx)
		if err = errors.Join(err, res.Close()); err != nil {
			return nil, err
		}
		return c.stdConn.ExecContext(ctx, query, args)
	}
	res, err := c.send(ctx, queued{query, values(args)})
	if err != nil {
		return nil, errors.Join(err, res.Close())
	}
	tag, err := res.Exec()
	if err = errors.Join(err, res.Close()); err != nil {
		return nil, err
	}
	return driver.RowsAffected(tag.RowsAffected()), nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(c.pending) == 0 {
		return c.stdConn.QueryContext(ctx, query, args)
	}
	res, err := c.send(ctx, queued{query, values(args)})
	if err != nil {
		return nil, errors.Join(err, res.Close())
	}
	r, err := res.Query()
	if err != nil {
		r.Close()
		return nil, errors.Join(err, res.Close())
	}
	return newRows(c.Conn().TypeMap(), r, res), nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	c.tx, c.pending = nil, nil
	return c.stdConn.ResetSession(ctx)
}

// send sends the pending statements and then last (if any), in one round trip, and reads the results of
// the pending ones; last's result is the caller's to read from the returned batch, which it must close.
// After an error PostgreSQL skips the rest of the batch, and a transaction stays open in a failed state for
// the caller to roll back.
func (c *conn) send(ctx context.Context, last ...queued) (pgx.BatchResults, error) {
	b := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(c.pending)+len(last))}
	for _, q := range append(c.pending, last...) {
		b.Queue(q.query, q.args...)
	}
	n := len(c.pending)
	c.pending = nil
	if c.tx != nil {
		c.tx.sent = true
	}
	res := c.Conn().SendBatch(ctx, b)
	for range n {
		if _, err := res.Exec(); err != nil {
			if pgconn.SafeToRetry(err) {
				err = errors.Join(driver.ErrBadConn, err)
			}
			return res, err
		}
	}
	return res, nil
}

func values(args []driver.NamedValue) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

type txn struct {
	c    *conn
	ctx  context.Context // BeginTx's, as pgx's own database/sql transactions use for COMMIT and ROLLBACK
	sent bool            // the BEGIN has gone to the server
}

func (t *txn) Commit() error {
	c := t.c
	c.tx = nil
	if !t.sent && len(c.pending) == 1 { // only the BEGIN: nothing was done, nothing to send
		c.pending = nil
		return nil
	}
	var tag pgconn.CommandTag
	var err error
	if len(c.pending) == 0 {
		tag, err = c.Conn().Exec(t.ctx, "commit") // nothing to pipeline: pgx's plain path is cheaper
	} else {
		var res pgx.BatchResults
		if res, err = c.send(t.ctx, queued{query: "commit"}); err == nil {
			tag, err = res.Exec()
		}
		err = errors.Join(err, res.Close())
	}
	// A transaction that failed earlier answers COMMIT with ROLLBACK, and no error.
	if err == nil && tag.String() == "ROLLBACK" {
		err = pgx.ErrTxCommitRollback
	}
	if err != nil {
		// Leave no transaction open on the connection; if even that fails, database/sql drops it.
		if _, rerr := c.Conn().Exec(t.ctx, "rollback"); rerr != nil {
			err = errors.Join(err, driver.ErrBadConn)
		}
	}
	return err
}

func (t *txn) Rollback() error {
	c := t.c
	c.tx, c.pending = nil, nil
	if !t.sent { // the BEGIN never went: there is nothing to roll back
		return nil
	}
	_, err := c.Conn().Exec(t.ctx, "rollback")
	return err
}

// heldResult stands for a statement not yet run: it affects an unknown number of rows.
type heldResult struct{}

var errHeld = errors.New("pgpipe: the statement runs with the commit; its result is not known yet")

func (heldResult) LastInsertId() (int64, error) { return 0, errHeld }
func (heldResult) RowsAffected() (int64, error) { return 0, errHeld }

// rows gives database/sql the rows of a statement sent in a batch, in the same Go types as pgx's stdlib
// rows (which cannot be built from outside their package): int64, float64, bool, []byte, string and
// time.Time.
type rows struct {
	r      pgx.Rows
	batch  pgx.BatchResults
	decode []func([]byte) (driver.Value, error)
	names  []string
}

func newRows(m *pgtype.Map, r pgx.Rows, batch pgx.BatchResults) *rows {
	fields := r.FieldDescriptions()
	out := &rows{r: r, batch: batch, decode: make([]func([]byte) (driver.Value, error), len(fields)), names: make([]string, len(fields))}
	for i, f := range fields {
		out.names[i] = f.Name
		out.decode[i] = decoder(m, f)
	}
	return out
}

func decoder(m *pgtype.Map, f pgconn.FieldDescription) func([]byte) (driver.Value, error) {
	switch f.DataTypeOID {
	case pgtype.BoolOID:
		return decodeAs[bool](m, f)
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID:
		return decodeAs[int64](m, f)
	case pgtype.Float4OID, pgtype.Float8OID:
		return decodeAs[float64](m, f)
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		return decodeAs[[]byte](m, f)
	case pgtype.DateOID:
		return decodeValuer[pgtype.Date](m, f)
	case pgtype.TimestampOID:
		return decodeValuer[pgtype.Timestamp](m, f)
	case pgtype.TimestamptzOID:
		return decodeValuer[pgtype.Timestamptz](m, f)
	default:
		return decodeAs[string](m, f)
	}
}

func decodeAs[T any](m *pgtype.Map, f pgconn.FieldDescription) func([]byte) (driver.Value, error) {
	var d T
	plan := m.PlanScan(f.DataTypeOID, f.Format, &d)
	return func(src []byte) (driver.Value, error) {
		err := plan.Scan(src, &d)
		return d, err
	}
}

// decodeValuer decodes through pgtype's types whose Value gives what database/sql expects (infinite times
// as strings, as pgx's stdlib does).
func decodeValuer[T any, PT interface {
	*T
	driver.Valuer
}](m *pgtype.Map, f pgconn.FieldDescription) func([]byte) (driver.Value, error) {
	var d T
	plan := m.PlanScan(f.DataTypeOID, f.Format, &d)
	return func(src []byte) (driver.Value, error) {
		if err := plan.Scan(src, &d); err != nil {
			return nil, err
		}
		return PT(&d).Value()
	}
}

func (r *rows) Columns() []string { return r.names }

func (r *rows) Next(dest []driver.Value) error {
	if !r.r.Next() {
		if err := r.r.Err(); err != nil {
			return err
		}
		return io.EOF
	}
	for i, raw := range r.r.RawValues() {
		if raw == nil {
			dest[i] = nil
			continue
		}
		v, err := r.decode[i](raw)
		if err != nil {
			return fmt.Errorf("pgpipe: column %s: %w", r.names[i], err)
		}
		dest[i] = v
	}
	return nil
}

// Close ends the rows and the batch they came in.
func (r *rows) Close() error {
	r.r.Close()
	return errors.Join(r.r.Err(), r.batch.Close())
}
