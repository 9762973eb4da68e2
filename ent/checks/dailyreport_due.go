package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/staffcheck"
	"github.com/campushealth/campushealth/ent/tenant"
)

// Why a report is due.
const (
	DueCutoff = "cutoff" // the cut-off has passed and the report has not been compiled
	DueStale  = "stale"  // a report exists, and its sources have grown since (a late or corrected check, a report upward)
)

// DueReport is a report to compile: a school's or a district's for a local date.
type DueReport struct {
	Kind     dailyreport.Kind
	TenantID int
	Date     string
	Why      string
	// Sources is, for a stale report, the number of source rows now (the school's check and exemption rows of
	// the date and its staff illnesses reported upward that day, or the district's school report rows): it
	// tells one amendment from the next.
	Sources int
}

// Key identifies the compile: the same key for the same work, so that a task ID built from it is
// enqueued once whoever asks (two dispatchers, a restart, the submission path and the dispatcher).
func (d DueReport) Key() string {
	if d.Why == DueStale {
		return fmt.Sprintf("%d:%s:n%d", d.TenantID, d.Date, d.Sources)
	}
	return fmt.Sprintf("%d:%s", d.TenantID, d.Date)
}

// CutoffLookback is how many days back a missed cut-off is still compiled (the dispatcher was down at the
// cut-off); StaleLookback how far back sources are compared with the compiled reports.
const (
	CutoffLookback = 1
	StaleLookback  = 7
)

// zoneMargin widens a bound on a time column in SQL that is exactly each tenant's local midnight, the
// exact test being made in Go per tenant: a local day begins at most 14 hours before UTC's (UTC+14).
const zoneMargin = 14 * time.Hour

// reportedOn is the local date (loc: the school's) a staff illness was reported upward on, "" if it was not:
// the date of the school report it is a source of. A report upward is final, so the count of a date only grows.
func reportedOn(a *ent.Alert, loc *time.Location) string {
	if a.UpwardDecidedAt == nil || a.Upward == nil || *a.Upward != alert.UpwardReported {
		return ""
	}
	return a.UpwardDecidedAt.In(loc).Format(time.DateOnly)
}

