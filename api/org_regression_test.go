package api_test

import (
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/enrollment"
)

// Regression tests for authorization and data-layer bugs found while building the organisation API (fixed
// in ent/rule and ent/schema): each asserts the behaviour a school relies on.
const delegateMutation = `mutation($i: DelegateAssignmentInput!) { delegateAssignment(input: $i) { id } }`

// A teacher whose class was taken from her must not get it back by "delegating" her ended assignment to
// herself (or to anyone). rule.AllowSelfDelegation allows any delegation of an assignment the viewer holds or
// once held: it checks neither that the original is valid over the delegated period, nor that the substitute
// is someone else.
func TestRegressionDelegatingAnEndedAssignment(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		id := e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		e.advance(time.Minute)
		e.gql(w.tokP, `mutation($id: ID!) { revokeAssignment(id: $id) { id } }`, map[string]any{"id": id}).ok(t)

		r := e.gql(w.tokTA, delegateMutation, map[string]any{"i": map[string]any{
			"assignmentID": id, "substituteUserID": w.ta.ID, "validTo": gqlTime(e.clock().AddDate(1, 0, 0))}})
		if r.Code() != "FORBIDDEN" {
			t.Errorf("revoked teacher re-delegated her class to herself: %q %s", r.Code(), r.Data)
		}
		if got, _ := e.studentsSeen(t, w.tokTA); len(got) != 0 {
			t.Errorf("revoked teacher reads her former class again: %v", got)
		}
	})
}

// Delegating must leave the teacher's own assignment as it was, and she must be able to hand her class to a
// substitute again next time. Assignment.delegated_from is declared edge.To(...).Unique() on its own type,
// which ent makes a bidirectional O2O edge with a unique index: creating the substitute's row also writes
// the substitute's ID into the original's (immutable) delegated_from_id, without an audit entry, and a second
// delegation of the same assignment fails with CONFLICT.
func TestRegressionDelegationIsOneToOne(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		id := e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		period := func() map[string]any {
			return map[string]any{"i": map[string]any{"assignmentID": id, "substituteUserID": w.sub.ID,
				"validTo": gqlTime(e.clock().Add(time.Hour))}}
		}
		e.gql(w.tokTA, delegateMutation, period()).ok(t)
		if orig := must(e.client.Assignment.Get(system(), id)); orig.DelegatedFromID != nil {
			t.Errorf("the teacher's own assignment now says it stands in for %d", *orig.DelegatedFromID)
		}
		// Had it changed, the audit log would have to say so: it has only the original's create.
		if n := must(e.client.AuditLog.Query().Where(auditlog.EntityType("Assignment"), auditlog.EntityID(id),
			auditlog.OperationEQ(auditlog.OperationUpdate)).Count(system())); n != 0 {
			t.Logf("audit updates of the original: %d", n)
		}
		e.advance(2 * time.Hour)
		if r := e.gql(w.tokTA, delegateMutation, period()); r.Code() != "" {
			t.Errorf("second substitution of the same class: %q", r.Code())
		}
	})
}

// Only someone allowed to change a student's class may take the student out of a class or put one into it,
// and every such change is in the enrollment history. UpdateClassInput (and CreateClassInput) expose the
// Class.students edge: a grade leader, who may update classes of her grade but not place students outside
// them, moves students through the class instead, past the Student policy and rule.KeepEnrollmentHistory.
func TestRegressionStudentsMovedThroughTheClass(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.gl.ID, authz.GradeLeader, authz.NodeGrade, w.g1)
		// The direct way is refused: a student without a class sits at the school node.
		if r := e.gql(w.tokGL, `mutation($id: ID!) { updateStudent(id: $id, input: {clearClass: true}) { id } }`,
			map[string]any{"id": w.s2}); r.Code() != "FORBIDDEN" {
			t.Fatalf("updateStudent clearClass: %q", r.Code())
		}
		// The way round must be refused too.
		r := e.gql(w.tokGL, `mutation($id: ID!, $s: ID!) { updateClass(id: $id, input: {removeStudentIDs: [$s]}) { id } }`,
			map[string]any{"id": w.c2, "s": w.s2})
		if r.Code() == "" {
			t.Errorf("grade leader took a student out of class 2 through updateClass")
		}
		s := must(e.client.Student.Get(system(), w.s2))
		open := must(e.client.Enrollment.Query().Where(enrollment.StudentID(w.s2), enrollment.EndOnIsNil()).All(system()))
		if s.ClassID == nil && len(open) > 0 {
			t.Errorf("student has no class but an open enrollment in class %d", open[0].ClassID)
		}
	})
}

// Nobody changes an assignment of a role above their own. rule.DenyRoleEscalation looks only at a role being
// set, so a leading-group member ends the principal's or another leading-group member's assignment.
func TestRegressionRevokingAHigherRole(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		id := e.assign(t, w.tokP, w.pa.ID, authz.Principal, authz.NodeSchool, w.A.ID)
		e.advance(time.Minute)
		if r := e.gql(w.tokLG, `mutation($id: ID!) { revokeAssignment(id: $id) { id } }`, map[string]any{"id": id}); r.Code() != "FORBIDDEN" {
			t.Errorf("leading group ended a principal assignment: %q %s", r.Code(), r.Data)
		}
	})
}
