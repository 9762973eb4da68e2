package rule

import (
	"context"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// FilterVisibleTenants limits tenant queries to the viewer's own tenants (a district: itself and its
// institutions).
func FilterVisibleTenants() privacy.QueryRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		f.Where(In("id", v.TenantIDs))
		return privacy.Skip
	})
}

// TenantMutationRule lets a district admin onboard institutions under its own district and change those
// institutions, never its own district, another district, or an institution's parent.
func TenantMutationRule() privacy.MutationRule {
	return privacy.TenantMutationRuleFunc(func(ctx context.Context, m *ent.TenantMutation) error {
		v := viewer.FromContext(ctx)
		if m.Op().Is(ent.OpCreate) {
			kind, _ := m.Kind()
			parent, ok := m.ParentID()
			if kind == tenant.KindDistrict || !ok || parent != v.TenantID {
				return privacy.Denyf("institutions may only be created under your own district")
			}
			return privacy.Skip
		}
		if _, ok := m.ParentID(); ok || m.ParentCleared() {
			return privacy.Denyf("moving an institution to another district is a platform operation")
		}
		children := make([]int, 0, len(v.TenantIDs))
		for _, id := range v.TenantIDs {
			if id != v.TenantID {
				children = append(children, id)
			}
		}
		m.Filter().Where(In("id", children))
		return privacy.Skip
	})
}
