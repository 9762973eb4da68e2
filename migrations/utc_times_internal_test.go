package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "modernc.org/sqlite"
)

// utcTimes is the hand-written migration that rewrites the times SQLite databases stored in their writers'
// offsets in UTC, and lastBeforeUTC the version it follows.
const (
	utcTimes      = "sqlite/20261207030000_sqlite_utc_times.up.sql"
	lastBeforeUTC = "20261207024100"
)

// TestSQLiteUTCTimes: a database written before times were bound in UTC has, after migrating, every time of
// every table in UTC, the same instant to the nanosecond: in Shanghai, New York, India or UTC time, with a
// fraction of a second or none. The migration names every time column the schema had then.
func TestSQLiteUTCTimes(t *testing.T) {
	saved := files
	t.Cleanup(func() { files = saved })
	before := fstest.MapFS{}
	if err := fs.WalkDir(embedded, "sqlite", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) > lastBeforeUTC+"_~" {
			return err
		}
		b, err := fs.ReadFile(embedded, path)
		before[path] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok := before[utcTimes]; ok {
		t.Fatal("the filter kept the migration under test")
	}
	files = before
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db")+"?_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if err := Apply(ctx, db, SQLite); err != nil {
		t.Fatalf("Apply up to %s: %v", lastBeforeUTC, err)
	}

	// One row in every table, every column that must have a value filled: ID 1 everywhere, so every foreign
	// key (an integer column, 1) finds its row; times written the way the driver wrote them in their offsets.
	type column struct{ table, name string }
	var times []column
	written := map[column]time.Time{}
	zones := []*time.Location{mustZone(t, "Asia/Shanghai"), mustZone(t, "America/New_York"), time.UTC, mustZone(t, "Asia/Kolkata")}
	fractions := []int{0, 500000000, 123456789, 100}
	base := time.Date(2026, 11, 23, 0, 30, 0, 0, zones[0]) // 16:30 the day before in UTC
	// Tables are filled in name order, children before their parents.
	if _, err := db.Exec("PRAGMA foreign_keys = OFF"); err != nil {
		t.Fatal(err)
	}
	tables := queryStrings(t, db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('schema_migrations', 'sqlite_sequence') ORDER BY name")
	for _, table := range tables {
		rows, err := db.Query(`SELECT name, lower(type), "notnull", dflt_value IS NOT NULL, pk FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		var names, values []string
		for rows.Next() {
			var (
				name, typ        string
				notNull, hasDflt bool
				pk               int
			)
			if err := rows.Scan(&name, &typ, &notNull, &hasDflt, &pk); err != nil {
				t.Fatal(err)
			}
			var v string
			switch {
			case typ == "datetime":
				n := len(times)
				at := base.Add(time.Duration(n)*97*time.Minute + time.Duration(fractions[n%len(fractions)])).In(zones[n%len(zones)])
				times = append(times, column{table, name})
				written[column{table, name}] = at
				v = "'" + at.Format(writeLayout) + "'"
			case pk > 0 || (notNull && strings.Contains(typ, "int")):
				v = "1"
			case notNull && !hasDflt && (strings.Contains(typ, "real") || strings.Contains(typ, "double")):
				v = "1.5"
			case notNull && !hasDflt:
				v = "'{}'"
			default:
				continue
			}
			names, values = append(names, `"`+name+`"`), append(values, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(fmt.Sprintf(`INSERT INTO %q (%s) VALUES (%s)`, table, strings.Join(names, ", "), strings.Join(values, ", "))); err != nil {
			t.Fatalf("insert into %s: %v", table, err)
		}
	}
	if len(times) < 60 {
		t.Fatalf("found %d time columns, want the schema's 68 or so: %v", len(times), times)
	}

	// The migration updates exactly those columns.
	src, err := fs.ReadFile(embedded, utcTimes)
	if err != nil {
		t.Fatal(err)
	}
	var updated []column
	for _, m := range regexp.MustCompile("UPDATE `([a-z_]+)` SET `([a-z_]+)`").FindAllStringSubmatch(string(src), -1) {
		updated = append(updated, column{m[1], m[2]})
	}
	for _, c := range times {
		if !slices.Contains(updated, c) {
			t.Errorf("%s does not rewrite %s.%s", utcTimes, c.table, c.name)
		}
	}
	for _, c := range updated {
		if !slices.Contains(times, c) {
			t.Errorf("%s rewrites %s.%s, which is no time column", utcTimes, c.table, c.name)
		}
	}

	if _, err := db.Exec("PRAGMA foreign_keys = ON"); err != nil {
		t.Fatal(err)
	}
	files = saved
	if err := Apply(ctx, db, SQLite); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	for _, c := range times {
		var got string
		if err := db.QueryRow(fmt.Sprintf(`SELECT CAST(%q AS TEXT) FROM %q`, c.name, c.table)).Scan(&got); err != nil {
			t.Fatalf("%s.%s: %v", c.table, c.name, err)
		}
		w := written[c]
		if want := w.UTC().Format(writeLayout); got != want {
			t.Errorf("%s.%s: written %q, after migrating %q, want %q", c.table, c.name, w.Format(writeLayout), got, want)
		}
		if back, err := time.Parse(writeLayout, got); err != nil || !back.Equal(w) {
			t.Errorf("%s.%s: %q reads %v (%v), want %v", c.table, c.name, got, back, err, w)
		}
	}
}

// writeLayout is the driver's _time_format=sqlite.
const writeLayout = "2006-01-02 15:04:05.999999999-07:00"

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func queryStrings(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
