package api_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/followup"
)

// TestClassCheckOverGraphQL: a class teacher's one-tap zero report, a resend, a full report, a bad one
// (clear error naming the field, nothing written), and the expected-report states.
func TestClassCheckOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai) // a Monday, before the 09:00 deadline
		w := e.newWorld()
		sys := system()
		cl, pupils := e.classOfThree(w)
		teacher := w.tok["a.teacher"]
		vars := map[string]any{"c": cl.ID}
		state := func() string {
			var x struct{ State string }
			e.gql(teacher, `query($c: ID!) { expectedReport(classID: $c, date: "2026-11-23", session: morning) { state overdue } }`, vars).
				ok(t).decode(t, "expectedReport", &x)
			return x.State
		}
		if s := state(); s != "pending" {
			t.Fatalf("before: %s", s)
		}
		zero := `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-23", session: morning, idempotencyKey: "tap-1") { id version zeroReport enrolled present onTime submittedBy } }`
		var z1, z2 struct {
			ID                string
			Version, Enrolled int
			Present           int
			ZeroReport        bool
			OnTime            bool
			SubmittedBy       string
		}
		e.gql(teacher, zero, vars).ok(t).decode(t, "submitZeroReport", &z1)
		e.gql(teacher, zero, vars).ok(t).decode(t, "submitZeroReport", &z2)
		if z1.ID != z2.ID || z1.Version != 1 || !z1.ZeroReport || z1.Enrolled != 3 || z1.Present != 3 || !z1.OnTime {
			t.Fatalf("zero report %+v, resend %+v", z1, z2)
		}
		if s := state(); s != "submitted" {
			t.Errorf("after the zero report: %s", s)
		}

		full := `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { version absentIllness symptomatic abnormalTemperature } }`
		input := map[string]any{"classID": cl.ID, "date": "2026-11-23", "session": "morning", "present": 2, "entries": []map[string]any{
			{"studentID": pupils[0], "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}, "doctorSeen": true},
			{"studentID": pupils[1], "kind": "symptomatic", "symptoms": []string{"cough"}, "temperature": 37.5, "disposition": "observation_room"},
		}}
		var v2 struct{ Version, AbsentIllness, Symptomatic, AbnormalTemperature int }
		e.gql(teacher, full, map[string]any{"i": input}).ok(t).decode(t, "submitClassCheck", &v2)
		if v2.Version != 2 || v2.AbsentIllness != 1 || v2.Symptomatic != 1 || v2.AbnormalTemperature != 1 {
			t.Errorf("full report: %+v", v2)
		}

		before := must(e.client.ClassCheck.Query().Count(sys))
		input["entries"].([]map[string]any)[1]["temperature"] = 44.0
		r := e.gql(teacher, full, map[string]any{"i": input})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "entries[1].temperature" {
			t.Fatalf("bad temperature: %+v", r.Errors)
		}
		if after := must(e.client.ClassCheck.Query().Count(sys)); after != before {
			t.Errorf("a rejected report wrote %d checks", after-before)
		}
		// The teacher of another school cannot report for this class.
		if r := e.gql(w.tok["b.teacher"], zero, vars); r.Code() == "" {
			t.Error("a teacher of school B reported for school A's class")
		}
	})
}

