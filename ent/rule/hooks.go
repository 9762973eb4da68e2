package rule

import (
	"context"
	"fmt"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/hook"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// StampTenant sets tenant_id from the viewer's home tenant when a create does not name one.
func StampTenant() ent.Hook { return stampTenant(true) }

// StampUserTenant is StampTenant for users, who may have no tenant when a platform admin creates a
// platform admin.
func StampUserTenant() ent.Hook { return stampTenant(false) }

func stampTenant(required bool) ent.Hook {
	type tenantSetter interface {
		SetTenantID(int)
		TenantID() (int, bool)
	}
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			ts, ok := m.(tenantSetter)
			if !ok {
				return nil, fmt.Errorf("%s has no tenant_id", m.Type())
			}
			if _, set := ts.TenantID(); !set {
				switch v := viewer.FromContext(ctx); {
				case v != nil && v.TenantID != 0:
					ts.SetTenantID(v.TenantID)
				case required || !v.Platform():
					return nil, types.Invalid("tenantID", "%s needs a tenant", m.Type())
				}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate)
}

// RoleFitsTenant keeps roles consistent with where the user lives: platform admins have no tenant,
// district admins belong to a district, everyone else to an institution.
func RoleFitsTenant() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.UserFunc(func(ctx context.Context, m *ent.UserMutation) (ent.Value, error) {
			r, ok := m.Role()
			if !ok {
				return next.Mutate(ctx, m)
			}
			var tid *int
			if id, ok := m.TenantID(); ok {
				tid = &id
			} else if m.Op().Is(ent.OpUpdateOne) {
				old, err := m.OldTenantID(ctx)
				if err != nil {
					return nil, err
				}
				tid = old
			} else if v := viewer.FromContext(ctx); m.Op().Is(ent.OpCreate) && v != nil && v.TenantID != 0 {
				tid = &v.TenantID
			}
			if err := roleFits(ctx, m.Client(), r, tid); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

func roleFits(ctx context.Context, c *ent.Client, r authz.Role, tid *int) error {
	if tid == nil {
		if r != authz.PlatformAdmin {
			return types.Invalid("role", "role %s needs a tenant", r)
		}
		return nil
	}
	if r == authz.PlatformAdmin {
		return types.Invalid("role", "platform admins belong to no tenant")
	}
	t, err := c.Tenant.Get(privacy.DecisionContext(ctx, privacy.Allow), *tid)
	if err != nil {
		return err
	}
	if (t.Kind == tenant.KindDistrict) != (r == authz.DistrictAdmin) {
		return types.Invalid("role", "role %s does not fit a %s", r, t.Kind)
	}
	return nil
}
