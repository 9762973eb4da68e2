package graph

import (
	"context"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent"
)

// Resolver holds what resolvers need. Authorization is not here: it lives in ent privacy and Casbin.
type Resolver struct {
	Client *ent.Client
	Auth   *auth.Service
}

// client is the mutation's transaction (entgql.Transactioner) or, for queries, the root client.
func (r *Resolver) client(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.Client
}