// TestPersonsExport: the class teacher downloads her class's absent and symptomatic pupils as CSV and
// XLSX, in the words of the forms; the district (no access to children's health records) is refused.
func TestPersonsExport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai)
		w := e.newWorld()
		sys := system()
		cl := must(e.client.Class.Create().SetTenantID(w.A.ID).SetName("一年级(1)班").Save(sys))
		st := must(e.client.Student.Create().SetTenantID(w.A.ID).SetClass(cl).SetName("王小明").SetStudentNumber("S1").SetGender("male").Save(sys))
		must(e.client.Student.Create().SetTenantID(w.A.ID).SetClass(cl).SetName("李小红").SetStudentNumber("S2").SetGender("female").Save(sys))
		must(e.client.Assignment.Create().SetTenantID(w.A.ID).SetUserID(w.ta.ID).SetRole(authz.ClassTeacher).
			SetNodeType(authz.NodeClass).SetNodeID(cl.ID).SetValidFrom(e.now.Add(-time.Hour)).Save(sys))
		e.gql(w.tok["a.teacher"], `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"classID": cl.ID, "date": "2026-11-23", "session": "morning", "present": 1,
			"entries": []map[string]any{{"studentID": st.ID, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever", "short_breath"}}},
		}}).ok(t)
		download := func(token, path string) (int, string) {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}
		code, body := download(w.tok["a.teacher"], "/exports/persons.csv?date=2026-11-23")
		if code != 200 || !strings.Contains(body, "王小明") || strings.Contains(body, "李小红") {
			t.Errorf("CSV %d:\n%s", code, body)
		}
		// In the words of the forms, not the API's codes: morning check, absent, sick leave, fever, short of breath.
		if !strings.Contains(body, ",晨检,王小明,S1,缺勤,病假,发热、呼吸不畅,") || strings.Contains(body, "sick_leave") {
			t.Errorf("the pupil's row is not in the form's words:\n%s", body)
		}
		code, body = download(w.tok["a.teacher"], "/exports/persons.xlsx?date=2026-11-23")
		if code != 200 || !strings.HasPrefix(body, "PK") {
			t.Errorf("XLSX %d, %d bytes", code, len(body))
		}
		if code, _ := download(w.tok["d1.admin"], "/exports/persons.csv?date=2026-11-23"); code != http.StatusForbidden {
			t.Errorf("district got children's names: %d", code)
		}
		if code, _ := download(w.tok["a.teacher"], "/exports/persons.csv?date=yesterday"); code != http.StatusBadRequest {
			t.Errorf("bad date: %d", code)
		}
	})
}

// TestZeroReportRoundTrips: on PostgreSQL a zero report costs four round trips on the wire — the sign-in,
// the BEGIN with the class read, the insert, the audit entry with the COMMIT (ent/database/pgpipe) — once
// the connection has prepared its statements. A change that loses the pipelining fails here, not only in
// the bench's figures.
func TestZeroReportRoundTrips(t *testing.T) {
	db := dbtest.Postgres(t)
	proxied, trips := roundTrips(t, db)
	proxied.SQL.SetMaxOpenConns(1) // one connection, so every request finds its statements prepared
	e := newEnv(t, proxied, dbtest.Redis(t))
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai) // a Monday, before the morning deadline
	w := e.newWorld()
	sys := system()
	const warm, counted = 2, 5
	var classes []int
	for i := range warm + counted {
		classes = append(classes, must(e.client.Class.Create().SetTenantID(w.A.ID).SetName(fmt.Sprintf("C%d", i)).Save(sys)).ID)
	}
	zero := func(classID int) {
		t.Helper()
		e.gql(w.tok["a.principal"], `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-23", session: morning) { id } }`,
			map[string]any{"c": classID}).ok(t)
	}
	for _, c := range classes[:warm] {
		zero(c)
	}
	before := trips.Load()
	for _, c := range classes[warm:] {
		zero(c)
	}
	if got := float64(trips.Load()-before) / counted; got != 4 {
		t.Errorf("%.1f round trips per zero report, want 4", got)
	}
}

// TestToday: me.today is the date in the caller's institution's zone by the server's clock, the date a
// console asks checks and boards for; at 20:00 UTC it is already tomorrow in Shanghai.
func TestToday(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		must(e.client.Tenant.UpdateOneID(w.B.ID).SetTimezone("Europe/London").Save(system()))
		e.now = time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)
		for tok, want := range map[string]string{w.tok["a.teacher"]: "2026-11-24", w.tok["b.teacher"]: "2026-11-23", w.tok["root"]: "2026-11-24"} {
			var me struct{ Today string }
			if e.gql(tok, `{ me { today } }`, nil).ok(t).decode(t, "me", &me); me.Today != want {
				t.Errorf("today = %s, want %s", me.Today, want)
			}
		}
	})
}

