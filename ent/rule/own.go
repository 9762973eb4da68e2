package rule

import (
	"context"
	"slices"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
)

// FilterOwnRows limits queries, updates and deletes to the viewer's own rows: those whose column (a user
// ID) is the viewer's. An API token owns no such rows.
func FilterOwnRows(column string) privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		var ids []int
		if v := viewer.FromContext(ctx); v != nil && v.UserID != 0 {
			ids = []int{v.UserID}
		}
		f.Where(In(column, ids))
		return privacy.Skip
	})
}

// DenyCreate denies creating rows: only the system (jobs) creates them.
func DenyCreate() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		return privacy.Denyf("%s rows are created by the system", m.Type())
	}), ent.OpCreate)
}

// OnlyFields denies updates that set or clear any field but these.
func OnlyFields(fields ...string) privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		for _, f := range append(m.Fields(), m.ClearedFields()...) {
			if !slices.Contains(fields, f) {
				return privacy.Denyf("%s.%s may not be changed", m.Type(), f)
			}
		}
		return privacy.Skip
	}), ent.OpUpdate|ent.OpUpdateOne)
}

// DenyOtherUser denies creating a row whose column (a user ID) is not the viewer's.
func DenyOtherUser(column string) privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if val, ok := m.Field(column); ok && v != nil && v.UserID != 0 && val == v.UserID {
			return privacy.Skip
		}
		return privacy.Denyf("%s belongs to another user", m.Type())
	}), ent.OpCreate)
}
