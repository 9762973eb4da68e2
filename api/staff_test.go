package api_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/stafffollowup"
	"github.com/campushealth/campushealth/ent/types"
)

// TestStaffCheckOverGraphQL: a teacher assigned to answer for a staff group (包教职工) submits its check
// over GraphQL; a bad line names its field; someone else's group is forbidden.
func TestStaffCheckOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 7, 50, 0, 0, shanghai) // a Monday morning
		w := e.newWorld()
		sys := system()
		var members []int
		for _, n := range []string{"赵老师", "钱老师"} {
			members = append(members, must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName(n).
				SetStaffType(staff.StaffTypeTeacher).Save(sys)).ID)
		}
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("王校长包保组").AddMemberIDs(members...).Save(sys))
		other := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("总务处").SetKind("department").Save(sys))
		must(e.client.Assignment.Create().SetTenantID(w.A.ID).SetUserID(w.ta.ID).SetRole(authz.GradeLeader).
			SetNodeType(authz.NodeStaffGroup).SetNodeID(g.ID).SetValidFrom(e.now.Add(-time.Hour)).Save(sys))
		leader := w.tok["a.teacher"]

		var zero struct {
			Version, Enrolled, Present int
			ZeroReport, OnTime         bool
		}
		e.gql(leader, `mutation($g: ID!) { submitStaffZeroReport(staffGroupID: $g, date: "2026-11-23", session: morning) {
			version enrolled present zeroReport onTime } }`, map[string]any{"g": g.ID}).ok(t).decode(t, "submitStaffZeroReport", &zero)
		if zero.Version != 1 || zero.Enrolled != 2 || zero.Present != 2 || !zero.ZeroReport || !zero.OnTime {
			t.Errorf("zero report: %+v", zero)
		}
		full := `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { version absentIllness entries { staffID kind } } }`
		line := map[string]any{"staffID": members[0], "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}}
		input := map[string]any{"staffGroupID": g.ID, "date": "2026-11-23", "session": "morning", "present": 1, "entries": []any{line}}
		var v2 struct {
			Version, AbsentIllness int
			Entries                []struct{ StaffID, Kind string }
		}
		e.gql(leader, full, map[string]any{"i": input}).ok(t).decode(t, "submitStaffCheck", &v2)
		if v2.Version != 2 || v2.AbsentIllness != 1 || len(v2.Entries) != 1 || v2.Entries[0].Kind != "absent" {
			t.Errorf("full report: %+v", v2)
		}
		line["temperature"] = 45.0
		if r := e.gql(leader, full, map[string]any{"i": input}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "entries[0].temperature" {
			t.Errorf("45 °C: %+v", r.Errors)
		}
		if r := e.gql(leader, `mutation($g: ID!) { submitStaffZeroReport(staffGroupID: $g, date: "2026-11-23", session: morning) { id } }`,
			map[string]any{"g": other.ID}); r.Code() != "FORBIDDEN" {
			t.Errorf("another group's check: %+v", r.Errors)
		}
		if r := e.gql(w.tok["b.principal"], `mutation($g: ID!) { submitStaffZeroReport(staffGroupID: $g, date: "2026-11-23", session: morning) { id } }`,
			map[string]any{"g": g.ID}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("another school's group: %+v", r.Errors)
		}
	})
}