// TestFollowUpStepsByRole: a follow-up's steps are recorded by whoever may update it: the class teacher,
// the health teacher and the epidemic reporter of the school; a class teacher of another class may not.
// The health teacher who learns of a notifiable disease records it, and its alert opens with the 2-hour
// clock (it was refused: she could not open the alert).
func TestFollowUpStepsByRole(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai)
		w := e.newOrgWorld()
		e.staffUser(w.world, "a.nurse", authz.HealthTeacher)
		reporter := e.staffUser(w.world, "a.reporter", authz.EpidemicReporter)
		other := e.staffUser(w.world, "a.other", authz.ClassTeacher)
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		e.assign(t, w.tokP, other.ID, authz.ClassTeacher, authz.NodeClass, w.c2)
		e.gql(w.tokTA, `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"classID": w.c1, "date": "2026-11-23", "session": "morning", "present": 0, "entries": []map[string]any{
				{"studentID": w.s1, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}},
			}}}).ok(t)
		fu := must(e.client.FollowUp.Query().Where(followup.StudentID(w.s1)).Only(system()))
		step := func(login, note string) *gqlResponse {
			return e.gql(w.tok[login], `mutation($id: ID!, $i: FollowUpChangeInput!) { updateFollowUp(id: $id, input: $i) { id } }`,
				map[string]any{"id": fu.ID, "i": map[string]any{"outcome": "unknown", "note": note}})
		}
		for _, login := range []string{"a.teacher", "a.nurse", "a.reporter"} {
			step(login, "called by "+login).ok(t)
		}
		if r := step("a.other", "not mine"); r.Code() == "" {
			t.Errorf("another class's teacher recorded a step: %+v", r)
		}
		steps := must(e.client.FollowUpStep.Query().All(system()))
		if len(steps) != 3 {
			t.Fatalf("steps = %d, want 3 (the other class's teacher refused)", len(steps))
		}
		e.gql(w.tok["a.nurse"], `mutation($id: ID!, $i: FollowUpChangeInput!) { updateFollowUp(id: $id, input: $i) { id } }`,
			map[string]any{"id": fu.ID, "i": map[string]any{"outcome": "notifiable", "diagnosis": "水痘"}}).ok(t)
		// The daily verification is the epidemic reporter's, not the health teacher's.
		verify := func(login string) *gqlResponse {
			return e.gql(w.tok[login], `mutation($ids: [ID!]!) { verifyFollowUps(ids: $ids) { id verifiedAt verifiedByID } }`,
				map[string]any{"ids": []int{fu.ID}})
		}
		if r := verify("a.nurse"); r.Code() != "FORBIDDEN" {
			t.Errorf("the health teacher verified: %+v", r.Errors)
		}
		var verified []struct {
			VerifiedAt   time.Time
			VerifiedByID int
		}
		verify("a.reporter").ok(t).decode(t, "verifyFollowUps", &verified)
		if len(verified) != 1 || !verified[0].VerifiedAt.Equal(e.now) || verified[0].VerifiedByID != reporter.ID {
			t.Errorf("verified = %+v", verified)
		}
		a := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleNotifiable)).Only(system()))
		if a.ReportBy == nil || !a.ReportBy.Equal(e.now.Add(2*time.Hour)) || a.SymptomGroup != "水痘" {
			t.Errorf("the notifiable alert = %+v, want 水痘 to report by %s", a, e.now.Add(2*time.Hour))
		}
		// Tuesday she is still off sick: the day's own follow-up, traced, is the same case of the class's
		// open 水痘 alert, not a second alert with a clock of its own (one open alert per rule and class).
		e.now = e.now.Add(24 * time.Hour)
		signedIn := must(e.auth.Login(context.Background(), "a.teacher", testPassword)) // yesterday's session has ended
		e.gql(signedIn.Token, `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"classID": w.c1, "date": "2026-11-24", "session": "morning", "present": 0, "entries": []map[string]any{
				{"studentID": w.s1, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}},
			}}}).ok(t)
		tuesday := must(e.client.FollowUp.Query().Where(followup.StudentID(w.s1), followup.Date("2026-11-24")).Only(system()))
		e.gql(signedIn.Token, `mutation($id: ID!, $i: FollowUpChangeInput!) { updateFollowUp(id: $id, input: $i) { id } }`,
			map[string]any{"id": tuesday.ID, "i": map[string]any{"outcome": "notifiable", "diagnosis": "水痘"}}).ok(t)
		if open := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleNotifiable)).All(system())); len(open) != 1 ||
			!slices.Equal(open[0].StudentIds, []int{w.s1}) {
			t.Errorf("notifiable alerts after Tuesday's follow-up: %+v, want Monday's one with her", open)
		}
	})
}

