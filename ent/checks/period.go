package checks

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
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
	// Enrolled adds up each day's pupils on the reports (DayBoard.Enrolled): pupil-days. IllnessAbsenceRate
	// is the sick-leave person-days over them, nil when no report came in.
	Enrolled           int
	IllnessAbsenceRate *float64
	Alerts             AlertResponse
}

// AlertResponse is how an institution answered the alerts of a period (DOMAIN.md §5, the district's
// situation: alerts and response times; §6.11: alerts need a lifecycle). Opened counts the alerts dated in
// the period (a staff illness only once reported upward, for a reader above the school); Responded those
// acknowledged or closed, and MedianResponseMinutes the median time from opening to that first response
// (nil with none); Handled and FalseAlarms how they were closed. Of those with a reporting clock (an ILI
// outbreak or notifiable disease: 2 hours; a cluster: 24), ReportedInTime reached the CDC by it,
// ReportedLate after it, and ReportOverdue not yet, past it as of now.
type AlertResponse struct {
	Opened, Responded, Handled, FalseAlarms     int
	MedianResponseMinutes                       *int
	ReportedInTime, ReportedLate, ReportOverdue int
}

// alertResponses reads the alerts of the institutions dated from to to (past privacy: the caller was shown
// to read the schools' checks; these are counts, never names) and sums up each one's response.
func alertResponses(ctx context.Context, c *ent.Client, ids []int, from, to string, now time.Time) (map[int]AlertResponse, error) {
	alerts, err := c.Alert.Query().Where(alert.TenantIDIn(ids...), alert.DateGTE(from), alert.DateLTE(to),
		upwardFor(ctx)).
		Select(alert.FieldTenantID, alert.FieldStatus, alert.FieldOpenedAt, alert.FieldAcknowledgedAt, alert.FieldClosedAt,
			alert.FieldReportBy, alert.FieldCdcContactedAt).All(internal(ctx))
	if err != nil {
		return nil, err
	}
	out := map[int]AlertResponse{}
	waits := map[int][]time.Duration{}
	for _, a := range alerts {
		r := out[a.TenantID]
		r.Opened++
		if first := firstOf(a.AcknowledgedAt, a.ClosedAt); first != nil {
			r.Responded++
			waits[a.TenantID] = append(waits[a.TenantID], first.Sub(a.OpenedAt))
		}
		switch a.Status {
		case alert.StatusHandled:
			r.Handled++
		case alert.StatusFalseAlarm:
			r.FalseAlarms++
		}
		switch {
		case a.ReportBy == nil || a.Status == alert.StatusFalseAlarm: // no clock, or nothing to report
		case a.CdcContactedAt != nil && !a.CdcContactedAt.After(*a.ReportBy):
			r.ReportedInTime++
		case a.CdcContactedAt != nil:
			r.ReportedLate++
		case now.After(*a.ReportBy):
			r.ReportOverdue++
		}
		out[a.TenantID] = r
	}
	for id, ws := range waits {
		slices.Sort(ws)
		median := ws[len(ws)/2]
		if len(ws)%2 == 0 {
			median = (ws[len(ws)/2-1] + ws[len(ws)/2]) / 2
		}
		r := out[id]
		r.MedianResponseMinutes = ptrTo(int(median.Round(time.Minute) / time.Minute))
		out[id] = r
	}
	return out, nil
}

// firstOf is the earlier of two times, either of which may be missing.
func firstOf(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.Before(*a)) {
		return b
	}
	return a
}

// SchoolTotals adds up TrendBySchool over from to to (at most MaxPeriodDays days) per institution, with how
// it answered the period's alerts (AlertResponse), the weakest first: by completeness, lowest first, then on-time rate, then name; an institution that owed
// nothing over the period comes last.
func SchoolTotals(ctx context.Context, c *ent.Client, scope Scope, from, to string, now time.Time) ([]SchoolTotal, error) {
	schools, err := TrendBySchool(ctx, c, scope, from, to, MaxPeriodDays, now)
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(schools))
	for i, sc := range schools {
		ids[i] = sc.Tenant.ID
	}
	alerts, err := alertResponses(ctx, c, ids, from, to, now)
	if err != nil {
		return nil, err
	}
	out := make([]SchoolTotal, len(schools))
	for i, sc := range schools {
		t := SchoolTotal{Tenant: sc.Tenant, From: from, To: to, Alerts: alerts[sc.Tenant.ID]}
		for _, d := range sc.Days {
			t.SchoolDays += d.InSession
			t.Completion.add(d.Completion)
			t.Absences.SickLeave += d.Absences.SickLeave
			t.Absences.PersonalLeave += d.Absences.PersonalLeave
			t.Absences.Unexcused += d.Absences.Unexcused
			t.Absences.EarlyLeave += d.Absences.EarlyLeave
			t.Symptomatic += d.Symptomatic
			t.Enrolled += d.Enrolled
		}
		t.rates()
		t.IllnessAbsenceRate = fraction(t.Absences.SickLeave, t.Enrolled)
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
			itoa(t.Absences.PersonalLeave), itoa(t.Absences.Unexcused), itoa(t.Absences.EarlyLeave), itoa(t.Symptomatic),
			percent(t.IllnessAbsenceRate)})
	}
	return s, nil
}
