package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
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

// TestAlertNamesItsPeople: an alert lists the people it names (students, staff), in its order: the fever
// alert of a class check names the pupils it read a fever for, and their class teacher reads their names;
// the staff illness alert names the staff member for the principal. Another school's principal reads
// neither the alert nor its pupils; the district reads the alert but no pupil's name (DOMAIN §6.14).
func TestAlertNamesItsPeople(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:00")
		w := e.newWorld()
		cl, pupils := e.classOfThree(w)
		e.gql(w.tok["a.teacher"], `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"classID": cl.ID, "date": "2026-11-23", "session": "morning", "present": 3, "entries": []map[string]any{
				{"studentID": pupils[2], "kind": "symptomatic", "symptoms": []string{"cough"}, "temperature": 38.5},
				{"studentID": pupils[0], "kind": "symptomatic", "symptoms": []string{"headache"}, "temperature": 37.9},
			}}}).ok(t)
		type people struct {
			Edges []struct {
				Node struct {
					Rule     string
					Students []struct {
						Name  string
						Class struct{ Name string }
					}
					Staff []struct{ Name string }
				}
			}
		}
		read := func(login, rule string) people {
			var got people
			e.gql(w.tok[login], `query($r: AlertRule!) { alerts(where: { rule: $r }) { edges { node { rule students { name class { name } } staff { name } } } } }`,
				map[string]any{"r": rule}).ok(t).decode(t, "alerts", &got)
			return got
		}
		got := read("a.teacher", "fever")
		if len(got.Edges) != 1 || len(got.Edges[0].Node.Students) != 2 || got.Edges[0].Node.Students[0].Name != "丙" ||
			got.Edges[0].Node.Students[1].Name != "甲" || got.Edges[0].Node.Students[0].Class.Name != "一年级(1)班" {
			t.Errorf("the class teacher's fever alert names %+v, want 丙 then 甲 of 一年级(1)班 (the report's order)", got)
		}
		if got := read("b.principal", "fever"); len(got.Edges) != 0 {
			t.Errorf("School B's principal reads School A's fever alert: %+v", got)
		}
		reads := func() int {
			return e.client.AuditLog.Query().Where(auditlog.OperationEQ(auditlog.OperationRead), auditlog.EntityType("Alert")).CountX(system())
		}
		// The district reads the alert, but no pupil's name: nothing read, nothing to audit.
		before := reads()
		if got := read("d1.admin", "fever"); len(got.Edges) != 1 || len(got.Edges[0].Node.Students) != 0 {
			t.Errorf("the district reads its school's fever alerts as %+v, want one naming nobody", got)
		}
		if reads() != before {
			t.Errorf("the district's read of no name left %d audit entries", reads()-before)
		}

		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType("teacher").Save(system()))
		must(e.client.Alert.Create().SetTenantID(w.A.ID).SetRule(alert.RuleStaffIllness).SetOpenedAt(e.now).SetCases(1).
			SetStaffIds([]int{zhao.ID}).SetDate("2026-11-23").SetUpward(alert.UpwardPending).Save(system()))
		if got := read("a.principal", "staff_illness"); len(got.Edges) != 1 || len(got.Edges[0].Node.Staff) != 1 ||
			got.Edges[0].Node.Staff[0].Name != "赵老师" || len(got.Edges[0].Node.Students) != 0 {
			t.Errorf("the principal's staff illness alert names %+v, want 赵老师", got)
		}
	})
}

// TestAlertPageReadsItsPeopleTogether: a page of alerts asking for the pupils and staff each names reads
// them in a batch, not one query per alert (a console's alert list shows 50), and each alert still gets its
// own people in its own order; a page whose alerts name no staff member reads no staff at all. gqlgen
// resolves the alerts' fields concurrently and the loader waits a millisecond for them, so a goroutine held
// up by a busy machine may start a second batch: the test allows three reads for the ten alerts.
func TestAlertPageReadsItsPeopleTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		rec, r := recorded(db)
		e := newEnv(t, rec, dbtest.MiniRedis(t))
		e.now = mondayAt("08:00")
		w := e.newWorld()
		cl, pupils := e.classOfThree(w)
		const alerts = 10
		for i := range alerts {
			named := []int{pupils[i%3], pupils[(i+1)%3]} // 甲乙, 乙丙, 丙甲, …
			must(e.client.Alert.Create().SetTenantID(w.A.ID).SetClassID(cl.ID).SetRule(alert.RuleClusterDay).SetSymptomGroup("gastro").
				SetOpenedAt(e.now).SetCases(len(named)).SetStudentIds(named).SetDate("2026-11-23").Save(system()))
		}
		var got struct {
			Edges []struct {
				Node struct {
					StudentIds []int
					Students   []struct{ ID, Name string }
					Staff      []struct{ Name string }
				}
			}
		}
		r.on.Store(true)
		e.gql(w.tok["a.principal"], `{ alerts(first: 10) { edges { node { studentIds students { id name } staff { name } } } } }`, nil).
			ok(t).decode(t, "alerts", &got)
		r.on.Store(false)
		if len(got.Edges) != alerts {
			t.Fatalf("%d alerts, want %d", len(got.Edges), alerts)
		}
		for _, a := range got.Edges {
			var ids []int
			for _, s := range a.Node.Students {
				ids = append(ids, atoi(t, s.ID))
			}
			if !slices.Equal(ids, a.Node.StudentIds) || len(a.Node.Staff) != 0 {
				t.Errorf("an alert naming %v reads pupils %+v and staff %+v", a.Node.StudentIds, a.Node.Students, a.Node.Staff)
			}
		}
		var pupilReads, staffReads int
		for _, s := range r.take() {
			pupilReads += strings.Count(s, `FROM "students"`) + strings.Count(s, "FROM `students`")
			staffReads += strings.Count(s, `FROM "staffs"`) + strings.Count(s, "FROM `staffs`")
		}
		if pupilReads == 0 || pupilReads > 3 || staffReads != 0 {
			t.Errorf("%d alerts read their pupils in %d queries and staff in %d; want 1 (at most 3) and 0", alerts, pupilReads, staffReads)
		}
	})
}