// TestObservationRoom: a check that sends a feverish pupil to the observation room (留观) opens a stay; a
// correction naming her again joins it. The class's teacher sees the stay but may not run it; another
// class's teacher and another school see nothing. The health teacher records a reading (a typo in the
// temperature is refused, nothing recorded), that the parents were told, and the release to a parent, which
// ends the stay; an ended stay takes no more. Sent again at noon, the pupil gets a new stay.
func TestObservationRoom(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai)
		w := e.newOrgWorld()
		nurse := e.staffUser(w.world, "a.nurse", authz.HealthTeacher)
		other := e.staffUser(w.world, "a.other", authz.ClassTeacher)
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		e.assign(t, w.tokP, other.ID, authz.ClassTeacher, authz.NodeClass, w.c2)
		report := func(session, note string) {
			t.Helper()
			e.gql(w.tokTA, `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
				"classID": w.c1, "date": "2026-11-23", "session": session, "present": 1, "entries": []map[string]any{
					{"studentID": w.s1, "kind": "symptomatic", "symptoms": []string{"fever"}, "temperature": 38.2,
						"disposition": "observation_room", "note": note},
				}}}).ok(t)
		}
		// Last Friday's check, reported late, is history: nobody is sent to the room now.
		e.gql(w.tokTA, `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"classID": w.c1, "date": "2026-11-20", "session": "morning", "present": 1, "entries": []map[string]any{
				{"studentID": w.s1, "kind": "symptomatic", "symptoms": []string{"fever"}, "temperature": 38.0, "disposition": "observation_room"},
			}}}).ok(t)
		if n := must(e.client.ObservationStay.Query().Count(system())); n != 0 {
			t.Fatalf("a check of last Friday opened %d stays", n)
		}
		report("morning", "")
		report("morning", "额头烫") // a correction: the same pupil, the same stay
		type stay struct {
			ID, Status, InAt, Reason string
			OpenedByID               *int
			Temperature              *float64
			Symptoms                 []string
			ParentNotifiedAt         *string
			Outcome                  *string
			Readings                 []struct {
				Temperature *float64
				Note, By    string
			}
			Student struct{ Name string }
		}
		stays := func(login string) []stay {
			var c struct{ Edges []struct{ Node stay } }
			e.gql(w.tok[login], `{ observationStays(where: { status: open }) { edges { node { id status inAt reason openedByID temperature symptoms
				parentNotifiedAt outcome readings { temperature note by } student { name } } } } }`, nil).ok(t).decode(t, "observationStays", &c)
			var out []stay
			for _, x := range c.Edges {
				out = append(out, x.Node)
			}
			return out
		}
		got := stays("a.nurse")
		if len(got) != 1 || got[0].Student.Name != "李一" || got[0].Temperature == nil || *got[0].Temperature != 38.2 ||
			len(got[0].Symptoms) != 1 || got[0].Status != "open" || got[0].InAt == "" || got[0].Reason != "fever" ||
			got[0].OpenedByID == nil || *got[0].OpenedByID != w.ta.ID {
			t.Fatalf("the nurse's open stays = %+v, want 李一's, at 38.2 °C", got)
		}
		id := got[0].ID
		if s := stays("a.teacher"); len(s) != 1 || s[0].ID != id {
			t.Errorf("the class teacher sees %+v", s)
		}
		if s := stays("a.other"); len(s) != 0 {
			t.Errorf("another class's teacher sees %+v", s)
		}
		if s := stays("b.principal"); len(s) != 0 {
			t.Errorf("another school's principal sees %+v", s)
		}

		update := func(login string, input map[string]any) *gqlResponse {
			return e.gql(w.tok[login], `mutation($id: ID!, $i: ObservationStayChangeInput!) { updateObservationStay(id: $id, input: $i) {
				id status outAt closedByID parentNotifiedAt readings { temperature note by } } }`, map[string]any{"id": id, "i": input})
		}
		if r := update("a.teacher", map[string]any{"note": "我来记"}); r.Code() != "FORBIDDEN" {
			t.Errorf("the class teacher ran the room: %+v", r.Errors)
		}
		for field, input := range map[string]map[string]any{"temperature": {"temperature": 48.2}, "input": {}} {
			if r := update("a.nurse", input); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != field {
				t.Errorf("%v: %+v, want BAD_USER_INPUT on %s", input, r.Errors, field)
			}
		}
		e.advance(20 * time.Minute)
		update("a.nurse", map[string]any{"temperature": 37.9, "note": "精神可 alert"}).ok(t)
		update("a.nurse", map[string]any{"parentNotified": true}).ok(t)
		e.advance(40 * time.Minute)
		var closed struct {
			Status           string
			OutAt            time.Time
			ParentNotifiedAt time.Time
			ClosedByID       int
			Readings         []struct {
				Temperature *float64
				Note, By    string
			}
		}
		update("a.nurse", map[string]any{"outcome": "collected_by_parent", "note": "妈妈接回"}).ok(t).decode(t, "updateObservationStay", &closed)
		if closed.Status != "closed" || !closed.OutAt.Equal(e.now) || closed.ClosedByID != nurse.ID ||
			len(closed.Readings) != 2 || closed.Readings[0].Temperature == nil || *closed.Readings[0].Temperature != 37.9 ||
			closed.Readings[0].By != "a.nurse" || closed.Readings[1].Note != "妈妈接回" {
			t.Fatalf("the ended stay = %+v", closed)
		}
		if told := e.now.Add(-40 * time.Minute); !closed.ParentNotifiedAt.Equal(told) { // when told, not when she left
			t.Errorf("parents told at %s, want %s", closed.ParentNotifiedAt, told)
		}
		if r := update("a.nurse", map[string]any{"note": "late"}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "id" {
			t.Errorf("an ended stay took a change: %+v", r.Errors)
		}
		report("noon", "")
		if s := stays("a.nurse"); len(s) != 1 || s[0].ID == id {
			t.Errorf("sent again at noon, the open stays are %+v, want a new one", s)
		}

		// The health teacher brings 王二 in from the gate herself: a fever read there. He cannot be brought in
		// twice, a reading out of range or an unknown symptom is refused on its field, and a teacher who cannot
		// see him (李一's) or another school cannot bring him in.
		admit := func(login string, input map[string]any) *gqlResponse {
			return e.gql(w.tok[login], `mutation($i: ObservationAdmissionInput!) { admitToObservation(input: $i) {
				id reason note temperature symptoms openedByID checkID date status } }`, map[string]any{"i": input})
		}
		gate := map[string]any{"studentID": w.s2, "reason": "fever", "temperature": 38.4, "symptoms": []string{"fever"}, "note": "校门测温 gate"}
		for field, bad := range map[string]map[string]any{"temperature": {"temperature": 48.4}, "symptoms": {"symptoms": []string{"boredom"}}} {
			input := maps.Clone(gate)
			maps.Copy(input, bad)
			if r := admit("a.nurse", input); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != field {
				t.Errorf("%v: %+v, want BAD_USER_INPUT on %s", bad, r.Errors, field)
			}
		}
		for _, login := range []string{"a.teacher", "b.principal"} {
			if r := admit(login, gate); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "studentID" {
				t.Errorf("%s brought in a pupil not hers: %+v", login, r.Errors)
			}
		}
		var wang struct {
			ID, Reason, Note, Date, Status string
			Temperature                    float64
			OpenedByID                     int
			CheckID                        *string
		}
		admit("a.nurse", gate).ok(t).decode(t, "admitToObservation", &wang)
		if wang.Reason != "fever" || wang.Note != "校门测温 gate" || wang.Temperature != 38.4 || wang.OpenedByID != nurse.ID ||
			wang.CheckID != nil || wang.Date != "2026-11-23" || wang.Status != "open" {
			t.Errorf("王二's stay = %+v", wang)
		}
		if r := admit("a.nurse", gate); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "studentID" ||
			!strings.Contains(r.Errors[0].Message, "since") {
			t.Errorf("王二 brought in twice: %+v", r.Errors)
		}
		// Handed over to his father: who took him is recorded (and only with how the stay ended).
		byID := func(input map[string]any) *gqlResponse {
			return e.gql(w.tok["a.nurse"], `mutation($id: ID!, $i: ObservationStayChangeInput!) { updateObservationStay(id: $id, input: $i) {
				status outcome handedOverTo } }`, map[string]any{"id": wang.ID, "i": input})
		}
		if r := byID(map[string]any{"handedOverTo": "王父"}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "handedOverTo" {
			t.Errorf("a handover without an outcome: %+v", r.Errors)
		}
		var out struct{ Status, Outcome, HandedOverTo string }
		byID(map[string]any{"outcome": "collected_by_parent", "handedOverTo": "王父"}).ok(t).decode(t, "updateObservationStay", &out)
		if out != (struct{ Status, Outcome, HandedOverTo string }{"closed", "collected_by_parent", "王父"}) {
			t.Errorf("王二's release = %+v", out)
		}
		// The boards count who is in the room now: 李一, back since noon; the district's counts its schools'.
		for login, scope := range map[string]map[string]any{"a.principal": {"tenantID": w.A.ID}, "a.teacher": {"classID": w.c1},
			"a.other": {"classID": w.c2}, "d1.admin": {"districtID": w.D1.ID}} {
			var b struct{ InObservation int }
			e.gql(w.tok[login], `query($s: BoardScopeInput!) { board(scope: $s, date: "2026-11-23") { inObservation } }`,
				map[string]any{"s": scope}).ok(t).decode(t, "board", &b)
			if want := map[bool]int{true: 0, false: 1}[login == "a.other"]; b.InObservation != want {
				t.Errorf("%s's board counts %d in the observation room, want %d", login, b.InObservation, want)
			}
		}
		// The day's report counts the two stays, one still open; the district's adds its schools' up.
		must(checks.CompileSchool(system(), e.client, w.A.ID, "2026-11-23", e.now))
		must(checks.CompileDistrict(system(), e.client, w.D1.ID, "2026-11-23", e.now))
		for login, kind := range map[string]string{"a.principal": "school", "d1.admin": "district"} {
			var rs struct {
				Edges []struct {
					Node struct {
						Figures struct {
							Observation struct{ Opened, StillIn, Referred int }
						}
					}
				}
			}
			e.gql(w.tok[login], `query($k: DailyReportKind!) { dailyReports(where: { kind: $k }) { edges { node { figures {
				observation { opened stillIn referred } } } } } }`, map[string]any{"k": kind}).ok(t).decode(t, "dailyReports", &rs)
			if len(rs.Edges) != 1 || rs.Edges[0].Node.Figures.Observation != (struct{ Opened, StillIn, Referred int }{3, 1, 0}) {
				t.Errorf("the %s report's observation room = %+v, want 3 opened, 1 still in", kind, rs.Edges)
			}
		}
	})
}

