package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/session"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/user"
)

const loginMutation = `mutation($l: String!, $p: String!) { login(input: {login: $l, password: $p}) { token mustChangePassword user { login } } }`

func (e *env) login(login, password string) *gqlResponse {
	e.t.Helper()
	return e.gql("", loginMutation, map[string]any{"l": login, "p": password})
}

func TestAuth(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		me := `{ me { role user { login } } }`

		t.Run("wrong password and unknown login look the same, open no session", func(t *testing.T) {
			before := must(e.client.Session.Query().Count(system()))
			a := e.login("a.teacher", "wrong-password-1")
			b := e.login("nobody.here", "wrong-password-1")
			if a.Code() != "UNAUTHENTICATED" || b.Code() != "UNAUTHENTICATED" || a.Errors[0].Message != b.Errors[0].Message {
				t.Fatalf("got %+v and %+v", a.Errors, b.Errors)
			}
			if after := must(e.client.Session.Query().Count(system())); after != before {
				t.Errorf("sessions %d -> %d", before, after)
			}
		})

		t.Run("passwords and tokens are stored hashed", func(t *testing.T) {
			u := must(e.client.User.Get(system(), w.ta.ID))
			if !strings.HasPrefix(u.PasswordHash, "$argon2id$") || strings.Contains(u.PasswordHash, testPassword) {
				t.Errorf("password hash %q", u.PasswordHash)
			}
			s := must(e.client.Session.Query().Where(session.TokenHash(auth.HashToken(w.tok["a.teacher"]))).Only(system()))
			if bytes.Contains(s.TokenHash, []byte(w.tok["a.teacher"])) {
				t.Error("session token stored in clear")
			}
		})

		t.Run("bad, malformed and missing credentials", func(t *testing.T) {
			if r := e.gql("chs_not-a-real-token", me, nil); r.Status != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" {
				t.Errorf("bad bearer: %d %+v", r.Status, r.Errors)
			}
			if r := e.gql("", me, nil); r.Code() != "UNAUTHENTICATED" {
				t.Errorf("anonymous me: %+v", r.Errors)
			}
			if r := e.gql("", `{ users { totalCount } }`, nil); r.Code() != "UNAUTHENTICATED" {
				t.Errorf("anonymous users: %+v", r.Errors)
			}
		})

		t.Run("expired session", func(t *testing.T) {
			tok := e.login("b.teacher", testPassword).ok(t)
			var p struct{ Token string }
			tok.decode(t, "login", &p)
			e.gql(p.Token, me, nil).ok(t)
			e.advance(13 * time.Hour)
			defer e.advance(-13 * time.Hour)
			if r := e.gql(p.Token, me, nil); r.Code() != "UNAUTHENTICATED" {
				t.Errorf("expired session still works: %+v", r)
			}
		})

		t.Run("revoked and expired API tokens", func(t *testing.T) {
			e.gql(w.apiA, me, nil).ok(t)
			r := e.gql(w.tok["a.principal"], `mutation($id: ID!) { revokeAPIToken(id: $id) { revokedAt } }`, map[string]any{"id": w.apiAID}).ok(t)
			_ = r
			if r := e.gql(w.apiA, me, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("revoked token works: %d", r.Status)
			}
			exp := e.clock().Add(time.Hour).Format(time.RFC3339)
			r = e.gql(w.tok["a.principal"], `mutation($t: Time!) { createAPIToken(input: {name: "short", role: subject_teacher, expiresAt: $t}) { token } }`, map[string]any{"t": exp}).ok(t)
			var p struct{ Token string }
			r.decode(t, "createAPIToken", &p)
			e.gql(p.Token, me, nil).ok(t)
			e.advance(2 * time.Hour)
			defer e.advance(-2 * time.Hour)
			if r := e.gql(p.Token, me, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("expired token works: %d", r.Status)
			}
		})

		t.Run("API token records last use and acts as its role in its tenant", func(t *testing.T) {
			tok, id := e.apiToken(w.tok["b.principal"], "subject_teacher", nil)
			var m struct {
				Role   string
				Tenant struct{ ID string }
			}
			e.gql(tok, `{ me { role tenant { id } } }`, nil).ok(t).decode(t, "me", &m)
			if m.Role != "subject_teacher" || atoi(t, m.Tenant.ID) != w.B.ID {
				t.Errorf("me = %+v", m)
			}
			if got := must(e.client.APIToken.Get(system(), id)); got.LastUsedAt == nil {
				t.Error("last used time not recorded")
			}
			// A subject teacher may not create tokens or accounts.
			if r := e.gql(tok, `mutation { createAPIToken(input: {name: "x", role: subject_teacher}) { token } }`, nil); r.Code() != "FORBIDDEN" {
				t.Errorf("teacher token created a token: %+v", r.Errors)
			}
			// Nobody grants above their own level.
			if r := e.gql(w.tok["b.principal"], `mutation { createAPIToken(input: {name: "x", role: district_admin}) { token } }`, nil); r.Code() != "FORBIDDEN" {
				t.Errorf("principal granted district_admin: %+v", r.Errors)
			}
		})

		t.Run("deactivated user", func(t *testing.T) {
			tok := w.tok["a.teacher"]
			e.gql(w.tok["a.principal"], `mutation($id: ID!) { setUserActive(id: $id, active: false) { active } }`, map[string]any{"id": w.ta.ID}).ok(t)
			if r := e.gql(tok, me, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("deactivated user's session works: %d", r.Status)
			}
			if r := e.login("a.teacher", testPassword); r.Code() != "UNAUTHENTICATED" || !strings.Contains(r.Errors[0].Message, "deactivated") {
				t.Errorf("deactivated user logs in: %+v", r.Errors)
			}
			e.gql(w.tok["a.principal"], `mutation($id: ID!) { setUserActive(id: $id, active: true) { active } }`, map[string]any{"id": w.ta.ID}).ok(t)
			e.login("a.teacher", testPassword).ok(t)
		})

		t.Run("deactivated school", func(t *testing.T) {
			e.gql(w.tok["d1.admin"], `mutation($id: ID!) { deactivateInstitution(id: $id) { status } }`, map[string]any{"id": w.A2.ID}).ok(t)
			if r := e.gql(w.tok["a2.principal"], me, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("session of deactivated school works: %d", r.Status)
			}
			if r := e.login("a2.principal", testPassword); r.Code() != "UNAUTHENTICATED" {
				t.Errorf("user of deactivated school logs in: %+v", r.Errors)
			}
			e.gql(w.tok["d1.admin"], `mutation($id: ID!) { reactivateInstitution(id: $id) { status } }`, map[string]any{"id": w.A2.ID}).ok(t)
			e.login("a2.principal", testPassword).ok(t)
		})

		t.Run("rate limit per account", func(t *testing.T) {
			for i := 0; i < 5; i++ {
				if r := e.login("b.principal", "guess-"+string(rune('a'+i))); r.Code() != "UNAUTHENTICATED" {
					t.Fatalf("attempt %d: %+v", i, r.Errors)
				}
			}
			if r := e.login("b.principal", testPassword); r.Code() != "RATE_LIMITED" {
				t.Fatalf("6th attempt with the right password: %+v", r.Errors)
			}
			// Other accounts from the same address are not locked out by one account's failures.
			e.login("d2.admin", testPassword).ok(t)
		})

		t.Run("rate limit per IP", func(t *testing.T) {
			e.auth.Limit.PerIP = 8
			defer func() { e.auth.Limit.PerIP = 50 }()
			e.rdb.Del(context.Background(), e.auth.Limit.KeyPrefix+"ratelimit:login:ip:127.0.0.1")
			for i := 0; i < 8; i++ {
				e.login("nobody"+string(rune('a'+i)), "whatever-1")
			}
			if r := e.login("d1.admin", testPassword); r.Code() != "RATE_LIMITED" {
				t.Fatalf("IP over its limit still logs in: %+v", r.Errors)
			}
			e.rdb.Del(context.Background(), e.auth.Limit.KeyPrefix+"ratelimit:login:ip:127.0.0.1")
		})
	})
}