// DueReports finds, at now, the reports that are due in every tenant's own time zone and calendar: the
// institutions and districts whose cut-off has passed today (or within CutoffLookback days) on a school
// day without a report, and the reports of the last StaleLookback days whose sources have grown. It reads
// in bulk, a fixed number of queries whatever the number of tenants: the tenants, their settings, the
// calendars, the reports, the check and report rows counted per tenant and date, and the staff illnesses
// reported upward. Nothing is due on a holiday or a weekend (no class is expected; a district compiles only
// when one of its institutions is in session).
func DueReports(ctx context.Context, c *ent.Client, now time.Time) ([]DueReport, error) {
	ictx := internal(ctx)
	ts, err := c.Tenant.Query().Where(tenant.StatusEQ(tenant.StatusActive)).All(ictx)
	if err != nil {
		return nil, err
	}
	// Every tenant's local dates lie within a day of UTC's.
	utc := now.UTC()
	from := utc.AddDate(0, 0, -StaleLookback-1).Format(time.DateOnly)
	to := utc.AddDate(0, 0, 1).Format(time.DateOnly)
	tis, err := calendarsOf(ctx, c, ts, from, to, now)
	if err != nil {
		return nil, err
	}

	type key struct {
		tenant int
		date   string
	}
	reports := map[key]*ent.DailyReport{}
	current, err := c.DailyReport.Query().Where(dailyreport.DateGTE(from), dailyreport.DateLTE(to), dailyreport.Current(true)).
		Select(dailyreport.FieldTenantID, dailyreport.FieldKind, dailyreport.FieldDate, dailyreport.FieldSourceRows).All(ictx)
	if err != nil {
		return nil, err
	}
	for _, r := range current {
		reports[key{r.TenantID, r.Date}] = r
	}
	type count struct {
		TenantID int    `json:"tenant_id"`
		Date     string `json:"date"`
		Count    int    `json:"count"`
	}
	// A school report's sources: its class checks, staff checks and exemptions (every version of each).
	sources := map[key]int{}
	for _, scan := range []func(*[]count) error{
		func(v *[]count) error {
			return c.ClassCheck.Query().Where(classcheck.DateGTE(from), classcheck.DateLTE(to)).
				GroupBy(classcheck.FieldTenantID, classcheck.FieldDate).Aggregate(ent.Count()).Scan(ictx, v)
		},
		func(v *[]count) error {
			return c.StaffCheck.Query().Where(staffcheck.DateGTE(from), staffcheck.DateLTE(to)).
				GroupBy(staffcheck.FieldTenantID, staffcheck.FieldDate).Aggregate(ent.Count()).Scan(ictx, v)
		},
		func(v *[]count) error {
			return c.Exemption.Query().Where(exemption.DateGTE(from), exemption.DateLTE(to)).
				GroupBy(exemption.FieldTenantID, exemption.FieldDate).Aggregate(ent.Count()).Scan(ictx, v)
		},
	} {
		var counts []count
		if err := scan(&counts); err != nil {
			return nil, err
		}
		for _, n := range counts {
			sources[key{n.TenantID, n.Date}] += n.Count
		}
	}
	// A staff illness reported upward is a source of the report of the school's date of the decision: the
	// date is the tenant's, so it is taken here rather than grouped by in SQL.
	fromT, _ := time.Parse(time.DateOnly, from)
	decided, err := c.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness), alert.UpwardEQ(alert.UpwardReported),
		alert.UpwardDecidedAtGTE(fromT.Add(-zoneMargin))).
		Select(alert.FieldTenantID, alert.FieldUpward, alert.FieldUpwardDecidedAt).All(ictx)
	if err != nil {
		return nil, err
	}
	for _, a := range decided {
		if ti := tis[a.TenantID]; ti != nil {
			sources[key{a.TenantID, reportedOn(a, ti.loc)}]++
		}
	}
	var counts []count
	if err := c.DailyReport.Query().Where(dailyreport.DateGTE(from), dailyreport.DateLTE(to), dailyreport.KindEQ(dailyreport.KindSchool)).
		GroupBy(dailyreport.FieldTenantID, dailyreport.FieldDate).Aggregate(ent.Count()).Scan(ictx, &counts); err != nil {
		return nil, err
	}
	schoolReports := map[key]int{}
	for _, n := range counts {
		schoolReports[key{n.TenantID, n.Date}] += n.Count
	}

	children := map[int][]*tenantInfo{}
	for _, t := range ts {
		if t.Kind != tenant.KindDistrict && t.ParentID != nil {
			children[*t.ParentID] = append(children[*t.ParentID], tis[t.ID])
		}
	}
	var due []DueReport
	for _, t := range ts {
		ti := tis[t.ID]
		local := now.In(ti.loc)
		kind, hm := dailyreport.KindSchool, ti.rules.ReportCutoff
		if t.Kind == tenant.KindDistrict {
			kind, hm = dailyreport.KindDistrict, ti.rules.DistrictCutoff
		}
		for back := range StaleLookback + 1 {
			date := local.AddDate(0, 0, -back).Format(time.DateOnly)
			r := reports[key{t.ID, date}]
			if r != nil {
				n := sources[key{t.ID, date}]
				if kind == dailyreport.KindDistrict {
					n = 0
					for _, ci := range children[t.ID] {
						n += schoolReports[key{ci.t.ID, date}]
					}
				}
				if n > r.SourceRows {
					due = append(due, DueReport{Kind: kind, TenantID: t.ID, Date: date, Why: DueStale, Sources: n})
				}
				continue
			}
			if back > CutoffLookback {
				continue
			}
			cutOff, err := ti.rules.At(date, hm)
			if err != nil || now.Before(cutOff) {
				continue
			}
			inSession := ti.inSession(date)
			if kind == dailyreport.KindDistrict {
				inSession = false
				for _, ci := range children[t.ID] {
					inSession = inSession || ci.inSession(date)
				}
			}
			if inSession {
				due = append(due, DueReport{Kind: kind, TenantID: t.ID, Date: date, Why: DueCutoff})
			}
		}
	}
	return due, nil
}
