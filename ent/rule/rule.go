// Package rule is the vocabulary of privacy rules composed in each schema's Policy().
//
// Tenant isolation lives here (ent privacy); what a role may do is asked of Casbin through authz.
package rule

import (
	"context"
	"reflect"
	"slices"

	"entgo.io/ent/entql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
)

// DenyIfNoViewer denies anything done without a viewer in the context.
func DenyIfNoViewer() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) == nil {
			return privacy.Denyf("no viewer")
		}
		return privacy.Skip
	})
}

// AllowIfPlatform allows platform admins and the system.
func AllowIfPlatform() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx).Platform() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// FilterTenantRule limits queries, updates and deletes to rows of the viewer's tenants.
func FilterTenantRule() privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if len(v.TenantIDs) == 0 {
			return privacy.Denyf("viewer has no tenant")
		}
		f.Where(In("tenant_id", v.TenantIDs))
		return privacy.Skip
	})
}

// Permit asks the Casbin catalog whether the viewer's role may read (queries) or create/update/delete
// (mutations) objects of type obj.
func Permit(obj string) privacy.QueryMutationRule { return permit(obj) }

type permit string

func (p permit) EvalQuery(ctx context.Context, _ ent.Query) error {
	return check(ctx, string(p), authz.ActRead)
}

func (p permit) EvalMutation(ctx context.Context, m ent.Mutation) error {
	return check(ctx, string(p), actionOf(m.Op()))
}

func check(ctx context.Context, obj, act string) error {
	v := viewer.FromContext(ctx)
	enf := v.Authz
	if enf == nil {
		enf = authz.Catalog()
	}
	for _, r := range Roles(v) {
		if enf.Allowed(r, obj, act) {
			return privacy.Skip
		}
	}
	return privacy.Denyf("role %s may not %s %s", v.Role, act, obj)
}

// DenyCreateOutsideTenants denies creating a row in a tenant the viewer does not see. A row with no
// tenant_id is stamped with the viewer's home tenant by the TenantMixin hook.
func DenyCreateOutsideTenants() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if val, ok := m.Field("tenant_id"); ok {
			if id, _ := val.(int); !v.Sees(id) {
				return privacy.Denyf("tenant %d is not yours", id)
			}
			return privacy.Skip
		}
		if v.TenantID == 0 {
			return privacy.Denyf("no tenant for new %s", m.Type())
		}
		return privacy.Skip
	}), ent.OpCreate)
}

// DenyRoleEscalation denies giving a user, token or assignment a role the viewer may not grant, and
// changing (revoking) one that holds such a role: a leading-group member cannot end the principal's
// assignment.
func DenyRoleEscalation() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		var roles []authz.Role
		if val, ok := m.Field("role"); ok {
			roles = append(roles, val.(authz.Role))
		}
		if m.Op().Is(ent.OpUpdateOne) {
			if old, err := m.OldField(ctx, "role"); err == nil {
				roles = append(roles, old.(authz.Role))
			}
		}
		v := viewer.FromContext(ctx)
		for _, r := range roles {
			if !slices.ContainsFunc(Roles(v), func(mine authz.Role) bool { return authz.CanGrant(mine, r) }) {
				return privacy.Denyf("role %s may not grant %s", v.Role, r)
			}
		}
		return privacy.Skip
	})
}

// Roles are the viewer's account role and the roles of its grants (an assignment to the leading group
// lets a teacher's account act as a leading-group member).
func Roles(v *viewer.Viewer) []authz.Role {
	roles := []authz.Role{v.Role}
	for _, g := range v.Grants {
		if !slices.Contains(roles, g.Role) {
			roles = append(roles, g.Role)
		}
	}
	return roles
}

