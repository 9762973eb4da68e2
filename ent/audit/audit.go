// Package audit records every change made through ent, whoever makes it (GraphQL, CLI or a job), in the
// same transaction as the change. Entries are append-only: see the AuditLog schema.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database/pgpipe"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

const redacted = "[redacted]"

// Hook is embedded (through the base mixin) in every audited schema. It runs after the privacy policy, so
// nothing is written for a denied mutation.
func Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			op := m.Op()
			var (
				ids []int
				old = map[string]any{}
				err error
			)
			switch {
			case op.Is(ent.OpUpdateOne):
				// Old values come from one memoised query of the row.
				for _, f := range append(m.Fields(), m.ClearedFields()...) {
					if old[f], err = m.OldField(ctx, f); err != nil {
						return nil, err
					}
				}
			case op.Is(ent.OpUpdate | ent.OpDelete):
				if ids, err = m.(interface {
					IDs(context.Context) ([]int, error)
				}).IDs(ctx); err != nil {
					return nil, err
				}
			}
			tenantBefore := tenantOfMutation(ctx, m)
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			if id, ok := m.(interface{ ID() (int, bool) }).ID(); ok && len(ids) == 0 {
				ids = []int{id}
			}
			tid := tenantBefore
			if tid == nil {
				tid = tenantOfMutation(ctx, m) // stamped during the create
			}
			if m.Type() == "Tenant" && len(ids) == 1 {
				tid = &ids[0]
			}
			return v, write(ctx, m, opName(op), ids, tid, changes(m, old))
		})
	}
}

func tenantOfMutation(ctx context.Context, m ent.Mutation) *int {
	if val, ok := m.Field("tenant_id"); ok {
		if t, ok := val.(int); ok {
			return &t
		}
	}
	if m.Op().Is(ent.OpUpdateOne | ent.OpDeleteOne) {
		if old, err := m.OldField(ctx, "tenant_id"); err == nil {
			if t, ok := deref(old).(int); ok {
				return &t
			}
		}
	}
	if v := viewer.FromContext(ctx); v != nil && v.TenantID != 0 {
		return &v.TenantID
	}
	return nil
}

func changes(m ent.Mutation, old map[string]any) []types.FieldChange {
	var out []types.FieldChange
	for _, f := range m.Fields() {
		if f == "updated_at" {
			continue
		}
		nv, _ := m.Field(f)
		ov, hadOld := old[f]
		if hadOld && reflect.DeepEqual(deref(ov), nv) {
			continue
		}
		c := types.FieldChange{Field: f, New: nv}
		if hadOld {
			c.Old = deref(ov)
		}
		if sensitive(f) || secret(m.Type(), f) {
			c.New, c.Old = redacted, nil
		}
		out = append(out, c)
	}
	for _, f := range m.ClearedFields() {
		c := types.FieldChange{Field: f, Old: deref(old[f])}
		if sensitive(f) || secret(m.Type(), f) {
			c.Old = redacted
		}
		out = append(out, c)
	}
	for _, e := range m.AddedEdges() {
		if _, isField := m.Field(e + "_id"); isField || e == "tenant" {
			continue // already recorded as its foreign-key field
		}
		out = append(out, types.FieldChange{Field: e, New: m.AddedIDs(e)})
	}
	for _, e := range m.RemovedEdges() {
		out = append(out, types.FieldChange{Field: e, Old: m.RemovedIDs(e)})
	}
	return out
}

// sensitive fields are recorded as changed, never with their value.
func sensitive(field string) bool {
	return strings.HasSuffix(field, "_hash") || strings.Contains(field, "password") && !strings.HasSuffix(field, "_at") && field != "must_change_password"
}

// secretFields are fields of a type that hold credentials (an IM robot's URL carries its key): recorded
// as changed, never with their value.
var secretFields = map[string][]string{"RobotWebhook": {"url", "secret"}}

func secret(typ, field string) bool { return slices.Contains(secretFields[typ], field) }

func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		return rv.Elem().Interface()
	}
	return v
}

