package jobs

// The daily report compile family (#6): `report:compile` tasks, one per report to compile, with task IDs
// that name the work, so that it is enqueued once whoever finds it:
//
//	compile:<tenant>:<date>           at the cut-off (the dispatcher)
//	compile:<tenant>:<date>:n<rows>   a report whose sources grew to <rows> rows (the dispatcher)
//	compile:<school>:<date>:src<id>   a check, an exemption or a report upward, recorded after the report (the API)
//	compile:<district>:<date>:rpt<id> a school report amended after its district's (the school's compile)
//
// The handler is idempotent (the lineage decides, ent/checks/dailyreport.go) and runs within its
// deadline (asynq's context).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/chase"
	"github.com/campushealth/campushealth/jobs/notify"
)

// TypeCompile compiles one daily report.
const TypeCompile = "report:compile"

// Compile tasks keep their IDs for CompileRetention after they finish: the work they name is done (a
// report exists), and a second dispatcher must not redo it.
const (
	CompileRetention = 48 * time.Hour
	CompileTimeout   = 5 * time.Minute
)

// CompilePayload names the report.
type CompilePayload struct {
	Kind     dailyreport.Kind `json:"kind"`
	TenantID int              `json:"tenantID"`
	Date     string           `json:"date"`
	Why      string           `json:"why"`
}

// Compiler compiles daily reports: it finds those due (a dispatcher finder), handles the tasks, and
// enqueues recompiles after late submissions.
type Compiler struct {
	Client *ent.Client
	Queue  *asynq.Client
	Notify *notify.Service // tells who attests (and the district, of amendments); nil: nobody is told
	Now    Clock           // nil: time.Now
	On     string          // the asynq queue of compile tasks; "" is "default"
}

func (c *Compiler) now() time.Time { return c.Now.orWall()() }

// recipients are the users who hold any of roles for the whole of institution tenantID at now, and the
// admins of district when it is not nil: each once, in ID order.
func recipients(ctx context.Context, c *ent.Client, tenantID int, roles []authz.Role, district *int, now time.Time) ([]int, error) {
	var users []int
	if len(roles) > 0 {
		ids, err := chase.SchoolHolders(ctx, c, tenantID, now, roles...)
		if err != nil {
			return nil, err
		}
		users = ids
	}
	if district != nil {
		ids, err := chase.DistrictAdmins(ctx, c, *district)
		if err != nil {
			return nil, err
		}
		users = append(users, ids...)
	}
	return slices.Compact(slices.Sorted(slices.Values(users))), nil
}

func (c *Compiler) task(p CompilePayload, id string) Due {
	payload, _ := json.Marshal(p)
	queue := c.On
	if queue == "" {
		queue = "default"
	}
	return Due{Task: asynq.NewTask(TypeCompile, payload), Opts: []asynq.Option{
		asynq.TaskID("compile:" + id), asynq.Retention(CompileRetention), asynq.Queue(queue),
		asynq.Timeout(CompileTimeout), asynq.MaxRetry(10),
	}}
}

// Due is the dispatcher finder: the reports due at now (checks.DueReports, in bulk over every tenant).
func (c *Compiler) Due(ctx context.Context, now time.Time) ([]Due, error) {
	ctx = viewer.NewContext(ctx, viewer.System("dispatch"))
	reports, err := checks.DueReports(ctx, c.Client, now)
	if err != nil {
		return nil, err
	}
	out := make([]Due, len(reports))
	for i, r := range reports {
		out[i] = c.task(CompilePayload{Kind: r.Kind, TenantID: r.TenantID, Date: r.Date, Why: r.Why}, r.Key())
	}
	return out, nil
}

// ProcessTask compiles the report a task names. A school report written after its district's makes the
// district compile again.
func (c *Compiler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p CompilePayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("compile payload: %v: %w", err, asynq.SkipRetry)
	}
	ctx = viewer.NewContext(ctx, viewer.System("compile"))
	now := c.now()
	var res *checks.Compiled
	var err error
	if p.Kind == dailyreport.KindDistrict {
		res, err = checks.CompileDistrict(ctx, c.Client, p.TenantID, p.Date, now)
	} else {
		res, err = checks.CompileSchool(ctx, c.Client, p.TenantID, p.Date, now)
	}
	var bad *types.InputError
	switch {
	case errors.Is(err, checks.ErrNotSchoolDay):
		slog.InfoContext(ctx, "compile: not a school day", "tenant", p.TenantID, "date", p.Date)
		return nil
	case errors.As(err, &bad), ent.IsNotFound(err):
		return fmt.Errorf("compile %s %d %s: %v: %w", p.Kind, p.TenantID, p.Date, err, asynq.SkipRetry)
	case err != nil:
		return fmt.Errorf("compile %s %d %s: %w", p.Kind, p.TenantID, p.Date, err)
	}
	r := res.Report
	slog.InfoContext(ctx, "compile", "kind", p.Kind, "tenant", p.TenantID, "date", p.Date, "why", p.Why,
		"version", r.Version, "written", res.Written, "amended", r.Amended)
	// Told even when this run wrote nothing: a retried task whose first run compiled the report but failed
	// to tell must still tell (the message's dedupe key makes a second telling a no-op).
	if err := c.tell(ctx, r, now); err != nil {
		return fmt.Errorf("compile: tell: %w", err)
	}
	if !res.Written || p.Kind == dailyreport.KindDistrict {
		return nil
	}
	return c.rippleToDistrict(ctx, r)
}

