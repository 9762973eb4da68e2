package authz

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
)

// Objects are the resource types permissions are granted on.
const (
	ObjTenant          = "tenant"
	ObjUser            = "user"
	ObjAPIToken        = "api_token"
	ObjAuditLog        = "audit_log"
	ObjCampus          = "campus"
	ObjGrade           = "grade"
	ObjClass           = "class"
	ObjStudent         = "student"
	ObjGuardian        = "guardian"
	ObjStaff           = "staff"
	ObjStaffGroup      = "staff_group"
	ObjAssignment      = "assignment"
	ObjCalendar        = "calendar"
	ObjExemption       = "exemption"
	ObjClassCheck      = "class_check"
	ObjCheckEntry      = "check_entry"
	ObjFollowUp        = "follow_up"
	ObjAlert           = "alert"
	ObjObservation     = "observation" // stays in the observation room (留观)
	ObjClearance       = "clearance"
	ObjVerification    = "verification"
	ObjSettings        = "settings"
	ObjStaffCheck      = "staff_check"
	ObjStaffCheckEntry = "staff_check_entry"
	ObjDailyReport     = "daily_report"
	ObjRobotWebhook    = "robot_webhook"   // IM group robots that receive digests (URL never read back)
	ObjDelivery        = "delivery"        // notification deliveries with their status and errors
	ObjExportTemplate  = "export_template" // the columns an export has for one recipient (provincial forms)
	ObjStaffFollowUp   = "staff_follow_up" // a staff member's illness absence traced until the return to work
	// ObjStaffIllness is a staff member's illness before the principal reports it upward (DOMAIN.md §4):
	// read, the school's alert about it; update, the decision whether it goes to the district.
	ObjStaffIllness = "staff_illness"
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

// CatalogLines returns the built-in permission catalog and role hierarchy, one policy line per entry
// (e.g. ["p", "principal", "user", "create"]). The policy store seeds the database from it.
func CatalogLines() [][]string {
	var out [][]string
	for _, line := range strings.Split(policyText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		out = append(out, parts)
	}
	return out
}

// Domain is the Casbin domain of a tenant.
func Domain(tenantID int) string { return "t:" + strconv.Itoa(tenantID) }

// Node is the key of a node of the organisation tree. The school node's ID is the tenant's.
func Node(t NodeType, id int) string { return string(t) + ":" + strconv.Itoa(id) }

// ParseNode splits a node key.
func ParseNode(key string) (NodeType, int, bool) {
	t, id, ok := strings.Cut(key, ":")
	n, err := strconv.Atoi(id)
	return NodeType(t), n, ok && err == nil
}

// anywhere is a request node/sub pair for object types that have no place in the tree (tenants, users):
// Casbin's role manager treats a name as linked to itself.
const anywhere = "*"

// Enforcer answers "may this role, granted at that node, do this to an object at this node".
// It wraps Casbin so that the rest of the code never depends on its API (moving to casbin/v3 is a path
// change). There is no decision cache to go stale: the catalog's answers are recomputed on every load,
// and each tenant's tree is replaced in place when it changes, so the next request sees the change.
//
// The ent client carries one Enforcer per database (an ent dependency), so rules and hooks reach it
// through the mutation or the viewer.
type Enforcer struct {
	ce atomic.Pointer[casbin.SyncedEnforcer]
	// catalog holds Casbin's answers for every (role, object, action): the catalog is global and small,
	// so it is evaluated once per load instead of scanning every p line on every request.
	catalog atomic.Pointer[map[string]bool]
	mu      sync.RWMutex // tree reloads exclude tree reads

	// OnTreeChange, when set, is told after a tenant's tree changed here (to tell other replicas).
	OnTreeChange func(tenantID int)
}

// New returns an enforcer over the built-in catalog and no trees; LoadFrom fills it from a store.
func New() *Enforcer {
	e, err := load(stringadapter.NewAdapter(strings.TrimSpace(catalogCSV())))
	if err != nil {
		panic(err) // the catalog is compiled in: failing to load it is a programming error
	}
	enf := &Enforcer{}
	enf.store(e)
	return enf
}

func (e *Enforcer) store(ce *casbin.SyncedEnforcer) {
	objs, acts := map[string]bool{}, map[string]bool{}
	for _, l := range CatalogLines() {
		if l[0] == "p" {
			objs[l[2]], acts[l[3]] = true, true
		}
	}
	cat := map[string]bool{}
	for _, r := range AllRoles {
		for obj := range objs {
			for act := range acts {
				if ok, err := ce.Enforce(anywhere, string(r), anywhere, anywhere, obj, act); err == nil && ok {
					cat[catalogKey(r, obj, act)] = true
				}
			}
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ce.Store(ce)
	e.catalog.Store(&cat)
}

// Names reports whether the built-in catalog names obj as an object and act as an action (in any line),
// so a question about a misspelt object is an error rather than a quiet "no".
func Names(obj, act string) bool {
	n := catalogNames()
	return n[obj] && n["act:"+act]
}

var catalogNames = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	for _, l := range CatalogLines() {
		if l[0] == "p" {
			names[l[2]], names["act:"+l[3]] = true, true
		}
	}
	return names
})

func catalogKey(r Role, obj, act string) string { return string(r) + "|" + obj + "|" + act }

// LoadFrom replaces everything with the policy held by a store (the database).
func (e *Enforcer) LoadFrom(a persist.Adapter) error {
	ce, err := load(a)
	if err != nil {
		return err
	}
	e.store(ce)
	return nil
}

func load(a persist.Adapter) (*casbin.SyncedEnforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("authz model: %w", err)
	}
	ce, err := casbin.NewSyncedEnforcer(m, a)
	if err != nil {
		return nil, fmt.Errorf("authz policy: %w", err)
	}
	ce.EnableAutoSave(false) // the database is written in the caller's transaction, not by Casbin
	return ce, nil
}

