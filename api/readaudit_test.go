package api_test

import (
	"testing"

	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/student"
)

// TestDistrictReadsOfPupilsAreAudited: the district admin reading the pupils behind its schools' alerts
// leaves one audit entry per alert (operation read, its actor and request); reading the alerts without
// their pupils, or the school's own principal reading them, leaves none. The staff behind a staff illness
// alert are audited alike.
func TestDistrictReadsOfPupilsAreAudited(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		// A cluster of two pupils in 一年级(2)班 (clusters name their pupils; a fever alert names none).
		pupils := e.client.Student.Query().Where(student.ClassID(f.c12.ID)).Limit(2).IDsX(system())
		e.client.Alert.Create().SetTenantID(w.A.ID).SetClassID(f.c12.ID).SetRule(alert.RuleClusterDay).SetSymptomGroup("gastro").
			SetOpenedAt(e.now).SetCases(len(pupils)).SetStudentIds(pupils).SetDate("2026-11-23").ExecX(system())
		reads := func() int {
			return e.client.AuditLog.Query().Where(auditlog.OperationEQ(auditlog.OperationRead), auditlog.EntityType("Alert")).CountX(system())
		}
		var got struct {
			Edges []struct {
				Node struct {
					ID         string
					StudentIds []int
				}
			}
		}
		e.gql(w.tok["d1.admin"], `{ alerts { edges { node { id } } } }`, nil).ok(t).decode(t, "alerts", &got)
		if len(got.Edges) == 0 {
			t.Fatal("the fixture has no alert the district reads")
		}
		e.gql(w.tok["a.principal"], `{ alerts { edges { node { id studentIds } } } }`, nil).ok(t)
		if n := reads(); n != 0 {
			t.Fatalf("%d read entries before the district read any pupil", n)
		}
		e.gql(w.tok["d1.admin"], `{ alerts { edges { node { id studentIds } } } }`, nil).ok(t).decode(t, "alerts", &got)
		named := 0
		for _, ed := range got.Edges {
			if len(ed.Node.StudentIds) > 0 {
				named++
			}
		}
		logs := e.client.AuditLog.Query().Where(auditlog.OperationEQ(auditlog.OperationRead)).AllX(system())
		if named == 0 || len(logs) != named {
			t.Fatalf("%d alerts name pupils, %d read entries", named, len(logs))
		}
		for _, l := range logs {
			if l.ActorUserID == nil || *l.ActorUserID != w.d1.ID || l.TenantID == nil || *l.TenantID != w.A.ID || l.RequestID == "" {
				t.Errorf("read entry: %+v", l)
			}
		}
		// The staff behind a staff illness alert (reported upward: the district reads it) are read the same way:
		// one more entry.
		staff := e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType("teacher").SaveX(system())
		ill := e.client.Alert.Create().SetTenantID(w.A.ID).SetRule(alert.RuleStaffIllness).SetOpenedAt(e.now).SetCases(1).
			SetStaffIds([]int{staff.ID}).SetDate("2026-11-23").SetUpward(alert.UpwardReported).SaveX(system())
		before := reads()
		e.gql(w.tok["d1.admin"], `{ alerts(where: { rule: staff_illness }) { edges { node { id staffIds } } } }`, nil).ok(t)
		if n := e.client.AuditLog.Query().Where(auditlog.OperationEQ(auditlog.OperationRead), auditlog.EntityID(ill.ID)).CountX(system()); n != 1 ||
			reads() != before+1 {
			t.Errorf("the district's read of the staff behind alert %d left %d entries (%d in all, %d before)", ill.ID, n, reads(), before)
		}
	})
}