// TestExpectedStaffReport: a staff group's expected report moves like a class's: pending before the
// deadline, overdue after it, late once reported after it; not due on a Saturday; another school's
// principal is told there is no such group.
func TestExpectedStaffReport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:30")
		w := e.newWorld()
		sys := system()
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("王校长包保组").AddMemberIDs(zhao.ID).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g.ID)
		type expected struct {
			State   string
			Overdue bool
			Check   *struct{ Version int }
		}
		expect := func(tok, date string) (expected, *gqlResponse) {
			var x expected
			r := e.gql(tok, `query($g: ID!, $d: String!) { expectedStaffReport(staffGroupID: $g, date: $d, session: morning) {
				state overdue check { version } } }`, map[string]any{"g": g.ID, "d": date})
			if r.Code() == "" {
				r.decode(t, "expectedStaffReport", &x)
			}
			return x, r
		}
		leader := w.tok["a.teacher"]
		if x, _ := expect(leader, "2026-11-23"); x.State != "pending" || x.Overdue || x.Check != nil {
			t.Errorf("08:30: %+v", x)
		}
		if x, _ := expect(leader, "2026-11-21"); x.State != "not_due" {
			t.Errorf("Saturday: %+v", x)
		}
		e.advance(time.Hour) // 09:30, past the morning deadline
		if x, _ := expect(leader, "2026-11-23"); x.State != "pending" || !x.Overdue {
			t.Errorf("09:30: %+v", x)
		}
		e.gql(leader, `mutation($g: ID!) { submitStaffZeroReport(staffGroupID: $g, date: "2026-11-23", session: morning) { id } }`,
			map[string]any{"g": g.ID}).ok(t)
		if x, _ := expect(leader, "2026-11-23"); x.State != "late" || x.Overdue || x.Check == nil || x.Check.Version != 1 {
			t.Errorf("reported at 09:30: %+v", x)
		}
		if _, r := expect(w.tok["b.principal"], "2026-11-23"); r.Code() == "" {
			t.Errorf("another school's principal read the group's report: %+v", r.Data)
		}
	})
}

