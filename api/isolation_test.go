package api_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/campushealth/campushealth/ent/apitoken"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/exporttemplate"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
)

// TestTenantIsolation attempts, for every entity and every query path, to read, change or link to rows of
// another tenant, as users and API tokens of other tenants and districts. Every attempt must fail and leave
// the rows unchanged.
func TestTenantIsolation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		id := func(n int) string { return strconv.Itoa(n) }
		auditB, err := e.client.AuditLog.Query().Where(auditlog.TenantID(w.B.ID)).First(system())
		if err != nil {
			t.Fatal(err)
		}
		// School B's organisation.
		sys := system()
		gradeB := must(e.client.Grade.Create().SetTenantID(w.B.ID).SetName("B grade").Save(sys))
		classB := must(e.client.Class.Create().SetTenantID(w.B.ID).SetName("B class").SetGrade(gradeB).Save(sys))
		studentB := must(e.client.Student.Create().SetTenantID(w.B.ID).SetName("B pupil").SetStudentNumber("B-001").
			SetGender("female").SetClass(classB).Save(sys))
		guardianB := must(e.client.Guardian.Create().SetTenantID(w.B.ID).SetStudent(studentB).SetName("B parent").
			SetRelation("mother").SetPhone("13700000001").Save(sys))
		campusB := must(e.client.Campus.Create().SetTenantID(w.B.ID).SetName("B campus").Save(sys))
		staffB := must(e.client.Staff.Create().SetTenantID(w.B.ID).SetName("B staff").SetStaffType("canteen").Save(sys))
		groupB := must(e.client.StaffGroup.Create().SetTenantID(w.B.ID).SetName("B group").AddMembers(staffB).Save(sys))
		assignB := must(e.client.Assignment.Create().SetTenantID(w.B.ID).SetUserID(w.tb.ID).SetRole("class_teacher").
			SetNodeType("class").SetNodeID(classB.ID).Save(sys))
		staffFollowUpB := must(e.client.StaffFollowUp.Create().SetTenantID(w.B.ID).SetStaffID(staffB.ID).SetStaffGroupID(groupB.ID).
			SetDate("2026-11-23").SetDueAt(mondayAt("18:00")).Save(sys))
		// B's edit window (a week): a date past it must not be what refuses an outsider.
		must(e.client.CheckSetting.Create().SetTenantID(w.B.ID).SetEditDays(7).Save(sys))
		templateB := must(e.client.ExportTemplate.Create().SetTenantID(w.B.ID).SetName("B form").SetSheet("persons").
			SetColumns([]types.ExportColumn{{Source: "姓名", Header: "姓名"}}).Save(sys))
		reportB, err := checks.CompileSchool(sys, e.client, w.B.ID, "2026-11-23", mondayAt("16:00"))
		if err != nil {
			t.Fatal(err)
		}
		// Rows the attackers must never reach, by GraphQL type.
		foreign := map[string]string{
			"Grade of B":           id(gradeB.ID),
			"Class of B":           id(classB.ID),
			"Student of B":         id(studentB.ID),
			"Guardian of B":        id(guardianB.ID),
			"Campus of B":          id(campusB.ID),
			"Staff of B":           id(staffB.ID),
			"StaffGroup of B":      id(groupB.ID),
			"Assignment of B":      id(assignB.ID),
			"Tenant B":             id(w.B.ID),
			"Tenant D2":            id(w.D2.ID),
			"User pb":              id(w.pb.ID),
			"User tb":              id(w.tb.ID),
			"User d2":              id(w.d2.ID),
			"APIToken B":           id(w.apiBID),
			"AuditLog of B":        id(auditB.ID),
			"DailyReport of B":     id(reportB.Report.ID),
			"Template of B":        id(templateB.ID),
			"Staff follow-up of B": id(staffFollowUpB.ID),
		}
		attackers := map[string]string{
			"principal of A":        w.tok["a.principal"],
			"teacher of A":          w.tok["a.teacher"],
			"API token of A":        w.apiA,
			"admin of district One": w.tok["d1.admin"],
		}
		attempts := 0
		for who, tok := range attackers {
			for what, target := range foreign {
				attempts += 2
				// node(id:) and nodes(ids:) never return the row.
				r := e.gql(tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": target})
				if string(r.Data["node"]) != "null" || r.Code() == "" {
					t.Errorf("%s read %s through node(id:): %s %+v", who, what, r.Data["node"], r.Errors)
				}
				r = e.gql(tok, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{target}})
				if containsID(r, target) || r.Code() == "" {
					t.Errorf("%s read %s through nodes(ids:): %s %+v", who, what, r.Data["nodes"], r.Errors)
				}
			}
			// Connections, with and without where-filters that name the other tenant.
			lists := []struct{ name, query string }{
				{"tenants", `{ tenants { edges { node { id } } } }`},
				{"exportTemplates", `{ exportTemplates { id } }`},
				{"staffFollowUps", `{ staffFollowUps { edges { node { id staff { id } } } } }`},
				{"tenants where id", fmt.Sprintf(`{ tenants(where: {id: %d}) { edges { node { id } } } }`, w.B.ID)},
				{"tenants where hasChildrenWith", fmt.Sprintf(`{ tenants(where: {hasChildrenWith: {id: %d}}) { edges { node { id } } } }`, w.B.ID)},
				{"users", `{ users { edges { node { id } } } }`},
				{"users where tenantID", fmt.Sprintf(`{ users(where: {tenantID: %d}) { edges { node { id } } } }`, w.B.ID)},
				{"users where hasTenantWith", `{ users(where: {hasTenantWith: {name: "School B"}}) { edges { node { id } } } }`},
				{"users where login", `{ users(where: {loginContains: "b."}) { edges { node { id } } } }`},
				{"apiTokens", `{ apiTokens { edges { node { id } } } }`},
				{"apiTokens where hasTenantWith", `{ apiTokens(where: {hasTenantWith: {kind: secondary_school}}) { edges { node { id } } } }`},
				{"auditLogs", `{ auditLogs(first: 500) { edges { node { id } } } }`},
				{"auditLogs where tenantID", fmt.Sprintf(`{ auditLogs(where: {tenantID: %d}) { edges { node { id } } } }`, w.B.ID)},
				{"tenant edges", `{ tenants { edges { node { id parent { id } children { edges { node { id } } } } } } }`},
				{"grades", `{ grades { edges { node { id classes { edges { node { id } } } } } } }`},
				{"classes", `{ classes { edges { node { id students { edges { node { id } } } } } } }`},
				{"classes where hasStudentsWith", `{ classes(where: {hasStudentsWith: {studentNumber: "B-001"}}) { edges { node { id } } } }`},
				{"students", `{ students { edges { node { id guardians { id } enrollments { edges { node { id } } } } } } }`},
				{"students where hasClassWith", `{ students(where: {hasClassWith: {name: "B class"}}) { edges { node { id } } } }`},
				{"guardians", `{ guardians { edges { node { id student { id } } } } }`},
				{"guardians where phone", `{ guardians(where: {phone: "13700000001"}) { edges { node { id } } } }`},
				{"campuses", `{ campuses { edges { node { id } } } }`},
				{"staff", `{ staff { edges { node { id groups { id } } } } }`},
				{"staffGroups", `{ staffGroups { edges { node { id members { id } } } } }`},
				{"assignments", `{ assignments { edges { node { id user { id } } } } }`},
				{"assignments where nodeID", fmt.Sprintf(`{ assignments(where: {nodeID: %d}) { edges { node { id } } } }`, classB.ID)},
				{"dailyReports where tenantID", fmt.Sprintf(`{ dailyReports(where: {tenantID: %d}) { edges { node { id } } } }`, w.B.ID)},
			}
			for _, l := range lists {
				attempts++
				r := e.gql(tok, l.query, nil)
				for _, target := range foreign {
					if containsID(r, target) {
						t.Errorf("%s saw a foreign row %s in %s", who, target, l.name)
					}
				}
			}
			// Mutations by ID on the other tenant's rows.
			muts := []struct{ name, query string }{
				{"deactivate user", fmt.Sprintf(`mutation { setUserActive(id: %d, active: false) { id } }`, w.pb.ID)},
				{"deactivate district admin", fmt.Sprintf(`mutation { setUserActive(id: %d, active: false) { id } }`, w.d2.ID)},
				{"revoke token", fmt.Sprintf(`mutation { revokeAPIToken(id: %d) { id } }`, w.apiBID)},
				{"deactivate institution", fmt.Sprintf(`mutation { deactivateInstitution(id: %d) { id } }`, w.B.ID)},
				{"deactivate district", fmt.Sprintf(`mutation { deactivateInstitution(id: %d) { id } }`, w.D2.ID)},
				{"user into B", fmt.Sprintf(`mutation { createUser(input: {tenantID: %d, role: class_teacher, account: {login: "intruder.%d", displayName: "x"}}) { user { id } } }`, w.B.ID, attempts)},
				{"token into B", fmt.Sprintf(`mutation { createAPIToken(input: {tenantID: %d, name: "x", role: subject_teacher}) { token } }`, w.B.ID)},
				{"student into B's class", fmt.Sprintf(`mutation { createStudent(input: {name: "x", studentNumber: "X-%d", gender: male, classID: %d}) { id } }`, attempts, classB.ID)},
				{"update B's student", fmt.Sprintf(`mutation { updateStudent(id: %d, input: {name: "hacked"}) { id } }`, studentB.ID)},
				{"update B's class", fmt.Sprintf(`mutation { updateClass(id: %d, input: {name: "hacked"}) { id } }`, classB.ID)},
				{"guardian for B's student", fmt.Sprintf(`mutation { createGuardian(input: {studentID: %d, name: "x", relation: other, phone: "13900000009"}) { id } }`, studentB.ID)},
				{"update B's staff", fmt.Sprintf(`mutation { updateStaff(id: %d, input: {name: "hacked"}) { id } }`, staffB.ID)},
				{"group with B's staff", fmt.Sprintf(`mutation { createStaffGroup(input: {name: "g%d", memberIDs: [%d]}) { id } }`, attempts, staffB.ID)},
				{"role at B's class", fmt.Sprintf(`mutation { assignRole(input: {userID: %d, role: subject_teacher, nodeType: class, nodeID: %d}) { id } }`, w.ta.ID, classB.ID)},
				{"revoke B's assignment", fmt.Sprintf(`mutation { revokeAssignment(id: %d) { id } }`, assignB.ID)},
				{"attest B's daily report", fmt.Sprintf(`mutation { attestDailyReport(id: %d, zeroReport: false) { id } }`, reportB.Report.ID)},
				{"trace B's staff follow-up", fmt.Sprintf(`mutation { updateStaffFollowUp(id: %d, input: {outcome: recovered}) { id } }`, staffFollowUpB.ID)},
				{"verify B's staff follow-up", fmt.Sprintf(`mutation { verifyStaffFollowUps(ids: [%d]) { id } }`, staffFollowUpB.ID)},
				{"exempt B's class", fmt.Sprintf(`mutation { exemptClass(input: {classID: %d, date: "2026-11-02", reason: field_trip}) { id } }`, classB.ID)},
				{"rename B's export template", fmt.Sprintf(`mutation { updateExportTemplate(id: %d, name: "hacked") { id } }`, templateB.ID)},
				{"delete B's export template", fmt.Sprintf(`mutation { deleteExportTemplate(id: %d) }`, templateB.ID)},
				{"export template into B", fmt.Sprintf(`mutation { createExportTemplate(tenantID: %d, input: {name: "x%d", sheet: persons, columns: [{source: "姓名", header: "x"}]}) { id } }`, w.B.ID, attempts)},
				{"school into district Two", `mutation { onboardInstitution(input: {name: "Rogue", kind: primary_school, principal: {login: "rogue.p", displayName: "x"}}) { tenant { id parent { id } } } }`},
			}
			for _, m := range muts {
				attempts++
				r := e.gql(tok, m.query, nil)
				if m.name == "school into district Two" && r.Code() == "" {
					// A district admin may onboard, but only into its own district.
					var p struct {
						Tenant struct{ Parent struct{ ID string } }
					}
					r.decode(t, "onboardInstitution", &p)
					if p.Tenant.Parent.ID == id(w.D2.ID) {
						t.Errorf("%s onboarded a school into district Two", who)
					}
					continue
				}
				if r.Code() == "" {
					t.Errorf("%s: %s succeeded: %s", who, m.name, r.Data)
				}
				if field := r.Errors[0].Extensions["field"]; m.name == "exempt B's class" && field != nil {
					t.Errorf("%s: %s refused on %v, telling B's rules: %s", who, m.name, field, r.Errors[0].Message)
				}
			}
		}
		if attempts < 50 {
			t.Fatalf("only %d attempts", attempts)
		}
		t.Logf("%d attempted violations, all denied", attempts)

		// Nothing changed.
		ctx := system()
		if u := must(e.client.User.Get(ctx, w.pb.ID)); !u.Active {
			t.Error("user of B was deactivated")
		}
		if u := must(e.client.User.Get(ctx, w.d2.ID)); !u.Active {
			t.Error("district Two admin was deactivated")
		}
		if tk := must(e.client.APIToken.Get(ctx, w.apiBID)); tk.RevokedAt != nil {
			t.Error("token of B was revoked")
		}
		if r := must(e.client.DailyReport.Get(ctx, reportB.Report.ID)); r.AttestedAt != nil {
			t.Error("B's daily report was attested by an outsider")
		}
		for _, tn := range []int{w.B.ID, w.D2.ID} {
			if x := must(e.client.Tenant.Get(ctx, tn)); x.Status != tenant.StatusActive {
				t.Errorf("tenant %d was deactivated", tn)
			}
		}
		if n := must(e.client.User.Query().Where(user.TenantID(w.B.ID)).Count(ctx)); n != 2 {
			t.Errorf("school B has %d users, want 2", n)
		}
		if n := must(e.client.APIToken.Query().Where(apitoken.TenantID(w.B.ID)).Count(ctx)); n != 1 {
			t.Errorf("school B has %d tokens, want 1", n)
		}
		if n := must(e.client.Tenant.Query().Where(tenant.ParentID(w.D2.ID)).Count(ctx)); n != 1 {
			t.Errorf("district Two has %d schools, want 1", n)
		}
		if s := must(e.client.Student.Get(ctx, studentB.ID)); s.Name != "B pupil" || *s.ClassID != classB.ID {
			t.Errorf("B's student changed: %+v", s)
		}
		if c := must(e.client.Class.Get(ctx, classB.ID)); c.Name != "B class" {
			t.Errorf("B's class renamed to %q", c.Name)
		}
		if tpl := must(e.client.ExportTemplate.Query().Where(exporttemplate.TenantID(w.B.ID)).All(ctx)); len(tpl) != 1 || tpl[0].Name != "B form" {
			t.Errorf("B's export templates changed: %+v", tpl)
		}
		if a := must(e.client.Assignment.Get(ctx, assignB.ID)); a.ValidTo != nil {
			t.Error("B's assignment revoked")
		}
		if n := must(e.client.Student.Query().Where(student.TenantID(w.B.ID)).Count(ctx)); n != 1 {
			t.Errorf("school B has %d students, want 1", n)
		}
	})
}

