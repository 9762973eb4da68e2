package roster_test

import (
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/jobs/roster"
)

// TestImportClosedClassNamesLocalDay: a row naming a closed class is refused naming the day it closed as the
// school (Asia/Shanghai) says it — the class closed at midnight of 1 September, which the database hands back
// as 16:00 on 31 August (SQLite: UTC; PostgreSQL: its server's zone).
func TestImportClosedClassNamesLocalDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		shanghai, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			t.Fatal(err)
		}
		f.c.Class.UpdateOne(f.closed).SetClosedOn(time.Date(2026, 9, 1, 0, 0, 0, 0, shanghai)).ExecX(bypass())
		res := f.importFile(t, f.asPrincipal(), csvFile(
			"姓名,学籍号,性别,出生日期,班级,监护人,关系,监护人电话",
			"钱七,S006,男,2010-01-01,高一(9)班,钱父,父亲,13800000006",
		))
		if len(res.Errors) != 1 || res.Errors[0].Field != "class" ||
			!strings.Contains(res.Errors[0].Reason, "was closed on 2026-09-01") {
			t.Errorf("a row in the class closed on 2026-09-01:\n%s", errorList(res.Errors))
		}
	})
}

// TestImportClosedClassByImportClock: whether a class is closed, and whether a birth date is in the future, is
// judged by the import's clock (Options.Now), not the wall clock. Two days ahead, a class closing tomorrow (by
// the wall clock) is closed, and a birth date the day after tomorrow is not in the future; two months back,
// 高一(9)班, closed a month ago, is still open.
func TestImportClosedClassByImportClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		shanghai, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			t.Fatal(err)
		}
		wall := time.Now().In(shanghai)
		tomorrow := time.Date(wall.Year(), wall.Month(), wall.Day()+1, 0, 0, 0, 0, shanghai)
		f.c.Class.UpdateOne(f.c32).SetClosedOn(tomorrow).ExecX(bypass())
		importAt := func(now time.Time, lines ...string) *roster.Result {
			t.Helper()
			rows, err := roster.Parse("roster.csv", csvFile(append([]string{"姓名,学籍号,性别,出生日期,班级"}, lines...)...))
			if err != nil {
				t.Fatal(err)
			}
			res, err := roster.Import(f.asPrincipal(), f.c, f.school.ID, rows, roster.Options{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}

		later := wall.AddDate(0, 0, 2)
		res := importAt(later,
			"钱七,S006,男,2010-01-01,高三(2)班",
			"孙八,S007,女,"+later.Format(time.DateOnly)+",高三(1)班")
		if len(res.Errors) != 1 || res.Errors[0].Line != 2 || res.Errors[0].Field != "class" ||
			!strings.Contains(res.Errors[0].Reason, "was closed on "+tomorrow.Format(time.DateOnly)) {
			t.Errorf("two days ahead, want only the class closed tomorrow refused:\n%s", errorList(res.Errors))
		}

		res = importAt(wall.AddDate(0, -2, 0), "钱七,S006,男,2010-01-01,高一(9)班")
		if len(res.Errors) != 0 || res.Created != 1 {
			t.Errorf("two months back, 高一(9)班 is open: %+v\n%s", res, errorList(res.Errors))
		}
	})
}
