// Package actor turns a user or an API token into the viewer that acts for it: its tenants (a district
// admin's include every institution of its district), the whole-school grant of school-wide roles, and
// the user's assignments valid now. The API builds one per request, jobs one per task, from the same code.
package actor

import (
	"context"
	"errors"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

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
	as, err := c.Assignment.Query().Where(
		assignment.UserID(u.ID),
		assignment.ValidFromLTE(now),
		assignment.Or(assignment.ValidToIsNil(), assignment.ValidToGT(now)),
	).All(internal(ctx))
	if err != nil {
		return nil, fmt.Errorf("assignments: %w", err)
	}
	grants := make([]authz.Grant, len(as))
	for i, a := range as {
		grants[i] = authz.Grant{Role: a.Role, TenantID: a.TenantID, Node: authz.Node(a.NodeType, a.NodeID)}
	}
	return forUser(ctx, c, account{u.ID, u.Login, u.DisplayName, u.Role, u.TenantID, u.MustChangePassword}, grants)
}

// account is what the viewer of a user is built from.
type account struct {
	id                 int
	login, name        string
	role               authz.Role
	tenantID           *int
	mustChangePassword bool
}

// forUser builds the viewer of a user who can act, from the assignments valid now.
func forUser(ctx context.Context, c *ent.Client, a account, assignments []authz.Grant) (*viewer.Viewer, error) {
	v, err := base(ctx, c, a.role, a.tenantID)
	if err != nil {
		return nil, err
	}
	v.UserID, v.Label, v.DisplayName, v.MustChangePassword = a.id, "user:"+a.login, a.name, a.mustChangePassword
	if !a.role.SchoolWide() {
		v.Grants = nil
	}
	v.Grants = append(v.Grants, assignments...)
	return v, nil
}

// Session is a session looked up by its token: whether it may act now, and the viewer when it may.
type Session struct {
	ID         int
	LastSeenAt time.Time
	// Viewer is nil when the session is revoked or expired, or its user (or the user's institution or
	// district) is deactivated.
	Viewer *viewer.Viewer
}

// sessionRow is one row of ForSession's join: the session, its user, the user's institution and that
// institution's district, and one of the user's assignments valid now (all NULL when there is none).
type sessionRow struct {
	SessionID    int
	ExpiresAt    time.Time
	LastSeenAt   time.Time
	RevokedAt    *time.Time
	UserID       int
	TenantID     *int
	Login        string
	DisplayName  string
	Role         string
	Active       bool
	MustChange   bool
	TenantStatus *string
	ParentID     *int
	ParentStatus *string
	GrantRole    *string
	GrantTenant  *int
	GrantType    *string
	GrantNode    *int
}

// sessionSQL is ForSession's statement, written out rather than built with ent and scanned by reflection:
// every request signs in with it, and building and scanning cost more than PostgreSQL takes to answer.
// $1 is the token hash and $2 the time; SQLite numbers $N parameters by position as PostgreSQL does.
const sessionSQL = `SELECT s.id, s.expires_at, s.last_seen_at, s.revoked_at,
	u.id, u.tenant_id, u.login, u.display_name, u.role, u.active, u.must_change_password,
	t.status, t.parent_id, p.status, a.role, a.tenant_id, a.node_type, a.node_id
	FROM sessions s JOIN users u ON u.id = s.user_id
	LEFT JOIN tenants t ON t.id = u.tenant_id
	LEFT JOIN tenants p ON p.id = t.parent_id
	LEFT JOIN assignments a ON a.user_id = u.id AND a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to > $2)
	WHERE s.token_hash = $1`

// ForSession finds the session whose token hashes to tokenHash and builds its viewer, in one statement:
// the session joined with its user, the user's institution and district, and the assignments valid now.
// It reads everything at every call (nothing is cached), so a revoked session, a deactivated user or
// institution, and a changed role or assignment take effect on the next request. It returns nil, nil when
// no session has the token.
func ForSession(ctx context.Context, c *ent.Client, tokenHash []byte, now time.Time) (*Session, error) {
	rs, err := c.QueryContext(ctx, sessionSQL, tokenHash, now)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	defer rs.Close()
	var rows []sessionRow
	for rs.Next() {
		var r sessionRow
		if err := rs.Scan(&r.SessionID, &r.ExpiresAt, &r.LastSeenAt, &r.RevokedAt,
			&r.UserID, &r.TenantID, &r.Login, &r.DisplayName, &r.Role, &r.Active, &r.MustChange,
			&r.TenantStatus, &r.ParentID, &r.ParentStatus, &r.GrantRole, &r.GrantTenant, &r.GrantType, &r.GrantNode); err != nil {
			return nil, fmt.Errorf("session: %w", err)
		}
		rows = append(rows, r)
	}
	if err := rs.Err(); err != nil || len(rows) == 0 {
		return nil, err
	}
	r := rows[0]
	out := &Session{ID: r.SessionID, LastSeenAt: r.LastSeenAt}
	active := func(status *string) bool { return status != nil && *status == string(tenant.StatusActive) }
	canAct := r.RevokedAt == nil && now.Before(r.ExpiresAt) && r.Active &&
		(r.TenantID == nil || active(r.TenantStatus) && (r.ParentID == nil || active(r.ParentStatus)))
	if !canAct {
		return out, nil
	}
	var grants []authz.Grant
	for _, r := range rows {
		if r.GrantRole != nil {
			grants = append(grants, authz.Grant{Role: authz.Role(*r.GrantRole), TenantID: *r.GrantTenant,
				Node: authz.Node(authz.NodeType(*r.GrantType), *r.GrantNode)})
		}
	}
	out.Viewer, err = forUser(ctx, c, account{r.UserID, r.Login, r.DisplayName, authz.Role(r.Role), r.TenantID, r.MustChange}, grants)
	return out, err
}

