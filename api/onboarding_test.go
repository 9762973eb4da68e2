package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TestOnboardingEndToEnd drives onboarding over real HTTP: platform admin → district → its admin → a school
// → its principal → an API token; then the audit trail and deactivation.
func TestOnboardingEndToEnd(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		root := e.rootSession()

		// 1. The platform admin creates a district and its first admin.
		var d struct {
			Tenant          struct{ ID, Name, Kind, Timezone string }
			Admin           struct{ ID, Login string }
			InitialPassword string
		}
		e.gql(root, `mutation { createDistrict(input: {name: "城关区教育局", code: "330102", admin: {login: "chengguan.admin", displayName: "赵主任"}}) {
			tenant { id name kind timezone } admin { id login } initialPassword } }`, nil).ok(t).decode(t, "createDistrict", &d)
		if d.Tenant.Kind != "district" || d.Tenant.Timezone != "Asia/Shanghai" || d.InitialPassword == "" {
			t.Fatalf("district = %+v", d)
		}

		// 2. The district admin signs in, must change the initial password, and does.
		district := e.signInFirstTime(t, "chengguan.admin", d.InitialPassword, "district-secret-2026")

		// 3. It onboards a kindergarten with its principal.
		var s struct {
			Tenant struct {
				ID, Kind string
				Parent   struct{ ID string }
			}
			Admin           struct{ Login, Role string }
			InitialPassword string
		}
		e.gql(district, `mutation { onboardInstitution(input: {name: "城关幼儿园", kind: kindergarten, principal: {login: "cg.kg.principal", displayName: "钱园长", phone: "13912345678"}}) {
			tenant { id kind parent { id } } admin { login role } initialPassword } }`, nil).ok(t).decode(t, "onboardInstitution", &s)
		if s.Tenant.Parent.ID != d.Tenant.ID || s.Admin.Role != "principal" {
			t.Fatalf("school = %+v", s)
		}

		// 4. The principal signs in and sees its own school.
		principal := e.signInFirstTime(t, "cg.kg.principal", s.InitialPassword, "principal-secret-2026")
		var me struct {
			Role   string
			Tenant struct{ ID, Name string }
		}
		e.gql(principal, `{ me { role tenant { id name } } }`, nil).ok(t).decode(t, "me", &me)
		if me.Tenant.ID != s.Tenant.ID || me.Role != "principal" {
			t.Fatalf("me = %+v", me)
		}

		// 5. The principal creates an API token for a third-party app; it works as a bearer token.
		var tok struct {
			Token    string
			APIToken struct{ Prefix string }
		}
		e.gql(principal, `mutation { createAPIToken(input: {name: "体温枪同步", role: health_teacher}) { token apiToken { prefix } } }`, nil).
			ok(t).decode(t, "createAPIToken", &tok)
		var tme struct{ Role string }
		e.gql(tok.Token, `{ me { role } }`, nil).ok(t).decode(t, "me", &tme)
		if tme.Role != "health_teacher" || tok.APIToken.Prefix == "" || tok.Token[:len(tok.APIToken.Prefix)] != tok.APIToken.Prefix {
			t.Fatalf("token me = %+v, prefix %q", tme, tok.APIToken.Prefix)
		}

		// 6. The district lists its schools with a where-filter and ordering.
		r := e.gql(district, `{ tenants(where: {kindNEQ: district}, orderBy: {field: NAME}) { totalCount edges { node { id name } } } }`, nil).ok(t)
		if got := ids(t, r, "tenants"); len(got) != 1 || got[0] != atoi(t, s.Tenant.ID) {
			t.Fatalf("district's schools = %v", got)
		}

		// 7. The audit trail names who did what, readable by the district and the school, not by a token role
		// without the permission.
		var logs struct {
			Edges []struct {
				Node struct {
					Actor, EntityType, Operation string
					Changes                      []struct {
						Field string
						New   any
					}
				}
			}
		}
		e.gql(district, `{ auditLogs(first: 100, orderBy: {field: CREATED_AT}) { edges { node { actor entityType operation changes { field new } } } } }`, nil).
			ok(t).decode(t, "auditLogs", &logs)
		var sawSchool, sawPrincipal bool
		for _, l := range logs.Edges {
			n := l.Node
			if n.EntityType == "Tenant" && n.Operation == "create" && n.Actor == "user:chengguan.admin" {
				sawSchool = true
			}
			if n.EntityType == "User" && n.Operation == "create" && n.Actor == "user:chengguan.admin" {
				sawPrincipal = true
				for _, c := range n.Changes {
					if c.Field == "password_hash" && c.New != "[redacted]" {
						t.Errorf("password hash in the audit log: %v", c.New)
					}
				}
			}
		}
		if !sawSchool || !sawPrincipal {
			t.Errorf("audit log misses onboarding (school %v, principal %v): %+v", sawSchool, sawPrincipal, logs)
		}
		if r := e.gql(tok.Token, `{ auditLogs { totalCount } }`, nil); r.Code() != "FORBIDDEN" {
			t.Errorf("health-teacher token read the audit log: %+v", r.Errors)
		}

		// 8. Deactivating the school stops its principal and its token.
		e.gql(district, `mutation($id: ID!) { deactivateInstitution(id: $id) { status } }`, map[string]any{"id": s.Tenant.ID}).ok(t)
		if r := e.gql(principal, `{ me { role } }`, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("principal of a deactivated school: %d", r.Status)
		}
		if r := e.gql(tok.Token, `{ me { role } }`, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("token of a deactivated school: %d", r.Status)
		}
		// The district itself cannot be deactivated by its own admin.
		if r := e.gql(district, `mutation($id: ID!) { deactivateInstitution(id: $id) { status } }`, map[string]any{"id": d.Tenant.ID}); r.Code() == "" {
			t.Error("district admin deactivated its own district")
		}
	})
}