func TestInitialPasswordMustBeChanged(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		r := e.gql(w.tok["a.principal"], `mutation { createUser(input: {role: class_teacher, account: {login: "new.teacher", displayName: "新老师", phone: "13800138000"}}) { initialPassword user { id mustChangePassword } } }`, nil).ok(t)
		var p struct{ InitialPassword string }
		r.decode(t, "createUser", &p)
		var lp struct {
			Token              string
			MustChangePassword bool
		}
		e.login("new.teacher", p.InitialPassword).ok(t).decode(t, "login", &lp)
		if !lp.MustChangePassword {
			t.Fatal("initial password not flagged")
		}
		if r := e.gql(lp.Token, `{ users { totalCount } }`, nil); r.Code() != "PASSWORD_CHANGE_REQUIRED" {
			t.Fatalf("used the API before changing the password: %+v", r.Errors)
		}
		change := `mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) }`
		if r := e.gql(lp.Token, change, map[string]any{"c": p.InitialPassword, "n": "short"}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "newPassword" {
			t.Fatalf("weak password: %+v", r.Errors)
		}
		e.gql(lp.Token, change, map[string]any{"c": p.InitialPassword, "n": "a-better-secret-9"}).ok(t)
		e.gql(lp.Token, `{ users { totalCount } }`, nil).ok(t)
		if r := e.login("new.teacher", p.InitialPassword); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("old password still works: %+v", r.Errors)
		}
		u := must(e.client.User.Query().Where(user.Login("new.teacher")).Only(system()))
		if u.MustChangePassword || u.PasswordChangedAt == nil {
			t.Errorf("user after change: %+v", u)
		}
	})
}

