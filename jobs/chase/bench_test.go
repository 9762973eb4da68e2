package chase_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/chase"
)

// TestBenchTable (BENCH=1, make bench): a chase sweep over 100,000 classes (3,334 schools × 30) at a
// deadline when nobody has reported — evaluate (Due) and enqueue one task per school and step, on
// PostgreSQL and Redis — against a baseline in the same run: one hand-written SQL count of the classes
// without a report, and enqueueing the same number of tasks.
func TestBenchTable(t *testing.T) {
	if os.Getenv("BENCH") == "" {
		t.Skip("set BENCH=1 (make bench)")
	}
	db := dbtest.Postgres(t)
	rdb := dbtest.Redis(t)
	c := db.Client
	ctx := viewer.NewContext(context.Background(), viewer.System("bench"))
	const schools, perSchool = 3334, 30
	d := c.Tenant.Create().SetName("基准区").SetKind(tenant.KindDistrict).SaveX(ctx)
	var ts []*ent.Tenant
	for i := 0; i < schools; i += 500 {
		var b []*ent.TenantCreate
		for j := i; j < min(i+500, schools); j++ {
			b = append(b, c.Tenant.Create().SetName(fmt.Sprintf("学校%04d", j)).SetKind(tenant.KindPrimarySchool).SetParentID(d.ID))
		}
		ts = append(ts, c.Tenant.CreateBulk(b...).SaveX(ctx)...)
	}
	// The classes straight in SQL: the fixture is not what is measured, and creating 100,000 through ent
	// would rebuild each school's role tree once per class.
	_, err := db.SQL.ExecContext(context.Background(), `INSERT INTO classes (tenant_id, name, sort_order)
		SELECT t.id, '班' || n, n FROM tenants t CROSS JOIN generate_series(1, $1) n WHERE t.parent_id = $2`, perSchool, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, shanghai) // Monday, the morning deadline: step 1 everywhere
	q := asynq.NewClientFromRedisClient(rdb)
	insp := asynq.NewInspectorFromRedisClient(rdb)
	queue := fmt.Sprintf("bench-%d", time.Now().UnixNano())

	start := time.Now()
	due, err := chase.Due(context.Background(), c, now)
	if err != nil {
		t.Fatal(err)
	}
	evaluated := time.Since(start)
	for i := range due {
		task, opts := due[i].Task()
		if _, err := q.Enqueue(task, append(opts, asynq.Queue(queue))...); err != nil {
			t.Fatal(err)
		}
	}
	sweep := time.Since(start)
	if len(due) != schools {
		t.Fatalf("%d steps due, want one per school (%d)", len(due), schools)
	}

	// Baseline: the pending classes by one hand-written query, and the same number of plain enqueues.
	start = time.Now()
	var pending int
	err = db.SQL.QueryRowContext(context.Background(), `SELECT count(*) FROM classes c JOIN tenants t ON t.id = c.tenant_id
		WHERE t.parent_id = $1 AND NOT EXISTS (SELECT 1 FROM class_checks k WHERE k.class_id = c.id AND k.date = '2026-11-23'
		AND k.session = 'morning')`, d.ID).Scan(&pending)
	if err != nil || pending != schools*perSchool {
		t.Fatalf("baseline: %d pending, %v", pending, err)
	}
	for i := range due {
		if _, err := q.Enqueue(asynq.NewTask("bench:noop", []byte(fmt.Sprint(i))), asynq.Queue(queue), asynq.TaskID(fmt.Sprint("b", i))); err != nil {
			t.Fatal(err)
		}
	}
	baseline := time.Since(start)
	_ = insp.DeleteQueue(queue, true)

	fmt.Printf("\nChase sweep: %d classes in %d schools at a deadline, nobody reported (PostgreSQL + Redis)\n", schools*perSchool, schools)
	fmt.Printf("%-52s %10s %8s %s\n", "", "time", "ratio", "goal")
	fmt.Printf("%-52s %10s %8s\n", "baseline: SQL count of pending + plain enqueues", baseline.Round(time.Millisecond), "1.00×")
	fmt.Printf("%-52s %10s %7.2f× %s\n", "chase.Due (evaluate: calendars, rules, classes)", evaluated.Round(time.Millisecond),
		float64(evaluated)/float64(baseline), "")
	fmt.Printf("%-52s %10s %7.2f× %s\n", "sweep: evaluate + enqueue "+fmt.Sprint(len(due))+" step tasks", sweep.Round(time.Millisecond),
		float64(sweep)/float64(baseline), "< 10 s")
}
