package roster_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/jobs/roster"
)

// BenchmarkImport5000 imports 5,000 new students (with a guardian each) per iteration on SQLite.
func BenchmarkImport5000(b *testing.B) {
	db, err := database.Open(context.Background(), "", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f := setup(b, db.Client)
	ctx := f.asPrincipal()
	const n = 5000
	i := 0
	for b.Loop() {
		b.StopTimer()
		rows, err := roster.Parse("bench.csv", bigRoster(n, fmt.Sprintf("X%03d-", i)))
		if err != nil {
			b.Fatal(err)
		}
		i++
		b.StartTimer()
		res, err := roster.Import(ctx, f.c, f.school.ID, rows, roster.Options{})
		if err != nil || res.Created != n {
			b.Fatalf("import: %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(n*i)/b.Elapsed().Seconds(), "rows/s")
}
