package audit_test

import (
	"context"
	"testing"

	"github.com/campushealth/campushealth/ent/audit"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TestUpdateRecordsOldAndNew: an update is logged with the fields that changed, old and new values, the
// actor and the request ID; secrets are redacted.
func TestUpdateRecordsOldAndNew(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		sys := viewer.NewContext(viewer.WithRequestID(context.Background(), "req-1"), viewer.System("cli"))
		d := c.Tenant.Create().SetName("Old name").SetKind(tenant.KindDistrict).SaveX(sys)
		u := c.User.Create().SetTenantID(d.ID).SetLogin("d.admin").SetDisplayName("x").SetRole(authz.DistrictAdmin).SetPasswordHash("h1").SaveX(sys)

		admin := viewer.NewContext(viewer.WithRequestID(context.Background(), "req-2"),
			&viewer.Viewer{UserID: u.ID, Label: "user:d.admin", Role: authz.PlatformAdmin, RequestID: "req-2"})
		c.Tenant.UpdateOneID(d.ID).SetName("New name").ExecX(admin)
		c.User.UpdateOneID(u.ID).SetPasswordHash("h2").ExecX(admin)

		e := c.AuditLog.Query().Where(auditlog.EntityType("Tenant"), auditlog.OperationEQ(auditlog.OperationUpdate)).OnlyX(sys)
		if e.Actor != "user:d.admin" || e.ActorUserID == nil || *e.ActorUserID != u.ID || e.RequestID != "req-2" ||
			e.TenantID == nil || *e.TenantID != d.ID || e.EntityID != d.ID {
			t.Errorf("entry = %+v", e)
		}
		if len(e.Changes) != 1 || e.Changes[0].Field != "name" || e.Changes[0].Old != "Old name" || e.Changes[0].New != "New name" {
			t.Errorf("changes = %+v", e.Changes)
		}
		pw := c.AuditLog.Query().Where(auditlog.EntityType("User"), auditlog.OperationEQ(auditlog.OperationUpdate)).OnlyX(sys)
		if len(pw.Changes) != 1 || pw.Changes[0].New != "[redacted]" || pw.Changes[0].Old != nil {
			t.Errorf("password change logged as %+v", pw.Changes)
		}
		created := c.AuditLog.Query().Where(auditlog.EntityType("Tenant"), auditlog.OperationEQ(auditlog.OperationCreate)).OnlyX(sys)
		if created.Actor != "system:cli" || created.RequestID != "req-1" {
			t.Errorf("create entry = %+v", created)
		}
	})
}

// TestRecordRead: sensitive reads (a district user opening a child's health record) are logged against the
// school, readable by its admins.
func TestRecordRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		d := c.Tenant.Create().SetName("D").SetKind(tenant.KindDistrict).SaveX(sys)
		s := c.Tenant.Create().SetName("S").SetKind(tenant.KindPrimarySchool).SetParent(d).SaveX(sys)
		district := viewer.NewContext(context.Background(),
			&viewer.Viewer{UserID: 7, Label: "user:d.admin", Role: authz.DistrictAdmin, TenantID: d.ID, TenantIDs: []int{d.ID, s.ID}})
		if err := audit.RecordRead(district, c, "HealthRecord", s.ID, 101, 102); err != nil {
			t.Fatal(err)
		}
		principal := viewer.NewContext(context.Background(),
			&viewer.Viewer{Label: "user:p", Role: authz.Principal, TenantID: s.ID, TenantIDs: []int{s.ID}})
		reads := c.AuditLog.Query().Where(auditlog.OperationEQ(auditlog.OperationRead)).AllX(principal)
		if len(reads) != 2 || reads[0].Actor != "user:d.admin" || reads[0].EntityType != "HealthRecord" {
			t.Errorf("reads = %+v", reads)
		}
	})
}
