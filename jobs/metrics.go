package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// The worker's metrics, in the process's default registry (api.ServeMetrics serves it). Task types are the
// app's own, so the labels take few values.
var (
	tasksProcessed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "campushealth_tasks_processed_total",
		Help: "Background tasks processed, by type and outcome: ok, retry (failed, asynq retries it), or failed (not retried).",
	}, []string{"type", "outcome"})
	taskDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "campushealth_task_duration_seconds",
		Help:    "Time to process a background task, by type.",
		Buckets: []float64{.005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"type"})
	retentionErased = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "campushealth_retention_erased_total",
		Help: "Named health records erased after the retention period, by kind (alerts: unnamed; pupils and staff: those who left).",
	}, []string{"record"})
)

// Instrument counts and times the tasks next processes. A handler's error is a retry unless it says
// asynq.SkipRetry; the last attempt's failure is counted as a retry too (asynq archives it).
func Instrument(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		err := next.ProcessTask(ctx, t)
		outcome := "ok"
		switch {
		case errors.Is(err, asynq.SkipRetry):
			outcome = "failed"
		case err != nil:
			outcome = "retry"
		}
		tasksProcessed.WithLabelValues(t.Type(), outcome).Inc()
		taskDuration.WithLabelValues(t.Type()).Observe(time.Since(start).Seconds())
		return err
	})
}
