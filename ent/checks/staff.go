package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/staffcheck"
	"github.com/campushealth/campushealth/ent/staffcheckentry"
	"github.com/campushealth/campushealth/ent/staffgroup"
	"github.com/campushealth/campushealth/ent/types"
)

// StaffReport is a staff group's check (教职工晨午检) for a date and session, submitted by the leader who
// answers for the group (包教职工) or the department head: the same sheet as a class's, for the group's
// members in post. Entries name staff members (Entry.PersonID).
type StaffReport struct {
	StaffGroupID   int
	Date           string
	Session        Session
	Present        int
	Zero           bool
	Entries        []Entry
	AmendReason    string
	IdempotencyKey string
}

// SubmitStaff validates and records a staff check with the class check's rules: idempotent, versioned,
// late and amendments flagged, all or nothing.
func SubmitStaff(ctx context.Context, client *ent.Client, sr StaffReport, now time.Time) (*ent.StaffCheck, error) {
	return inTx(ctx, client, func(ctx context.Context, c *ent.Client) (*ent.StaffCheck, error) {
		return submitStaff(ctx, c, sr, now)
	})
}

func submitStaff(ctx context.Context, c *ent.Client, sr StaffReport, now time.Time) (*ent.StaffCheck, error) {
	// Reading the group with the caller's rights: a group outside the caller's tenants is "not found".
	g, err := c.StaffGroup.Query().Where(staffgroup.ID(sr.StaffGroupID)).WithTenant().Only(ctx)
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, types.Invalid("staffGroupID", "no such staff group in your school")
		}
		return nil, err
	}
	t := g.Edges.Tenant
	rules, err := RulesFor(ctx, c, t)
	if err != nil {
		return nil, err
	}
	if err := validateDay(ctx, c, t, rules, sr.Date, sr.Session, now); err != nil {
		return nil, err
	}
	roster, err := c.Staff.Query().Where(staff.HasGroupsWith(staffgroup.ID(g.ID)), staff.StatusEQ(staff.StatusInPost)).
		IDs(internal(ctx)) // the group was checked above; its members are who the sheet counts
	if err != nil {
		return nil, err
	}
	r := Report{ClassID: g.ID, Date: sr.Date, Session: sr.Session, Present: sr.Present, Zero: sr.Zero,
		Entries: sr.Entries, AmendReason: sr.AmendReason, IdempotencyKey: sr.IdempotencyKey}
	counts, hash, err := prepare(&r, len(roster), roster, rules, staffSheet)
	if err != nil {
		return nil, err
	}
	prev, err := c.StaffCheck.Query().Where(staffcheck.StaffGroupID(g.ID), staffcheck.Date(r.Date),
		staffcheck.SessionEQ(staffcheck.Session(r.Session)), staffcheck.Current(true)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	var last *versionOf
	if prev != nil {
		last = &versionOf{prev.Version, prev.ContentHash, prev.IdempotencyKey}
	}
	next, err := decide(r, hash, last, rules, now)
	if err != nil {
		return nil, err
	}
	if next.same {
		return prev, nil
	}
	if prev != nil {
		if err := c.StaffCheck.UpdateOne(prev).SetCurrent(false).Exec(ctx); err != nil {
			return nil, err
		}
	}
	create := c.StaffCheck.Create().SetTenantID(t.ID).SetStaffGroupID(g.ID).SetDate(r.Date).
		SetSession(staffcheck.Session(r.Session)).SetVersion(next.version).SetZeroReport(r.Zero).
		SetEnrolled(r.Enrolled).SetPresent(r.Present).SetAbsentIllness(counts.illness).SetAbsentOther(counts.other).
		SetSymptomatic(counts.symptomatic).SetAbnormalTemperature(counts.fever).SetSubmittedBy(submitter(ctx, c)).
		SetSubmittedAt(now).SetOnTime(next.onTime).SetAmendment(prev != nil && !next.onTime).SetContentHash(hash).
		SetNillableSubmittedByID(actor(ctx))
	if r.AmendReason != "" {
		create.SetAmendReason(r.AmendReason)
	}
	if r.IdempotencyKey != "" {
		create.SetIdempotencyKey(r.IdempotencyKey)
	}
	chk, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	if len(r.Entries) > 0 {
		lines := make([]*ent.StaffCheckEntryCreate, len(r.Entries))
		for i, e := range r.Entries {
			lines[i] = c.StaffCheckEntry.Create().SetTenantID(t.ID).SetCheckID(chk.ID).SetStaffID(e.PersonID).
				SetKind(staffcheckentry.Kind(e.Kind)).SetNillableAbsenceType(convert[staffcheckentry.AbsenceType](e.AbsenceType)).
				SetSymptoms(e.Symptoms).SetNillableTemperature(e.Temperature).SetNillableFirstTemperature(e.FirstTemperature).SetDoctorSeen(e.DoctorSeen).
				SetNillableDisposition(convert[staffcheckentry.Disposition](e.Disposition)).SetNote(e.Note)
		}
		if err := c.StaffCheckEntry.CreateBulk(lines...).Exec(ctx); err != nil {
			return nil, err
		}
	}
	if err := staffIllness(ctx, c, t, r.Entries, rules.Fever(), r.Date, now); err != nil {
		return nil, err
	}
	if err := openStaffFollowUps(ctx, c, t, rules, sr.StaffGroupID, r.Date, r.Entries); err != nil {
		return nil, err
	}
	if err := openStays(ctx, c, staffSent(chk), r.Entries, rules.Fever(), rules.Today(now), now); err != nil {
		return nil, err
	}
	if err := recompileIfCompiled(ctx, c, chk.TenantID, chk.Date, chk.ID); err != nil {
		return nil, err
	}
	return chk, nil
}