func opName(op ent.Op) auditlog.Operation {
	switch {
	case op.Is(ent.OpCreate):
		return auditlog.OperationCreate
	case op.Is(ent.OpDelete | ent.OpDeleteOne):
		return auditlog.OperationDelete
	}
	return auditlog.OperationUpdate
}

func write(ctx context.Context, m ent.Mutation, op auditlog.Operation, ids []int, tid *int, ch []types.FieldChange) error {
	changes, err := json.Marshal(ch)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	now := time.Now()
	entries := make([]entry, 0, max(len(ids), 1))
	if len(ids) == 0 {
		entries = append(entries, newEntry(ctx, now, m.Type(), op, tid, 0, changes))
	}
	for _, id := range ids {
		entries = append(entries, newEntry(ctx, now, m.Type(), op, tid, id, changes))
	}
	if tx := sameTx(ctx, m); tx != nil {
		batchOf(tx).add(entries)
		return nil
	}
	return insert(ctx, m.(interface{ Client() *ent.Client }).Client(), entries)
}

// entry is one row of the log, as insert writes it.
type entry struct {
	tenantID, actorUserID, actorTokenID, entityID any // an int, or nil for NULL
	actor, entityType, operation, requestID       string
	changes                                       any // JSON ([]byte), or nil
	createdAt                                     time.Time
}

// entryColumns are the columns of values, in order.
var entryColumns = []string{auditlog.FieldTenantID, auditlog.FieldActorUserID, auditlog.FieldActorTokenID,
	auditlog.FieldActor, auditlog.FieldEntityType, auditlog.FieldEntityID, auditlog.FieldOperation,
	auditlog.FieldChanges, auditlog.FieldRequestID, auditlog.FieldCreatedAt}

func (e *entry) values() []any {
	return []any{e.tenantID, e.actorUserID, e.actorTokenID, e.actor, e.entityType, e.entityID, e.operation,
		e.changes, e.requestID, e.createdAt}
}

// newEntry is an entry by the context's viewer (or "anonymous") at now. An entityID of 0 is none; changes
// is JSON, or nil for none.
func newEntry(ctx context.Context, now time.Time, entityType string, op auditlog.Operation, tenantID *int, entityID int,
	changes []byte) entry {
	e := entry{actor: "anonymous", entityType: entityType, operation: string(op), requestID: viewer.RequestID(ctx),
		createdAt: now}
	if tenantID != nil {
		e.tenantID = *tenantID
	}
	if v := viewer.FromContext(ctx); v != nil {
		e.actor = v.Label
		if v.UserID != 0 {
			e.actorUserID = v.UserID
		}
		if v.TokenID != 0 {
			e.actorTokenID = v.TokenID
		}
	}
	if entityID != 0 {
		e.entityID = entityID
	}
	if changes != nil {
		e.changes = changes
	}
	return e
}

// insert writes entries in statements of at most maxBulk rows (PostgreSQL takes at most 65,535
// parameters). The statement is built with ent's SQL builder, not AuditLogCreateBulk: the log needs no IDs
// back, so it is an Exec, which package pgpipe can send in one round trip with the COMMIT when ctx says
// so, and no generated builder or client is made per entry. Nothing is lost by leaving the generated
// builder: the log's policy denies every mutation anyway.
func insert(ctx context.Context, client *ent.Client, entries []entry) error {
	const maxBulk = 1000
	for chunk := range slices.Chunk(entries, maxBulk) {
		ins := entsql.Dialect(client.Dialect()).Insert(auditlog.Table).Columns(entryColumns...)
		for _, e := range chunk {
			ins.Values(e.values()...)
		}
		query, args := ins.Query()
		if _, err := client.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
	}
	return nil
}

// A transaction's entries are written together, in one statement, just before it commits: a report and its
// lines, follow-ups and alerts cost one insert into the log instead of one per row. A transaction that
// rolls back writes none, as before; if writing them fails, the transaction is rolled back and its commit
// fails, so no change is ever committed without its entries.
//
// Entries are held back only for the transaction in the context (ent.NewTxContext, as GraphQL mutations,
// Submit and imports run), and only when the mutation runs in that very transaction; anything else is
// written at once.

