// Package viewer carries who is acting through a context. HTTP middleware, the websocket init, the CLI and
// job handlers put a Viewer in the context; privacy rules only read it.
package viewer

import (
	"context"
	"slices"
	"sync"

	"github.com/campushealth/campushealth/ent/authz"
)

// Viewer is the acting principal: a user session, an API token, or the system (CLI, jobs).
type Viewer struct {
	UserID  int    // 0 for API tokens and the system
	TokenID int    // API token ID, 0 otherwise
	Label   string // human-readable actor for the audit log, e.g. "user:alice", "token:sis-sync", "system:cli"
	// DisplayName is a user's name as loaded for this request ("" for tokens and the system).
	DisplayName string
	Role        authz.Role

	// TenantID is the home tenant (0 for platform admins and the system).
	TenantID int
	// TenantIDs are all tenants the viewer may see: its own, plus every school of its district for a
	// district admin. Privacy filters use this list, never TenantID alone.
	TenantIDs []int

	RequestID string

	// MustChangePassword restricts a user signed in with an initial password to changing it.
	MustChangePassword bool

	// Grants are the roles the viewer holds at nodes of its institutions' trees, valid now: its
	// whole-school role, plus its assignments (包年级 / 包班, substitutes included).
	Grants []authz.Grant
	// Authz is the enforcer of the viewer's database.
	Authz *authz.Enforcer

	memo sync.Map // per-request memo of resolved scopes
}

// Memo returns the value cached under key, computing it once per viewer (i.e. per request).
func (v *Viewer) Memo(key string, compute func() any) any {
	if got, ok := v.memo.Load(key); ok {
		return got
	}
	got, _ := v.memo.LoadOrStore(key, compute())
	return got
}

// Platform reports whether the viewer has platform-wide authority.
func (v *Viewer) Platform() bool { return v != nil && v.Role == authz.PlatformAdmin }

// Sees reports whether tenant id is within the viewer's tenants.
func (v *Viewer) Sees(id int) bool {
	return v != nil && (v.Platform() || slices.Contains(v.TenantIDs, id))
}

// WithTenant returns a copy that also sees tenant id (used right after a district onboards a school, so the
// same request may create the school's first principal).
func (v *Viewer) WithTenant(id int) *Viewer {
	return &Viewer{
		UserID: v.UserID, TokenID: v.TokenID, Label: v.Label, DisplayName: v.DisplayName, Role: v.Role, TenantID: v.TenantID,
		TenantIDs: append(slices.Clone(v.TenantIDs), id), RequestID: v.RequestID,
		MustChangePassword: v.MustChangePassword, Grants: v.Grants, Authz: v.Authz,
	}
}

// System returns a viewer for trusted in-process actors such as the CLI, migrations seeding and jobs.
func System(label string) *Viewer {
	return &Viewer{Label: "system:" + label, Role: authz.PlatformAdmin}
}

type ctxKey struct{}

// NewContext returns a context carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer, or nil.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(ctxKey{}).(*Viewer)
	return v
}

type requestIDKey struct{}

// WithRequestID stores the request ID, for the audit log, before a viewer is known.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request ID from the viewer or the context.
func RequestID(ctx context.Context) string {
	if v := FromContext(ctx); v != nil && v.RequestID != "" {
		return v.RequestID
	}
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