// staffIllness raises the school's staff_illness alert of the date for the staff members a report names off
// sick or with a fever (DOMAIN.md §4: staff illness is reported at once; the principal decides whether to
// report it upward), or adds them to the one open. The alert is the school's, not the group's: it is raised
// by the rule, not with the reporter's rights, and only the school's leadership and health staff read it.
func staffIllness(ctx context.Context, c *ent.Client, t *ent.Tenant, entries []Entry, fever Fever, date string, now time.Time) error {
	var ill []int
	for _, e := range entries {
		feverish := e.Kind == checkentry.KindSymptomatic && hasFever(e.Symptoms, e.Temperature, fever)
		if e.sickLeave() || feverish {
			ill = append(ill, e.PersonID)
		}
	}
	if len(ill) == 0 {
		return nil
	}
	key := fmt.Sprintf("%s:%d:%s", alert.RuleStaffIllness, t.ID, date)
	return raiseStaff(ctx, c, t, key, staffAlert{rule: alert.RuleStaffIllness, date: date, staff: ill}, now)
}

// UpwardDecision is the principal's decision on a staff member's illness (DOMAIN.md §4): report it to the
// district, or keep it in the school, with a note of why.
type UpwardDecision struct {
	Report bool
	Note   string
}

// DecideUpward records the principal's decision on the staff illness alert id, read and changed with the
// caller's rights (only the principal may: staff_illness update). Reporting is final and lets the district
// read and count the alert from then on; keeping it in the school may still be turned into a report later
// (the illness turns out to be worse). The alert's handling (acknowledge, handle) is not touched. When the
// school's daily report of the day (the school's date of now) is compiled already, a report upward amends
// it: it is compiled again once the decision commits, and counts what went upward.
func DecideUpward(ctx context.Context, client *ent.Client, id int, d UpwardDecision, now time.Time) (*ent.Alert, error) {
	return inTx(ctx, client, func(ctx context.Context, c *ent.Client) (*ent.Alert, error) {
		a, err := c.Alert.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		switch {
		case a.Rule != alert.RuleStaffIllness:
			return nil, types.Invalid("id", "only a staff member's illness waits for the principal's decision; a %s alert goes upward by its rule", a.Rule)
		case a.Upward != nil && *a.Upward == alert.UpwardReported:
			if d.Report {
				return a, nil // sent again: it is reported
			}
			return nil, reportedUpward(ctx, c, a)
		case !d.Report && a.Upward != nil && *a.Upward == alert.UpwardWithheld:
			return a, nil // kept in the school already: the first decision stands
		case !d.Report && d.Note == "":
			return nil, types.Invalid("note", "say why it stays in the school")
		}
		decision := alert.UpwardWithheld
		if d.Report {
			decision = alert.UpwardReported
		}
		// Final once reported, even against a decision committed meanwhile: the day's report counts it as a
		// source (DueReports), and that count must never go down.
		a, err = c.Alert.UpdateOne(a).Where(alert.Or(alert.UpwardIsNil(), alert.UpwardNEQ(alert.UpwardReported))).
			SetUpward(decision).SetUpwardDecidedAt(now).SetUpwardNote(d.Note).SetNillableUpwardDecidedByID(actor(ctx)).Save(ctx)
		if ent.IsNotFound(err) {
			if a, err = c.Alert.Get(ctx, id); err == nil && !d.Report {
				err = reportedUpward(ctx, c, a)
			}
			return a, err
		}
		if err != nil || !d.Report {
			return a, err
		}
		school, err := c.Tenant.Get(internal(ctx), a.TenantID)
		if err != nil {
			return nil, err
		}
		return a, recompileIfCompiled(ctx, c, a.TenantID, now.In(Location(school)).Format(time.DateOnly), a.ID)
	})
}