// TestStaffBoard: the principal sees the institution's staff groups per session: at 08:30 both owe the
// morning check; the one reported on time counts with its figures, the other is listed with its leader,
// overdue after 09:00, and late once in; Saturday expects nothing. The group leader (who sees only his own
// group) and another school's principal are refused.
func TestStaffBoard(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:30")
		w := e.newWorld()
		sys := system()
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		qian := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("钱老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		g1 := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("A 王校长包保组").AddMemberIDs(zhao.ID).Save(sys))
		g2 := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("B 教务处").SetKind("department").AddMemberIDs(qian.ID).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g2.ID)
		type session struct {
			Session                                              string
			Expected, Submitted, OnTime, Late, Pending, Overdue  int
			Completeness                                         *float64
			ZeroReports, AbsentIllness, AbsentOther, Symptomatic int
			NonReporting                                         []struct {
				StaffGroupID, Name string
				Leaders            []string
				Overdue            bool
			}
		}
		board := func(tok, date string) ([]session, *gqlResponse) {
			var b struct {
				Groups   int
				Sessions []session
			}
			r := e.gql(tok, `query($d: String!) { staffBoard(date: $d) { groups sessions { session expected submitted onTime late pending
				overdue completeness zeroReports absentIllness absentOther symptomatic nonReporting { staffGroupID name leaders overdue } } } }`,
				map[string]any{"d": date})
			if r.Code() == "" {
				r.decode(t, "staffBoard", &b)
				if b.Groups != 2 {
					t.Errorf("groups = %d, want 2", b.Groups)
				}
			}
			return b.Sessions, r
		}
		principal := w.tok["a.principal"]
		e.gql(principal, `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"staffGroupID": g1.ID, "date": "2026-11-23", "session": "morning", "present": 0, "entries": []map[string]any{
				{"staffID": zhao.ID, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}}}}}).ok(t)
		s, _ := board(principal, "2026-11-23")
		if len(s) != 2 || s[0].Session != "morning" || s[0].Expected != 2 || s[0].Submitted != 1 || s[0].OnTime != 1 || s[0].Pending != 1 ||
			s[0].Overdue != 0 || s[0].AbsentIllness != 1 || s[0].ZeroReports != 0 || s[0].Completeness == nil || *s[0].Completeness != 0.5 ||
			len(s[0].NonReporting) != 1 || s[0].NonReporting[0].Name != "B 教务处" || len(s[0].NonReporting[0].Leaders) != 1 ||
			s[0].NonReporting[0].Leaders[0] != "a.teacher" || s[0].NonReporting[0].Overdue {
			t.Fatalf("08:30: %+v", s)
		}
		e.advance(time.Hour) // 09:30
		if s, _ := board(principal, "2026-11-23"); s[0].Overdue != 1 || !s[0].NonReporting[0].Overdue {
			t.Errorf("09:30: %+v", s[0])
		}
		e.gql(w.tok["a.teacher"], `mutation($g: ID!) { submitStaffZeroReport(staffGroupID: $g, date: "2026-11-23", session: morning) { id } }`,
			map[string]any{"g": g2.ID}).ok(t)
		if s, _ := board(principal, "2026-11-23"); s[0].Submitted != 2 || s[0].Late != 1 || s[0].ZeroReports != 1 || len(s[0].NonReporting) != 0 ||
			*s[0].Completeness != 1 {
			t.Errorf("both in: %+v", s[0])
		}
		if s, _ := board(principal, "2026-11-21"); s[0].Expected != 0 || s[0].Completeness != nil {
			t.Errorf("Saturday: %+v", s[0])
		}
		for who, tok := range map[string]string{"the group leader": w.tok["a.teacher"], "another school's principal": w.tok["b.principal"]} {
			r := e.gql(tok, `query($t: ID!) { staffBoard(tenantID: $t, date: "2026-11-23") { groups } }`, map[string]any{"t": w.A.ID})
			if r.Code() != "FORBIDDEN" {
				t.Errorf("%s reads the staff board: %+v %s", who, r.Errors, r.Data)
			}
		}
	})
}

// TestStaffFollowUps: a staff member reported off sick with a fever has a follow-up, due the same day
// (DOMAIN §2.3, §3.2: the person is a student or staff), opened once however often the report is
// corrected. The group's leader records that the fever ended: her return needs clearance 48 hours on. The
// group's leader may not clear it, the health teacher does once the time has come; the epidemic reporter
// verifies the day's, the health teacher may not. A class teacher, the district and another school see
// none of it.
func TestStaffFollowUps(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("07:50")
		w := e.newWorld()
		sys := system()
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		qian := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("钱老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("王校长包保组").AddMemberIDs(zhao.ID, qian.ID).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g.ID)
		leader := w.tok["a.teacher"]
		e.staffUser(w, "a.nurse", authz.HealthTeacher)
		e.staffUser(w, "a.reporter", authz.EpidemicReporter)
		e.staffUser(w, "a.classteacher", authz.ClassTeacher)

		report := func(lines ...map[string]any) {
			t.Helper()
			e.gql(leader, `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
				"staffGroupID": g.ID, "date": "2026-11-23", "session": "morning", "present": 2 - len(lines), "entries": lines}}).ok(t)
		}
		sick := map[string]any{"staffID": zhao.ID, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}}
		report(sick)
		report(sick, map[string]any{"staffID": qian.ID, "kind": "absent", "absenceType": "personal_leave"}) // a correction
		type followUp struct {
			ID, Status, Clearance string
			DueAt                 time.Time
			EarliestReturnAt      *time.Time
			Staff                 struct{ Name string }
		}
		list := func(token string) []followUp {
			t.Helper()
			r := e.gql(token, `{ staffFollowUps { edges { node { id status clearance dueAt earliestReturnAt staff { name } } } } }`, nil)
			if r.Code() == "FORBIDDEN" {
				return nil
			}
			var conn struct{ Edges []struct{ Node followUp } }
			r.ok(t).decode(t, "staffFollowUps", &conn)
			var out []followUp
			for _, x := range conn.Edges {
				out = append(out, x.Node)
			}
			return out
		}
		fus := list(leader)
		if len(fus) != 1 || fus[0].Staff.Name != "赵老师" || fus[0].Status != "open" || !fus[0].DueAt.Equal(mondayAt("18:00")) {
			t.Fatalf("the leader's staff follow-ups = %+v, want 赵老师's, open, due 18:00", fus)
		}
		for _, who := range []string{"a.nurse", "a.reporter", "a.principal"} {
			if got := list(w.tok[who]); len(got) != 1 {
				t.Errorf("%s sees %d staff follow-ups, want 1", who, len(got))
			}
		}
		for _, who := range []string{"a.classteacher", "d1.admin", "b.principal"} {
			if got := list(w.tok[who]); len(got) != 0 {
				t.Errorf("%s sees staff follow-ups: %+v", who, got)
			}
		}

		id := fus[0].ID
		e.now = mondayAt("10:00")
		var traced followUp
		e.gql(leader, `mutation($id: ID!, $i: FollowUpChangeInput!) { updateStaffFollowUp(id: $id, input: $i) { clearance earliestReturnAt } }`,
			map[string]any{"id": id, "i": map[string]any{"outcome": "common_illness", "diagnosis": "感冒", "symptomsEndedAt": mondayAt("09:00")}}).
			ok(t).decode(t, "updateStaffFollowUp", &traced)
		if traced.Clearance != "required" || traced.EarliestReturnAt == nil || !traced.EarliestReturnAt.Equal(mondayAt("09:00").Add(48*time.Hour)) {
			t.Errorf("after the fever ended at 09:00: %+v, want clearance required from Wednesday 09:00", traced)
		}
		clear := `mutation($id: ID!) { clearStaffReturn(id: $id, certificateSeen: false) { status clearance } }`
		if r := e.gql(w.tok["a.nurse"], clear, map[string]any{"id": id}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("cleared before the 48 hours: %+v", r.Errors)
		}
		verify := `mutation($ids: [ID!]!) { verifyStaffFollowUps(ids: $ids) { id verifiedAt } }`
		if r := e.gql(w.tok["a.nurse"], verify, map[string]any{"ids": []string{id}}); r.Code() != "FORBIDDEN" {
			t.Errorf("the health teacher verified: %+v", r.Errors)
		}
		e.gql(w.tok["a.reporter"], verify, map[string]any{"ids": []string{id}}).ok(t)
		e.now = mondayAt("09:00").Add(48 * time.Hour)
		nurse := must(e.auth.Login(context.Background(), "a.nurse", testPassword)).Token // Monday's sessions have ended
		if r := e.gql(must(e.auth.Login(context.Background(), "a.teacher", testPassword)).Token, clear, map[string]any{"id": id}); r.Code() != "FORBIDDEN" {
			t.Errorf("the group's leader cleared the return: %+v", r.Errors)
		}
		var cleared followUp
		e.gql(nurse, clear, map[string]any{"id": id}).ok(t).decode(t, "clearStaffReturn", &cleared)
		if cleared.Status != "closed" || cleared.Clearance != "cleared" {
			t.Errorf("after the clearance: %+v", cleared)
		}
		got := must(e.client.StaffFollowUp.Get(sys, atoi(t, id)))
		if got.VerifiedAt == nil || got.ClearedAt == nil || got.Diagnosis != "感冒" {
			t.Errorf("stored: %+v", got)
		}
	})
}

