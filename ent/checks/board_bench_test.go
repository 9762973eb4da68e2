package checks_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/actor"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// The goal: a district of 500 schools × 30 classes gets its board in < 100 ms, and ≤ 2× a
// hand-written SQL aggregate of the same counts measured in the same run.
const (
	benchSchools = 500
	benchClasses = 30 // 6 grades × 5 classes
)

// benchDistrict is a seeded district and the viewer of its admin.
type benchDistrict struct {
	db       *database.DB
	district *ent.Tenant
	admin    *viewer.Viewer
	now      time.Time
}

// benchDB opens a fresh SQLite file, or a throw-away PostgreSQL database (TEST_DATABASE_URL or the local
// server); ok is false when PostgreSQL is not reachable.
func benchDB(tb testing.TB, kind string) (*database.DB, bool) {
	tb.Helper()
	ctx := context.Background()
	if kind == "sqlite" {
		db, err := database.Open(ctx, "", tb.TempDir())
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db, true
	}
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		raw = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		return nil, false
	}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := admin.PingContext(pctx); err != nil {
		admin.Close()
		return nil, false
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "ch_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	})
	u, _ := url.Parse(raw)
	u.Path = "/" + name
	db, err := database.Open(ctx, u.String(), "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, true
}

// insertRows writes rows with ent's dialect-aware INSERT builder, in one transaction and chunks of 500.
// The bulk of the seed bypasses ent's per-row hooks on purpose: CreateBulk runs each row's hooks, and for
// a class that is an audit row and a full re-sync of the school's Casbin tree (2-3 ms a class, 30-45 s
// for 15,000). Neither is read by the board; the district admin's grants are school nodes.
func insertRows(tb testing.TB, db *database.DB, table string, cols []string, rows [][]any) {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for len(rows) > 0 {
		n := min(len(rows), 500)
		ins := entsql.Dialect(db.Dialect).Insert(table).Columns(cols...)
		for _, r := range rows[:n] {
			ins.Values(r...)
		}
		q, args := ins.Query()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			tx.Rollback()
			tb.Fatalf("insert %s: %v", table, err)
		}
		rows = rows[n:]
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// seedDistrict: 500 primary schools × 6 grades × 5 classes (15,000 classes), a class teacher each, two
// pupils each, Monday's morning and noon checks as of 15:00: 1 % of classes exempted for the day, 5 % of
// mornings and ~7 % of noons missing, ~10 % late, 2 % corrected, absence and symptom lines in a third of
// the reports.
func seedDistrict(tb testing.TB, db *database.DB) *benchDistrict {
	tb.Helper()
	start := time.Now()
	c := db.Client
	sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("bench")), privacy.Allow)
	now := at("15:00")
	created := now.Add(-30 * 24 * time.Hour)
	d := c.Tenant.Create().SetName("基准区").SetKind(tenant.KindDistrict).SaveX(sys)
	var schools []*ent.Tenant
	for i := 0; i < benchSchools; i += 100 {
		var bs []*ent.TenantCreate
		for j := i; j < min(i+100, benchSchools); j++ {
			bs = append(bs, c.Tenant.Create().SetName(fmt.Sprintf("第%03d小学", j)).SetKind(tenant.KindPrimarySchool).SetParentID(d.ID))
		}
		schools = append(schools, c.Tenant.CreateBulk(bs...).SaveX(sys)...)
	}
	gradeNames := []string{"一年级", "二年级", "三年级", "四年级", "五年级", "六年级"}
	var rows [][]any
	for _, s := range schools {
		for g, n := range gradeNames {
			rows = append(rows, []any{n, g + 1, s.ID})
		}
	}
	insertRows(tb, db, "grades", []string{"name", "sort_order", "tenant_id"}, rows)
	grades := map[[2]any]int{}
	for _, g := range c.Grade.Query().AllX(sys) {
		grades[[2]any{g.TenantID, g.SortOrder}] = g.ID
	}
	rows = nil
	for _, s := range schools {
		for j := 0; j < benchClasses; j++ {
			g := j / 5
			rows = append(rows, []any{fmt.Sprintf("%s(%d)班", gradeNames[g], j%5+1), j%5 + 1, s.ID, grades[[2]any{s.ID, g + 1}]})
		}
	}
	insertRows(tb, db, "classes", []string{"name", "sort_order", "tenant_id", "grade_id"}, rows)
	classes := c.Class.Query().Order(ent.Asc(class.FieldID)).AllX(sys)
	if len(classes) != benchSchools*benchClasses {
		tb.Fatalf("%d classes seeded", len(classes))
	}

	// A class teacher and two pupils per class.
	var users, pupils [][]any
	for i, cl := range classes {
		users = append(users, []any{fmt.Sprintf("t%d", i), fmt.Sprintf("教师%d", i), string(authz.ClassTeacher), "x", false, true, created, created, cl.TenantID})
		for k := 0; k < 2; k++ {
			pupils = append(pupils, []any{fmt.Sprintf("学生%d-%d", i, k), fmt.Sprintf("%d-%d", i, k), "female", false, "attending", created, cl.TenantID, cl.ID})
		}
	}
	insertRows(tb, db, "users", []string{"login", "display_name", "role", "password_hash", "must_change_password", "active", "created_at", "updated_at", "tenant_id"}, users)
	insertRows(tb, db, "students", []string{"name", "student_number", "gender", "boarder", "status", "created_at", "tenant_id", "class_id"}, pupils)
	userOf := map[string]int{}
	var us []struct {
		ID    int    `sql:"id"`
		Login string `sql:"login"`
	}
	if err := c.User.Query().Select("id", "login").Scan(sys, &us); err != nil {
		tb.Fatal(err)
	}
	for _, u := range us {
		userOf[u.Login] = u.ID
	}
	var as [][]any
	for i, cl := range classes {
		as = append(as, []any{string(authz.ClassTeacher), string(authz.NodeClass), cl.ID, false, created, created, cl.TenantID, userOf[fmt.Sprintf("t%d", i)]})
	}
	insertRows(tb, db, "assignments", []string{"role", "node_type", "node_id", "deputy", "valid_from", "created_at", "tenant_id", "user_id"}, as)
	pupilsOf := map[int][]int{}
	var ps []struct {
		ID    int `sql:"id"`
		Class int `sql:"class_id"`
	}
	if err := c.Student.Query().Select("id", "class_id").Scan(sys, &ps); err != nil {
		tb.Fatal(err)
	}
	for _, p := range ps {
		pupilsOf[p.Class] = append(pupilsOf[p.Class], p.ID)
	}

	// Monday: exemptions, checks, lines.
	var exs, cks [][]any
	check := func(cl *ent.Class, s checks.Session, version int, current, onTime bool, absent, symptomatic int, at time.Time) {
		cks = append(cks, []any{monday, string(s), version, current, absent == 0 && symptomatic == 0, 40, 40 - absent,
			absent, 0, symptomatic, symptomatic, "教师", at, onTime, version > 1, "h", cl.TenantID, cl.ID})
	}
	lines := func(i int) (absent, symptomatic int) {
		if i%4 == 0 {
			absent++
		}
		if i%20 == 2 {
			symptomatic++
		}
		return
	}
	for i, cl := range classes {
		if i%100 == 50 {
			exs = append(exs, []any{monday, "exam", created, cl.TenantID, cl.ID})
			continue
		}
		a, s := lines(i)
		if i%20 != 7 {
			if i%50 == 11 {
				check(cl, classcheck.SessionMorning, 1, false, true, 0, 0, at("08:00"))
				check(cl, classcheck.SessionMorning, 2, true, false, a, s, at("09:30"))
			} else {
				check(cl, classcheck.SessionMorning, 1, true, i%10 != 3, a, s, at("08:30"))
			}
		}
		if i%15 != 4 {
			check(cl, classcheck.SessionNoon, 1, true, i%12 != 5, a, s, at("13:30"))
		}
	}
	insertRows(tb, db, "exemptions", []string{"date", "reason", "created_at", "tenant_id", "class_id"}, exs)
	insertRows(tb, db, "class_checks", []string{"date", "session", "version", "current", "zero_report", "enrolled", "present",
		"absent_illness", "absent_other", "symptomatic", "abnormal_temperature", "submitted_by", "submitted_at", "on_time",
		"amendment", "content_hash", "tenant_id", "class_id"}, cks)
	var cur []struct {
		ID      int `sql:"id"`
		Class   int `sql:"class_id"`
		Tenant  int `sql:"tenant_id"`
		Absent  int `sql:"absent_illness"`
		Symptom int `sql:"symptomatic"`
	}
	if err := c.ClassCheck.Query().Where(classcheck.Current(true)).Select("id", "class_id", "tenant_id", "absent_illness", "symptomatic").Scan(sys, &cur); err != nil {
		tb.Fatal(err)
	}
	var es [][]any
	for _, ck := range cur {
		p := pupilsOf[ck.Class]
		if ck.Absent > 0 {
			es = append(es, []any{"absent", "sick_leave", `["fever","cough"]`, false, ck.Tenant, ck.ID, p[0]})
		}
		if ck.Symptom > 0 {
			es = append(es, []any{"symptomatic", nil, `["sore_throat"]`, false, ck.Tenant, ck.ID, p[1]})
		}
	}
	insertRows(tb, db, "check_entries", []string{"kind", "absence_type", "symptoms", "doctor_seen", "tenant_id", "check_id", "student_id"}, es)

	// A follow-up per sick pupil (one in ten awaiting clearance) and a fever alert per class with a
	// symptomatic pupil (one in five acknowledged, one in five handled), as submissions open them.
	var fus, als, stays [][]any
	due := at("18:00")
	seen := map[int]bool{}
	for _, ck := range cur {
		p := pupilsOf[ck.Class]
		if ck.Absent > 0 && !seen[p[0]] {
			seen[p[0]] = true
			clearance := "not_required"
			if len(fus)%10 == 0 {
				clearance = "required"
			}
			fus = append(fus, []any{monday, `["fever","cough"]`, due, "open", "unknown", clearance, false, created, ck.Tenant, p[0], ck.Class})
		}
		if ck.Symptom > 0 && !seen[-ck.Class] {
			seen[-ck.Class] = true
			status, key := []string{"open", "open", "acknowledged", "open", "handled"}[len(als)%5], any(nil)
			if status != "handled" {
				key = fmt.Sprintf("fever:%d:", ck.Class)
			}
			als = append(als, []any{"fever", "", status, key, at("08:30"), 1, fmt.Sprintf("[%d]", p[1]), monday, ck.Tenant, ck.Class})
			// The feverish pupil went to the observation room; every third is back in class by now.
			status, key = "open", fmt.Sprintf("student:%d", p[1])
			if len(stays)%3 == 2 {
				status, key = "closed", nil
			}
			stays = append(stays, []any{monday, "fever", status, key, at("08:30"), ck.Tenant, p[1], ck.Class})
		}
	}
	insertRows(tb, db, "follow_ups", []string{"date", "symptoms", "due_at", "status", "outcome", "clearance", "certificate_seen", "created_at", "tenant_id", "student_id", "class_id"}, fus)
	insertRows(tb, db, "alerts", []string{"rule", "symptom_group", "status", "open_key", "opened_at", "cases", "student_ids", "date", "tenant_id", "class_id"}, als)
	insertRows(tb, db, "observation_stays", []string{"date", "reason", "status", "open_key", "in_at", "tenant_id", "student_id", "class_id"}, stays)
	if db.Dialect == "postgres" {
		db.SQL.Exec("ANALYZE")
	}

	adminUser := c.User.Create().SetTenantID(d.ID).SetLogin("bench-admin").SetDisplayName("区管理员").
		SetRole(authz.DistrictAdmin).SetPasswordHash("x").SaveX(sys)
	loaded, err := actor.LoadUser(sys, c, adminUser.ID)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := actor.ForUser(context.Background(), c, loaded, now)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s: seeded %d schools, %d classes, %d checks, %d lines, %d follow-ups, %d alerts, %d stays in %v", db.Dialect, len(schools),
		len(classes), len(cks), len(es), len(fus), len(als), len(stays), time.Since(start).Round(time.Millisecond))
	return &benchDistrict{db: db, district: d, admin: v, now: now}
}