// TestFeverRecheck: a fever reading re-read with a mercury thermometer after 5 minutes (DOMAIN.md §4,
// re-check): the re-check decides. 甲 reads 37.8 °C at the door and 36.9 °C on the re-check: no abnormal
// temperature, no fever alert, both readings kept. Once the school's rules require the re-check, a fever
// reading without one is refused on its field, with nothing written; a re-check needs the first reading and
// the same range; 乙's confirmed 38.1 °C counts and opens the fever alert; resending changes nothing.
func TestFeverRecheck(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:00")
		w := e.newWorld()
		sys := system()
		cl, pupils := e.classOfThree(w)
		submit := func(session string, lines ...map[string]any) *gqlResponse {
			return e.gql(w.tok["a.teacher"], `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) {
				id version abnormalTemperature entries { temperature firstTemperature } } }`, map[string]any{"i": map[string]any{
				"classID": cl.ID, "date": "2026-11-23", "session": session, "present": 3, "entries": lines}})
		}
		type check struct {
			ID                           string
			Version, AbnormalTemperature int
			Entries                      []struct{ Temperature, FirstTemperature *float64 }
		}
		feverAlerts := func() int {
			return must(e.client.Alert.Query().Where(alert.ClassID(cl.ID), alert.RuleEQ(alert.RuleFever)).Count(sys))
		}
		var morning check
		submit("morning", map[string]any{"studentID": pupils[0], "kind": "symptomatic", "symptoms": []string{"cough"},
			"temperature": 37.8, "recheckTemperature": 36.9}).ok(t).decode(t, "submitClassCheck", &morning)
		if e := morning.Entries; morning.AbnormalTemperature != 0 || len(e) != 1 || e[0].Temperature == nil || *e[0].Temperature != 36.9 ||
			e[0].FirstTemperature == nil || *e[0].FirstTemperature != 37.8 {
			t.Errorf("甲 re-checked at 36.9 °C: %+v, want no abnormal temperature, 36.9 counted and 37.8 kept", morning)
		}
		if n := feverAlerts(); n != 0 {
			t.Errorf("a fever the re-check did not confirm opened %d alerts", n)
		}

		e.gql(w.tok["a.principal"], `mutation { createCheckSetting(input: { requireRecheck: true }) { id } }`, nil).ok(t)
		var rules struct{ RequireRecheck bool }
		e.gql(w.tok["a.teacher"], `{ checkRules { requireRecheck } }`, nil).ok(t).decode(t, "checkRules", &rules)
		if !rules.RequireRecheck {
			t.Fatal("the school's rules do not say requireRecheck")
		}
		fever := map[string]any{"studentID": pupils[1], "kind": "symptomatic", "symptoms": []string{"fever"}, "temperature": 38.1}
		bad := map[string]map[string]any{
			"entries[0].recheckTemperature":  {},                         // required now
			"entries[0].temperature":         {"temperature": 45.1},      // out of range, first
			"entries[0].recheckTemperature ": {"recheckTemperature": 44}, // out of range
		}
		for field, change := range bad {
			line := maps.Clone(fever)
			maps.Copy(line, change)
			if r := submit("noon", line); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != strings.TrimSpace(field) {
				t.Errorf("%v: %+v, want BAD_USER_INPUT on %s", change, r.Errors, field)
			}
		}
		if r := submit("noon", map[string]any{"studentID": pupils[1], "kind": "symptomatic", "symptoms": []string{"fever"}, "recheckTemperature": 38.0}); r.Code() != "BAD_USER_INPUT" ||
			r.Errors[0].Extensions["field"] != "entries[0].recheckTemperature" {
			t.Errorf("a re-check without a first reading: %+v", r.Errors)
		}
		if n := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(cl.ID), classcheck.SessionEQ(classcheck.SessionNoon)).Count(sys)); n != 0 {
			t.Fatalf("refused noon checks wrote %d rows", n)
		}
		// Below the threshold nothing needs re-reading.
		var noon, again check
		fever["recheckTemperature"] = 38.0
		submit("noon", fever, map[string]any{"studentID": pupils[2], "kind": "symptomatic", "symptoms": []string{"cough"}, "temperature": 36.8}).
			ok(t).decode(t, "submitClassCheck", &noon)
		submit("noon", fever, map[string]any{"studentID": pupils[2], "kind": "symptomatic", "symptoms": []string{"cough"}, "temperature": 36.8}).
			ok(t).decode(t, "submitClassCheck", &again)
		if noon.AbnormalTemperature != 1 || noon.Version != 1 || again.ID != noon.ID {
			t.Errorf("乙 confirmed at 38.0 °C: %+v, then resent: %+v", noon, again)
		}
		if n := feverAlerts(); n != 1 {
			t.Errorf("a confirmed fever opened %d temperature alerts, want 1", n)
		}
		// The persons sheet gives the reading that counts (体温) and the one it re-read (初测体温).
		code, body := e.download(w.tok["a.teacher"], "/exports/persons.csv?date=2026-11-23")
		if code != http.StatusOK || !strings.Contains(string(body), ",体温,初测体温,") || !strings.Contains(string(body), ",发热,38.0,38.1,") ||
			!strings.Contains(string(body), ",咳嗽,36.9,37.8,") || !strings.Contains(string(body), ",咳嗽,36.8,,") {
			t.Errorf("persons sheet %d:\n%s", code, body)
		}
	})
}
