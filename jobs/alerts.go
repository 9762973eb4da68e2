package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/notify"
)

// TypeAlert announces an alert that opened: a submission raises it inside its transaction, the dispatcher
// finds it within a minute and the worker tells the people who must act.
const TypeAlert = "alert"

// TypeAlertUpward tells the district of a staff member's illness the principal reported upward (DOMAIN.md
// §4): found by the dispatcher like an opened alert, from the decision's time.
const TypeAlertUpward = "alert_upward"

// AlertLookback is how far back the dispatcher looks for alerts to announce: an alert opened while Redis or
// the scheduler was down is still announced when they return. Announcing twice is harmless (the task ID is
// retained for a day, and the message's dedupe key sends it once).
const AlertLookback = 2 * time.Hour

// Announcer tells of opened alerts: the school's health teacher, epidemic reporter and principal; for a
// possible outbreak (a cluster, an ILI outbreak, a suspected notifiable disease) the school's leading group
// too, which starts and ends the emergency response (DOMAIN.md §1.2); and for an ILI outbreak or a
// suspected notifiable disease (2-hour reporting clock) the district's admins. A cluster's 24-hour clock is
// the school's to keep: it assesses first (most warnings are false alarms), as it does an absence rate
// reached (no clock). A single fever or a staff illness is not an outbreak: the leading group is not told.
type Announcer struct {
	Client *ent.Client
	Notify *notify.Service
	Now    Clock // nil: the wall clock
}

var ruleLabels = map[alert.Rule][2]string{ // zh-CN, en
	alert.RuleFever:         {"体温异常", "abnormal temperature"},
	alert.RuleClusterDay:    {"同日聚集性病例", "cluster (one day)"},
	alert.RuleClusterWindow: {"多日聚集性病例", "cluster (several days)"},
	alert.RuleIliOutbreak:   {"流感样病例暴发", "ILI outbreak"},
	alert.RuleNotifiable:    {"疑似法定传染病", "suspected notifiable disease"},
	// The principal decides whether a staff member's illness is reported upward (DOMAIN.md §4).
	alert.RuleStaffIllness: {"教职工因病缺勤或发热（请校长决定是否上报）", "staff illness (the principal decides on reporting it upward)"},
	alert.RuleAbsenceRate:  {"因病缺勤率", "illness-absence rate"},
}

// Due is the dispatcher's finder: the alerts opened in the last AlertLookback, still open, and the staff
// illnesses reported upward in it (announced to the district: no longer the school's alone).
func (a *Announcer) Due(ctx context.Context, now time.Time) ([]Due, error) {
	ctx = privacy.DecisionContext(viewer.NewContext(ctx, viewer.System("dispatch")), privacy.Allow)
	opened, err := a.Client.Alert.Query().Where(alert.OpenedAtGT(now.Add(-AlertLookback)), alert.OpenedAtLTE(now),
		alert.StatusEQ(alert.StatusOpen)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	reported, err := a.Client.Alert.Query().Where(alert.UpwardEQ(alert.UpwardReported),
		alert.UpwardDecidedAtGT(now.Add(-AlertLookback)), alert.UpwardDecidedAtLTE(now)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	opts := []asynq.Option{asynq.Queue("critical"), asynq.Retention(26 * time.Hour), asynq.MaxRetry(10), asynq.Timeout(time.Minute)}
	return append(rowTasks(TypeAlert, opened, opts...), rowTasks(TypeAlertUpward, reported, opts...)...), nil
}

// ProcessTask announces one alert: to the school's health teacher, epidemic reporter and principal when
// it opened (and its leading group when it may be an outbreak, the district's admins when the 2-hour clock
// runs), to the district's admins when the principal reported a staff illness upward.
func (a *Announcer) ProcessTask(ctx context.Context, t *asynq.Task) error {
	ctx, id, err := rowOf(ctx, t)
	if err != nil {
		return err
	}
	al, err := a.Client.Alert.Query().Where(alert.ID(id)).WithTenant().WithClass().Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	school := al.Edges.Tenant
	roles, district, template := []authz.Role{authz.HealthTeacher, authz.EpidemicReporter, authz.Principal}, (*int)(nil), "alert.opened"
	switch {
	case t.Type() == TypeAlertUpward:
		roles, district, template = nil, school.ParentID, "alert.reported"
	case al.Rule == alert.RuleIliOutbreak || al.Rule == alert.RuleNotifiable: // the district must hear within 2 hours
		roles, district = append(roles, authz.LeadingGroup), school.ParentID
	case al.Rule == alert.RuleClusterDay || al.Rule == alert.RuleClusterWindow:
		roles = append(roles, authz.LeadingGroup)
	}
	users, err := recipients(ctx, a.Client, school.ID, roles, district, a.Now.orWall()())
	if err != nil {
		return err
	}
	if len(users) == 0 {
		return nil
	}
	scope := school.Name
	switch {
	case al.Edges.Class != nil:
		scope += " " + al.Edges.Class.Name
	case al.DormRoom != "":
		scope += " " + al.DormRoom
	case len(al.StaffIds) > 0: // staff illness, or a staff member's notifiable disease
		scope += " 教职工 staff"
	default: // the absence rate: a share of all the school's pupils
		scope += " 全校 whole school"
	}
	label := ruleLabels[al.Rule]
	if t.Type() == TypeAlertUpward { // decided: the label's question is answered
		label = [2]string{"教职工因病缺勤或发热", "staff off sick or with a fever"}
	}
	data := map[string]any{"Rule": label[0], "RuleEN": label[1], "Scope": scope, "Cases": al.Cases}
	if al.ReportBy != nil {
		data["ReportBy"] = al.ReportBy.In(checks.Location(school)).Format("15:04")
	}
	if al.UpwardNote != "" {
		data["Note"] = al.UpwardNote
	}
	_, err = a.Notify.Send(ctx, notify.Message{TenantID: school.ID, UserIDs: users, Template: template, Data: data,
		DedupeKey: fmt.Sprintf("%s:%d", t.Type(), al.ID), Ref: fmt.Sprintf("alert:%d", al.ID)})
	return err
}

// HandleAlerts lets the worker announce alerts.
func (w *Worker) HandleAlerts(a *Announcer) {
	w.mux.Handle(TypeAlert, a)
	w.mux.Handle(TypeAlertUpward, a)
}
