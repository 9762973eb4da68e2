package checks

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/followupstep"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// FollowUpChange is one step of a follow-up: what is known now.
type FollowUpChange struct {
	Outcome         followup.Outcome
	Diagnosis       string
	SymptomsEndedAt *time.Time
	Note            string
}

// UpdateFollowUp records a step and recomputes what the student needs to return, by the institution's
// rules (defaults: a notifiable disease needs a certificate from a level-2+ hospital; fever 48 h and
// vomiting or diarrhoea 72 h after they end). A suspected notifiable disease opens an alert with the
// reporting clock (default 2 hours).
func UpdateFollowUp(ctx context.Context, c *ent.Client, id int, ch FollowUpChange, now time.Time) (*ent.FollowUp, error) {
	f, err := c.FollowUp.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if f.Status == followup.StatusClosed {
		return nil, types.Invalid("id", "the follow-up is closed")
	}
	if ch.SymptomsEndedAt != nil && ch.SymptomsEndedAt.After(now) {
		return nil, types.Invalid("symptomsEndedAt", "cannot be in the future")
	}
	t, err := c.Tenant.Get(internal(ctx), f.TenantID) // the follow-up was read with the caller's rights
	if err != nil {
		return nil, err
	}
	rules, err := RulesFor(ctx, c, t)
	if err != nil {
		return nil, err
	}
	v := viewer.FromContext(ctx)
	err = c.FollowUpStep.Create().SetTenantID(f.TenantID).SetFollowUpID(f.ID).SetAt(now).SetBy(v.Label).
		SetOutcome(followupstep.Outcome(ch.Outcome)).SetNote(ch.Note).Exec(ctx)
	if err != nil {
		return nil, err
	}
	upd := c.FollowUp.UpdateOne(f).SetOutcome(ch.Outcome)
	if ch.Diagnosis != "" {
		upd.SetDiagnosis(ch.Diagnosis)
	}
	ended := f.SymptomsEndedAt
	if ch.SymptomsEndedAt != nil {
		ended = ch.SymptomsEndedAt
		upd.SetSymptomsEndedAt(*ended)
	}
	clearance, earliest := returnRule(rules, f.Symptoms, ch.Outcome, ended)
	if f.Clearance != followup.ClearanceCleared {
		upd.SetClearance(clearance).SetNillableEarliestReturnAt(earliest)
	}
	if ch.Outcome == followup.OutcomeRecovered && clearance == followup.ClearanceNotRequired {
		upd.SetStatus(followup.StatusClosed)
	}
	if ch.Outcome == followup.OutcomeNotifiable && f.Outcome != followup.OutcomeNotifiable {
		// One open alert per rule, class and disease, like every alert: the same pupil's follow-up of a later
		// day, or a classmate with the same diagnosis, joins the open one instead of starting a clock of its own.
		reportBy := now.Add(rules.ReportWithin)
		found := []finding{{rule: alert.RuleNotifiable, group: cmp.Or(ch.Diagnosis, f.Diagnosis), students: []int{f.StudentID}, reportBy: &reportBy}}
		if err := raise(ctx, c, t, place{classID: f.ClassID}, f.Date, found, now); err != nil {
			return nil, err
		}
	}
	return upd.Save(ctx)
}

func returnRule(rules Rules, symptoms []string, outcome followup.Outcome, ended *time.Time) (followup.Clearance, *time.Time) {
	wait := time.Duration(0)
	if slices.Contains(symptoms, "fever") {
		wait = rules.ReturnAfterFever
	}
	if slices.ContainsFunc([]string{"vomiting", "diarrhoea"}, func(s string) bool { return slices.Contains(symptoms, s) }) {
		wait = rules.ReturnAfterGastro
	}
	switch {
	case outcome == followup.OutcomeNotifiable:
		return followup.ClearanceRequired, plus(ended, wait)
	case wait > 0:
		return followup.ClearanceRequired, plus(ended, wait)
	}
	return followup.ClearanceNotRequired, nil
}

func plus(t *time.Time, d time.Duration) *time.Time {
	if t == nil {
		return nil
	}
	r := t.Add(d)
	return &r
}

