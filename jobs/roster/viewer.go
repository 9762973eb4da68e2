package roster

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

// ErrActorGone means the user or API token that started a job can no longer act: deactivated, revoked,
// expired, or its institution suspended. The job must not run with rights its author has lost.
var ErrActorGone = errors.New("the account that started this import can no longer act")

// LoadViewer rebuilds, in a job, the viewer of the user (userID) or API token (tokenID) that asked for the
// work, as the API's auth service builds it for a request: role, tenants (a district admin's includes its
// institutions), the whole-school grant of school-wide roles, and the user's assignments valid now.
// It reads with privacy bypassed, as authentication does; the viewer it returns is then held to every rule.
//
// Keep in step with api/auth/service.go (viewerFor, addAssignments, usable), which jobs may not import.
func LoadViewer(ctx context.Context, c *ent.Client, userID, tokenID int) (*viewer.Viewer, error) {
	ictx := privacy.DecisionContext(ctx, privacy.Allow)
	now := time.Now()
	withTenant := func(q *ent.TenantQuery) { q.WithParent() }
	switch {
	case userID != 0:
		u, err := c.User.Query().Where(user.ID(userID)).WithTenant(withTenant).Only(ictx)
		if ent.IsNotFound(err) {
			return nil, fmt.Errorf("%w: user %d not found", ErrActorGone, userID)
		}
		if err != nil {
			return nil, err
		}
		if !u.Active || (u.TenantID != nil && !tenantActive(u.Edges.Tenant)) {
			return nil, fmt.Errorf("%w: user %s", ErrActorGone, u.Login)
		}
		v, err := baseViewer(ictx, c, u.Role, u.TenantID)
		if err != nil {
			return nil, err
		}
		v.UserID, v.Label, v.MustChangePassword = u.ID, "user:"+u.Login, u.MustChangePassword
		if !u.Role.SchoolWide() {
			v.Grants = nil // grade leaders and teachers act only where assigned
		}
		as, err := c.Assignment.Query().Where(
			assignment.UserID(u.ID),
			assignment.ValidFromLTE(now),
			assignment.Or(assignment.ValidToIsNil(), assignment.ValidToGT(now)),
		).All(ictx)
		if err != nil {
			return nil, fmt.Errorf("assignments: %w", err)
		}
		for _, a := range as {
			v.Grants = append(v.Grants, authz.Grant{Role: a.Role, TenantID: a.TenantID, Node: authz.Node(a.NodeType, a.NodeID)})
		}
		return v, nil
	case tokenID != 0:
		t, err := c.APIToken.Query().Where(apitoken.ID(tokenID)).WithTenant(withTenant).Only(ictx)
		if ent.IsNotFound(err) {
			return nil, fmt.Errorf("%w: API token %d not found", ErrActorGone, tokenID)
		}
		if err != nil {
			return nil, err
		}
		if t.RevokedAt != nil || (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) || !tenantActive(t.Edges.Tenant) {
			return nil, fmt.Errorf("%w: API token %s", ErrActorGone, t.Name)
		}
		v, err := baseViewer(ictx, c, t.Role, &t.TenantID)
		if err != nil {
			return nil, err
		}
		v.TokenID, v.Label = t.ID, "token:"+t.Name
		return v, nil
	}
	return nil, errors.New("roster: a job needs the user or API token that started it")
}

// baseViewer is auth.Service.viewerFor: a role at the school node of every tenant it sees.
func baseViewer(ctx context.Context, c *ent.Client, role authz.Role, tenantID *int) (*viewer.Viewer, error) {
	v := &viewer.Viewer{Role: role, Authz: c.Authz}
	if tenantID == nil {
		return v, nil
	}
	v.TenantID, v.TenantIDs = *tenantID, []int{*tenantID}
	if role == authz.DistrictAdmin {
		children, err := c.Tenant.Query().Where(tenant.ParentID(*tenantID)).IDs(ctx)
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

func tenantActive(t *ent.Tenant) bool {
	if t == nil || t.Status != tenant.StatusActive {
		return false
	}
	return t.Edges.Parent == nil || t.Edges.Parent.Status == tenant.StatusActive
}
