package checks

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/followupstep"
	"github.com/campushealth/campushealth/ent/types"
)

// SymptomGroups are the groups SymptomGroup sorts cases into, in the order reports list them; "other" is
// an illness whose symptoms fit none (or were not given).
var SymptomGroups = []string{"ili", "fever", "gastro", "rash", "conjunctivitis", "parotid", "other"}

// healthFigures are an institution's illness figures of a local date as of now (DOMAIN.md §2.4): the
// pupils absent for illness in the day's current checks by symptom group (a pupil absent morning and noon
// counts once, with the symptoms of both), the follow-ups that reported a notifiable disease that day, the
// returns the health teacher cleared that day, and the day's illness absences not yet verified.
func healthFigures(ictx context.Context, c *ent.Client, tenantID int, rules Rules, date string, now time.Time) (*types.HealthFigures, error) {
	lines, err := c.CheckEntry.Query().Where(checkentry.TenantID(tenantID), checkentry.KindEQ(checkentry.KindAbsent),
		checkentry.AbsenceTypeEQ(checkentry.AbsenceTypeSickLeave), checkentry.HasCheckWith(classcheck.Date(date), classcheck.Current(true))).
		Select(checkentry.FieldStudentID, checkentry.FieldSymptoms, checkentry.FieldTemperature).All(ictx)
	if err != nil {
		return nil, err
	}
	type pupil struct {
		symptoms []string
		hottest  *float64
	}
	pupils := map[int]*pupil{}
	for _, l := range lines {
		p := pupils[l.StudentID]
		if p == nil {
			p = &pupil{}
			pupils[l.StudentID] = p
		}
		p.symptoms = append(p.symptoms, l.Symptoms...)
		if l.Temperature != nil && (p.hottest == nil || *l.Temperature > *p.hottest) {
			p.hottest = l.Temperature
		}
	}
	byGroup := map[string]int{}
	for _, p := range pupils {
		byGroup[cmp.Or(SymptomGroup(p.symptoms, p.hottest, rules.FeverThreshold), "other")]++
	}
	f := &types.HealthFigures{IllnessAbsent: len(pupils), ByGroup: []types.GroupCount{}}
	for _, g := range SymptomGroups {
		if n := byGroup[g]; n > 0 {
			f.ByGroup = append(f.ByGroup, types.GroupCount{Group: g, Count: n})
		}
	}

	from, err := rules.At(date, "00:00")
	if err != nil {
		return nil, err
	}
	to := from.AddDate(0, 0, 1)
	if now.Before(to) {
		to = now
	}
	cases, err := c.FollowUpStep.Query().Where(followupstep.TenantID(tenantID), followupstep.OutcomeEQ(followupstep.OutcomeNotifiable),
		followupstep.AtGTE(from), followupstep.AtLT(to)).Select(followupstep.FieldFollowUpID).Ints(ictx)
	if err != nil {
		return nil, err
	}
	slices.Sort(cases)
	f.NewCases = len(slices.Compact(cases))
	if f.Returns, err = c.FollowUp.Query().Where(followup.TenantID(tenantID), followup.ClearedAtGTE(from), followup.ClearedAtLT(to)).
		Count(ictx); err != nil {
		return nil, err
	}
	if f.Unverified, err = c.FollowUp.Query().Where(followup.TenantID(tenantID), followup.Date(date),
		followup.Or(followup.VerifiedAtIsNil(), followup.VerifiedAtGT(now))).Count(ictx); err != nil {
		return nil, err
	}
	return f, nil
}

// addHealth adds a school's health figures to a district's.
func addHealth(sum *types.HealthFigures, f *types.HealthFigures) {
	if f == nil {
		return
	}
	sum.IllnessAbsent += f.IllnessAbsent
	sum.NewCases += f.NewCases
	sum.Returns += f.Returns
	sum.Unverified += f.Unverified
	for _, g := range f.ByGroup {
		i := slices.IndexFunc(sum.ByGroup, func(x types.GroupCount) bool { return x.Group == g.Group })
		if i < 0 {
			sum.ByGroup = append(sum.ByGroup, types.GroupCount{Group: g.Group})
			i = len(sum.ByGroup) - 1
		}
		sum.ByGroup[i].Count += g.Count
	}
	slices.SortFunc(sum.ByGroup, func(a, b types.GroupCount) int {
		return slices.Index(SymptomGroups, a.Group) - slices.Index(SymptomGroups, b.Group)
	})
}
