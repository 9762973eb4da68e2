package jobs

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestTaskMetrics: each task the worker processes is counted by type and outcome — done, to be retried
// (asynq retries an error), or failed for good (SkipRetry) — and the handler's error reaches asynq as it was.
func TestTaskMetrics(t *testing.T) {
	boom := errors.New("database down")
	for _, tc := range []struct {
		outcome string
		err     error
	}{{"ok", nil}, {"retry", boom}, {"failed", fmt.Errorf("bad payload: %w", asynq.SkipRetry)}} {
		typ := "metrics-test:" + tc.outcome
		counted := tasksProcessed.WithLabelValues(typ, tc.outcome)
		before := testutil.ToFloat64(counted)
		h := Instrument(asynq.HandlerFunc(func(context.Context, *asynq.Task) error { return tc.err }))
		if err := h.ProcessTask(context.Background(), asynq.NewTask(typ, nil)); !errors.Is(err, tc.err) {
			t.Errorf("%s: the handler's error became %v", tc.outcome, err)
		}
		if got := testutil.ToFloat64(counted) - before; got != 1 {
			t.Errorf("a task that ended %s counted %v times", tc.outcome, got)
		}
	}
}
