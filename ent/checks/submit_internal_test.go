package checks

import (
	"context"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TestWithSchoolReadsTheWholeTenant: the school submit reads alongside the class is the tenant as ent loads
// it, every field (a field added to Tenant later is read too), and the class's closing day comes with it.
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
		if err := c.Class.Query().Where(class.ID(cl.ID)).Modify(withSchool).Scan(sys, &rows); err != nil {
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
