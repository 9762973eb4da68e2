package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestMonitoring: asynqmon answers platform admins (its UI and its API, read-only) and nobody else.
func TestMonitoring(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		get := func(token, path string) (*http.Response, string) {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			res, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res, string(body)
		}
		if res, body := get(w.tok["root"], "/monitoring/"); res.StatusCode != http.StatusOK || !strings.Contains(body, "<html") {
			t.Errorf("platform admin, UI: %d", res.StatusCode)
		}
		if res, body := get(w.tok["root"], "/monitoring/api/queues"); res.StatusCode != http.StatusOK || !strings.Contains(body, "queues") {
			t.Errorf("platform admin, API: %d %.200s", res.StatusCode, body)
		}
		for who, want := range map[string]int{"d1.admin": 403, "a.principal": 403, "": 401} {
			if res, _ := get(w.tok[who], "/monitoring/api/queues"); res.StatusCode != want {
				t.Errorf("%q: %d, want %d", who, res.StatusCode, want)
			}
		}
	})
}
