package api_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/database/dbtest"
)

// TestBenchTable (BENCH=1, make bench): class check submissions through GraphQL over HTTP — session auth,
// privacy, Casbin, validation, versioning, audit — against raw inserts of the same rows into PostgreSQL
// in the same run.
func TestBenchTable(t *testing.T) {
	if os.Getenv("BENCH") == "" {
		t.Skip("set BENCH=1 (make bench)")
	}
	db := dbtest.Postgres(t)
	e := newEnv(t, db, dbtest.Redis(t))
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai)
	w := e.newWorld()
	sys := system()
	const classes, workers = 600, 8
	builders := make([]*ent.ClassCreate, classes)
	for i := range builders {
		builders[i] = e.client.Class.Create().SetTenantID(w.A.ID).SetName(fmt.Sprintf("C%03d", i))
	}
	cls := must(e.client.Class.CreateBulk(builders...).Save(sys))
	token := w.tok["a.principal"]

	run := func(n int, one func(i int) error) (perSec float64, lat []time.Duration) {
		var mu sync.Mutex
		next := make(chan int)
		var wg sync.WaitGroup
		start := time.Now()
		for range workers {
			wg.Go(func() {
				for i := range next {
					t0 := time.Now()
					if err := one(i); err != nil {
						t.Error(err)
					}
					mu.Lock()
					lat = append(lat, time.Since(t0))
					mu.Unlock()
				}
			})
		}
		for i := range n {
			next <- i
		}
		close(next)
		wg.Wait()
		slices.Sort(lat)
		return float64(n) / time.Since(start).Seconds(), lat
	}
	// Raw: the same row, one INSERT per report, straight to PostgreSQL.
	raw, rawLat := run(classes, func(i int) error {
		_, err := db.SQL.ExecContext(context.Background(), `INSERT INTO class_checks
			(tenant_id, class_id, date, session, version, current, zero_report, enrolled, present, absent_illness,
			 absent_other, symptomatic, abnormal_temperature, submitted_by, submitted_at, on_time, amendment, content_hash)
			VALUES ($1, $2, '2026-11-20', 'morning', 1, true, true, 0, 0, 0, 0, 0, 0, 'bench', now(), true, false, 'x')`,
			w.A.ID, cls[i].ID)
		return err
	})
	api, apiLat := run(classes, func(i int) error {
		r := e.gql(token, `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-23", session: morning) { id } }`,
			map[string]any{"c": cls[i].ID})
		if len(r.Errors) > 0 {
			return fmt.Errorf("%+v", r.Errors)
		}
		return nil
	})
	pct := func(l []time.Duration, p float64) time.Duration { return l[int(float64(len(l)-1)*p)] }
	var b strings.Builder
	fmt.Fprintf(&b, "\nclass check submissions on PostgreSQL, %d reports, %d concurrent clients\n", classes, workers)
	fmt.Fprintf(&b, "%-44s %10s %10s %10s %10s\n", "path", "per sec", "× raw", "p50", "p99")
	fmt.Fprintf(&b, "%-44s %10.0f %10.2f %10s %10s\n", "raw INSERT (baseline)", raw, 1.0, pct(rawLat, .5).Round(time.Microsecond), pct(rawLat, .99).Round(time.Microsecond))
	fmt.Fprintf(&b, "%-44s %10.0f %10.2f %10s %10s\n", "GraphQL over HTTP, auth + permissions", api, api/raw, pct(apiLat, .5).Round(time.Microsecond), pct(apiLat, .99).Round(time.Microsecond))
	fmt.Fprintf(&b, "goals: ≥ 0.4 × raw and ≥ 1,500/s on 2 cores\n")
	t.Log(b.String())
}
