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
	"github.com/campushealth/campushealth/ent/predicate"
	"github.com/campushealth/campushealth/ent/types"
)

// SymptomGroups are the groups SymptomGroup sorts cases into, in the order reports list them; "other" is
// an illness whose symptoms fit none (or were not given).
var SymptomGroups = []string{"ili", "fever", "gastro", "rash", "conjunctivitis", "parotid", "other"}

// healthFigures are an institution's illness figures of a local date as of now (DOMAIN.md §2.4): the
// pupils absent for illness in the day's current checks by symptom group (a pupil absent morning and noon
// counts once, with the symptoms of both), the pupils a follow-up first reported a notifiable disease for
// that day, the pupils the health teacher cleared to return that day, and the day's illness absences not
// yet verified.
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
		byGroup[cmp.Or(SymptomGroup(p.symptoms, p.hottest, rules.Fever()), "other")]++
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
	// A follow-up is one day's absence: a pupil off for several days has one for each, and each may be
	// recorded notifiable or cleared. Cases and returns are pupils, each once.
	notifiable := func(ps ...predicate.FollowUpStep) predicate.FollowUp {
		return followup.HasUpdatesWith(append(ps, followupstep.OutcomeEQ(followupstep.OutcomeNotifiable))...)
	}
	cases, err := c.FollowUp.Query().Where(followup.TenantID(tenantID), notifiable(followupstep.AtGTE(from), followupstep.AtLT(to))).
		Select(followup.FieldStudentID).Ints(ictx)
	if err != nil {
		return nil, err
	}
	if cases = distinct(cases); len(cases) > 0 {
		// A pupil who was a case already when the day began (recorded notifiable before it, on a follow-up
		// still open then) is no new case, however often she is recorded again.
		known, err := c.FollowUp.Query().Where(followup.StudentIDIn(cases...), notifiable(followupstep.AtLT(from)),
			followup.Or(followup.StatusEQ(followup.StatusOpen), followup.ClearedAtGTE(from))).Select(followup.FieldStudentID).Ints(ictx)
		if err != nil {
			return nil, err
		}
		cases = slices.DeleteFunc(cases, func(id int) bool { return slices.Contains(known, id) })
	}
	f.NewCases = len(cases)
	returns, err := c.FollowUp.Query().Where(followup.TenantID(tenantID), followup.ClearedAtGTE(from), followup.ClearedAtLT(to)).
		Select(followup.FieldStudentID).Ints(ictx)
	if err != nil {
		return nil, err
	}
	f.Returns = len(distinct(returns))
	if f.Unverified, err = c.FollowUp.Query().Where(followup.TenantID(tenantID), followup.Date(date),
		followup.Or(followup.VerifiedAtIsNil(), followup.VerifiedAtGT(now))).Count(ictx); err != nil {
		return nil, err
	}
	return f, nil
}

// distinct is ids sorted, each once.
func distinct(ids []int) []int {
	slices.Sort(ids)
	return slices.Compact(ids)
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