// tell sends a compiled report's news, once per version: a school's version 1 to those who attest it (the
// epidemic reporter and the principal: "review and submit"); an amended school version to them (it must
// be attested again) and to the district's admins; an amended district version to the district's admins.
func (c *Compiler) tell(ctx context.Context, r *ent.DailyReport, now time.Time) error {
	if c.Notify == nil || (r.Kind == dailyreport.KindDistrict && !r.Amended) {
		return nil
	}
	t, err := c.Client.Tenant.Get(privacy.DecisionContext(ctx, privacy.Allow), r.TenantID)
	if err != nil {
		return err
	}
	var roles []authz.Role // who attests a school's report
	if r.Kind == dailyreport.KindSchool {
		roles = []authz.Role{authz.EpidemicReporter, authz.Principal}
	}
	var district *int
	switch {
	case r.Kind == dailyreport.KindDistrict:
		district = &t.ID
	case r.Amended:
		district = t.ParentID
	}
	users, err := recipients(ctx, c.Client, t.ID, roles, district, now)
	if err != nil {
		return err
	}
	m := notify.Message{TenantID: t.ID, UserIDs: users,
		DedupeKey: fmt.Sprintf("report:%d", r.ID), Ref: fmt.Sprintf("report:%d", r.ID)}
	if r.Amended {
		m.Template, m.Data = "report.amended", map[string]any{"Scope": t.Name, "Date": r.Date, "Version": r.Version, "Reason": r.AmendReason}
	} else {
		absent, sick := 0, 0
		for _, f := range r.Figures.Sessions { // a pupil away all day is in every session: the largest session
			absent, sick = max(absent, f.AbsentIllness+f.AbsentOther), max(sick, f.AbsentIllness)
		}
		m.Template, m.Data = "report.compiled", map[string]any{"Scope": t.Name, "Date": r.Date, "Absent": absent, "Sick": sick}
	}
	if len(m.UserIDs) == 0 {
		return nil
	}
	_, err = c.Notify.Send(ctx, m)
	return err
}

// rippleToDistrict enqueues the district's recompile when it already has a report for the date.
func (c *Compiler) rippleToDistrict(ctx context.Context, school *ent.DailyReport) error {
	ictx := privacy.DecisionContext(ctx, privacy.Allow)
	t, err := c.Client.Tenant.Get(ictx, school.TenantID)
	if err != nil || t.ParentID == nil {
		return err
	}
	exists, err := c.Client.DailyReport.Query().Where(dailyreport.TenantID(*t.ParentID),
		dailyreport.KindEQ(dailyreport.KindDistrict), dailyreport.Date(school.Date)).Exist(ictx)
	if err != nil || !exists {
		return err
	}
	due := c.task(CompilePayload{Kind: dailyreport.KindDistrict, TenantID: *t.ParentID, Date: school.Date, Why: checks.DueStale},
		fmt.Sprintf("%d:%s:rpt%d", *t.ParentID, school.Date, school.ID))
	if _, err := c.Queue.EnqueueContext(ctx, due.Task, due.Opts...); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		// The dispatcher's stale check finds the district report too; the school's compile succeeded.
		slog.WarnContext(ctx, "compile: district recompile not enqueued", "district", *t.ParentID, "err", err)
	}
	return nil
}

// Recompile is the submission path's checks.Recompile: a check (class or staff) reached a school whose
// daily report for the date is already compiled, so the report is compiled again once the caller's
// transaction commits (the compile must see the check). If Redis is down the enqueue fails and is logged;
// the dispatcher's stale check (source rows against the report) catches it within a minute.
func (c *Compiler) Recompile(ctx context.Context, tenantID int, date string, sourceID int) {
	if c == nil || c.Queue == nil {
		return
	}
	enqueue := func() {
		due := c.task(CompilePayload{Kind: dailyreport.KindSchool, TenantID: tenantID, Date: date, Why: checks.DueStale},
			fmt.Sprintf("%d:%s:src%d", tenantID, date, sourceID))
		if _, err := c.Queue.EnqueueContext(context.WithoutCancel(ctx), due.Task, due.Opts...); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
			slog.WarnContext(ctx, "recompile not enqueued; the dispatcher will find the report stale", "tenant", tenantID, "date", date, "err", err)
		}
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		enqueue()
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				enqueue()
			}
			return err
		})
	})
}
