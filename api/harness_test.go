package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/api"
	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/console"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/notify"
)

const testPassword = "correct-horse-42"

var (
	hashOnce sync.Once
	pwHash   string
)

// testHash is computed once: argon2id is deliberately slow.
func testHash(t testing.TB) string {
	hashOnce.Do(func() {
		var err error
		if pwHash, err = auth.HashPassword(testPassword); err != nil {
			t.Fatal(err)
		}
	})
	return pwHash
}

// env is a running API server over a real database and Redis.
type env struct {
	t      *testing.T
	db     *database.DB
	client *ent.Client
	rdb    redis.UniversalClient
	srv    *httptest.Server
	auth   *auth.Service
	now    time.Time
	nowMu  sync.Mutex
	notify *notify.Service // its hub relays Redis pub/sub while the test runs
}

func newEnv(t *testing.T, db *database.DB, rdb redis.UniversalClient) *env {
	e := &env{t: t, db: db, client: db.Client, rdb: rdb, now: time.Now()}
	e.auth = &auth.Service{
		Client: db.Client, SessionTTL: 12 * time.Hour, Now: e.clock,
		Limit: &auth.RateLimit{Redis: rdb, PerAccount: 5, PerIP: 50, Window: 15 * time.Minute,
			KeyPrefix: fmt.Sprintf("test:%d:", time.Now().UnixNano())},
	}
	svc, err := notify.New(db.Client, rdb.(*redis.Client), notify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.notify = svc
	hubCtx, stopHub := context.WithCancel(context.Background())
	go svc.Hub().Run(hubCtx)
	t.Cleanup(stopHub)
	s := api.New(api.Config{GraphiQL: true, Introspection: true, Limits: api.Limits{MaxDepth: 8, MaxComplexity: 2000}},
		api.Deps{
			Client: db.Client, Auth: e.auth, Console: console.Handler(), Redis: rdb.(*redis.Client),
			Queue:  asynq.NewClientFromRedisClient(rdb.(*redis.Client)),
			Notify: svc,
			Mounts: map[string]http.Handler{api.MonitoringPath + "/": api.Monitoring(rdb.(*redis.Client))},
			Checks: []api.Check{{Name: "database", Ping: db.Ping}, {Name: "redis", Ping: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }}},
		})
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) clock() time.Time {
	e.nowMu.Lock()
	defer e.nowMu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.nowMu.Lock()
	defer e.nowMu.Unlock()
	e.now = e.now.Add(d)
}

// system is a context acting as the platform itself, past every privacy rule (fixtures and assertions).
func system() context.Context {
	return privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
}

// gqlResponse is a GraphQL answer.
type gqlResponse struct {
	Status int
	Data   map[string]json.RawMessage `json:"data"`
	Errors []gqlError                 `json:"errors"`
	Header http.Header
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the first error's code, "" when there is none.
func (r *gqlResponse) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// decode unmarshals one top-level field.
func (r *gqlResponse) decode(t testing.TB, field string, v any) {
	t.Helper()
	raw, ok := r.Data[field]
	if !ok {
		t.Fatalf("no %q in response: %+v", field, r)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v (%s)", field, err, raw)
	}
}

// gql posts a GraphQL request with a bearer token ("" for anonymous).
func (e *env) gql(token, query string, vars map[string]any) *gqlResponse {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) *gqlResponse {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &gqlResponse{Status: res.StatusCode, Header: res.Header}
	if err := json.Unmarshal(raw, out); err != nil && !strings.Contains(res.Header.Get("Content-Type"), "html") {
		e.t.Fatalf("status %d, body not JSON: %s", res.StatusCode, raw)
	}
	out.Status = res.StatusCode
	return out
}

// ok asserts a response without errors.
func (r *gqlResponse) ok(t testing.TB) *gqlResponse {
	t.Helper()
	if len(r.Errors) > 0 || r.Status != http.StatusOK {
		t.Fatalf("unexpected errors (status %d): %+v", r.Status, r.Errors)
	}
	return r
}

// world is a fixture: two districts; district 1 has schools A and A2, district 2 has school B.
type world struct {
	D1, D2, A, A2, B                  *ent.Tenant
	platform, d1, d2, pa, ta, pa2, pb *ent.User
	tb                                *ent.User
	// tokens: session tokens by login, plus API tokens for A and B
	tok            map[string]string
	apiA, apiB     string
	apiAID, apiBID int
}

func (e *env) newWorld() *world {
	t := e.t
	ctx := system()
	c := e.client
	w := &world{tok: map[string]string{}}
	mk := func(name string, kind tenant.Kind, parent *ent.Tenant) *ent.Tenant {
		b := c.Tenant.Create().SetName(name).SetKind(kind)
		if parent != nil {
			b.SetParent(parent)
		}
		return must(b.Save(ctx))
	}
	w.D1 = mk("District One", tenant.KindDistrict, nil)
	w.D2 = mk("District Two", tenant.KindDistrict, nil)
	w.A = mk("School A", tenant.KindPrimarySchool, w.D1)
	w.A2 = mk("Kindergarten A2", tenant.KindKindergarten, w.D1)
	w.B = mk("School B", tenant.KindSecondarySchool, w.D2)
	user := func(login string, role authz.Role, tn *ent.Tenant) *ent.User {
		b := c.User.Create().SetLogin(login).SetDisplayName(login).SetRole(role).SetPasswordHash(testHash(t))
		if tn != nil {
			b.SetTenantID(tn.ID)
		}
		u := must(b.Save(ctx))
		res, err := e.auth.Login(context.Background(), login, testPassword)
		if err != nil {
			t.Fatalf("login %s: %v", login, err)
		}
		w.tok[login] = res.Token
		return u
	}
	w.platform = user("root", authz.PlatformAdmin, nil)
	w.d1 = user("d1.admin", authz.DistrictAdmin, w.D1)
	w.d2 = user("d2.admin", authz.DistrictAdmin, w.D2)
	w.pa = user("a.principal", authz.Principal, w.A)
	w.ta = user("a.teacher", authz.ClassTeacher, w.A)
	w.pa2 = user("a2.principal", authz.Principal, w.A2)
	w.pb = user("b.principal", authz.Principal, w.B)
	w.tb = user("b.teacher", authz.ClassTeacher, w.B)
	w.apiA, w.apiAID = e.apiToken(w.tok["a.principal"], authz.Principal, nil)
	w.apiB, w.apiBID = e.apiToken(w.tok["b.principal"], authz.Principal, nil)
	return w
}

// classOfThree creates School A's 一年级(1)班 (in grade 一年级) with pupils 甲, 乙 and 丙, whose class teacher
// is a.teacher from an hour ago: a class to report for.
func (e *env) classOfThree(w *world) (*ent.Class, []int) {
	sys := system()
	g := must(e.client.Grade.Create().SetTenantID(w.A.ID).SetName("一年级").Save(sys))
	cl := must(e.client.Class.Create().SetTenantID(w.A.ID).SetName("一年级(1)班").SetGrade(g).Save(sys))
	var pupils []int
	for i, n := range []string{"甲", "乙", "丙"} {
		pupils = append(pupils, must(e.client.Student.Create().SetTenantID(w.A.ID).SetClass(cl).SetName(n).
			SetStudentNumber(string(rune('a'+i))).SetGender("male").Save(sys)).ID)
	}
	must(e.client.Assignment.Create().SetTenantID(w.A.ID).SetUserID(w.ta.ID).SetRole(authz.ClassTeacher).
		SetNodeType(authz.NodeClass).SetNodeID(cl.ID).SetValidFrom(e.now.Add(-time.Hour)).Save(sys))
	return cl, pupils
}

func (e *env) apiToken(session string, role authz.Role, tenantID *int) (string, int) {
	vars := map[string]any{"i": map[string]any{"name": "sis-sync", "role": role}}
	if tenantID != nil {
		vars["i"].(map[string]any)["tenantID"] = *tenantID
	}
	r := e.gql(session, `mutation($i: CreateAPITokenInput!) { createAPIToken(input: $i) { token apiToken { id } } }`, vars).ok(e.t)
	var p struct {
		Token    string
		APIToken struct{ ID string }
	}
	r.decode(e.t, "createAPIToken", &p)
	return p.Token, atoi(e.t, p.APIToken.ID)
}

// must returns v, or panics on err: it wraps a setup or assertion query; a panic fails the test with a stack.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not an ID: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// each runs fn on SQLite with the embedded Redis, and on PostgreSQL with the real Redis (as in production).
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		rdb := dbtest.MiniRedis(t)
		if db.Dialect == dialect.Postgres {
			rdb = dbtest.Redis(t)
		}
		fn(t, newEnv(t, db, rdb))
	})
}

