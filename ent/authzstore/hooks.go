package authzstore

import (
	"context"
	"fmt"

	"github.com/campushealth/campushealth/ent"
)

// TreeHook keeps the tenant's tree in casbin_rules in step with grades, classes and staff groups, in the
// mutation's transaction, and refreshes the enforcer (and, through it, other replicas) once it commits.
func TreeHook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			tenants := map[int]bool{}
			if m.Op().Is(ent.OpUpdateOne | ent.OpDeleteOne) {
				if old, err := m.OldField(ctx, "tenant_id"); err == nil {
					tenants[old.(int)] = true
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			if t, ok := m.Field("tenant_id"); ok {
				tenants[t.(int)] = true
			}
			if len(tenants) == 0 {
				return nil, fmt.Errorf("%s: bulk changes to the organisation tree are not supported", m.Type())
			}
			mc := m.(interface {
				Client() *ent.Client
			}).Client()
			for tid := range tenants {
				links, err := SyncTree(ctx, mc, tid)
				if err != nil {
					return nil, fmt.Errorf("organisation tree: %w", err)
				}
				apply := func() {
					if mc.Authz != nil {
						_ = mc.Authz.TreeChanged(tid, links)
					}
				}
				if tx := ent.TxFromContext(ctx); tx != nil {
					tx.OnCommit(func(next ent.Committer) ent.Committer {
						return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
							if err := next.Commit(ctx, tx); err != nil {
								return err
							}
							apply()
							return nil
						})
					})
				} else {
					apply()
				}
			}
			return v, nil
		})
	}
}
