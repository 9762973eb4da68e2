package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
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

// TestChaseLogsReadTheirDeliveriesTogether: a school's chase log for a morning with many classes chased (a
// large school's runs to hundreds) reads how the messages went in a batch, not two queries per step; each
// step still shows its own teacher's message. gqlgen resolves the rows' fields concurrently and the loader
// waits a millisecond for them, so a goroutine held up by a busy machine may start a second batch: the test
// allows three reads of each table for the eight steps.
func TestChaseLogsReadTheirDeliveriesTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		rec, r := recorded(db)
		e := newEnv(t, rec, dbtest.MiniRedis(t))
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 45, 0, 0, shanghai) // Monday, 15 minutes before the deadline
		w := e.newWorld()
		const classes = 8
		for i := range classes {
			teacher := must(e.client.User.Create().SetTenantID(w.A.ID).SetLogin(fmt.Sprintf("t%d", i)).SetDisplayName(fmt.Sprintf("老师%d", i)).
				SetRole(authz.ClassTeacher).SetPasswordHash("x").Save(system()))
			cl := must(e.client.Class.Create().SetTenantID(w.A.ID).SetName(fmt.Sprintf("%d班", i)).Save(system()))
			must(e.client.Assignment.Create().SetTenantID(w.A.ID).SetUserID(teacher.ID).SetRole(authz.ClassTeacher).
				SetNodeType(authz.NodeClass).SetNodeID(cl.ID).SetValidFrom(e.now.Add(-24 * time.Hour)).Save(system()))
		}
		e.chase(t, w.A.ID)
		var got struct {
			Edges []struct {
				Node struct {
					Recipients []string
					Deliveries []struct{ Recipient, Channel, Status string }
				}
			}
		}
		r.on.Store(true)
		e.gql(w.tok["a.principal"], `{ chaseLogs(first: 20) { edges { node { recipients deliveries { recipient channel status } } } } }`, nil).
			ok(t).decode(t, "chaseLogs", &got)
		r.on.Store(false)
		if len(got.Edges) != classes {
			t.Fatalf("%d chase steps, want %d", len(got.Edges), classes)
		}
		told := map[string]bool{}
		for _, l := range got.Edges {
			n := l.Node
			if len(n.Recipients) != 1 || len(n.Deliveries) == 0 || n.Deliveries[0].Channel != "in_app" || n.Deliveries[0].Status != "sent" ||
				n.Deliveries[0].Recipient != n.Recipients[0] {
				t.Errorf("a step to %v shows deliveries %+v", n.Recipients, n.Deliveries)
			}
			told[n.Deliveries[0].Recipient] = true
		}
		if len(told) != classes {
			t.Errorf("the deliveries name %d teachers, want each step's own: %v", len(told), told)
		}
		var notes, deliveries int
		for _, s := range r.take() {
			notes += strings.Count(s, `FROM "notifications"`) + strings.Count(s, "FROM `notifications`")
			deliveries += strings.Count(s, `FROM "deliveries"`) + strings.Count(s, "FROM `deliveries`")
		}
		if notes == 0 || notes > 3 || deliveries == 0 || deliveries > 3 {
			t.Errorf("%d chase steps read their messages in %d queries and deliveries in %d; want 1 each (at most 3)", classes, notes, deliveries)
		}
	})
}
