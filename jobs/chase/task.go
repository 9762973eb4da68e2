package chase

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent"
)

// TaskType is the asynq task of one step of one school.
const TaskType = "chase:step"

// Task is the step's task: a deterministic ID (a second scheduler, or the next minute's sweep over the
// same window, conflicts instead of chasing twice), kept a day so the ID stays taken, on the critical
// queue, with a deadline well inside the next step.
func (s Step) Task() (*asynq.Task, []asynq.Option) {
	payload, _ := json.Marshal(s)
	return asynq.NewTask(TaskType, payload), []asynq.Option{
		asynq.TaskID(s.TaskID()), asynq.Queue("critical"), asynq.Retention(26 * time.Hour),
		asynq.Timeout(2 * time.Minute), asynq.MaxRetry(5),
	}
}

// Enqueue queues the steps; a step already queued (its ID taken) is not an error. It returns how many
// were new.
func Enqueue(ctx context.Context, q *asynq.Client, steps []Step) (int, error) {
	n := 0
	for _, s := range steps {
		task, opts := s.Task()
		_, err := q.EnqueueContext(ctx, task, opts...)
		switch {
		case err == nil:
			n++
		case errors.Is(err, asynq.ErrTaskIDConflict), errors.Is(err, asynq.ErrDuplicateTask):
		default:
			return n, fmt.Errorf("enqueue %s: %w", s.TaskID(), err)
		}
	}
	return n, nil
}

// Handler runs queued steps at the clock's time.
func Handler(c *ent.Client, n Notifier, clock func() time.Time) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		var s Step
		if err := json.Unmarshal(t.Payload(), &s); err != nil {
			return fmt.Errorf("%w: %v", asynq.SkipRetry, err)
		}
		err := Fire(ctx, c, n, s, clock())
		if errors.Is(err, ErrStaleStep) {
			return fmt.Errorf("%w: %v", asynq.SkipRetry, err)
		}
		return err
	}
}