// request is the admin's viewer as a request would build it: fresh, with nothing memoised.
func (bd *benchDistrict) request() context.Context {
	v := bd.admin
	return viewer.NewContext(context.Background(), &viewer.Viewer{UserID: v.UserID, Label: v.Label, Role: v.Role,
		TenantID: v.TenantID, TenantIDs: v.TenantIDs, Grants: v.Grants, Authz: v.Authz})
}

func (bd *benchDistrict) board(tb testing.TB) *checks.Board {
	b, err := checks.BoardFor(bd.request(), bd.db.Client, checks.Scope{DistrictID: bd.district.ID}, monday, bd.now)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// The baseline: the same counts hand-written in SQL, knowing the answer's shape (all schools primary, the
// date a school day, no calendar overrides): expected, exempted, submitted, on time and the figures of the
// current versions per session, and the check lines by session, kind, cause and symptoms.
const baselineCounts = `
WITH cls AS (
  SELECT c.id FROM classes c JOIN tenants t ON t.id = c.tenant_id
  WHERE t.parent_id = ? AND t.status = 'active' AND (c.closed_on IS NULL OR c.closed_on > ?) AND (c.opened_on IS NULL OR c.opened_on <= ?)
), ses AS (SELECT 'morning' AS session UNION ALL SELECT 'noon'),
ex AS (
  SELECT DISTINCT e.class_id, ses.session FROM exemptions e JOIN ses ON e.session IS NULL OR e.session = ses.session
  WHERE e.date = ?
), expd AS (
  SELECT ses.session, COUNT(*) AS n, COUNT(ex.class_id) AS exempted
  FROM cls CROSS JOIN ses LEFT JOIN ex ON ex.class_id = cls.id AND ex.session = ses.session
  GROUP BY ses.session
), chk AS (
  SELECT cc.session,
    SUM(CASE WHEN cc.version = 1 THEN 1 ELSE 0 END) AS submitted,
    SUM(CASE WHEN cc.version = 1 AND cc.on_time THEN 1 ELSE 0 END) AS on_time,
    SUM(CASE WHEN cc.current AND cc.zero_report THEN 1 ELSE 0 END) AS zero,
    SUM(CASE WHEN cc.current THEN cc.enrolled ELSE 0 END) AS enrolled,
    SUM(CASE WHEN cc.current THEN cc.present ELSE 0 END) AS present,
    SUM(CASE WHEN cc.current THEN cc.absent_illness ELSE 0 END) AS illness,
    SUM(CASE WHEN cc.current THEN cc.absent_other ELSE 0 END) AS other,
    SUM(CASE WHEN cc.current THEN cc.symptomatic ELSE 0 END) AS symptomatic,
    SUM(CASE WHEN cc.current THEN cc.abnormal_temperature ELSE 0 END) AS abnormal
  FROM class_checks cc JOIN cls ON cls.id = cc.class_id
  LEFT JOIN ex ON ex.class_id = cc.class_id AND ex.session = cc.session
  WHERE cc.date = ? AND (cc.current OR cc.version = 1) AND ex.class_id IS NULL
  GROUP BY cc.session
)
SELECT expd.session, expd.n - expd.exempted, expd.exempted, COALESCE(chk.submitted, 0), COALESCE(chk.on_time, 0),
  COALESCE(chk.zero, 0), COALESCE(chk.enrolled, 0), COALESCE(chk.present, 0), COALESCE(chk.illness, 0),
  COALESCE(chk.other, 0), COALESCE(chk.symptomatic, 0), COALESCE(chk.abnormal, 0)
FROM expd LEFT JOIN chk ON chk.session = expd.session
ORDER BY expd.session`

const baselineLines = `
SELECT cc.session, ce.kind, ce.absence_type, ce.symptoms, COUNT(*)
FROM class_checks cc
JOIN check_entries ce ON ce.check_id = cc.id
JOIN classes c ON c.id = cc.class_id JOIN tenants t ON t.id = c.tenant_id
WHERE t.parent_id = ? AND t.status = 'active' AND cc.date = ? AND cc.current
  AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.class_id = cc.class_id AND e.date = cc.date AND (e.session IS NULL OR e.session = cc.session))
GROUP BY cc.session, ce.kind, ce.absence_type, ce.symptoms`

// baselineOpen counts the open alerts by rule, the open follow-ups and the pupils in the observation room of
// the district's active schools.
const baselineOpenAlerts = `
SELECT a.rule, COUNT(*), SUM(CASE WHEN a.report_by < ? AND a.cdc_contacted_at IS NULL THEN 1 ELSE 0 END)
FROM alerts a JOIN tenants t ON t.id = a.tenant_id
WHERE t.parent_id = ? AND t.status = 'active' AND a.status IN ('open', 'acknowledged')
GROUP BY a.rule`

const baselineOpenFollowUps = `
SELECT COUNT(*), SUM(CASE WHEN f.clearance = 'required' THEN 1 ELSE 0 END),
  SUM(CASE WHEN f.outcome = 'unknown' AND f.due_at < ? THEN 1 ELSE 0 END)
FROM follow_ups f JOIN tenants t ON t.id = f.tenant_id
WHERE t.parent_id = ? AND t.status = 'active' AND f.status = 'open'`

const baselineInObservation = `
SELECT COUNT(*) FROM observation_stays s JOIN tenants t ON t.id = s.tenant_id
WHERE t.parent_id = ? AND t.status = 'active' AND s.status = 'open'`

// baselineList adds the non-reporter list: the classes of the district with no check for a session,
// with school, grade and class teacher names.
const baselineList = `
SELECT ses.session, t.name, c.id, c.name, g.name, u.display_name
FROM classes c JOIN tenants t ON t.id = c.tenant_id
CROSS JOIN (SELECT 'morning' AS session UNION ALL SELECT 'noon') ses
LEFT JOIN grades g ON g.id = c.grade_id
LEFT JOIN assignments a ON a.tenant_id = c.tenant_id AND a.node_type = 'class' AND a.node_id = c.id AND a.role = 'class_teacher'
  AND a.valid_from <= ? AND (a.valid_to IS NULL OR a.valid_to > ?)
LEFT JOIN users u ON u.id = a.user_id AND u.active
WHERE t.parent_id = ? AND t.status = 'active' AND c.closed_on IS NULL
  AND NOT EXISTS (SELECT 1 FROM class_checks cc WHERE cc.class_id = c.id AND cc.date = ? AND cc.session = ses.session)
  AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.class_id = c.id AND e.date = ? AND (e.session IS NULL OR e.session = ses.session))
ORDER BY t.name, g.sort_order, c.sort_order`

func placeholders(dialect, q string) string {
	if dialect != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

type baselineResult struct {
	expected, exempted, submitted, onTime map[string]int
	listed                                int
	alerts, followUps, inObservation      int
}

func (bd *benchDistrict) baseline(tb testing.TB, withList bool) baselineResult {
	ctx := context.Background()
	dia := bd.db.Dialect
	res := baselineResult{expected: map[string]int{}, exempted: map[string]int{}, submitted: map[string]int{}, onTime: map[string]int{}}
	dayStart, dayEnd := at("00:00"), at("00:00").AddDate(0, 0, 1)
	rows, err := bd.db.SQL.QueryContext(ctx, placeholders(dia, baselineCounts), bd.district.ID, dayStart.Add(-72*time.Hour), dayEnd, monday, monday)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var s string
		var n [11]int64
		ptrs := []any{&s}
		for i := range n {
			ptrs = append(ptrs, &n[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		res.expected[s], res.exempted[s], res.submitted[s], res.onTime[s] = int(n[0]), int(n[1]), int(n[2]), int(n[3])
	}
	rows.Close()
	rows, err = bd.db.SQL.QueryContext(ctx, placeholders(dia, baselineLines), bd.district.ID, monday)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var s, kind string
		var cause, symptoms sql.NullString
		var n int
		if err := rows.Scan(&s, &kind, &cause, &symptoms, &n); err != nil {
			tb.Fatal(err)
		}
	}
	rows.Close()
	if withList {
		rows, err = bd.db.SQL.QueryContext(ctx, placeholders(dia, baselineOpenAlerts), bd.now, bd.district.ID)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			var rule string
			var n, overdue int
			if err := rows.Scan(&rule, &n, &overdue); err != nil {
				tb.Fatal(err)
			}
			res.alerts += n
		}
		rows.Close()
		var clearance, overdue sql.NullInt64
		if err := bd.db.SQL.QueryRowContext(ctx, placeholders(dia, baselineOpenFollowUps), bd.now, bd.district.ID).
			Scan(&res.followUps, &clearance, &overdue); err != nil {
			tb.Fatal(err)
		}
		if err := bd.db.SQL.QueryRowContext(ctx, placeholders(dia, baselineInObservation), bd.district.ID).Scan(&res.inObservation); err != nil {
			tb.Fatal(err)
		}
		rows, err = bd.db.SQL.QueryContext(ctx, placeholders(dia, baselineList), bd.now, bd.now, bd.district.ID, monday, monday)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			var s, school, cls string
			var id int
			var gradeName, teacher sql.NullString
			if err := rows.Scan(&s, &school, &id, &cls, &gradeName, &teacher); err != nil {
				tb.Fatal(err)
			}
			res.listed++
		}
		rows.Close()
	}
	return res
}

// check makes sure the board and the baseline count the same.
func (bd *benchDistrict) check(tb testing.TB) {
	b := bd.board(tb)
	base := bd.baseline(tb, true)
	listed := 0
	for _, s := range b.Sessions {
		k := string(s.Session)
		if s.Expected != base.expected[k] || s.Exempted != base.exempted[k] || s.Submitted != base.submitted[k] || s.OnTime != base.onTime[k] {
			tb.Fatalf("%s: board %+v, baseline expected %d exempted %d submitted %d on time %d", k, s.Completion,
				base.expected[k], base.exempted[k], base.submitted[k], base.onTime[k])
		}
		if len(s.NonReporting) != s.Pending {
			tb.Fatalf("%s: %d pending, %d listed", k, s.Pending, len(s.NonReporting))
		}
		listed += len(s.NonReporting)
	}
	if listed != base.listed {
		tb.Fatalf("board lists %d non-reporters, baseline %d", listed, base.listed)
	}
	if b.Alerts.Open != base.alerts || b.FollowUps.Open != base.followUps || base.alerts == 0 || base.followUps == 0 {
		tb.Fatalf("board: %d open alerts, %d open follow-ups; baseline %d, %d", b.Alerts.Open, b.FollowUps.Open, base.alerts, base.followUps)
	}
	if b.InObservation != base.inObservation {
		tb.Fatalf("board: %d in the observation room; baseline %d", b.InObservation, base.inObservation)
	}
}

func BenchmarkDistrictBoard(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			db, ok := benchDB(b, kind)
			if !ok {
				b.Skip("PostgreSQL not reachable; set TEST_DATABASE_URL")
			}
			bd := seedDistrict(b, db)
			bd.check(b)
			b.Run("board", func(b *testing.B) {
				for b.Loop() {
					bd.board(b)
				}
			})
			b.Run("sql_counts", func(b *testing.B) {
				for b.Loop() {
					bd.baseline(b, false)
				}
			})
			b.Run("sql_counts_and_list", func(b *testing.B) {
				for b.Loop() {
					bd.baseline(b, true)
				}
			})
		})
	}
}