// reportedUpward refuses to take back a report upward, naming the school's date it was made on.
func reportedUpward(ctx context.Context, c *ent.Client, a *ent.Alert) error {
	if a.UpwardDecidedAt == nil {
		return types.Invalid("id", "reported upward: a report cannot be taken back")
	}
	school, err := c.Tenant.Get(internal(ctx), a.TenantID)
	if err != nil {
		return err
	}
	return types.Invalid("id", "reported upward on %s: a report cannot be taken back",
		a.UpwardDecidedAt.In(Location(school)).Format(time.DateOnly))
}

// staffAlert is an alert about staff members, the school's (no class): the rule, the group of symptoms or
// the disease, the day, who, and the reporting clock if any.
type staffAlert struct {
	rule     alert.Rule
	group    string
	date     string
	staff    []int
	reportBy *time.Time
}

// raiseStaff opens the school's staff alert under key, or adds the staff members to the one open. It is
// raised by the rule, not with the caller's rights (a group's leader reports; only the school's leadership
// and health staff read staff alerts), after the school's alerts are locked (lockAlerts: groups report at
// the same time). Like a pupils' alert (raise), staff members an alert of the day already named, handled
// or dismissed since, open nothing again: the noon check naming the morning's sick colleague is the case
// the principal has decided on.
func raiseStaff(ctx context.Context, c *ent.Client, t *ent.Tenant, key string, a staffAlert, now time.Time) error {
	ictx := internal(ctx)
	if err := lockAlerts(ctx, c, t); err != nil {
		return err
	}
	open, err := c.Alert.Query().Where(alert.OpenKey(key)).Only(ictx)
	switch {
	case ent.IsNotFound(err):
		day := []string{a.date}
		closed, err := closedAlerts(ctx, c, t, wholeSchool.alerts(), []alert.Rule{a.rule}, day)
		if err != nil {
			return err
		}
		covered, earlier := episode(closed, a.rule, a.group, day, a.staff, func(a *ent.Alert) []int { return a.StaffIds })
		if covered {
			return nil
		}
		create := c.Alert.Create().SetTenantID(t.ID).SetRule(a.rule).SetSymptomGroup(a.group).SetOpenKey(key).SetOpenedAt(now).
			SetNillableReportBy(a.reportBy).SetDate(a.date).SetCases(len(a.staff)).SetStaffIds(a.staff)
		if earlier != nil {
			create.SetFollowsID(earlier.ID)
		}
		if a.rule == alert.RuleStaffIllness { // the principal decides whether it goes upward
			create.SetUpward(alert.UpwardPending)
		}
		return create.Exec(ictx)
	case err != nil:
		return err
	}
	merged := joined(open.StaffIds, a.staff)
	if len(merged) == len(open.StaffIds) {
		return nil
	}
	return c.Alert.UpdateOne(open).SetStaffIds(merged).SetCases(len(merged)).Exec(ictx)
}

// convert turns a class check line's enum into the staff check line's (the same values, another type).
func convert[T, S ~string](v *S) *T {
	if v == nil {
		return nil
	}
	t := T(*v)
	return &t
}
