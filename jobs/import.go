package jobs

import (
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/jobs/roster"
)

// HandleRosterImport lets the worker run roster imports queued by roster.Start (large files).
func (w *Worker) HandleRosterImport(client *ent.Client, rdb *redis.Client) {
	w.mux.Handle(roster.TaskType, roster.NewHandler(client, rdb))
}
