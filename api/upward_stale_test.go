package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/jobs"
)

// TestStaffIllnessReportedUpwardWhileRedisIsDown: the principal reports a staff member's illness upward
// after the school's daily report is compiled, while Redis is down, so the recompile her decision asks for
// is lost. When Redis is back the dispatcher finds the report stale and its task writes the amended version,
// which holds the illness; then nothing is due. An illness reported before the compile is in version 1 and
// makes nothing due. (Both databases, each with an embedded Redis that can be stopped.)
func TestStaffIllnessReportedUpwardWhileRedisIsDown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		mr, rdb := dbtest.NewMiniRedis(t)
		e := newEnv(t, db, rdb)
		e.now = mondayAt("15:00")
		w := e.newWorld()
		sys := system()
		ill := func(name string) *ent.Alert {
			s := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName(name).SetStaffType(staff.StaffTypeTeacher).Save(sys))
			return must(e.client.Alert.Create().SetTenantID(w.A.ID).SetRule(alert.RuleStaffIllness).SetUpward(alert.UpwardPending).
				SetOpenedAt(mondayAt("07:40")).SetCases(1).SetStaffIds([]int{s.ID}).SetDate("2026-11-23").Save(sys))
		}
		early, late := ill("赵老师"), ill("钱老师")
		report := func(a *ent.Alert) {
			t.Helper()
			e.gql(w.tok["a.principal"], `mutation($id: ID!) { decideStaffIllness(id: $id, reportUpward: true) { id upward } }`,
				map[string]any{"id": a.ID}).ok(t)
		}
		compiler := &jobs.Compiler{Client: e.client, Queue: asynq.NewClientFromRedisClient(rdb), Now: e.clock}
		// dispatch is the dispatcher's minute for school A: the tasks it finds, each run at once.
		dispatch := func() []string {
			t.Helper()
			due, err := compiler.Due(context.Background(), e.clock())
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, d := range due {
				if id := taskID(d); strings.HasPrefix(id, fmt.Sprintf("compile:%d:", w.A.ID)) {
					ids = append(ids, id)
					if err := compiler.ProcessTask(context.Background(), d.Task); err != nil {
						t.Fatal(err)
					}
				}
			}
			return ids
		}
		current := func() *ent.DailyReport {
			return must(e.client.DailyReport.Query().Where(dailyreport.TenantID(w.A.ID), dailyreport.Current(true)).Only(sys))
		}
		holds := func(r *ent.DailyReport, a *ent.Alert) bool {
			return slices.ContainsFunc(r.Lineage, func(l types.LineageItem) bool { return l.Kind == types.LineageStaffIllness && l.ID == a.ID })
		}

		report(early) // before the cut-off: nothing compiled yet
		e.now = mondayAt("16:01")
		if ids := dispatch(); !slices.Equal(ids, []string{fmt.Sprintf("compile:%d:2026-11-23", w.A.ID)}) {
			t.Fatalf("at the cut-off: %v", ids)
		}
		v1 := current()
		if v1.Version != 1 || !holds(v1, early) || holds(v1, late) {
			t.Fatalf("v1: version %d, lineage %+v", v1.Version, v1.Lineage)
		}
		e.now = mondayAt("16:02")
		if ids := dispatch(); len(ids) != 0 {
			t.Errorf("an illness reported before the compile makes the report due: %v", ids)
		}

		mr.Close()
		e.now = mondayAt("16:30")
		report(late) // taken: the recompile's enqueue fails and is logged
		if got := must(e.client.Alert.Get(sys, late.ID)); got.Upward == nil || *got.Upward != alert.UpwardReported {
			t.Fatalf("the report upward while Redis is down: %+v", got)
		}
		if err := mr.Restart(); err != nil {
			t.Fatal(err)
		}

		e.now = mondayAt("16:31")
		want := fmt.Sprintf("compile:%d:2026-11-23:n%d", w.A.ID, v1.SourceRows+1)
		if ids := dispatch(); !slices.Equal(ids, []string{want}) {
			t.Fatalf("the dispatcher after Redis came back: %v, want %s", ids, want)
		}
		v2 := current()
		if v2.Version != 2 || !v2.Amended || !holds(v2, late) || !holds(v2, early) || !strings.Contains(v2.AmendReason, "reported upward") {
			t.Errorf("v2: version %d, amended %v (%q), lineage %+v", v2.Version, v2.Amended, v2.AmendReason, v2.Lineage)
		}
		e.now = mondayAt("16:32")
		if ids := dispatch(); len(ids) != 0 {
			t.Errorf("still due after the amendment: %v", ids)
		}
	})
}
