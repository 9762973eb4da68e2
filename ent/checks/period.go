package checks

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/types"
)

// MaxPeriodDays bounds SchoolTotals' range: a school term, or half a year (DOMAIN.md §5: completeness and
// timeliness per school and day, week or term).
const MaxPeriodDays = 184

// SchoolTotal is one institution's checks over a period (a week, a month, a term), its days added up:
// class reports expected, submitted, on time, late, still missing and exempted, with the rates over the
// period. Absences and Symptomatic add up each day's distinct pupils: person-days (人次), not pupils.
type SchoolTotal struct {
	Tenant     *ent.Tenant
	From, To   string
	SchoolDays int // days of the period that were school days (and had come) for the institution
	Completion
	Absences    Absences
	Symptomatic int
}

// SchoolTotals adds up TrendBySchool over from to to (at most MaxPeriodDays days) per institution, the
// weakest first: by completeness, lowest first, then on-time rate, then name; an institution that owed
// nothing over the period comes last.
func SchoolTotals(ctx context.Context, c *ent.Client, scope Scope, from, to string, now time.Time) ([]SchoolTotal, error) {
	schools, err := TrendBySchool(ctx, c, scope, from, to, MaxPeriodDays, now)
	if err != nil {
		return nil, err
	}
	out := make([]SchoolTotal, len(schools))
	for i, sc := range schools {
		t := SchoolTotal{Tenant: sc.Tenant, From: from, To: to}
		for _, d := range sc.Days {
			t.SchoolDays += d.InSession
			t.Completion.add(d.Completion)
			t.Absences.SickLeave += d.Absences.SickLeave
			t.Absences.PersonalLeave += d.Absences.PersonalLeave
			t.Absences.Unexcused += d.Absences.Unexcused
			t.Absences.EarlyLeave += d.Absences.EarlyLeave
			t.Symptomatic += d.Symptomatic
		}
		t.rates()
		out[i] = t
	}
	slices.SortStableFunc(out, func(a, b SchoolTotal) int {
		if (a.Completeness == nil) != (b.Completeness == nil) {
			if a.Completeness == nil {
				return 1
			}
			return -1
		}
		if a.Completeness != nil {
			if c := cmp.Compare(*a.Completeness, *b.Completeness); c != 0 {
				return c
			}
			if c := cmp.Compare(*a.OnTimeRate, *b.OnTimeRate); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Tenant.Name, b.Tenant.Name)
	})
	return out, nil
}

// SchoolTotalsHeader is the school totals sheet's header.
var SchoolTotalsHeader = types.SheetColumns[types.SheetSchoolTotals]

// SchoolTotalsSheet is a district's institutions over a period, one row each, the weakest first
// (SchoolTotals). A period with nothing expected of a school has no rates, never 0 %.
func SchoolTotalsSheet(ctx context.Context, c *ent.Client, districtID int, from, to string, now time.Time) (*Sheet, error) {
	if districtID <= 0 {
		return nil, types.Invalid("districtID", "name a district")
	}
	totals, err := SchoolTotals(ctx, c, Scope{DistrictID: districtID}, from, to, now)
	if err != nil {
		return nil, err
	}
	s := &Sheet{Name: "学校汇总", Header: SchoolTotalsHeader}
	for _, t := range totals {
		s.Rows = append(s.Rows, []string{t.Tenant.Name, kindLabels[t.Tenant.Kind], from, to, itoa(t.SchoolDays),
			itoa(t.Expected), itoa(t.Submitted), itoa(t.OnTime), itoa(t.Late), itoa(t.Overdue), itoa(t.Pending - t.Overdue),
			itoa(t.Exempted), percent(t.Completeness), percent(t.OnTimeRate), itoa(t.Absences.SickLeave),
			itoa(t.Absences.PersonalLeave), itoa(t.Absences.Unexcused), itoa(t.Absences.EarlyLeave), itoa(t.Symptomatic)})
	}
	return s, nil
}
