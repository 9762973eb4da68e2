package audit_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/audit"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
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

// TestEntriesOfATransactionAreWrittenAtCommit: inside a transaction in the context (as GraphQL mutations
// run), entries wait for the commit and are then all there; a rollback writes none; a mutation that does
// not run in that transaction is logged at once; and when the entries cannot be written, the commit fails
// and nothing is committed.
func TestEntriesOfATransactionAreWrittenAtCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		all := privacy.DecisionContext(sys, privacy.Allow)
		logged := func() int {
			return c.AuditLog.Query().Where(auditlog.EntityType("Tenant"), auditlog.OperationEQ(auditlog.OperationCreate)).CountX(all)
		}
		created := func(names ...string) int { return c.Tenant.Query().Where(tenant.NameIn(names...)).CountX(all) }

		// Committed: three entries, written at the commit.
		tx, err := c.Tx(sys)
		if err != nil {
			t.Fatal(err)
		}
		ctx := ent.NewTxContext(sys, tx)
		for _, n := range []string{"T1", "T2", "T3"} {
			tx.Client().Tenant.Create().SetName(n).SetKind(tenant.KindDistrict).ExecX(ctx)
		}
		if n := tx.Client().AuditLog.Query().CountX(privacy.DecisionContext(ctx, privacy.Allow)); n != 0 {
			t.Errorf("%d entries before the commit", n)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if n := logged(); n != 3 {
			t.Fatalf("%d entries after the commit, want 3", n)
		}

		// Rolled back: no entries, and the next transaction starts clean.
		tx = must(c.Tx(sys))
		ctx = ent.NewTxContext(sys, tx)
		tx.Client().Tenant.Create().SetName("R1").SetKind(tenant.KindDistrict).ExecX(ctx)
		outside := 0
		if db.Dialect == dialect.Postgres { // SQLite has one writer: the transaction holds it
			// A mutation outside the context's transaction is logged at once, in its own.
			c.Tenant.Create().SetName("O1").SetKind(tenant.KindDistrict).ExecX(ctx)
			if outside = 1; logged() != 4 {
				t.Errorf("the change outside the transaction: %d entries, want 4", logged())
			}
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if n := logged(); n != 3+outside || created("R1") != 0 {
			t.Errorf("after the rollback: %d entries, %d tenants R1", n, created("R1"))
		}

		// Entries that cannot be written (the context is gone by the commit): the commit fails, nothing stays.
		cctx, cancel := context.WithCancel(sys)
		tx = must(c.Tx(cctx))
		ctx = ent.NewTxContext(cctx, tx)
		tx.Client().Tenant.Create().SetName("F1").SetKind(tenant.KindDistrict).ExecX(ctx)
		cancel()
		if err := tx.Commit(); err == nil {
			t.Error("commit without its entries succeeded")
		}
		if created("F1") != 0 || logged() != 3+outside {
			t.Errorf("after the failed commit: %d tenants F1, %d entries", created("F1"), logged())
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