// DenyCrossTenantEdges denies any create or update that points an edge (or foreign key) at a row of another
// tenant. Tenant filters alone do not check edge targets (STACK.md §3.3, pitfall 1), and because edges never
// cross tenants, hasXWith subqueries (which skip privacy) cannot reach another tenant's rows either.
func DenyCrossTenantEdges() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if m.Op().Is(ent.OpDelete | ent.OpDeleteOne) {
			return privacy.Skip
		}
		edges := slices.DeleteFunc(m.AddedEdges(), func(e string) bool { return e == "tenant" })
		if len(edges) == 0 {
			return privacy.Skip
		}
		if m.Op().Is(ent.OpUpdate) {
			return privacy.Denyf("bulk updates may not change edges of %s", m.Type())
		}
		owner, err := mutationTenant(ctx, m)
		if err != nil {
			return privacy.Denyf("%s: %v", m.Type(), err)
		}
		client := m.(interface{ Client() *ent.Client }).Client()
		for _, e := range edges {
			ids := make([]int, 0)
			for _, id := range m.AddedIDs(e) {
				switch k, ok := known(ctx, id.(int)); {
				case !ok:
					ids = append(ids, id.(int))
				case k.TenantID != owner:
					return privacy.Denyf("%s.%s: %d belongs to another tenant", m.Type(), e, id)
				}
			}
			if len(ids) == 0 {
				continue
			}
			// Noders reports an ID it cannot load (0, a row since deleted) to the GraphQL response with
			// graphql.AddError, and panics where there is none — always, under bypass's detached context. It
			// gets a response of its own that nobody reads: the rule judges a node it could not load itself.
			nctx := graphql.WithResponseContext(bypass(ctx), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
			nodes, err := client.Noders(nctx, ids)
			if err != nil {
				return privacy.Denyf("%s.%s: %v", m.Type(), e, err)
			}
			for i, n := range nodes {
				if n == nil {
					return privacy.Denyf("%s.%s: %d not found", m.Type(), e, ids[i])
				}
				if t, ok := TenantOf(n); !ok || t != owner {
					return privacy.Denyf("%s.%s: %d belongs to another tenant", m.Type(), e, ids[i])
				}
			}
		}
		return privacy.Skip
	})
}

type knownKey struct{}

// Known is what code that has just read (or written) a row tells the rules about it, so that they need not
// read it again. Only code that has the row in hand may say so, and only facts that never change: a row's
// tenant, and a check's class.
type Known struct {
	TenantID int
	ClassID  int // of a class check; 0 otherwise
}

type knownRow struct {
	id   int
	row  Known
	next *knownRow
}

// WithKnown tells the rules (DenyCrossTenantEdges, EntryNodes) what the caller knows of row id; IDs are
// unique across tables.
func WithKnown(ctx context.Context, id int, k Known) context.Context {
	prev, _ := ctx.Value(knownKey{}).(*knownRow)
	return context.WithValue(ctx, knownKey{}, &knownRow{id: id, row: k, next: prev})
}

// known returns what the context knows of row id.
func known(ctx context.Context, id int) (Known, bool) {
	k, _ := ctx.Value(knownKey{}).(*knownRow)
	for ; k != nil; k = k.next {
		if k.id == id {
			return k.row, true
		}
	}
	return Known{}, false
}

// mutationTenant is the tenant of the row being created or updated.
func mutationTenant(ctx context.Context, m ent.Mutation) (int, error) {
	if m.Op().Is(ent.OpCreate) {
		if val, ok := m.Field("tenant_id"); ok {
			return val.(int), nil
		}
		return viewer.FromContext(ctx).TenantID, nil
	}
	old, err := m.OldField(ctx, "tenant_id")
	if err != nil {
		return 0, err
	}
	if t, ok := intValue(reflect.ValueOf(old)); ok {
		return t, nil
	}
	return 0, privacy.Denyf("row has no tenant")
}

// TenantOf returns the tenant that owns an entity: its tenant_id field, or itself for a Tenant.
// Reflection keeps this generic over every tenant-owned type generated now or later.
func TenantOf(node any) (int, bool) {
	if t, ok := node.(*ent.Tenant); ok {
		return t.ID, true
	}
	v := reflect.Indirect(reflect.ValueOf(node))
	if v.Kind() != reflect.Struct {
		return 0, false
	}
	return intValue(v.FieldByName("TenantID"))
}

func intValue(f reflect.Value) (int, bool) {
	switch f.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return int(f.Int()), true
	case reflect.Pointer, reflect.Interface:
		if f.IsNil() {
			return 0, false
		}
		return intValue(f.Elem())
	}
	return 0, false
}

// In is an entql predicate "field IN ids"; an empty list matches nothing (PostgreSQL rejects "IN ()", so
// it becomes "id IS NULL", which no row satisfies).
func In(field string, ids []int) entql.P {
	if len(ids) == 0 {
		return entql.FieldNil("id")
	}
	vs := make([]any, len(ids))
	for i, id := range ids {
		vs[i] = id
	}
	return entql.FieldIn(field, vs...)
}
