package authz

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
)

// Objects are the resource types permissions are granted on.
const (
	ObjTenant   = "tenant"
	ObjUser     = "user"
	ObjAPIToken = "api_token"
	ObjAuditLog = "audit_log"
)

// Actions.
const (
	ActRead   = "read"
	ActCreate = "create"
	ActUpdate = "update"
	ActDelete = "delete"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Enforcer answers "may this role do that to this kind of object".
// It wraps Casbin so the rest of the code never depends on its API (a later move to casbin/v3 is a path change).
type Enforcer struct {
	e *casbin.SyncedEnforcer
}

// NewEnforcer loads the built-in model and permission catalog.
func NewEnforcer() (*Enforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("authz model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m, stringadapter.NewAdapter(strings.TrimSpace(policyText)))
	if err != nil {
		return nil, fmt.Errorf("authz policy: %w", err)
	}
	return &Enforcer{e: e}, nil
}

// Allowed reports whether role may perform act on obj. Errors (a broken model) deny.
func (e *Enforcer) Allowed(role Role, obj, act string) bool {
	ok, err := e.e.Enforce(string(role), obj, act)
	return err == nil && ok
}

var (
	defaultOnce sync.Once
	defaultEnf  *Enforcer
)

// Default returns the process-wide enforcer used by the privacy rules.
// The catalog is compiled in, so failing to load it is a programming error.
func Default() *Enforcer {
	defaultOnce.Do(func() {
		e, err := NewEnforcer()
		if err != nil {
			panic(err)
		}
		defaultEnf = e
	})
	return defaultEnf
}
