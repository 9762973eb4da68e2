package checks

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/followup"
)

// Alert rules (DOMAIN.md §3.9, §4; WS/T 772-2020 as domain practice). Defaults; per-tenant settings later.
const (
	ClusterDay     = 3             // similar cases in one class on one day
	ClusterWindow  = 5             // … or within WindowDays school days
	WindowDays     = 3             //
	ReportWithin   = 2 * time.Hour // ILI outbreak or suspected notifiable disease → CDC and education authority
	FollowUpDueHHM = "18:00"       // a cause is traced the same day
)

// SymptomGroup sorts one case into the group clusters are counted by, or "" when it fits none.
// ILI (流感样) = fever with cough or sore throat; gastro = vomiting, diarrhoea or abdominal pain.
func SymptomGroup(symptoms []string, temperature *float64) string {
	has := func(s ...string) bool {
		return slices.ContainsFunc(s, func(x string) bool { return slices.Contains(symptoms, x) })
	}
	fever := has("fever") || (temperature != nil && *temperature >= FeverThreshold)
	switch {
	case fever && has("cough", "sore_throat"):
		return "ili"
	case has("vomiting", "diarrhoea", "abdominal_pain"):
		return "gastro"
	case has("rash"):
		return "rash"
	case has("conjunctivitis"):
		return "conjunctivitis"
	case has("parotid_swelling"):
		return "parotid"
	case fever:
		return "fever"
	}
	return ""
}

// afterSubmit opens follow-ups for illness absences and evaluates the class's alerts, in the submission's
// transaction, as the submitter.
func afterSubmit(ctx context.Context, c *ent.Client, t *ent.Tenant, classID int, date string, entries []Entry, now time.Time) error {
	due, err := time.ParseInLocation(time.DateOnly+" 15:04", date+" "+FollowUpDueHHM, Location(t))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Kind != checkentry.KindAbsent || e.AbsenceType == nil || *e.AbsenceType != checkentry.AbsenceTypeSickLeave {
			continue
		}
		exists, err := c.FollowUp.Query().Where(followup.StudentID(e.StudentID), followup.Date(date)).Exist(internal(ctx))
		if err != nil {
			return err
		}
		if !exists {
			err := c.FollowUp.Create().SetTenantID(t.ID).SetStudentID(e.StudentID).SetClassID(classID).SetDate(date).
				SetSymptoms(e.Symptoms).SetDueAt(due).Exec(ctx)
			if err != nil {
				return fmt.Errorf("follow-up: %w", err)
			}
		}
	}
	if len(entries) == 0 {
		return nil // alerts only ever rise: a report without cases cannot raise one
	}
	return evaluateAlerts(ctx, c, t, classID, date, now)
}

// cases are the class's current-version exception lines of the given dates, by symptom group.
func cases(ctx context.Context, c *ent.Client, classID int, dates []string) (map[string][]int, bool, error) {
	lines, err := c.CheckEntry.Query().Where(checkentry.HasCheckWith(
		classcheck.ClassID(classID), classcheck.DateIn(dates...), classcheck.Current(true))).All(internal(ctx))
	if err != nil {
		return nil, false, err
	}
	groups, fever := map[string][]int{}, false
	for _, l := range lines {
		if l.Temperature != nil && *l.Temperature >= FeverThreshold {
			fever = true
		}
		if g := SymptomGroup(l.Symptoms, l.Temperature); g != "" && !slices.Contains(groups[g], l.StudentID) {
			groups[g] = append(groups[g], l.StudentID)
		}
	}
	return groups, fever, nil
}

func evaluateAlerts(ctx context.Context, c *ent.Client, t *ent.Tenant, classID int, date string, now time.Time) error {
	today, fever, err := cases(ctx, c, classID, []string{date})
	if err != nil {
		return err
	}
	window, err := previousSchoolDays(ctx, c, t, date, WindowDays)
	if err != nil {
		return err
	}
	recent, _, err := cases(ctx, c, classID, window)
	if err != nil {
		return err
	}
	if fever {
		if err := raise(ctx, c, t, classID, date, alert.RuleFever, "", nil, now, nil); err != nil {
			return err
		}
	}
	for g, students := range today {
		if len(students) < ClusterDay || g == "fever" {
			continue
		}
		if err := raise(ctx, c, t, classID, date, alert.RuleClusterDay, g, students, now, nil); err != nil {
			return err
		}
		if g == "ili" {
			reportBy := now.Add(ReportWithin)
			if err := raise(ctx, c, t, classID, date, alert.RuleIliOutbreak, g, students, now, &reportBy); err != nil {
				return err
			}
		}
	}
	for g, students := range recent {
		if len(students) >= ClusterWindow && g != "fever" {
			if err := raise(ctx, c, t, classID, date, alert.RuleClusterWindow, g, students, now, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// raise opens an alert, or adds the cases to the one already open for the same rule, class and group.
func raise(ctx context.Context, c *ent.Client, t *ent.Tenant, classID int, date string, r alert.Rule, group string,
	students []int, now time.Time, reportBy *time.Time) error {
	key := fmt.Sprintf("%s:%d:%s", r, classID, group)
	open, err := c.Alert.Query().Where(alert.OpenKey(key)).Only(internal(ctx))
	switch {
	case ent.IsNotFound(err):
		n := max(len(students), 1)
		return c.Alert.Create().SetTenantID(t.ID).SetClassID(classID).SetRule(r).SetSymptomGroup(group).
			SetOpenKey(key).SetOpenedAt(now).SetNillableReportBy(reportBy).SetCases(n).SetStudentIds(students).
			SetDate(date).Exec(ctx)
	case err != nil:
		return err
	}
	merged := slices.Clone(open.StudentIds)
	for _, s := range students {
		if !slices.Contains(merged, s) {
			merged = append(merged, s)
		}
	}
	if len(merged) == len(open.StudentIds) {
		return nil
	}
	return c.Alert.UpdateOne(open).SetStudentIds(merged).SetCases(len(merged)).Exec(ctx)
}

// previousSchoolDays returns date and the n-1 school days before it (looking back at most three weeks).
func previousSchoolDays(ctx context.Context, c *ent.Client, t *ent.Tenant, date string, n int) ([]string, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil, err
	}
	const lookBack = 21
	cal, err := loadCalendar(ctx, c, t, d.AddDate(0, 0, -lookBack).Format(time.DateOnly), date)
	if err != nil {
		return nil, err
	}
	days := []string{date}
	for back := 1; len(days) < n && back <= lookBack; back++ {
		day := d.AddDate(0, 0, -back).Format(time.DateOnly)
		ok, err := cal.facts(day).schoolDay(day)
		if err != nil {
			return nil, err
		}
		if ok {
			days = append(days, day)
		}
	}
	return days, nil
}
