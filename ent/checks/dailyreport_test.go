package checks_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/calendarday"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/types"
)

func compile(t *testing.T, w *boardWorld, kind dailyreport.Kind, tenantID int, hm string) *checks.Compiled {
	t.Helper()
	var got *checks.Compiled
	var err error
	if kind == dailyreport.KindSchool {
		got, err = checks.CompileSchool(w.sys, w.c, tenantID, monday, at(hm))
	} else {
		got, err = checks.CompileDistrict(w.sys, w.c, tenantID, monday, at(hm))
	}
	if err != nil {
		t.Fatalf("compile %s %d at %s: %v", kind, tenantID, hm, err)
	}
	return got
}

func rowOf(t *testing.T, r *ent.DailyReport, classID int, s checks.Session) types.ReportRow {
	t.Helper()
	for _, row := range r.Rows {
		if row.ClassID == classID && row.Session == string(s) {
			return row
		}
	}
	t.Fatalf("report %d has no row for class %d %s", r.ID, classID, s)
	return types.ReportRow{}
}

func TestDailyReportCompile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := newBoardWorld(t, c)
		all := privacy.DecisionContext(context.Background(), privacy.Allow)

		// At the school's cut-off (16:00 by default).
		first := compile(t, w, dailyreport.KindSchool, w.a.ID, "16:01")
		v1 := first.Report
		if !first.Written || v1.Version != 1 || v1.Amended || !v1.Current || v1.ZeroReport {
			t.Fatalf("first compile: %+v", v1)
		}
		if want := at("16:00"); !v1.CutOff.Equal(want) {
			t.Errorf("cut-off %v, want %v", v1.CutOff, want)
		}
		// Rows: 4 classes × 2 sessions, by grade and class.
		if len(v1.Rows) != 8 {
			t.Fatalf("rows: %d", len(v1.Rows))
		}
		r11 := rowOf(t, v1, w.c11.ID, morning)
		if r11.State != types.RowOnTime || r11.Enrolled == nil || *r11.Enrolled != 2 || *r11.Present != 2 || r11.Version != 1 {
			t.Errorf("1-1 morning: %+v", r11)
		}
		r12 := rowOf(t, v1, w.c12.ID, morning)
		if r12.State != types.RowLate || *r12.SickLeave != 1 || *r12.Personal != 1 || *r12.Symptomatic != 1 || *r12.AbnormalTemperature != 1 {
			t.Errorf("1-2 morning: %+v", r12)
		}
		if r := rowOf(t, v1, w.c21.ID, morning); r.State != types.RowExempted || r.Enrolled != nil {
			t.Errorf("2-1 (exam): %+v", r)
		}
		// Not reported is never zero: missing, and no figures at all.
		r22 := rowOf(t, v1, w.c22.ID, morning)
		if r22.State != types.RowMissing || r22.Enrolled != nil || r22.Present != nil || r22.SickLeave != nil {
			t.Errorf("2-2 (nothing): %+v", r22)
		}
		// The class teachers valid at the compile: 孙老师 stands in from noon.
		if !slices.Equal(r22.Teachers, []string{"王老师", "李老师", "孙老师"}) {
			t.Errorf("2-2 teachers: %q", r22.Teachers)
		}
		m := v1.Figures.Sessions[0]
		if m.Session != "morning" || m.Expected != 3 || m.Submitted != 2 || m.OnTime != 1 || m.Late != 1 || m.Missing != 1 || m.Exempted != 1 ||
			m.Present != 4 || m.Absences.SickLeave != 1 {
			t.Errorf("morning figures: %+v", m)
		}
		// Lineage: each current check with its version, and 2-1's exemption for the day.
		if len(v1.Lineage) != 3 || v1.Lineage[0].Kind != types.LineageClassCheck || v1.SourceRows != 3 ||
			!slices.ContainsFunc(v1.Lineage, func(l types.LineageItem) bool { return l.Kind == types.LineageExemption && l.Session == "" }) {
			t.Errorf("lineage: %+v (source rows %d)", v1.Lineage, v1.SourceRows)
		}

		// Compiling again with the same lineage writes nothing.
		again := compile(t, w, dailyreport.KindSchool, w.a.ID, "16:30")
		if again.Written || again.Report.ID != v1.ID {
			t.Errorf("recompile wrote: %+v", again)
		}

		// The district at its cut-off: school B (not compiled yet) is compiled on the way.
		d1 := compile(t, w, dailyreport.KindDistrict, w.district.ID, "17:01").Report
		if d1.Version != 1 || d1.Figures.Schools.InSession != 2 || d1.Figures.Schools.Compiled != 2 || len(d1.Lineage) != 2 {
			t.Fatalf("district v1: %+v %+v", d1, d1.Figures.Schools)
		}
		if n := len(d1.Figures.Schools.MissingClasses); n != 5 { // 1-1 and 1-2 noon, 2-2 ×2, B's full-day observation
			t.Errorf("missing classes: %d %+v", n, d1.Figures.Schools.MissingClasses)
		}
		if d1.ZeroReport {
			t.Error("district with missing classes is a zero report")
		}

		// A late report after the cut-off: version 2, amended; version 1 unchanged and readable.
		if _, err := checks.Submit(w.sys, c, checks.Report{ClassID: w.c22.ID, Date: monday, Session: morning, Zero: true}, at("17:10")); err != nil {
			t.Fatal(err)
		}
		second := compile(t, w, dailyreport.KindSchool, w.a.ID, "17:11")
		v2 := second.Report
		if !second.Written || v2.Version != 2 || !v2.Amended || !strings.Contains(v2.AmendReason, "二年级(2)班") {
			t.Fatalf("amended: %+v", v2)
		}
		if r := rowOf(t, v2, w.c22.ID, morning); r.State != types.RowLate || *r.Present != 1 {
			t.Errorf("2-2 in v2: %+v", r)
		}
		old := c.DailyReport.GetX(all, v1.ID)
		if old.Current || old.Version != 1 || rowOf(t, old, w.c22.ID, morning).State != types.RowMissing || old.LineageHash != v1.LineageHash {
			t.Errorf("version 1 changed: %+v", old)
		}
		// The district follows.
		d2 := compile(t, w, dailyreport.KindDistrict, w.district.ID, "17:12").Report
		if d2.Version != 2 || !d2.Amended || d2.Figures.Sessions[0].Submitted != d1.Figures.Sessions[0].Submitted+1 {
			t.Errorf("district v2: %+v", d2)
		}

		// The difference between the versions.
		diff, err := checks.Diff(v1, v2)
		if err != nil {
			t.Fatal(err)
		}
		if len(diff.Rows) != 1 || diff.Rows[0].Before.State != types.RowMissing || diff.Rows[0].After.State != types.RowLate {
			t.Errorf("diff rows: %+v", diff.Rows)
		}
		if len(diff.Added) != 1 || len(diff.Removed) != 0 {
			t.Errorf("diff lineage: %+v / %+v", diff.Added, diff.Removed)
		}
		changed := map[string]bool{}
		for _, tc := range diff.Totals {
			changed[tc.Session+"."+tc.Field] = true
		}
		if !changed["morning.submitted"] || !changed["morning.late"] || !changed["morning.missing"] || changed["noon.submitted"] {
			t.Errorf("diff totals: %v", changed)
		}
		if _, err := checks.Diff(d1, v2); err == nil {
			t.Error("diff across reports accepted")
		}

		// An exemption declared after the cut-off is a source too: 2-2's noon check (a field trip recorded
		// late) makes the report stale for the dispatcher, and version 3 shows the class exempted, not missing.
		c.Exemption.Create().SetTenantID(w.a.ID).SetClassID(w.c22.ID).SetDate(monday).SetSession(exemption.SessionNoon).
			SetReason(exemption.ReasonFieldTrip).ExecX(w.sys)
		due, err := checks.DueReports(w.sys, c, at("17:20"))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(due, func(d checks.DueReport) bool {
			return d.TenantID == w.a.ID && d.Date == monday && d.Why == checks.DueStale
		}) {
			t.Errorf("a late exemption did not make the report stale: %+v", due)
		}
		v3 := compile(t, w, dailyreport.KindSchool, w.a.ID, "17:21").Report
		if v3.Version != 3 || !strings.Contains(v3.AmendReason, "二年级(2)班 午检: exempted after the cut-off") {
			t.Errorf("v3 after a late exemption: version %d, reason %q", v3.Version, v3.AmendReason)
		}
		if r := rowOf(t, v3, w.c22.ID, noon); r.State != types.RowExempted {
			t.Errorf("2-2 noon in v3: %+v", r)
		}
		if again := compile(t, w, dailyreport.KindSchool, w.a.ID, "17:22"); again.Written {
			t.Error("compiling again after the exemption wrote another version")
		}

		// A zero report: school B once its full-day observation is in, nothing abnormal.
		b1, err := c.DailyReport.Query().Where(dailyreport.TenantID(w.b.ID), dailyreport.Current(true)).Only(all)
		if err != nil || b1.ZeroReport {
			t.Fatalf("B v1: %+v %v", b1, err)
		}
		if _, err := checks.Submit(w.sys, c, checks.Report{ClassID: w.kg.ID, Date: monday, Session: fullDay, Zero: true}, at("17:20")); err != nil {
			t.Fatal(err)
		}
		if b2 := compile(t, w, dailyreport.KindSchool, w.b.ID, "17:21").Report; !b2.ZeroReport || b2.Version != 2 {
			t.Errorf("B v2 should be a zero report: %+v", b2)
		}

		// Who reads them.
		read := func(ctx context.Context) ([]*ent.DailyReport, error) {
			return c.DailyReport.Query().Order(ent.Asc(dailyreport.FieldID)).All(ctx)
		}
		tenantsOf := func(rs []*ent.DailyReport) map[int]int {
			out := map[int]int{}
			for _, r := range rs {
				out[r.TenantID]++
			}
			return out
		}
		if rs, err := read(w.principalA); err != nil || len(rs) != 3 || tenantsOf(rs)[w.a.ID] != 3 { // v1–v3
			t.Errorf("principal A: %v %v", tenantsOf(rs), err)
		}
		if rs, err := read(w.health); err != nil || tenantsOf(rs)[w.a.ID] != 3 || len(rs) != 3 {
			t.Errorf("health teacher A: %v %v", tenantsOf(rs), err)
		}
		if rs, err := read(w.principalB); err != nil || tenantsOf(rs)[w.a.ID] != 0 || tenantsOf(rs)[w.b.ID] != 2 {
			t.Errorf("principal B reads: %v %v", tenantsOf(rs), err)
		}
		if rs, err := read(w.districtAdmin); err != nil || len(rs) != 7 || tenantsOf(rs)[w.district.ID] != 2 {
			t.Errorf("district reads: %v %v", tenantsOf(rs), err)
		}
		if rs, err := read(w.otherDistrict); err != nil || len(rs) != 0 {
			t.Errorf("another district reads: %v %v", tenantsOf(rs), err)
		}
		if _, err := read(w.teacher11); !errors.Is(err, privacy.Deny) {
			t.Errorf("a class teacher reads the school report: %v", err)
		}
		if _, err := read(w.logistics); !errors.Is(err, privacy.Deny) {
			t.Errorf("logistics reads the school report: %v", err)
		}
		// Nobody but the jobs writes them, not even the principal.
		if err := c.DailyReport.UpdateOneID(v2.ID).SetCurrent(false).Exec(w.principalA); !errors.Is(err, privacy.Deny) {
			t.Errorf("principal updated a report: %v", err)
		}

		// Nothing on a holiday.
		c.CalendarDay.Create().SetTenantID(w.a.ID).SetDate("2026-11-24").SetKind(calendarday.KindHoliday).ExecX(w.sys)
		if _, err := checks.CompileSchool(w.sys, c, w.a.ID, "2026-11-24", at("16:01").AddDate(0, 0, 1)); !errors.Is(err, checks.ErrNotSchoolDay) {
			t.Errorf("holiday compile: %v", err)
		}
	})
}