// TestDistrictSeesExactlyItsSchools: a district admin's tenants are itself and its institutions.
func TestDistrictSeesExactlyItsSchools(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		for tok, want := range map[string][]int{
			w.tok["d1.admin"]:    {w.D1.ID, w.A.ID, w.A2.ID},
			w.tok["d2.admin"]:    {w.D2.ID, w.B.ID},
			w.tok["a.principal"]: {w.A.ID},
			w.tok["root"]:        {w.D1.ID, w.D2.ID, w.A.ID, w.A2.ID, w.B.ID},
		} {
			r := e.gql(tok, `{ tenants(first: 100) { totalCount edges { node { id } } } }`, nil).ok(t)
			got := ids(t, r, "tenants")
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("tenants = %v, want %v", got, want)
			}
		}
		// District One's admin sees users of its schools, not of district Two.
		r := e.gql(w.tok["d1.admin"], `{ users(first: 100) { edges { node { id } } } }`, nil).ok(t)
		got := ids(t, r, "users")
		for _, u := range []int{w.d1.ID, w.pa.ID, w.ta.ID, w.pa2.ID} {
			if !slices.Contains(got, u) {
				t.Errorf("district admin misses user %d of its schools", u)
			}
		}
		for _, u := range []int{w.pb.ID, w.tb.ID, w.d2.ID, w.platform.ID} {
			if slices.Contains(got, u) {
				t.Errorf("district admin sees user %d outside its district", u)
			}
		}
	})
}

func ids(t testing.TB, r *gqlResponse, field string) []int {
	t.Helper()
	var conn struct {
		Edges []struct{ Node struct{ ID string } }
	}
	r.decode(t, field, &conn)
	out := make([]int, 0, len(conn.Edges))
	for _, e := range conn.Edges {
		out = append(out, atoi(t, e.Node.ID))
	}
	return out
}

// containsID reports whether an ID appears anywhere in the response data.
func containsID(r *gqlResponse, id string) bool {
	for _, raw := range r.Data {
		if slices.Contains(findIDs(raw), id) {
			return true
		}
	}
	return false
}
