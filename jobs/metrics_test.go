package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/campushealth/campushealth/jobs"
)

// processed is how many tasks of typ the process counted with outcome.
func processed(t *testing.T, typ, outcome string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "campushealth_tasks_processed_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["type"] == typ && labels["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// TestTaskMetrics: each task the worker processes is counted by type and outcome — done, to be retried
// (asynq retries an error), or failed for good (SkipRetry) — and the handler's error reaches asynq as it was.
func TestTaskMetrics(t *testing.T) {
	boom := errors.New("database down")
	for _, tc := range []struct {
		outcome string
		err     error
	}{{"ok", nil}, {"retry", boom}, {"failed", fmt.Errorf("bad payload: %w", asynq.SkipRetry)}} {
		typ := "metrics-test:" + tc.outcome
		before := processed(t, typ, tc.outcome)
		h := jobs.Instrument(asynq.HandlerFunc(func(context.Context, *asynq.Task) error { return tc.err }))
		if err := h.ProcessTask(context.Background(), asynq.NewTask(typ, nil)); !errors.Is(err, tc.err) {
			t.Errorf("%s: the handler's error became %v", tc.outcome, err)
		}
		if got := processed(t, typ, tc.outcome) - before; got != 1 {
			t.Errorf("a task that ended %s counted %v times", tc.outcome, got)
		}
	}
}
