package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TypeRetention erases an institution's named health records older than its retention period
// (checks.Rules.RetentionDays, checks.Erase).
const TypeRetention = "retention"

// RetentionHour is the local hour in which each institution's erasure runs: at night, when nobody reports.
const RetentionHour = 2

// Retention erases, every night, the named health records each institution keeps longer than its retention
// period: a deactivated institution's too (its pupils' data is kept no longer for its closing).
type Retention struct {
	Client *ent.Client
	Now    Clock // nil: the wall clock
}

// Due is the dispatcher's finder: every institution whose local time is in RetentionHour. The task ID
// (retention:<institution>) is kept for most of a day, so the finder's other minutes in the hour enqueue
// nothing more, and the next night's finds it free.
func (r *Retention) Due(ctx context.Context, now time.Time) ([]Due, error) {
	ctx = privacy.DecisionContext(viewer.NewContext(ctx, viewer.System("dispatch")), privacy.Allow)
	schools, err := r.Client.Tenant.Query().Where(tenant.KindNEQ(tenant.KindDistrict)).
		Select(tenant.FieldID, tenant.FieldTimezone).All(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, t := range schools {
		if now.In(checks.Location(t)).Hour() == RetentionHour {
			ids = append(ids, t.ID)
		}
	}
	return rowTasks(TypeRetention, ids, asynq.Retention(20*time.Hour), asynq.MaxRetry(5), asynq.Timeout(10*time.Minute)), nil
}

// ProcessTask erases one institution's named health records dated before its retention period began,
// on its local date now.
func (r *Retention) ProcessTask(ctx context.Context, t *asynq.Task) error {
	ctx, id, err := rowOf(ctx, t)
	if err != nil {
		return err
	}
	school, err := r.Client.Tenant.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	rules, err := checks.RulesFor(ctx, r.Client, school)
	if err != nil {
		return err
	}
	before, err := checks.RetentionCutoff(rules.Today(r.Now.orWall()()), rules.RetentionDays)
	if err != nil {
		return err
	}
	erased, err := checks.Erase(ctx, r.Client, school.ID, before)
	if err != nil {
		return err
	}
	for record, n := range map[string]int{"check_line": erased.CheckLines, "staff_check_line": erased.StaffCheckLines,
		"follow_up": erased.FollowUps, "staff_follow_up": erased.StaffFollowUps, "stay": erased.Stays, "alert": erased.AlertsUnnamed,
		"pupil": erased.Pupils, "staff": erased.Staff} {
		retentionErased.WithLabelValues(record).Add(float64(n))
	}
	if erased.Total() > 0 {
		slog.InfoContext(ctx, "retention: named health records erased", "tenant", school.ID, "before", before,
			"check_lines", erased.CheckLines, "staff_check_lines", erased.StaffCheckLines, "follow_ups", erased.FollowUps,
			"staff_follow_ups", erased.StaffFollowUps, "stays", erased.Stays, "alerts_unnamed", erased.AlertsUnnamed,
			"pupils", erased.Pupils, "staff", erased.Staff)
	}
	return nil
}

// HandleRetention lets the worker erase what is kept too long.
func (w *Worker) HandleRetention(r *Retention) { w.mux.Handle(TypeRetention, r) }
