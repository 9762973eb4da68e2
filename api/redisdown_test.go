package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/jobs"
)

// TestReportsWhileRedisIsDown: with Redis gone the API still takes a class's report (it is in the
// database; signing in by token needs no Redis), a late one included; when Redis is back the
// dispatcher's next minute finds the compiled daily report stale and queues its amendment — once.
func TestReportsWhileRedisIsDown(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	db := dbtest.SQLite(t)
	mr, rdb := dbtest.NewMiniRedis(t)
	e := newEnv(t, db, rdb)
	e.now = time.Date(2026, 11, 23, 16, 30, 0, 0, shanghai) // Monday, after the 16:00 cut-off
	w := e.newWorld()
	sys := system()
	cl := must(e.client.Class.Create().SetTenantID(w.A.ID).SetName("一年级(1)班").Save(sys))
	must(e.client.Assignment.Create().SetTenantID(w.A.ID).SetUserID(w.ta.ID).SetRole(authz.ClassTeacher).
		SetNodeType(authz.NodeClass).SetNodeID(cl.ID).SetValidFrom(e.now.Add(-24 * time.Hour)).Save(sys))
	if _, err := checks.CompileSchool(sys, e.client, w.A.ID, "2026-11-23", e.now); err != nil { // the 16:00 report
		t.Fatal(err)
	}

	mr.Close()
	r := e.gql(w.tok["a.teacher"], `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-23", session: noon) { id onTime } }`,
		map[string]any{"c": cl.ID})
	if len(r.Errors) > 0 {
		t.Fatalf("a report while Redis is down: %+v", r.Errors)
	}
	if n := must(e.client.ClassCheck.Query().Count(sys)); n != 1 {
		t.Fatalf("%d checks stored", n)
	}

	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	compiler := &jobs.Compiler{Client: e.client}
	var stale []string
	for range 2 { // two dispatcher minutes: the same amendment, by the same task ID
		due, err := compiler.Due(context.Background(), e.now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range due {
			if id := taskID(d); strings.HasPrefix(id, fmt.Sprintf("compile:%d:", w.A.ID)) {
				stale = append(stale, id)
			}
		}
	}
	if len(stale) != 2 || stale[0] != stale[1] || !strings.Contains(stale[0], ":2026-11-23:") {
		t.Errorf("recompile after Redis came back: %v (want the same task ID twice)", stale)
	}
}

// taskID is the task ID a finder chose.
func taskID(d jobs.Due) string {
	for _, o := range d.Opts {
		if o.Type() == asynq.TaskIDOpt {
			return o.Value().(string)
		}
	}
	return ""
}