// ForToken is the viewer of an API token that can act: its role over its whole tenant.
func ForToken(ctx context.Context, c *ent.Client, t *ent.APIToken, now time.Time) (*viewer.Viewer, error) {
	if !TokenCanAct(t, now) {
		return nil, fmt.Errorf("%w: API token %s", ErrCannotAct, t.Name)
	}
	return forToken(ctx, c, t.ID, t.Name, t.Role, t.TenantID)
}

func forToken(ctx context.Context, c *ent.Client, id int, name string, role authz.Role, tenantID int) (*viewer.Viewer, error) {
	v, err := base(ctx, c, role, &tenantID)
	if err != nil {
		return nil, err
	}
	v.TokenID, v.Label = id, "token:"+name
	return v, nil
}

// Token is an API token looked up by its hash: whether it may act now, and the viewer when it may.
type Token struct {
	ID         int
	LastUsedAt *time.Time
	// Viewer is nil when the token is revoked or expired, or its institution (or district) deactivated.
	Viewer *viewer.Viewer
}

// tokenRow is ForAPIToken's join: the token, its institution's status and that institution's district's.
type tokenRow struct {
	ID           int        `sql:"id"`
	TenantID     int        `sql:"tenant_id"`
	Name         string     `sql:"name"`
	Role         string     `sql:"role"`
	ExpiresAt    *time.Time `sql:"expires_at"`
	RevokedAt    *time.Time `sql:"revoked_at"`
	LastUsedAt   *time.Time `sql:"last_used_at"`
	TenantStatus *string    `sql:"tenant_status"`
	ParentID     *int       `sql:"parent_id"`
	ParentStatus *string    `sql:"parent_status"`
}

// ForAPIToken finds the API token whose hash is tokenHash and builds its viewer, in one statement (the token
// joined with its institution and district), read afresh on every call like ForSession. It returns nil, nil
// when no token has the hash.
func ForAPIToken(ctx context.Context, c *ent.Client, tokenHash []byte, now time.Time) (*Token, error) {
	var rows []tokenRow
	err := c.APIToken.Query().Where(apitoken.TokenHash(tokenHash)).Modify(func(s *entsql.Selector) {
		t, p := entsql.Table(tenant.Table).As("t"), entsql.Table(tenant.Table).As("p")
		s.Join(t).On(s.C(apitoken.FieldTenantID), t.C(tenant.FieldID)).
			LeftJoin(p).On(t.C(tenant.FieldParentID), p.C(tenant.FieldID))
		s.Select(s.C(apitoken.FieldID), s.C(apitoken.FieldTenantID), s.C(apitoken.FieldName), s.C(apitoken.FieldRole),
			s.C(apitoken.FieldExpiresAt), s.C(apitoken.FieldRevokedAt), s.C(apitoken.FieldLastUsedAt),
			entsql.As(t.C(tenant.FieldStatus), "tenant_status"), t.C(tenant.FieldParentID),
			entsql.As(p.C(tenant.FieldStatus), "parent_status"))
	}).Scan(internal(ctx), &rows)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	r := rows[0]
	out := &Token{ID: r.ID, LastUsedAt: r.LastUsedAt}
	active := func(status *string) bool { return status != nil && *status == string(tenant.StatusActive) }
	if r.RevokedAt != nil || (r.ExpiresAt != nil && !now.Before(*r.ExpiresAt)) ||
		!active(r.TenantStatus) || (r.ParentID != nil && !active(r.ParentStatus)) {
		return out, nil
	}
	out.Viewer, err = forToken(ctx, c, r.ID, r.Name, authz.Role(r.Role), r.TenantID)
	return out, err
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
