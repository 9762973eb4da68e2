package graph

import (
	"context"
	"strings"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/graph/model"
	"github.com/campushealth/campushealth/jobs/roster"
)

// createAccount creates a user with a random initial password that must be changed at first sign-in.
func createAccount(ctx context.Context, c *ent.Client, tenantID int, in *model.AccountInput, role authz.Role) (*ent.User, string, error) {
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return nil, "", err
	}
	u, err := c.User.Create().
		SetTenantID(tenantID).
		SetLogin(strings.ToLower(strings.TrimSpace(in.Login))).
		SetDisplayName(strings.TrimSpace(in.DisplayName)).
		SetNillablePhone(in.Phone).
		SetRole(role).
		SetPasswordHash(hash).
		SetMustChangePassword(true).
		Save(ctx)
	if err != nil {
		return nil, "", err
	}
	return u, pw, nil
}

func ownIdentity(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// finished reports an import done in the request: written, or (with row errors) nothing written.
func finished(filename string, res *roster.Result) *roster.Status {
	st := &roster.Status{State: roster.StateDone, Filename: filename, Result: *res, Processed: res.Total}
	if len(res.Errors) > 0 {
		st.State, st.Processed, st.ErrorRows = roster.StateFailed, 0, len(res.Errors)
	}
	if st.Errors == nil {
		st.Errors = []roster.RowError{}
	}
	return st
}