func TestCookieSessionAndCSRF(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.newWorld()
		body := `{"query":"mutation { login(input: {login: \"a.teacher\", password: \"` + testPassword + `\"}) { user { id } } }"}`
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res := e.send(req).ok(t)
		cookie := res.Header.Get("Set-Cookie")
		if !strings.Contains(cookie, auth.CookieName+"=chs_") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") ||
			!strings.Contains(cookie, "Max-Age=43200") || strings.Contains(cookie, "Expires") { // the TTL, whatever the browser's clock says
			t.Fatalf("Set-Cookie = %q", cookie)
		}
		sess := strings.SplitN(strings.SplitN(cookie, ";", 2)[0], "=", 2)[1]
		withCookie := func(req *http.Request) *http.Request {
			req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: sess})
			return req
		}
		// JSON with the cookie works.
		req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { role } }"}`))
		req.Header.Set("Content-Type", "application/json")
		e.send(withCookie(req)).ok(t)

		// A multipart form (what a cross-site <form> can send) with the cookie and no custom header is refused.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("operations", `{"query":"mutation { logout }"}`)
		_ = mw.WriteField("map", `{}`)
		_ = mw.Close()
		req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(buf.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if r := e.send(withCookie(req)); r.Status != http.StatusForbidden || r.Code() != "CSRF" {
			t.Fatalf("cross-site form accepted: %d %+v", r.Status, r.Errors)
		}
		// GET cannot mutate.
		req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/graphql?query=mutation%7Blogout%7D", nil)
		if r := e.send(withCookie(req)); len(r.Errors) == 0 {
			t.Fatal("mutation over GET accepted")
		}
		// The session is still alive after both attempts; logout then ends it.
		req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", strings.NewReader(`{"query":"mutation { logout }"}`))
		req.Header.Set("Content-Type", "application/json")
		e.send(withCookie(req)).ok(t)
		req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { role } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if r := e.send(withCookie(req)); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("session works after logout: %+v", r)
		}
	})
}

// TestSessionSeesEveryChangeAtOnce: the session (and API token) lookup reads the session, the user, the
// institution and its district, and the assignments afresh on every request, so each change below counts on
// the very next one.
func TestSessionSeesEveryChangeAtOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		me := `{ me { role } }`
		var m struct{ Role string }
		e.gql(w.tok["a.teacher"], me, nil).ok(t).decode(t, "me", &m)
		if m.Role != "class_teacher" {
			t.Fatalf("me = %+v", m)
		}
		if err := e.client.User.UpdateOneID(w.ta.ID).SetRole(authz.SubjectTeacher).Exec(system()); err != nil {
			t.Fatal(err)
		}
		e.gql(w.tok["a.teacher"], me, nil).ok(t).decode(t, "me", &m)
		if m.Role != "subject_teacher" {
			t.Errorf("after the role change: %+v", m)
		}

		// The district of school A is deactivated: A's people are refused, B's are not.
		if err := e.client.Tenant.UpdateOneID(w.D1.ID).SetStatus(tenant.StatusDeactivated).Exec(system()); err != nil {
			t.Fatal(err)
		}
		if r := e.gql(w.tok["a.principal"], me, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("session in a deactivated district works: %d", r.Status)
		}
		if r := e.gql(w.apiA, me, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("API token in a deactivated district works: %d", r.Status)
		}
		e.gql(w.tok["b.principal"], me, nil).ok(t)
		e.gql(w.apiB, me, nil).ok(t)
		if err := e.client.Tenant.UpdateOneID(w.D1.ID).SetStatus(tenant.StatusActive).Exec(system()); err != nil {
			t.Fatal(err)
		}
		e.gql(w.tok["a.principal"], me, nil).ok(t)
		e.gql(w.apiA, me, nil).ok(t)

		// Signing out ends the session for the next request.
		if r := e.gql(w.tok["b.teacher"], `mutation { logout }`, nil).ok(t); string(r.Data["logout"]) != "true" {
			t.Fatalf("logout = %s", r.Data["logout"])
		}
		if r := e.gql(w.tok["b.teacher"], me, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("signed-out session works: %d", r.Status)
		}
	})
}