// Clear lets the health teacher clear a student's return: not before the earliest return time, and for a
// notifiable disease only with the hospital certificate seen (unless the institution's rules waive it).
func Clear(ctx context.Context, c *ent.Client, id int, certificateSeen bool, now time.Time) (*ent.FollowUp, error) {
	f, err := c.FollowUp.Query().Where(followup.ID(id)).WithTenant().Only(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := RulesFor(ctx, c, f.Edges.Tenant)
	if err != nil {
		return nil, err
	}
	if err := clearable(rules, string(f.Clearance), f.EarliestReturnAt, string(f.Outcome), certificateSeen, "student", now); err != nil {
		return nil, err
	}
	return c.FollowUp.UpdateOne(f).SetClearance(followup.ClearanceCleared).SetClearedAt(now).
		SetCertificateSeen(certificateSeen).SetStatus(followup.StatusClosed).SetNillableClearedByID(actor(ctx)).Save(ctx)
}

// clearable: a return needs clearance, the earliest return has come, and a notifiable disease's certificate
// was seen (unless the institution's rules waive it) — a pupil's (Clear) or a staff member's (ClearStaff).
func clearable(rules Rules, clearance string, earliest *time.Time, outcome string, certificateSeen bool, who string, now time.Time) error {
	switch {
	case clearance != string(followup.ClearanceRequired):
		return types.Invalid("id", "this %s needs no clearance", who)
	case earliest == nil:
		return types.Invalid("id", "record when the symptoms ended first")
	case now.Before(*earliest):
		return types.Invalid("id", "too early: the %s may return from %s", who, Clock(*earliest, rules.Location))
	case outcome == string(followup.OutcomeNotifiable) && !certificateSeen && rules.NotifiableNeedsCertificate:
		return types.Invalid("certificateSeen", "a notifiable disease needs the hospital's recovery certificate")
	}
	return nil
}

// Verify records the daily verification of illness absences (DOMAIN.md §3.2: the epidemic reporter
// verifies each day's) on the follow-ups ids, read and changed with the caller's rights: one it cannot see
// is "no such follow-up", and only those who verify (the epidemic reporter, the principal) may. A
// follow-up verified before keeps its first verification. All or nothing.
func Verify(ctx context.Context, c *ent.Client, ids []int, now time.Time) ([]*ent.FollowUp, error) {
	return verifyEach(ctx, c, ids,
		func(ctx context.Context, c *ent.Client) ([]*ent.FollowUp, error) {
			return c.FollowUp.Query().Where(followup.IDIn(ids...)).Order(ent.Asc(followup.FieldID)).All(ctx)
		},
		func(f *ent.FollowUp) bool { return f.VerifiedAt != nil },
		func(ctx context.Context, c *ent.Client, f *ent.FollowUp, by *int) (*ent.FollowUp, error) {
			return c.FollowUp.UpdateOne(f).SetVerifiedAt(now).SetNillableVerifiedByID(by).Save(ctx)
		})
}

// verifyEach verifies the rows ids (a pupil's follow-ups or a staff member's), read and changed with the
// caller's rights in one transaction: all or nothing, a row it cannot see is "no such follow-up", a row
// verified before keeps its first verification, and verify records who (the user, if any) verifies now.
func verifyEach[T any](ctx context.Context, c *ent.Client, ids []int, read func(context.Context, *ent.Client) ([]T, error),
	verified func(T) bool, verify func(context.Context, *ent.Client, T, *int) (T, error)) ([]T, error) {
	if len(ids) == 0 || len(ids) > 500 {
		return nil, types.Invalid("ids", "name 1 to 500 follow-ups")
	}
	return inTx(ctx, c, func(ctx context.Context, c *ent.Client) ([]T, error) {
		rows, err := read(ctx, c)
		if err != nil {
			return nil, err
		}
		if len(rows) != len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
			return nil, types.Invalid("ids", "no such follow-up in your scope")
		}
		by := actor(ctx)
		for i, r := range rows {
			if !verified(r) {
				if rows[i], err = verify(ctx, c, r, by); err != nil {
					return nil, err
				}
			}
		}
		return rows, nil
	})
}

// AlertChange moves an alert through its lifecycle: open → acknowledged → handled (with a disposition) or
// false_alarm. Closing frees the rule and place for a new alert, which only cases the closed one does not name
// open (raise).
type AlertChange struct {
	Status      alert.Status
	Disposition string
	CDCContact  string
}

// UpdateAlert applies a lifecycle step.
func UpdateAlert(ctx context.Context, c *ent.Client, id int, ch AlertChange, now time.Time) (*ent.Alert, error) {
	a, err := c.Alert.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	allowed := map[alert.Status][]alert.Status{
		alert.StatusOpen:         {alert.StatusAcknowledged, alert.StatusHandled, alert.StatusFalseAlarm},
		alert.StatusAcknowledged: {alert.StatusHandled, alert.StatusFalseAlarm},
	}
	if !slices.Contains(allowed[a.Status], ch.Status) {
		return nil, types.Invalid("status", "an alert that is %s cannot become %s", a.Status, ch.Status)
	}
	if (ch.Status == alert.StatusHandled || ch.Status == alert.StatusFalseAlarm) && ch.Disposition == "" {
		return nil, types.Invalid("disposition", "say how the alert was handled")
	}
	upd := c.Alert.UpdateOne(a).SetStatus(ch.Status)
	if ch.Disposition != "" {
		upd.SetDisposition(ch.Disposition)
	}
	if ch.CDCContact != "" {
		upd.SetCdcContact(ch.CDCContact).SetCdcContactedAt(now)
	}
	if ch.Status == alert.StatusAcknowledged {
		upd.SetAcknowledgedAt(now).SetNillableAcknowledgedByID(actor(ctx))
	} else {
		upd.SetClosedAt(now).ClearOpenKey().SetNillableClosedByID(actor(ctx))
	}
	return upd.Save(ctx)
}