type batch struct {
	mu      sync.Mutex
	entries []entry
}

func (b *batch) add(entries []entry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.entries = append(b.entries, entries...)
}

func (b *batch) take() []entry {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.entries
	b.entries = nil
	return out
}

// pending holds the batches of open transactions, by their *ent.Tx (which the map keeps alive, so a key is
// never reused while its entry exists); commit and rollback remove them.
var pending sync.Map

func batchOf(tx *ent.Tx) *batch {
	if b, ok := pending.Load(tx); ok {
		return b.(*batch)
	}
	b, loaded := pending.LoadOrStore(tx, &batch{})
	if loaded {
		return b.(*batch)
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, ctxTx *ent.Tx) error {
			pending.Delete(tx)
			// The entries go to PostgreSQL with the COMMIT, in one round trip.
			if err := insert(pgpipe.AtCommit(ctx), ctxTx.Client(), b.(*batch).take()); err != nil {
				_ = ctxTx.Rollback()
				return err
			}
			return next.Commit(ctx, ctxTx)
		})
	})
	tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
		return ent.RollbackFunc(func(ctx context.Context, ctxTx *ent.Tx) error {
			pending.Delete(tx)
			return next.Rollback(ctx, ctxTx)
		})
	})
	return b.(*batch)
}

// sameTx returns the transaction in the context when the mutation runs in it, else nil.
func sameTx(ctx context.Context, m ent.Mutation) *ent.Tx {
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		return nil
	}
	mtx, err := m.(interface{ Tx() (*ent.Tx, error) }).Tx()
	if err != nil {
		return nil // not in a transaction
	}
	if !tx.SameTx(mtx) {
		return nil
	}
	return tx
}

// RecordRead logs that the viewer read sensitive records (personal health data of minors read by district
// or platform users), one entry per record.
func RecordRead(ctx context.Context, client *ent.Client, entityType string, tenantID int, ids ...int) error {
	rs := &Reads{}
	for _, id := range ids {
		rs.add(entityType, tenantID, id)
	}
	return rs.Flush(ctx, client)
}

// ReadIsAudited: reads of pupils' health records by a district's or the platform's users are logged
// (DOMAIN.md §6.14: a district sees aggregates; anything naming a child is audited access).
func ReadIsAudited(v *viewer.Viewer) bool {
	return v != nil && (v.Role == authz.DistrictAdmin || v.Role == authz.PlatformAdmin)
}

// Reads collects the sensitive records read while answering one request, to be logged together.
type Reads struct {
	mu    sync.Mutex
	items []readItem
}

type readItem struct {
	entityType   string
	tenantID, id int
}

type readsKey struct{}

// WithReads returns a context that collects the reads noted under it (NoteRead), and the collection.
func WithReads(ctx context.Context) (context.Context, *Reads) {
	rs := &Reads{}
	return context.WithValue(ctx, readsKey{}, rs), rs
}

// NoteRead notes a sensitive read in the request's collection and reports whether there was one to note
// it in (otherwise the caller logs it itself, with RecordRead).
func NoteRead(ctx context.Context, entityType string, tenantID, id int) bool {
	rs, _ := ctx.Value(readsKey{}).(*Reads)
	if rs == nil {
		return false
	}
	rs.add(entityType, tenantID, id)
	return true
}

func (rs *Reads) add(entityType string, tenantID, id int) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if !slices.Contains(rs.items, readItem{entityType, tenantID, id}) {
		rs.items = append(rs.items, readItem{entityType, tenantID, id})
	}
}

// Flush writes the collected reads, one audit entry per record, in one statement.
func (rs *Reads) Flush(ctx context.Context, client *ent.Client) error {
	rs.mu.Lock()
	items := rs.items
	rs.items = nil
	rs.mu.Unlock()
	if len(items) == 0 {
		return nil
	}
	now := time.Now()
	entries := make([]entry, len(items))
	for i, it := range items {
		entries[i] = newEntry(ctx, now, it.entityType, auditlog.OperationRead, &it.tenantID, it.id, nil)
	}
	return insert(ctx, client, entries)
}