// TestBenchTable prints the district board's figures when BENCH=1 (make bench), as ratios to the
// hand-written SQL measured in the same run: the counts alone, and the counts with the open alerts and
// follow-ups and the non-reporter list (the same output as the board). It fails when the board takes more than twice the hand-written SQL of
// the same output; the absolute goal (< 100 ms) is reported, as it depends on the machine as much as on
// the code (compare it with the hand-written SQL's own time).
func TestBenchTable(t *testing.T) {
	if os.Getenv("BENCH") == "" {
		t.Skip("set BENCH=1 (make bench)")
	}
	measure := func(f func()) float64 {
		r := testing.Benchmark(func(b *testing.B) {
			for b.Loop() {
				f()
			}
		})
		return float64(r.T.Nanoseconds()) / float64(r.N)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\ndistrict board: %d schools × %d classes, one day, two sessions\n", benchSchools, benchClasses)
	fmt.Fprintf(&out, "%-64s %10s %9s %9s  %s\n", "measure", "per op", "× counts", "× same", "goal")
	for _, kind := range []string{"sqlite", "postgres"} {
		db, ok := benchDB(t, kind)
		if !ok {
			fmt.Fprintf(&out, "%s: PostgreSQL not reachable, skipped\n", kind)
			continue
		}
		bd := seedDistrict(t, db)
		bd.check(t)
		counts := measure(func() { bd.baseline(t, false) })
		same := measure(func() { bd.baseline(t, true) })
		board := measure(func() { bd.board(t) })
		row := func(name string, ns float64, goal string) {
			fmt.Fprintf(&out, "%-64s %8.1fms %9.2f %9.2f  %s\n", kind+": "+name, ns/1e6, ns/counts, ns/same, goal)
		}
		row("hand-written SQL, counts", counts, "")
		row("hand-written SQL, counts + open items + non-reporters", same, "")
		met := func(ok bool) string {
			if ok {
				return "met"
			}
			return "NOT met"
		}
		row("BoardFor (the same)", board, fmt.Sprintf("≤ 2× same output: %s; < 100 ms: %s",
			met(board <= 2*same), met(board < 100e6)))
		if board > 2*same {
			t.Errorf("%s: district board %.1f ms, %.2f× the hand-written SQL of the same output (goal ≤ 2×)", kind, board/1e6, board/same)
		}
	}
	t.Log(out.String())
}
