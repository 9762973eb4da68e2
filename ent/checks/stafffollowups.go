package checks

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/stafffollowup"
	"github.com/campushealth/campushealth/ent/types"
)

// openStaffFollowUps opens a follow-up for each staff member a staff check names off sick, one per person
// and day whichever report or correction named the absence first, due the same day like a pupil's. The rule
// opens them (the system): a group's leader who reports the absence need not hold the rows' other rights.
func openStaffFollowUps(ctx context.Context, c *ent.Client, t *ent.Tenant, rules Rules, groupID int, date string, entries []Entry) error {
	var sick []Entry
	for _, e := range entries {
		if e.sickLeave() {
			sick = append(sick, e)
		}
	}
	if len(sick) == 0 {
		return nil
	}
	due, err := rules.At(date, rules.FollowUpDue)
	if err != nil {
		return err
	}
	ictx := internal(ctx)
	ids := make([]int, len(sick))
	for i, e := range sick {
		ids[i] = e.PersonID
	}
	open, err := c.StaffFollowUp.Query().Where(stafffollowup.StaffIDIn(ids...), stafffollowup.Date(date)).
		Select(stafffollowup.FieldStaffID).Ints(ictx)
	if err != nil {
		return err
	}
	var create []*ent.StaffFollowUpCreate
	for _, e := range sick {
		if !slices.Contains(open, e.PersonID) {
			create = append(create, c.StaffFollowUp.Create().SetTenantID(t.ID).SetStaffID(e.PersonID).SetStaffGroupID(groupID).
				SetDate(date).SetSymptoms(e.Symptoms).SetDueAt(due))
		}
	}
	if err := c.StaffFollowUp.CreateBulk(create...).Exec(ictx); err != nil {
		return fmt.Errorf("staff follow-up: %w", err)
	}
	return nil
}

// UpdateStaffFollowUp records what is known now of a staff member's illness and recomputes what the return
// to work needs, by the same rules as a pupil's (UpdateFollowUp, returnRule). A suspected notifiable disease
// opens the school's notifiable alert with the reporting clock (default 2 hours), as a pupil's does.
func UpdateStaffFollowUp(ctx context.Context, c *ent.Client, id int, ch FollowUpChange, now time.Time) (*ent.StaffFollowUp, error) {
	f, err := c.StaffFollowUp.Query().Where(stafffollowup.ID(id)).WithTenant().Only(ctx)
	if err != nil {
		return nil, err
	}
	if f.Status == stafffollowup.StatusClosed {
		return nil, types.Invalid("id", "the follow-up is closed")
	}
	if ch.SymptomsEndedAt != nil && ch.SymptomsEndedAt.After(now) {
		return nil, types.Invalid("symptomsEndedAt", "cannot be in the future")
	}
	rules, err := RulesFor(ctx, c, f.Edges.Tenant)
	if err != nil {
		return nil, err
	}
	upd := c.StaffFollowUp.UpdateOne(f).SetOutcome(stafffollowup.Outcome(ch.Outcome)).SetNote(ch.Note)
	if ch.Diagnosis != "" {
		upd.SetDiagnosis(ch.Diagnosis)
	}
	ended := f.SymptomsEndedAt
	if ch.SymptomsEndedAt != nil {
		ended = ch.SymptomsEndedAt
		upd.SetSymptomsEndedAt(*ended)
	}
	clearance, earliest := returnRule(rules, f.Symptoms, ch.Outcome, ended)
	if f.Clearance != stafffollowup.ClearanceCleared {
		upd.SetClearance(stafffollowup.Clearance(clearance)).SetNillableEarliestReturnAt(earliest)
	}
	if ch.Outcome == followup.OutcomeRecovered && clearance == followup.ClearanceNotRequired {
		upd.SetStatus(stafffollowup.StatusClosed)
	}
	if ch.Outcome == followup.OutcomeNotifiable && f.NotifiableAt == nil {
		upd.SetNotifiableAt(now) // the case's day in the daily report
	}
	if ch.Outcome == followup.OutcomeNotifiable && f.Outcome != stafffollowup.OutcomeNotifiable {
		// A suspected notifiable disease is a case whoever has it (DOMAIN.md §4): the school's alert with the
		// reporting clock, one open per disease, which the same staff member's next day's follow-up joins.
		disease := cmp.Or(ch.Diagnosis, f.Diagnosis)
		reportBy := now.Add(rules.ReportWithin)
		key := fmt.Sprintf("%s:%d:staff:%s", alert.RuleNotifiable, f.TenantID, disease)
		err := raiseStaff(ctx, c, f.Edges.Tenant, key, staffAlert{rule: alert.RuleNotifiable, group: disease, date: f.Date,
			staff: []int{f.StaffID}, reportBy: &reportBy}, now)
		if err != nil {
			return nil, err
		}
	}
	return upd.Save(ctx)
}

// ClearStaff lets the health teacher clear a staff member's return to work, by the rules of a pupil's (Clear).
func ClearStaff(ctx context.Context, c *ent.Client, id int, certificateSeen bool, now time.Time) (*ent.StaffFollowUp, error) {
	f, err := c.StaffFollowUp.Query().Where(stafffollowup.ID(id)).WithTenant().Only(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := RulesFor(ctx, c, f.Edges.Tenant)
	if err != nil {
		return nil, err
	}
	if err := clearable(rules, string(f.Clearance), f.EarliestReturnAt, string(f.Outcome), certificateSeen, "staff member", now); err != nil {
		return nil, err
	}
	return c.StaffFollowUp.UpdateOne(f).SetClearance(stafffollowup.ClearanceCleared).SetClearedAt(now).
		SetCertificateSeen(certificateSeen).SetStatus(stafffollowup.StatusClosed).SetNillableClearedByID(actor(ctx)).Save(ctx)
}

// VerifyStaff records the epidemic reporter's daily verification of staff illness absences, as Verify does
// for pupils': read and changed with the caller's rights, a first verification kept, all or nothing.
func VerifyStaff(ctx context.Context, c *ent.Client, ids []int, now time.Time) ([]*ent.StaffFollowUp, error) {
	return verifyEach(ctx, c, ids,
		func(ctx context.Context, c *ent.Client) ([]*ent.StaffFollowUp, error) {
			return c.StaffFollowUp.Query().Where(stafffollowup.IDIn(ids...)).Order(ent.Asc(stafffollowup.FieldID)).All(ctx)
		},
		func(f *ent.StaffFollowUp) bool { return f.VerifiedAt != nil },
		func(ctx context.Context, c *ent.Client, f *ent.StaffFollowUp, by *int) (*ent.StaffFollowUp, error) {
			return c.StaffFollowUp.UpdateOne(f).SetVerifiedAt(now).SetNillableVerifiedByID(by).Save(ctx)
		})
}
