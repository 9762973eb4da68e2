package api_test

import (
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent/authz"
)

// TestObservationStayEndedNamesSchoolTime: the health teacher brings 王二 in from the gate at 23:00 (a
// boarder, Shanghai time) and his father takes him home at 23:30; a reading sent afterwards is refused
// naming when the stay ended as the school reads it, 23:30 — not 15:30, the same instant in UTC, as SQLite
// hands it back (PostgreSQL: in its server's zone).
func TestObservationStayEndedNamesSchoolTime(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("23:00")
		w := e.newOrgWorld()
		e.staffUser(w.world, "a.nurse", authz.HealthTeacher)
		var stay struct{ ID string }
		e.gql(w.tok["a.nurse"], `mutation($i: ObservationAdmissionInput!) { admitToObservation(input: $i) { id } }`,
			map[string]any{"i": map[string]any{"studentID": w.s2, "reason": "fever", "temperature": 38.4}}).ok(t).
			decode(t, "admitToObservation", &stay)
		update := func(input map[string]any) *gqlResponse {
			return e.gql(w.tok["a.nurse"], `mutation($id: ID!, $i: ObservationStayChangeInput!) { updateObservationStay(id: $id, input: $i) { status } }`,
				map[string]any{"id": stay.ID, "i": input})
		}
		e.now = mondayAt("23:30")
		update(map[string]any{"outcome": "collected_by_parent", "handedOverTo": "王父"}).ok(t)
		e.now = mondayAt("23:45")
		r := update(map[string]any{"note": "体温复测 37.0"})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "id" {
			t.Fatalf("a reading after the stay ended: %+v", r.Errors)
		}
		if msg := r.Errors[0].Message; !strings.Contains(msg, "ended at 2026-11-23 23:30") || strings.Contains(msg, "15:30") {
			t.Errorf("the refusal says %q, want the stay ended at 2026-11-23 23:30 (the school's time)", msg)
		}
	})
}