// TestStaffNotifiableDisease: a staff member's suspected notifiable disease is a case like a pupil's
// (DOMAIN §4): recording it opens the school's notifiable alert with the 2-hour reporting clock, naming
// her; her follow-up of the next day, recorded again, joins that alert rather than opening another.
func TestStaffNotifiableDisease(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:00")
		w := e.newWorld()
		sys := system()
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("王校长包保组").AddMemberIDs(zhao.ID).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g.ID)
		e.staffUser(w, "a.nurse", authz.HealthTeacher)
		offSick := func(leader, nurse, date string) {
			t.Helper()
			e.gql(leader, `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
				"staffGroupID": g.ID, "date": date, "session": "morning", "present": 0,
				"entries": []map[string]any{{"staffID": zhao.ID, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"cough"}}}}}).ok(t)
			fu := must(e.client.StaffFollowUp.Query().Where(stafffollowup.StaffID(zhao.ID), stafffollowup.Date(date)).Only(sys))
			e.gql(nurse, `mutation($id: ID!, $i: FollowUpChangeInput!) { updateStaffFollowUp(id: $id, input: $i) { id } }`,
				map[string]any{"id": fu.ID, "i": map[string]any{"outcome": "notifiable", "diagnosis": "肺结核"}}).ok(t)
		}
		offSick(w.tok["a.teacher"], w.tok["a.nurse"], "2026-11-23")
		a := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleNotifiable)).Only(sys))
		if a.ClassID != nil || !slices.Equal(a.StaffIds, []int{zhao.ID}) || a.SymptomGroup != "肺结核" || a.ReportBy == nil ||
			!a.ReportBy.Equal(e.now.Add(2*time.Hour)) || a.TenantID != w.A.ID {
			t.Fatalf("the staff member's notifiable alert = %+v, want the school's, naming her, to report by 10:00", a)
		}
		e.now = e.now.Add(24 * time.Hour) // Tuesday: yesterday's sessions have ended
		signIn := func(login string) string { return must(e.auth.Login(context.Background(), login, testPassword)).Token }
		offSick(signIn("a.teacher"), signIn("a.nurse"), "2026-11-24")
		if n := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleNotifiable)).Count(sys)); n != 1 {
			t.Errorf("%d notifiable alerts after her next day's follow-up, want Monday's one", n)
		}
	})
}

// TestStaffIllnessReportedUpward: a staff member's illness is the school's until the principal reports it
// upward (DOMAIN.md §4). Before, the district does not find it; the health teacher may not decide; keeping
// it in the school needs a note; another school's principal is told there is no such alert. Reported, the
// district reads it with the principal's note; another district still does not.
func TestStaffIllnessReportedUpward(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai)
		w := e.newWorld()
		e.staffUser(w, "a.nurse", authz.HealthTeacher)
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(system()))
		ill := must(e.client.Alert.Create().SetTenantID(w.A.ID).SetRule(alert.RuleStaffIllness).SetUpward(alert.UpwardPending).
			SetOpenedAt(e.now).SetCases(1).SetStaffIds([]int{zhao.ID}).SetDate("2026-11-23").Save(system()))
		type found struct {
			Edges []struct {
				Node struct {
					ID, Upward, UpwardNote string
					StaffIds               []int
				}
			}
		}
		read := func(login string) found {
			var f found
			e.gql(w.tok[login], `{ alerts(where: { rule: staff_illness }) { edges { node { id upward upwardNote staffIds } } } }`, nil).
				ok(t).decode(t, "alerts", &f)
			return f
		}
		if f := read("d1.admin"); len(f.Edges) != 0 {
			t.Errorf("the district reads a staff illness the principal has not reported: %+v", f)
		}
		if f := read("a.principal"); len(f.Edges) != 1 || f.Edges[0].Node.Upward != "pending" {
			t.Fatalf("the principal's staff illness alerts: %+v", f)
		}
		decide := func(login string, report bool, note any) *gqlResponse {
			return e.gql(w.tok[login], `mutation($id: ID!, $r: Boolean!, $n: String) { decideStaffIllness(id: $id, reportUpward: $r, note: $n) {
				id upward upwardNote upwardDecidedAt upwardDecidedByID } }`, map[string]any{"id": ill.ID, "r": report, "n": note})
		}
		if r := decide("a.nurse", true, nil); r.Code() != "FORBIDDEN" {
			t.Errorf("the health teacher decides: %+v", r.Errors)
		}
		if r := decide("a.principal", false, nil); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "note" {
			t.Errorf("kept in the school without a note: %+v", r.Errors)
		}
		if r := decide("b.principal", true, nil); r.Code() != "NOT_FOUND" {
			t.Errorf("another school's principal: %+v", r.Errors)
		}
		var got struct {
			Upward, UpwardNote, UpwardDecidedAt string
			UpwardDecidedByID                   int
		}
		decide("a.principal", true, "发热，已告知区教育局").ok(t).decode(t, "decideStaffIllness", &got)
		if got.Upward != "reported" || got.UpwardNote != "发热，已告知区教育局" || got.UpwardDecidedByID != w.pa.ID || got.UpwardDecidedAt == "" {
			t.Errorf("reported: %+v", got)
		}
		if f := read("d1.admin"); len(f.Edges) != 1 || f.Edges[0].Node.Upward != "reported" || f.Edges[0].Node.UpwardNote != "发热，已告知区教育局" {
			t.Errorf("the district after the report: %+v", f)
		}
		if f := read("d2.admin"); len(f.Edges) != 0 {
			t.Errorf("another district reads it: %+v", f)
		}
	})
}

// TestStaffObservationRoom: the observation room (留观) takes staff as well as pupils (DOMAIN.md §2.6). A staff
// group's check that sends 赵老师 there with a fever opens her stay, placed at the group; a correction
// joins it. Those who run the room and the group's leader see it; a class teacher, another school and the
// district do not. The health teacher brings 钱老师 in from the gate herself (once; a pupil and a staff
// member at once is refused; the group's leader may not, it is the room's), releases 赵老师 back to work,
// and the board and the day's report count them, as staff.
func TestStaffObservationRoom(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("07:50")
		w := e.newWorld()
		sys := system()
		var members []int
		for _, n := range []string{"赵老师", "钱老师"} {
			members = append(members, must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName(n).
				SetStaffType(staff.StaffTypeTeacher).Save(sys)).ID)
		}
		zhao, qian := members[0], members[1]
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("王校长包保组").AddMemberIDs(members...).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g.ID)
		nurse := e.staffUser(w, "a.nurse", authz.HealthTeacher)
		ct := e.staffUser(w, "a.ct", authz.ClassTeacher)
		cls := must(e.client.Class.Create().SetTenantID(w.A.ID).SetName("一(1)班").Save(sys))
		e.assign(t, w.tok["a.principal"], ct.ID, authz.ClassTeacher, authz.NodeClass, cls.ID)
		pupil := must(e.client.Student.Create().SetTenantID(w.A.ID).SetClassID(cls.ID).SetName("李一").SetStudentNumber("S1").
			SetGender("female").Save(sys))

		report := func(note string) {
			t.Helper()
			e.gql(w.tok["a.teacher"], `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
				"staffGroupID": g.ID, "date": "2026-11-23", "session": "morning", "present": 2, "entries": []map[string]any{
					{"staffID": zhao, "kind": "symptomatic", "symptoms": []string{"fever"}, "temperature": 38.3,
						"disposition": "observation_room", "note": note},
				}}}).ok(t)
		}
		report("")
		report("头痛") // a correction: the same person, the same stay
		type stay struct {
			ID, Reason  string
			OpenedByID  *int
			Temperature *float64
			Student     *struct{ Name string }
			Staff       *struct{ Name string }
			StaffGroup  *struct{ Name string }
		}
		stays := func(login string) ([]stay, string) {
			var c struct{ Edges []struct{ Node stay } }
			r := e.gql(w.tok[login], `{ observationStays(where: { status: open }, orderBy: { field: IN_AT }) { edges { node { id reason
				openedByID temperature student { name } staff { name } staffGroup { name } } } } }`, nil)
			if r.Code() != "" {
				return nil, r.Code()
			}
			r.decode(t, "observationStays", &c)
			var out []stay
			for _, x := range c.Edges {
				out = append(out, x.Node)
			}
			return out, ""
		}
		got, _ := stays("a.nurse")
		if len(got) != 1 || got[0].Staff == nil || got[0].Staff.Name != "赵老师" || got[0].Student != nil ||
			got[0].StaffGroup == nil || got[0].StaffGroup.Name != "王校长包保组" || got[0].Reason != "fever" ||
			got[0].Temperature == nil || *got[0].Temperature != 38.3 || got[0].OpenedByID == nil || *got[0].OpenedByID != w.ta.ID {
			t.Fatalf("the nurse's open stays = %+v, want 赵老师's, at 38.3 °C, sent by her group's leader", got)
		}
		zhaoStay := got[0].ID
		if s, code := stays("a.teacher"); code != "" || len(s) != 1 || s[0].ID != zhaoStay {
			t.Errorf("the group's leader sees %+v (%s), want 赵老师's stay", s, code)
		}
		for _, login := range []string{"a.ct", "b.principal", "d1.admin"} {
			if s, _ := stays(login); len(s) != 0 {
				t.Errorf("%s sees %+v", login, s)
			}
		}

		admit := func(login string, input map[string]any) *gqlResponse {
			return e.gql(w.tok[login], `mutation($i: ObservationAdmissionInput!) { admitToObservation(input: $i) {
				id openedByID checkID staff { name } staffGroup { name } } }`, map[string]any{"i": input})
		}
		gate := map[string]any{"staffID": qian, "reason": "fever", "temperature": 37.9, "note": "校门测温 gate"}
		if r := admit("a.nurse", map[string]any{"staffID": qian, "studentID": pupil.ID, "reason": "fever"}); r.Code() != "BAD_USER_INPUT" ||
			r.Errors[0].Extensions["field"] != "studentID" {
			t.Errorf("a pupil and a staff member at once: %+v", r.Errors)
		}
		if r := admit("a.teacher", gate); r.Code() != "FORBIDDEN" {
			t.Errorf("the group's leader brought 钱老师 in herself: %+v", r.Errors)
		}
		if r := admit("b.principal", gate); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "staffID" {
			t.Errorf("another school brought 钱老师 in: %+v", r.Errors)
		}
		var qianStay struct {
			OpenedByID int
			CheckID    *int
			Staff      struct{ Name string }
			StaffGroup *struct{ Name string }
		}
		admit("a.nurse", gate).ok(t).decode(t, "admitToObservation", &qianStay)
		if qianStay.Staff.Name != "钱老师" || qianStay.OpenedByID != nurse.ID || qianStay.CheckID != nil || qianStay.StaffGroup != nil {
			t.Errorf("钱老师's stay = %+v", qianStay)
		}
		if r := admit("a.nurse", gate); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "staffID" ||
			!strings.Contains(r.Errors[0].Message, "since") {
			t.Errorf("钱老师 brought in twice: %+v", r.Errors)
		}
		if s, _ := stays("a.teacher"); len(s) != 1 {
			t.Errorf("the group's leader sees %d stays, want only the one her check opened", len(s))
		}

		e.advance(30 * time.Minute)
		e.gql(w.tok["a.nurse"], `mutation($id: ID!) { updateObservationStay(id: $id, input: { outcome: back_to_class, note: "退热 返岗" }) { id } }`,
			map[string]any{"id": zhaoStay}).ok(t)
		var b struct{ InObservation int }
		e.gql(w.tok["a.principal"], `query($s: BoardScopeInput!) { board(scope: $s, date: "2026-11-23") { inObservation } }`,
			map[string]any{"s": map[string]any{"tenantID": w.A.ID}}).ok(t).decode(t, "board", &b)
		if b.InObservation != 1 {
			t.Errorf("the school's board counts %d in the observation room, want 钱老师", b.InObservation)
		}
		var sb struct{ InObservation int }
		e.gql(w.tok["a.principal"], `{ staffBoard(date: "2026-11-23") { inObservation } }`, nil).ok(t).decode(t, "staffBoard", &sb)
		if sb.InObservation != 1 {
			t.Errorf("the staff board counts %d staff in the observation room, want 钱老师", sb.InObservation)
		}
		must(checks.CompileSchool(sys, e.client, w.A.ID, "2026-11-23", e.now))
		var rs struct {
			Edges []struct {
				Node struct {
					Figures struct {
						Observation struct{ Opened, StillIn, Referred, Staff int }
					}
				}
			}
		}
		e.gql(w.tok["a.principal"], `{ dailyReports(where: { kind: school }) { edges { node { figures { observation { opened stillIn referred staff } } } } } }`,
			nil).ok(t).decode(t, "dailyReports", &rs)
		if len(rs.Edges) != 1 || rs.Edges[0].Node.Figures.Observation != (struct{ Opened, StillIn, Referred, Staff int }{2, 1, 0, 2}) {
			t.Errorf("the report's observation room = %+v, want 2 opened, 1 still in, both staff", rs.Edges)
		}

		// The data layer keeps a stay to one person: a staff member with a class is refused.
		if _, err := e.client.ObservationStay.Create().SetTenantID(w.A.ID).SetStaffID(zhao).SetClassID(cls.ID).SetDate("2026-11-23").
			SetInAt(e.now).Save(sys); err == nil {
			t.Error("a staff member's stay with a class was saved")
		}
	})
}

