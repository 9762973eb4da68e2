package roster_test

import (
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
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
