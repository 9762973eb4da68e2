package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/campushealth/campushealth/api"
	"github.com/campushealth/campushealth/ent/database/dbtest"
)

// metric is the value of the process's counter name with exactly labels (0 when it has not counted yet).
func metric(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			if len(got) == len(labels) && func() bool {
				for k, v := range labels {
					if got[k] != v {
						return false
					}
				}
				return true
			}() {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// TestMetrics: an operator sees what the API does: requests by route and status, GraphQL operations by
// type, root field and outcome (a refused temperature as BAD_USER_INPUT; a query naming an unknown field,
// refused before execution, by its route and status alone), all in Prometheus's text format with the Go
// runtime's.
func TestMetrics(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t), dbtest.MiniRedis(t))
	e.now = mondayAt("08:00")
	w := e.newWorld()
	cl, pupils := e.classOfThree(w)
	type counted struct {
		name   string
		labels map[string]string
	}
	watch := []counted{
		{"campushealth_http_requests_total", map[string]string{"route": "/graphql", "code": "200"}},
		{"campushealth_graphql_operations_total", map[string]string{"type": "query", "field": "me", "code": "ok"}},
		{"campushealth_graphql_operations_total", map[string]string{"type": "mutation", "field": "submitClassCheck", "code": "BAD_USER_INPUT"}},
		{"campushealth_graphql_operations_total", map[string]string{"type": "mutation", "field": "submitZeroReport", "code": "ok"}},
		{"campushealth_http_requests_total", map[string]string{"route": "GET /healthz", "code": "200"}},
		{"campushealth_http_requests_total", map[string]string{"route": "/graphql", "code": "422"}},
	}
	before := make([]float64, len(watch))
	for i, c := range watch {
		before[i] = metric(t, c.name, c.labels)
	}

	e.gql(w.tok["a.teacher"], `{ me { role } }`, nil).ok(t)
	r := e.gql(w.tok["a.teacher"], `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
		"classID": cl.ID, "date": "2026-11-23", "session": "morning", "present": 3,
		"entries": []map[string]any{{"studentID": pupils[0], "kind": "symptomatic", "temperature": 50}}}})
	if r.Code() != "BAD_USER_INPUT" {
		t.Fatalf("a temperature of 50 °C: %+v", r.Errors)
	}
	e.gql(w.tok["a.teacher"], `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-23", session: morning) { id } }`,
		map[string]any{"c": cl.ID}).ok(t)
	e.gql(w.tok["a.teacher"], `{ noSuchField }`, nil) // refused by the validator: counted by its route only
	if res, err := http.Get(e.srv.URL + "/healthz"); err == nil {
		res.Body.Close()
	}

	for i, c := range watch {
		want := 1.0
		if i == 0 {
			want = 3 // an error the resolver returns is a 200; the query the validator refused, a 422
		}
		if got := metric(t, c.name, c.labels) - before[i]; got != want {
			t.Errorf("%s%v counted %v, want %v", c.name, c.labels, got, want)
		}
	}

	srv := httptest.NewServer(api.MetricsHandler())
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{
		`campushealth_graphql_operations_total{code="BAD_USER_INPUT",field="submitClassCheck",type="mutation"}`,
		`campushealth_http_request_duration_seconds_bucket{route="/graphql",le="+Inf"}`,
		`campushealth_graphql_operation_duration_seconds_count{field="submitZeroReport",type="mutation"}`,
		"go_goroutines",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the metrics page lacks %s", want)
		}
	}
}
