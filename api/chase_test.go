package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/jobs"
	"github.com/campushealth/campushealth/jobs/chase"
)

// TestChaseLogOverGraphQL: after the first chase step the class's chase log shows who was told and how
// the message went; another school sees no log.
func TestChaseLogOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 45, 0, 0, shanghai) // Monday, 15 minutes before the deadline
		w := e.newWorld()
		e.chasedClass(w)
		e.chase(t, w.A.ID)
		q := `{ chaseLogs { edges { node { step offsetMinutes recipients outcome deliveries { recipient channel status } } } } }`
		var got struct {
			Edges []struct {
				Node struct {
					Step, OffsetMinutes int
					Recipients          []string
					Outcome             string
					Deliveries          []struct{ Recipient, Channel, Status string }
				}
			}
		}
		e.gql(w.tok["a.teacher"], q, nil).ok(t).decode(t, "chaseLogs", &got)
		if len(got.Edges) != 1 {
			t.Fatalf("chase log: %+v", got)
		}
		n := got.Edges[0].Node
		if n.Step != 0 || n.OffsetMinutes != -15 || n.Outcome != "sent" || len(n.Recipients) != 1 || n.Recipients[0] != "a.teacher" ||
			len(n.Deliveries) == 0 || n.Deliveries[0].Channel != "in_app" || n.Deliveries[0].Status != "sent" {
			t.Errorf("log row: %+v", n)
		}
		e.gql(w.tok["b.principal"], q, nil).ok(t).decode(t, "chaseLogs", &got)
		if len(got.Edges) != 0 {
			t.Errorf("another school reads %d chase log rows", len(got.Edges))
		}
	})
}

// chasedClass is a class of school A with a.teacher as its class teacher, and nothing reported.
func (e *env) chasedClass(w *world) *ent.Class {
	cl := must(e.client.Class.Create().SetTenantID(w.A.ID).SetName("一年级(1)班").Save(system()))
	must(e.client.Assignment.Create().SetTenantID(w.A.ID).SetUserID(w.ta.ID).SetRole(authz.ClassTeacher).
		SetNodeType(authz.NodeClass).SetNodeID(cl.ID).SetValidFrom(e.now.Add(-24 * time.Hour)).Save(system()))
	return cl
}

// chase fires the chase steps due at e.now for one institution's classes, as the jobs would.
func (e *env) chase(t *testing.T, tenantID int) {
	t.Helper()
	due, err := chase.Due(context.Background(), e.client, e.now)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range due {
		if s.TenantID == tenantID {
			if err := chase.Fire(context.Background(), e.client, jobs.ChaseNotifier(e.client, e.notify), s, e.now); err != nil {
				t.Fatal(err)
			}
		}
	}
}