func catalogCSV() string {
	var b strings.Builder
	for _, l := range CatalogLines() {
		b.WriteString(strings.Join(l, ", "))
		b.WriteByte('\n')
	}
	return b.String()
}

// Allowed reports whether role may perform act on objects of type obj at all (tenant-level objects, and
// the first question for tree objects). Errors deny.
func (e *Enforcer) Allowed(role Role, obj, act string) bool {
	return (*e.catalog.Load())[catalogKey(role, obj, act)]
}

// Grant is a role held at a node of one tenant's tree.
type Grant struct {
	Role     Role
	TenantID int
	Node     string // e.g. "class:345"; "school:<tenant>" for the whole institution
}

// Permits reports whether the grant allows act on an obj that sits at node in tenant.
func (e *Enforcer) Permits(g Grant, tenantID int, node, obj, act string) bool {
	if g.TenantID != tenantID || !e.Allowed(g.Role, obj, act) {
		return false
	}
	// The model's g2(r.sub, r.node, r.dom): is node at or below the grant's node in the tenant's tree.
	if g.Node == node {
		return true
	}
	// Asked upwards: the nodes above node are a handful (grade, school), while Casbin's HasLink walks down
	// from the grant's node through everything below it (a whole school) under the domain's exclusive lock.
	// Both stop at the role manager's hierarchy limit, so they answer alike.
	e.mu.RLock()
	defer e.mu.RUnlock()
	above, err := e.ce.Load().GetNamedRoleManager("g2").GetImplicitUsers(node, Domain(tenantID))
	return err == nil && slices.Contains(above, g.Node)
}

// Below returns the nodes under node in the tenant's tree (not node itself).
func (e *Enforcer) Below(tenantID int, node string) []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	nodes, err := e.ce.Load().GetNamedImplicitRolesForUser("g2", node, Domain(tenantID))
	if err != nil {
		return nil
	}
	return nodes
}

// SetTree replaces one tenant's tree with links (parent, child); readers wait for the swap.
func (e *Enforcer) SetTree(tenantID int, links [][2]string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	dom := Domain(tenantID)
	if _, err := e.ce.Load().RemoveFilteredNamedGroupingPolicy("g2", 2, dom); err != nil {
		return err
	}
	rules := make([][]string, len(links))
	for i, l := range links {
		rules[i] = []string{l[0], l[1], dom}
	}
	if len(rules) > 0 {
		if _, err := e.ce.Load().AddNamedGroupingPolicies("g2", rules); err != nil {
			return err
		}
	}
	return nil
}

// TreeChanged applies a tenant's new tree and tells other replicas (through OnTreeChange).
func (e *Enforcer) TreeChanged(tenantID int, links [][2]string) error {
	if err := e.SetTree(tenantID, links); err != nil {
		return err
	}
	if e.OnTreeChange != nil {
		e.OnTreeChange(tenantID)
	}
	return nil
}

var catalog = sync.OnceValue(New)

// Catalog returns a process-wide enforcer over the built-in catalog (no trees), for tenant-level checks.
func Catalog() *Enforcer { return catalog() }
