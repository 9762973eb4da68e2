// Package audit records every change made through ent, whoever makes it (GraphQL, CLI or a job), in the
// same transaction as the change. Entries are append-only: see the AuditLog schema.
package audit

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/privacy"
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
	client := m.(interface{ Client() *ent.Client }).Client()
	now := time.Now()
	builders := make([]*ent.AuditLogCreate, 0, max(len(ids), 1))
	if len(ids) == 0 {
		ids = []int{0}
	}
	for _, id := range ids {
		b := client.AuditLog.Create().
			SetEntityType(m.Type()).
			SetOperation(op).
			SetChanges(ch).
			SetCreatedAt(now).
			SetNillableTenantID(tid)
		if id != 0 {
			b.SetEntityID(id)
		}
		actor(ctx, b)
		builders = append(builders, b)
	}
	if _, err := client.AuditLog.CreateBulk(builders...).Save(privacy.DecisionContext(ctx, privacy.Allow)); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func actor(ctx context.Context, b *ent.AuditLogCreate) {
	b.SetRequestID(viewer.RequestID(ctx))
	v := viewer.FromContext(ctx)
	if v == nil {
		b.SetActor("anonymous")
		return
	}
	b.SetActor(v.Label)
	if v.UserID != 0 {
		b.SetActorUserID(v.UserID)
	}
	if v.TokenID != 0 {
		b.SetActorTokenID(v.TokenID)
	}
}

// RecordRead logs that the viewer read sensitive records (personal health data of minors read by district
// users). Call it from resolvers that return such records.
func RecordRead(ctx context.Context, client *ent.Client, entityType string, tenantID int, ids ...int) error {
	builders := make([]*ent.AuditLogCreate, 0, len(ids))
	for _, id := range ids {
		b := client.AuditLog.Create().SetEntityType(entityType).SetEntityID(id).
			SetOperation(auditlog.OperationRead).SetTenantID(tenantID)
		actor(ctx, b)
		builders = append(builders, b)
	}
	return client.AuditLog.CreateBulk(builders...).Exec(privacy.DecisionContext(ctx, privacy.Allow))
}