// findIDs collects every "id" value in a JSON document.
func findIDs(raw json.RawMessage) []string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				if s, ok := v.(string); ok && k == "id" {
					out = append(out, s)
				}
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(v)
	return out
}

// recorder keeps the SQL statements (BEGIN and COMMIT included) sent through a recorded database while on.
type recorder struct {
	on    atomic.Bool
	mu    sync.Mutex
	stmts []string
}

// take returns the statements recorded so far and forgets them.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.stmts
	r.stmts = nil
	return out
}

// recorded is db over a driver that records every statement into the returned recorder while it is on.
func recorded(db *database.DB) (*database.DB, *recorder) {
	r := &recorder{}
	drv := dialect.DebugWithContext(entsql.OpenDB(db.Dialect, db.SQL), func(_ context.Context, v ...any) {
		if r.on.Load() {
			r.mu.Lock()
			r.stmts = append(r.stmts, fmt.Sprint(v...))
			r.mu.Unlock()
		}
	})
	return &database.DB{Client: ent.NewClient(ent.Driver(drv), ent.Authz(db.Client.Authz)), SQL: db.SQL, Dialect: db.Dialect}, r
}

// roundTrips opens db's PostgreSQL database again through a TCP proxy that counts the round trips on the
// wire: each burst a client sends before waiting for the answer is one read on the proxy (pipelined
// statements arrive together). It signs in as TEST_DATABASE_URL's user when set.
func roundTrips(t *testing.T, db *database.DB) (*database.DB, *atomic.Int64) {
	t.Helper()
	var host, name, user string
	var port int
	if err := db.SQL.QueryRow(`SELECT host(inet_server_addr()), inet_server_port(), current_database(), current_user`).
		Scan(&host, &port, &name, &user); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var trips atomic.Int64
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
			if err != nil {
				client.Close()
				continue
			}
			go func() { io.Copy(client, server); client.Close() }()
			go func() {
				defer server.Close()
				buf := make([]byte, 64<<10)
				for {
					n, err := client.Read(buf)
					if n > 0 {
						trips.Add(1)
						if _, werr := server.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	u := url.URL{Scheme: "postgres", User: url.User(user), Host: ln.Addr().String(), Path: "/" + name, RawQuery: "sslmode=disable"}
	if env, err := url.Parse(os.Getenv("TEST_DATABASE_URL")); err == nil && env.User != nil {
		u.User = env.User // its password, if the server wants one
	}
	proxied, err := database.Open(context.Background(), u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxied.Close() })
	// The permissions of db's process, kept current as the test adds classes, not a second enforcer's.
	proxied.Client = ent.NewClient(ent.Driver(entsql.OpenDB(proxied.Dialect, proxied.SQL)), ent.Authz(db.Client.Authz))
	return proxied, &trips
}
