package graph

import (
	"context"
	"strings"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/graph/model"
	"github.com/campushealth/campushealth/jobs/roster"
)

// createAccount creates a user with a random initial password that must be changed at first sign-in.
func (r *Resolver) createAccount(ctx context.Context, c *ent.Client, tenantID int, in *model.AccountInput, role authz.Role) (*ent.User, string, error) {
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return nil, "", err
	}
	login := strings.ToLower(strings.TrimSpace(in.Login))
	u, err := c.User.Create().
		SetTenantID(tenantID).
		SetLogin(login).
		SetDisplayName(strings.TrimSpace(in.DisplayName)).
		SetNillablePhone(in.Phone).
		SetRole(role).
		SetPasswordHash(hash).
		SetMustChangePassword(true).
		Save(ctx)
	if ent.IsConstraintError(err) && r.loginTaken(ctx, login) {
		return nil, "", types.Taken("login", "%q is already in use", login)
	}
	if err != nil {
		return nil, "", err
	}
	return u, pw, nil
}

// loginTaken: logins are unique across the platform, and the unique index's error names no field. Asked
// only once the caller was allowed to create the account and the index refused it (so it tells nobody
// more than the refusal did), outside the request's transaction (which PostgreSQL has aborted) and past
// privacy (the login may be another institution's).
func (r *Resolver) loginTaken(ctx context.Context, login string) bool {
	taken, err := r.Client.User.Query().Where(user.Login(login)).Exist(ownIdentity(ctx))
	return err == nil && taken
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
