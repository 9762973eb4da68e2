// Package actor turns a user or an API token into the viewer that acts for it: its tenants (a district
// admin's include every institution of its district), the whole-school grant of school-wide roles, and
// the user's assignments valid now. The API builds one per request, jobs one per task, from the same code.
package actor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/apitoken"
	"github.com/campushealth/campushealth/ent/assignment"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// ErrCannotAct means the user or token may not act: unknown, deactivated, revoked, expired, or its
// institution (or district) deactivated.
var ErrCannotAct = errors.New("account or token cannot act")

func internal(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

func withTenant(q *ent.TenantQuery) { q.WithParent() }

// LoadUser loads a user with its tenant, for ForUser.
func LoadUser(ctx context.Context, c *ent.Client, id int) (*ent.User, error) {
	return c.User.Query().Where(user.ID(id)).WithTenant(withTenant).Only(internal(ctx))
}

// LoadToken loads an API token with its tenant, for ForToken.
func LoadToken(ctx context.Context, c *ent.Client, id int) (*ent.APIToken, error) {
	return c.APIToken.Query().Where(apitoken.ID(id)).WithTenant(withTenant).Only(internal(ctx))
}

// UserCanAct: the user is active and so is its institution (and that institution's district).
// u must have been loaded with its tenant and the tenant's parent.
func UserCanAct(u *ent.User) bool {
	if u == nil || !u.Active {
		return false
	}
	return u.TenantID == nil || TenantActive(u.Edges.Tenant)
}

// TokenCanAct: the token is not revoked or expired and its institution is active.
func TokenCanAct(t *ent.APIToken, now time.Time) bool {
	return t != nil && t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt)) && TenantActive(t.Edges.Tenant)
}

// TenantActive: the tenant, loaded with its parent, and that parent are active.
func TenantActive(t *ent.Tenant) bool {
	if t == nil || t.Status != tenant.StatusActive {
		return false
	}
	return t.Edges.Parent == nil || t.Edges.Parent.Status == tenant.StatusActive
}

// ForUser is the viewer of a user who can act. Grade leaders and teachers act only where an assignment
// puts them; assignments are read now, so a change takes effect on the next request.
func ForUser(ctx context.Context, c *ent.Client, u *ent.User, now time.Time) (*viewer.Viewer, error) {
	if !UserCanAct(u) {
		return nil, fmt.Errorf("%w: user %s", ErrCannotAct, u.Login)
	}
	v, err := base(ctx, c, u.Role, u.TenantID)
	if err != nil {
		return nil, err
	}
	v.UserID, v.Label, v.MustChangePassword = u.ID, "user:"+u.Login, u.MustChangePassword
	if !u.Role.SchoolWide() {
		v.Grants = nil
	}
	as, err := c.Assignment.Query().Where(
		assignment.UserID(u.ID),
		assignment.ValidFromLTE(now),
		assignment.Or(assignment.ValidToIsNil(), assignment.ValidToGT(now)),
	).All(internal(ctx))
	if err != nil {
		return nil, fmt.Errorf("assignments: %w", err)
	}
	for _, a := range as {
		v.Grants = append(v.Grants, authz.Grant{Role: a.Role, TenantID: a.TenantID, Node: authz.Node(a.NodeType, a.NodeID)})
	}
	return v, nil
}

// ForToken is the viewer of an API token that can act: its role over its whole tenant.
func ForToken(ctx context.Context, c *ent.Client, t *ent.APIToken, now time.Time) (*viewer.Viewer, error) {
	if !TokenCanAct(t, now) {
		return nil, fmt.Errorf("%w: API token %s", ErrCannotAct, t.Name)
	}
	v, err := base(ctx, c, t.Role, &t.TenantID)
	if err != nil {
		return nil, err
	}
	v.TokenID, v.Label = t.ID, "token:"+t.Name
	return v, nil
}

// base holds the role at the school node of every tenant it sees (a district: itself and its institutions).
func base(ctx context.Context, c *ent.Client, role authz.Role, tenantID *int) (*viewer.Viewer, error) {
	v := &viewer.Viewer{Role: role, RequestID: viewer.RequestID(ctx), Authz: c.Authz}
	if tenantID == nil {
		return v, nil
	}
	v.TenantID, v.TenantIDs = *tenantID, []int{*tenantID}
	if role == authz.DistrictAdmin {
		children, err := c.Tenant.Query().Where(tenant.ParentID(*tenantID)).IDs(internal(ctx))
		if err != nil {
			return nil, fmt.Errorf("district institutions: %w", err)
		}
		v.TenantIDs = append(v.TenantIDs, children...)
	}
	for _, t := range v.TenantIDs {
		v.Grants = append(v.Grants, authz.Grant{Role: role, TenantID: t, Node: authz.Node(authz.NodeSchool, t)})
	}
	return v, nil
}
