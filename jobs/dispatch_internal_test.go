package jobs

import (
	"testing"
	"time"

	"github.com/hibiken/asynq"
)

// The scheduler's entry is registered once with a placeholder task ID; each tick gets the minute's.
func TestStampDispatchID(t *testing.T) {
	opts := DispatchOptions(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	now := time.Date(2026, 11, 23, 8, 0, 59, 0, time.UTC) // a scheduler a second early names 08:01
	stampDispatchID(func() time.Time { return now })(asynq.NewTask(TypeDispatch, nil), opts)
	for _, o := range opts {
		if o.Type() == asynq.TaskIDOpt && o.Value() != "dispatch:2026-11-23T08:01Z" {
			t.Errorf("task ID %v", o.Value())
		}
	}
	other := []asynq.Option{asynq.TaskID("keep")}
	stampDispatchID(func() time.Time { return now })(asynq.NewTask("roster:import", nil), other)
	if other[0].Value() != "keep" {
		t.Errorf("another task's ID changed: %v", other[0].Value())
	}
}
