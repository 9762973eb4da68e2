package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/user"
)

// TestBadInput: a user's mistake gets a clear error, never a 500, and nothing is written.
func TestBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		d1 := w.tok["d1.admin"]
		counts := func() [2]int {
			return [2]int{must(e.client.Tenant.Query().Count(system())), must(e.client.User.Query().Count(system()))}
		}
		before := counts()
		post := func(body, contentType string) *gqlResponse {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", strings.NewReader(body))
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("Authorization", "Bearer "+d1)
			return e.send(req)
		}
		onboard := `mutation($i: OnboardInstitutionInput!) { onboardInstitution(input: $i) { tenant { id } } }`
		school := func(mod func(m map[string]any)) map[string]any {
			i := map[string]any{"name": "New School", "kind": "primary_school", "principal": map[string]any{"login": "new.principal", "displayName": "张校长"}}
			mod(i)
			return map[string]any{"i": i}
		}
		deep := "{ tenants { edges { node { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } }"
		cases := []struct {
			name        string
			do          func() *gqlResponse
			status      int
			code, field string
		}{
			{"malformed JSON", func() *gqlResponse { return post(`{"query": "{ me { role } }"`, "application/json") }, 400, "BAD_REQUEST", ""},
			{"not JSON", func() *gqlResponse { return post(`query=me`, "text/plain") }, 400, "", ""},
			{"unknown input field", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) { m["colour"] = "red" }))
			}, 422, "GRAPHQL_VALIDATION_FAILED", ""},
			{"unknown query field", func() *gqlResponse { return e.gql(d1, `{ tenants { edges { node { secret } } } }`, nil) }, 422, "GRAPHQL_VALIDATION_FAILED", ""},
			{"bad enum value", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) { m["kind"] = "university" }))
			}, 422, "GRAPHQL_VALIDATION_FAILED", ""},
			// The schema's validator lets an enum value of the wrong case through; ent's enum refuses it.
			{"enum value in the wrong case", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) { m["kind"] = "PRIMARY_SCHOOL" }))
			}, 200, "BAD_USER_INPUT", "kind"},
			{"bad time zone", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) { m["timezone"] = "Mars/Olympus" }))
			}, 200, "BAD_USER_INPUT", "timezone"},
			{"empty name", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) { m["name"] = "" }))
			}, 200, "BAD_USER_INPUT", "name"},
			{"bad phone", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) {
					m["principal"] = map[string]any{"login": "x.y", "displayName": "x", "phone": "12345"}
				}))
			}, 200, "BAD_USER_INPUT", "phone"},
			{"bad login", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) {
					m["principal"] = map[string]any{"login": "Has Spaces!", "displayName": "x"}
				}))
			}, 200, "BAD_USER_INPUT", "login"},
			// The school row is inserted first; the duplicate principal login must roll it back.
			{"duplicate login rolls back the school", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) {
					m["principal"] = map[string]any{"login": "a.teacher", "displayName": "x"}
				}))
			}, 200, "CONFLICT", "login"},
			{"duplicate school name", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) {
					m["name"] = "School A"
					m["principal"] = map[string]any{"login": "dup.name", "displayName": "x"}
				}))
			}, 200, "CONFLICT", "name"},
			{"district via onboardInstitution", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) { m["kind"] = "district" }))
			}, 200, "BAD_USER_INPUT", "kind"},
			{"page too large", func() *gqlResponse { return e.gql(d1, `{ users(first: 501) { totalCount } }`, nil) }, 200, "BAD_USER_INPUT", "first"},
			{"negative page", func() *gqlResponse { return e.gql(d1, `{ users(last: -1) { totalCount } }`, nil) }, 200, "BAD_USER_INPUT", "last"},
			{"too deep", func() *gqlResponse { return e.gql(d1, deep, nil) }, 200, "DEPTH_LIMIT_EXCEEDED", ""},
			{"too complex", func() *gqlResponse {
				return e.gql(d1, `{ tenants(first: 100) { edges { node { children(first: 100) { edges { node { id name } } } } } } }`, nil)
			}, 200, "COMPLEXITY_LIMIT_EXCEEDED", ""},
			{"too many tokens", func() *gqlResponse {
				return e.gql(d1, "{ me { "+strings.Repeat("role ", 20000)+"} }", nil)
			}, 422, "", ""},
			{"body too large", func() *gqlResponse {
				return post(`{"query":"{ me { role } }","variables":{"x":"`+strings.Repeat("x", 2<<20)+`"}}`, "application/json")
			}, 413, "REQUEST_TOO_LARGE", ""},
			{"unknown ID", func() *gqlResponse {
				return e.gql(d1, `mutation { deactivateInstitution(id: 999999999) { id } }`, nil)
			}, 200, "NOT_FOUND", ""},
			{"ID that is not a number", func() *gqlResponse {
				return e.gql(d1, `mutation { deactivateInstitution(id: "abc") { id } }`, nil)
			}, 200, "BAD_USER_INPUT", "id"},
			// Values the schema's types let through that do not turn into one: refused on the argument.
			{"time that is not RFC 3339", func() *gqlResponse {
				return e.gql(d1, `mutation($t: Time) { createAPIToken(input: { name: "x", role: district_admin, expiresAt: $t }) { token } }`,
					map[string]any{"t": "2026-11-23"})
			}, 200, "BAD_USER_INPUT", "expiresAt"},
			{"cursor that is not one", func() *gqlResponse {
				return e.gql(d1, `query($c: Cursor) { tenants(after: $c) { totalCount } }`, map[string]any{"c": "bm90IGEgY3Vyc29y"})
			}, 200, "BAD_USER_INPUT", "after"},
			// PostgreSQL refuses a NUL character in text (SQLite would store it): refused before anything runs.
			{"NUL in a variable", func() *gqlResponse {
				return e.gql(d1, onboard, school(func(m map[string]any) { m["name"] = "New\x00School" }))
			}, 200, "BAD_USER_INPUT", "i"},
			{"NUL in the query text", func() *gqlResponse {
				return e.gql(d1, `{ tenants(where: { name: "New\u0000School" }) { totalCount } }`, nil)
			}, 200, "BAD_USER_INPUT", "query"},
			// PostgreSQL refuses two assignments to one column (SQLite would keep the last).
			{"field set and cleared at once", func() *gqlResponse {
				var set struct{ ID string }
				e.gql(d1, `mutation { createCheckSetting(input: { feverThreshold: 37.5 }) { id } }`, nil).ok(t).decode(t, "createCheckSetting", &set)
				return e.gql(d1, `mutation($id: ID!) { updateCheckSetting(id: $id, input: { feverThreshold: 37.6, clearFeverThreshold: true }) { id } }`,
					map[string]any{"id": set.ID})
			}, 200, "BAD_USER_INPUT", "feverThreshold"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := c.do()
				if r.Status >= 500 {
					t.Fatalf("status %d: %+v", r.Status, r.Errors)
				}
				if r.Status != c.status {
					t.Errorf("status %d, want %d (%+v)", r.Status, c.status, r.Errors)
				}
				if len(r.Errors) == 0 {
					t.Fatalf("no error")
				}
				if c.code != "" && r.Code() != c.code {
					t.Errorf("code %q, want %q: %+v", r.Code(), c.code, r.Errors)
				}
				if c.field != "" && r.Errors[0].Extensions["field"] != c.field {
					t.Errorf("field %v, want %q: %+v", r.Errors[0].Extensions["field"], c.field, r.Errors)
				}
				if r.Errors[0].Message == "" || strings.Contains(r.Errors[0].Message, "internal") {
					t.Errorf("unclear message %q", r.Errors[0].Message)
				}
			})
		}
		if after := counts(); after != before {
			t.Errorf("bad input wrote rows: tenants/users %v -> %v", before, after)
		}
		if n := must(e.client.Tenant.Query().Where(tenant.Name("New School")).Count(system())); n != 0 {
			t.Errorf("%d partial schools left", n)
		}
		if n := must(e.client.User.Query().Where(user.LoginIn("new.principal", "dup.name")).Count(system())); n != 0 {
			t.Errorf("%d partial users left", n)
		}
	})
}

// TestPageSize: a connection without first/last returns the default page, never the whole table.
func TestPageSize(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		builders := make([]*ent.UserCreate, 60)
		for i := range builders {
			builders[i] = e.client.User.Create().SetTenantID(w.A.ID).SetLogin(fmt.Sprintf("t%02d.a", i)).
				SetDisplayName("t").SetRole(authz.SubjectTeacher).SetPasswordHash("x")
		}
		e.client.User.CreateBulk(builders...).ExecX(system())
		var conn struct {
			TotalCount int
			PageInfo   struct{ HasNextPage bool }
			Edges      []struct{ Node struct{ ID string } }
		}
		q := fmt.Sprintf(`{ users(where: {tenantID: %d}) { totalCount pageInfo { hasNextPage } edges { node { id } } } }`, w.A.ID)
		e.gql(w.tok["a.principal"], q, nil).ok(t).decode(t, "users", &conn)
		if conn.TotalCount != 62 || len(conn.Edges) != 50 || !conn.PageInfo.HasNextPage {
			t.Errorf("total %d, page %d, next %v; want 62, 50, true", conn.TotalCount, len(conn.Edges), conn.PageInfo.HasNextPage)
		}
	})
}
