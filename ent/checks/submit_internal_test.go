package checks

import (
	"context"
	"slices"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TestWithSchoolReadsTheWholeTenant: the school submit reads alongside the class is the tenant as ent loads
// it, every field (a field added to Tenant later is read too, or scanSchools refuses its column), and the
// class's closing day comes with it.
func TestWithSchoolReadsTheWholeTenant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
		d := c.Tenant.Create().SetName("D").SetKind(tenant.KindDistrict).SaveX(sys)
		sch := c.Tenant.Create().SetName("S").SetCode("S-01").SetKind(tenant.KindKindergarten).SetTimezone("Asia/Urumqi").
			SetParent(d).SetDeactivatedAt(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)).SaveX(sys)
		closed := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
		cl := c.Class.Create().SetTenantID(sch.ID).SetName("大班").SetClosedOn(closed).SaveX(sys)
		var rows []school
		if err := c.Class.Query().Where(class.ID(cl.ID)).Modify(withSchool).ScanRows(sys, func(rs *entsql.Rows) (err error) {
			rows, err = scanSchools(rs)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := c.Tenant.GetX(sys, sch.ID)
		if len(rows) != 1 || rows[0].Tenant.String() != want.String() {
			t.Fatalf("withSchool read %+v, ent reads %s", rows, want)
		}
		if rows[0].ClassID != cl.ID || rows[0].ClassClosedOn == nil || !rows[0].ClassClosedOn.Equal(closed) {
			t.Errorf("class %d closed %v", rows[0].ClassID, rows[0].ClassClosedOn)
		}
	})
}

// TestPreviousSchoolDays: the window of the cluster alert skips weekends and holidays, counts make-up days,
// and agrees with SchoolDay day by day.
func TestPreviousSchoolDays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
		sch := c.Tenant.Create().SetName("S").SetKind(tenant.KindPrimarySchool).SaveX(sys)
		window := func(date string) []string {
			days, err := previousSchoolDays(sys, c, sch, date, 4)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range days {
				if ok, err := SchoolDay(sys, c, sch, d); err != nil || !ok {
					t.Errorf("%s in the window is no school day (%v)", d, err)
				}
			}
			return days
		}
		check := func(what string, got []string, want ...string) {
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", what, got, want)
			}
		}
		check("weekdays", window("2026-11-23"), "2026-11-23", "2026-11-20", "2026-11-19", "2026-11-18")
		c.CalendarDay.Create().SetTenantID(sch.ID).SetDate("2026-11-19").SetKind("holiday").ExecX(sys)
		c.CalendarDay.Create().SetTenantID(sch.ID).SetDate("2026-11-22").SetKind("school_day").ExecX(sys)
		check("holiday and make-up Sunday", window("2026-11-23"), "2026-11-23", "2026-11-22", "2026-11-20", "2026-11-18")
		c.Term.Create().SetTenantID(sch.ID).SetName("autumn").SetStartDate("2026-11-18").SetEndDate("2027-01-20").ExecX(sys)
		check("the term began on the 18th", window("2026-11-23"), "2026-11-23", "2026-11-22", "2026-11-20", "2026-11-18")
		check("before the term", window("2026-11-18"), "2026-11-18")
	})
}
