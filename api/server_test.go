package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/api"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
)

func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestHealthAndReadiness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, dbtest.MiniRedis(t))
		if code, _ := get(t, e.srv.URL+"/healthz"); code != http.StatusOK {
			t.Errorf("healthz %d", code)
		}
		if code, body := get(t, e.srv.URL+"/readyz"); code != http.StatusOK || !strings.Contains(body, `"database":"ok"`) {
			t.Errorf("readyz %d %s", code, body)
		}
		// A dependency that is down makes the instance unready, naming it.
		down := api.New(api.Config{}, api.Deps{Client: db.Client, Auth: e.auth, Checks: []api.Check{
			{Name: "redis", Ping: func(context.Context) error { return errors.New("connection refused") }},
		}})
		srv := httptest.NewServer(down.Handler())
		defer srv.Close()
		if code, body := get(t, srv.URL+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "connection refused") {
			t.Errorf("readyz with Redis down: %d %s", code, body)
		}
	})
}

func TestGraphiQLAndIntrospectionAreConfigurable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, dbtest.MiniRedis(t))
		if code, body := get(t, e.srv.URL+"/graphql", "Accept", "text/html"); code != http.StatusOK || !strings.Contains(body, "<html") {
			t.Errorf("GraphiQL: %d", code)
		}
		introspect := `{ __schema { queryType { name } } }`
		e.gql("", introspect, nil).ok(t)

		closed := api.New(api.Config{GraphiQL: false, Introspection: false}, api.Deps{Client: db.Client, Auth: e.auth})
		srv := httptest.NewServer(closed.Handler())
		defer srv.Close()
		if code, body := get(t, srv.URL+"/graphql", "Accept", "text/html"); strings.Contains(body, "<html") {
			t.Errorf("GraphiQL served while disabled: %d", code)
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"`+introspect+`"}`))
		req.Header.Set("Content-Type", "application/json")
		if r := e.send(req); len(r.Errors) == 0 {
			t.Error("introspection answered while disabled")
		}
	})
}