// TestStaffLeavingEndsAccess: the principal marks a teacher with an account as having left; the teacher's
// session stops at its next request, her account is off, and the audit names the principal. The principal
// cannot mark herself as having left (she would lock herself out): refused on status, nothing changed.
func TestStaffLeavingEndsAccess(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		principal := w.tok["a.principal"]
		member := func(name string, userID int) int {
			var s struct {
				ID int `json:",string"`
			}
			e.gql(principal, `mutation($i: CreateStaffInput!) { createStaff(input: $i) { id } }`, map[string]any{"i": map[string]any{
				"name": name, "staffType": "teacher", "userID": userID}}).ok(t).decode(t, "createStaff", &s)
			return s.ID
		}
		teacher, herself := member("王老师", w.ta.ID), member("张校长", w.pa.ID)
		leave := func(id int) *gqlResponse {
			return e.gql(principal, `mutation($id: ID!) { updateStaff(id: $id, input: { status: left }) { status } }`, map[string]any{"id": id})
		}
		me := `{ me { role } }`
		e.gql(w.tok["a.teacher"], me, nil).ok(t)

		if r := leave(herself); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "status" {
			t.Errorf("the principal marking herself as having left: %+v", r.Errors)
		}
		if s := must(e.client.Staff.Get(system(), herself)); s.Status != staff.StatusInPost || !must(e.client.User.Get(system(), w.pa.ID)).Active {
			t.Errorf("after the refusal: staff %s, account active %v", s.Status, must(e.client.User.Get(system(), w.pa.ID)).Active)
		}

		leave(teacher).ok(t)
		if r := e.gql(w.tok["a.teacher"], me, nil); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("the teacher who left still reads: %+v", r)
		}
		if must(e.client.User.Get(system(), w.ta.ID)).Active {
			t.Error("the account of the teacher who left is still on")
		}
		var off []*ent.AuditLog // the account's updates that switched it off (signing in updates it too)
		for _, l := range must(e.client.AuditLog.Query().Where(auditlog.EntityType("User"), auditlog.EntityID(w.ta.ID),
			auditlog.OperationEQ(auditlog.OperationUpdate)).All(system())) {
			if slices.ContainsFunc(l.Changes, func(c types.FieldChange) bool { return c.Field == "active" }) {
				off = append(off, l)
			}
		}
		if len(off) != 1 || off[0].ActorUserID == nil || *off[0].ActorUserID != w.pa.ID {
			t.Errorf("the account switched off is audited as %+v, want one update by the principal", off)
		}
	})
}
