package database_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/tenant"
)

// Times come back as the instants they were written, to the nanosecond, whatever zone they were written in
// (the zero time included); on SQLite they are stored in UTC, so a range predicate with a bound in another
// zone finds the rows by instant: 00:30 on Monday in Shanghai (16:30 on Sunday UTC) is on or after Monday's
// midnight there (16:00 UTC), 23:30 on Sunday is not, whichever zone the bound is given in.
func TestTimesRoundTrip(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	mondayAfterMidnight := time.Date(2026, 11, 23, 0, 30, 0, 123456789, shanghai)
	sundayNight := time.Date(2026, 11, 22, 23, 30, 0, 0, shanghai)
	values := []time.Time{
		mondayAfterMidnight,
		sundayNight.UTC(),
		time.Date(2026, 11, 22, 10, 0, 0, 500000000, newYork),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		{}, // the zero time
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ids := make([]int, len(values))
		for i, v := range values {
			ids[i] = db.Client.Tenant.Create().SetName(fmt.Sprint("T", i)).SetKind(tenant.KindDistrict).SetDeactivatedAt(v).
				SaveX(allow()).ID
		}
		for i, v := range values {
			want := v
			if db.Dialect == dialect.Postgres {
				want = v.Truncate(time.Microsecond) // timestamptz keeps microseconds; pgx sends no more
			}
			got := db.Client.Tenant.GetX(allow(), ids[i]).DeactivatedAt
			if got == nil || !got.Equal(want) || got.Nanosecond() != want.Nanosecond() || got.IsZero() != v.IsZero() {
				t.Errorf("stored %v, read back %v", v, got)
			}
			if db.Dialect != dialect.SQLite {
				continue
			}
			var raw string // the stored text: a CAST has no declared type, so the driver does not parse it
			if err := db.SQL.QueryRow("SELECT CAST(deactivated_at AS TEXT) FROM tenants WHERE id = ?", ids[i]).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			if want := v.UTC().Format("2006-01-02 15:04:05.999999999-07:00"); raw != want || !strings.HasSuffix(raw, "+00:00") {
				t.Errorf("stored %v as %q, want %q", v, raw, want)
			}
		}
		midnight := time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai)
		for _, bound := range []time.Time{midnight, midnight.UTC(), midnight.In(newYork)} {
			got := db.Client.Tenant.Query().Where(tenant.IDIn(ids[:2]...), tenant.DeactivatedAtGTE(bound)).IDsX(allow())
			if len(got) != 1 || got[0] != ids[0] {
				t.Errorf("deactivated at or after %v: %v, want [%d] (00:30 in Shanghai, not 23:30 the day before)", bound, got, ids[0])
			}
			got = db.Client.Tenant.Query().Where(tenant.IDIn(ids[:2]...), tenant.DeactivatedAtLT(bound)).IDsX(allow())
			if len(got) != 1 || got[0] != ids[1] {
				t.Errorf("deactivated before %v: %v, want [%d] (23:30 in Shanghai the day before)", bound, got, ids[1])
			}
		}
	})
}

// The time settings the comparisons depend on cannot be changed through the URL.
func TestSQLiteTimeSettingsFixed(t *testing.T) {
	dir := t.TempDir()
	for i, q := range []string{"_timezone=Asia%2FShanghai", "_time_format=datetime", "_timezone=UTC&_timezone=Local"} {
		db, err := database.Open(context.Background(), "sqlite:"+filepath.Join(dir, fmt.Sprint(i, ".db"))+"?"+q, "")
		if err == nil {
			db.Close()
			t.Errorf("Open with %s succeeded", q)
		} else if !strings.Contains(err.Error(), "the application needs") {
			t.Errorf("Open with %s: %v", q, err)
		}
	}
	db, err := database.Open(context.Background(), "sqlite:"+filepath.Join(dir, "ok.db")+"?_timezone=UTC&_time_format=sqlite", "")
	if err != nil {
		t.Fatalf("Open with the settings' own values: %v", err)
	}
	db.Close()
}
