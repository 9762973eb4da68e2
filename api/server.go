// Package api is the HTTP layer: authentication, the viewer, limits, GraphQL transports, health checks and
// the console mount. It holds no domain logic.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/graph"
	"github.com/campushealth/campushealth/jobs"
	"github.com/campushealth/campushealth/jobs/notify"
)

// Config is the HTTP server's configuration (see README "Configuration").
type Config struct {
	Addr           string        // listen address, default 127.0.0.1:8080
	GraphiQL       bool          // serve GraphiQL at GET /graphql for browsers
	Introspection  bool          // allow schema introspection
	SecureCookies  bool          // mark the session cookie Secure (behind HTTPS)
	SessionTTL     time.Duration // default 12h
	AllowedOrigins []string      // extra websocket origins (same origin is always allowed)
	Limits         Limits
}

// Check is a readiness probe of one dependency.
type Check struct {
	Name string
	Ping func(context.Context) error
}

// Deps are the parts the server uses.
type Deps struct {
	Client  *ent.Client
	Auth    *auth.Service
	Redis   *redis.Client   // roster uploads and import progress
	Queue   *asynq.Client   // background jobs
	Notify  *notify.Service // notifications (the notificationAdded subscription reads its hub)
	Checks  []Check
	Console http.Handler
	// Mounts adds more handlers (e.g. /monitoring) keyed by path pattern.
	Mounts map[string]http.Handler
}

// Server serves the API and the console.
type Server struct {
	cfg  Config
	deps Deps
	mux  *http.ServeMux
}

// New builds the server.
func New(cfg Config, deps Deps) *Server {
	cfg.Limits.defaults()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	s := &Server{cfg: cfg, deps: deps, mux: http.NewServeMux()}
	res := &graph.Resolver{Client: deps.Client, Auth: deps.Auth, Redis: deps.Redis, Queue: deps.Queue, Notify: deps.Notify}
	if deps.Queue != nil {
		res.Reports = &jobs.Compiler{Client: deps.Client, Queue: deps.Queue}
	}
	gql := newGraphQL(res, cfg)
	var graphiql http.Handler
	if cfg.GraphiQL {
		graphiql = playground.Handler("Campus Health GraphQL", "/graphql")
	}
	s.mux.Handle("/graphql", s.authenticate(csrf(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if graphiql != nil && r.Method == http.MethodGet && r.URL.Query().Get("query") == "" &&
			strings.Contains(r.Header.Get("Accept"), "text/html") {
			graphiql.ServeHTTP(w, r)
			return
		}
		gql.ServeHTTP(w, r)
	}))))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.mux.Handle("GET /exports/persons.csv", s.authenticate(s.exportPersons("csv")))
	s.mux.Handle("GET /exports/persons.xlsx", s.authenticate(s.exportPersons("xlsx")))
	s.mux.Handle("GET /exports/school-daily.csv", s.authenticate(s.exportSchoolDaily("csv")))
	s.mux.Handle("GET /exports/school-daily.xlsx", s.authenticate(s.exportSchoolDaily("xlsx")))
	s.mux.Handle("GET /exports/district-summary.csv", s.authenticate(s.exportDistrictSummary("csv")))
	s.mux.Handle("GET /exports/district-summary.xlsx", s.authenticate(s.exportDistrictSummary("xlsx")))
	s.mux.Handle("GET /exports/school-totals.csv", s.authenticate(s.exportSchoolTotals("csv")))
	s.mux.Handle("GET /exports/school-totals.xlsx", s.authenticate(s.exportSchoolTotals("xlsx")))
	s.mux.Handle("GET /exports/daily-report/{file}", s.authenticate(http.HandlerFunc(s.exportDailyReport)))
	for pattern, h := range deps.Mounts {
		s.mux.Handle(pattern, s.authenticate(h))
	}
	if deps.Console != nil {
		s.mux.Handle("/", deps.Console)
	}
	return s
}

// Handler is the whole HTTP handler with request IDs, logging, panic recovery and body limits.
func (s *Server) Handler() http.Handler {
	return requestID(logRequests(instrument(recoverPanics(limitBody(s.cfg.Limits, s.mux)))))
}

// ListenAndServe serves until ctx is cancelled (SIGTERM), then drains in-flight requests.
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down HTTP server")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	status, checks := http.StatusOK, map[string]string{}
	for _, c := range s.deps.Checks {
		if err := c.Ping(ctx); err != nil {
			status, checks[c.Name] = http.StatusServiceUnavailable, err.Error()
		} else {
			checks[c.Name] = "ok"
		}
	}
	writeJSON(w, status, checks)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeGraphQLError answers outside the GraphQL executor in the same shape clients already parse.
func writeGraphQLError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]string{"code": code}}},
	})
}
