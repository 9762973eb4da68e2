package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Some tasks are about one row (an alert to announce, a stay to remind of): the task carries the row's ID
// and is named <type>:<id>, so a finder that finds the row again a minute later enqueues nothing new.

// rowTasks makes one task of type typ per row ID.
func rowTasks(typ string, ids []int, opts ...asynq.Option) []Due {
	out := make([]Due, len(ids))
	for i, id := range ids {
		payload, _ := json.Marshal(id)
		out[i] = Due{Task: asynq.NewTask(typ, payload), Opts: append([]asynq.Option{asynq.TaskID(typ + ":" + strconv.Itoa(id))}, opts...)}
	}
	return out
}

// rowOf reads the row ID a task carries, and gives the context its handler reads and writes with: the
// system viewer named after the task's type (a bad payload is not retried).
func rowOf(ctx context.Context, t *asynq.Task) (context.Context, int, error) {
	var id int
	if err := json.Unmarshal(t.Payload(), &id); err != nil {
		return ctx, 0, fmt.Errorf("%s payload: %v: %w", t.Type(), err, asynq.SkipRetry)
	}
	return privacy.DecisionContext(viewer.NewContext(ctx, viewer.System(t.Type())), privacy.Allow), id, nil
}