// TestAuditLogIsAppendOnly: entries cannot be changed or deleted, even by code that bypasses privacy.
func TestAuditLogIsAppendOnly(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.newWorld()
		ctx := viewer.NewContext(context.Background(), viewer.System("cli"))
		entry := must(e.client.AuditLog.Query().Where(auditlog.EntityType("User")).First(ctx))
		if err := e.client.AuditLog.UpdateOne(entry).Exec(ctx); err == nil {
			t.Error("audit entry updated")
		}
		if err := e.client.AuditLog.DeleteOne(entry).Exec(ctx); err == nil {
			t.Error("audit entry deleted")
		}
		if n, err := e.client.AuditLog.Delete().Exec(ctx); err == nil || n != 0 {
			t.Errorf("audit log bulk-deleted %d", n)
		}
		// A change made outside GraphQL (the CLI) is audited with its actor.
		u := must(e.client.User.Create().SetLogin("cli.made").SetDisplayName("x").SetRole(authz.PlatformAdmin).SetPasswordHash("x").Save(ctx))
		got := must(e.client.AuditLog.Query().Where(auditlog.EntityType("User"), auditlog.EntityID(u.ID)).Only(ctx))
		if got.Actor != "system:cli" || got.Operation != auditlog.OperationCreate {
			t.Errorf("CLI change audited as %+v", got)
		}
	})
}

func (e *env) rootSession() string {
	e.t.Helper()
	ctx := system()
	must(e.client.User.Create().SetLogin("root").SetDisplayName("root").SetRole(authz.PlatformAdmin).SetPasswordHash(testHash(e.t)).Save(ctx))
	var p struct{ Token string }
	e.login("root", testPassword).ok(e.t).decode(e.t, "login", &p)
	return p.Token
}

// signInFirstTime logs in with an initial password, changes it, and returns the session token.
func (e *env) signInFirstTime(t *testing.T, login, initial, next string) string {
	t.Helper()
	var p struct {
		Token              string
		MustChangePassword bool
	}
	e.login(login, initial).ok(t).decode(t, "login", &p)
	if !p.MustChangePassword {
		t.Fatalf("%s: initial password not flagged", login)
	}
	e.gql(p.Token, `mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) }`,
		map[string]any{"c": initial, "n": next}).ok(t)
	return p.Token
}

// TestTextLimitsCountCharacters: names and notes are bounded in characters, not bytes — a Chinese school
// name of 40 characters (120 bytes) fits the 100 allowed; 101 characters are refused naming the field, and
// nothing is written.
func TestTextLimitsCountCharacters(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		onboard := func(name, login string) *gqlResponse {
			return e.gql(w.tok["d1.admin"], `mutation($n: String!, $l: String!) { onboardInstitution(input: {name: $n, kind: primary_school,
				principal: {login: $l, displayName: "校长"}}) { tenant { name } } }`, map[string]any{"n": name, "l": login})
		}
		long := strings.Repeat("城", 40)
		var got struct{ Tenant struct{ Name string } }
		onboard(long, "long.name.principal").ok(t).decode(t, "onboardInstitution", &got)
		if got.Tenant.Name != long {
			t.Errorf("name %q", got.Tenant.Name)
		}
		r := onboard(strings.Repeat("城", 101), "too.long.principal")
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "name" {
			t.Errorf("101 characters: %+v", r.Errors)
		}
		if n := e.client.User.Query().Where(user.Login("too.long.principal")).CountX(system()); n != 0 {
			t.Errorf("the refused institution's principal was written")
		}
	})
}
