package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"
)

// The API's metrics, in the process's default registry (promhttp serves it with the Go runtime's). Their
// labels take few values: a route is a pattern of the server's mux, a field one of the schema's root
// fields, a code one of the API's error codes.
var (
	httpRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "campushealth_http_requests_total",
		Help: "HTTP requests answered, by route (the mux pattern) and status code.",
	}, []string{"route", "code"})
	httpDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "campushealth_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	graphqlOperations = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "campushealth_graphql_operations_total",
		Help: "GraphQL operations executed, by type, first root field and outcome (ok, or the first error's code).",
	}, []string{"type", "field", "code"})
	graphqlDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "campushealth_graphql_operation_duration_seconds",
		Help:    "Time to execute a GraphQL operation, by type and first root field.",
		Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"type", "field"})
)

// instrument counts and times the requests next answers, by the pattern the server's mux routed them with
// (it sets it on the request passed down); one refused before routing (a body too large) is "unrouted". It
// sits outside the panic recovery, so a panic's 500 is counted too.
func instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unrouted"
		}
		httpRequests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		httpDuration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// graphqlMetrics counts and times each GraphQL operation executed (a query the parser or the validator
// refuses is answered before it, and counted by route alone).
type graphqlMetrics struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = graphqlMetrics{}

func (graphqlMetrics) ExtensionName() string                          { return "Metrics" }
func (graphqlMetrics) Validate(schema graphql.ExecutableSchema) error { return nil }

func (graphqlMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	typ, field := "", ""
	if graphql.HasOperationContext(ctx) {
		if op := graphql.GetOperationContext(ctx).Operation; op != nil {
			typ = string(op.Operation)
			if len(op.SelectionSet) > 0 {
				if f, ok := op.SelectionSet[0].(*ast.Field); ok {
					field = f.Name // the schema's name, not an alias
				}
			}
		}
	}
	code := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		code = "ERROR"
		if c, ok := resp.Errors[0].Extensions["code"].(string); ok {
			code = c
		}
	}
	graphqlOperations.WithLabelValues(typ, field, code).Inc()
	graphqlDuration.WithLabelValues(typ, field).Observe(time.Since(start).Seconds())
	return resp
}

// MetricsHandler serves the process's metrics in Prometheus's text format.
func MetricsHandler() http.Handler { return promhttp.Handler() }

// ServeMetrics serves the metrics at /metrics on addr until ctx ends: a listener of its own, kept off the
// public one (an address inside the cluster, or 127.0.0.1 for a scraper on the host).
func ServeMetrics(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", MetricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	slog.Info("metrics", "addr", ln.Addr().String())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
