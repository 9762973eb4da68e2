package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/apitoken"
	"github.com/campushealth/campushealth/ent/assignment"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/chaselog"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/checksetting"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/delivery"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/exporttemplate"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/grade"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/robotwebhook"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/staffcheck"
	"github.com/campushealth/campushealth/ent/stafffollowup"
	"github.com/campushealth/campushealth/ent/staffgroup"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
)

// browser opens a tab for one test in a fresh browser context (its own cookies and storage) of the
// package's one headless Chromium (Debian's chromium package; CHROME names another binary), failing the
// test on any uncaught script error of the page. Starting Chromium costs about a second, and the console's
// tests open about sixty tabs. Without a browser the test is skipped, unless REQUIRE_SERVICES=1 (CI),
// where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	chrome := sharedChromium(t)
	ctx, cancel := chromedp.NewContext(chrome, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Listen(ctx, func(ev any) {
		if ex, ok := ev.(*runtime.EventExceptionThrown); ok {
			d := ex.ExceptionDetails
			if d.Exception != nil && d.Exception.Description != "" {
				t.Errorf("script error in the console: %s", d.Exception.Description)
			} else {
				t.Errorf("script error in the console: %s at %s:%d", d.Text, d.URL, d.LineNumber+1)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

var chromium struct {
	once sync.Once
	ctx  context.Context // the browser; it lives as long as the test binary
	err  error
	path string
}

// sharedChromium starts the package's Chromium on first use (in UTC, so that the times a test types into
// datetime inputs mean the same on every machine).
func sharedChromium(t *testing.T) context.Context {
	t.Helper()
	chromium.once.Do(func() {
		path := os.Getenv("CHROME")
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if path == "" {
				path, _ = exec.LookPath(name)
			}
		}
		if chromium.path = path; path == "" {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Env("TZ=UTC"))
		alloc, _ := chromedp.NewExecAllocator(context.Background(), opts...)
		chromium.ctx, _ = chromedp.NewContext(alloc)
		chromium.err = chromedp.Do(chromium.ctx) // starts the browser (its first tab stays blank)
	})
	switch {
	case chromium.path == "" && os.Getenv("REQUIRE_SERVICES") == "1":
		t.Fatal("no Chromium found (apt-get install chromium, or set CHROME); REQUIRE_SERVICES=1 requires it")
	case chromium.path == "":
		t.Skip("no Chromium found: apt-get install chromium, or set CHROME")
	case chromium.err != nil:
		t.Fatalf("starting %s: %v", chromium.path, chromium.err)
	}
	return chromium.ctx
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// do runs steps with a deadline of their own (the browser outlives it), and on failure shows the page.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	read(t, ctx, chromedp.Steps(steps...))
}

func read[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	short, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(short, a)
	if err != nil {
		last, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		page, _ := chromedp.Run(last, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%v; the page says:\n%s", err, page)
	}
	return v
}

// fill replaces what an input holds with text typed as a user would.
func fill(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Evaluate[chromedp.Void](`document.querySelector(`+strconv.Quote(sel)+`).value = ''`),
		chromedp.SendKeys(css(sel), text))
}

// choose sets a <select> (or any input) as a user would, input and change events included.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const el = document.querySelector(` + strconv.Quote(sel) + `); el.value = ` +
		strconv.Quote(value) + `; el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change')); })()`)
}

// signIn signs in through the console's form.
func signIn(login string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.WaitVisible(css(`#login`)), fill(`#u`, login), fill(`#p`, testPassword),
		chromedp.Click(css(`#login button[type=submit]`)))
}

// TestConsoleClassCheck drives the console in a real browser through a class teacher's morning: the zero
// report in one tap, an exception report that the server refuses (a temperature out of range: the pupil's
// temperature field is marked, nothing is written) and then accepts, and the principal's board.
func TestConsoleClassCheck(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai) // a Monday, before the morning deadline
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		// A pupil whose name is markup: the console must show it as text.
		tomID := must(e.client.Student.Create().SetTenantID(w.A.ID).SetName("<i>Tom</i>").SetStudentNumber("A0009").
			SetGender(student.GenderMale).SetClassID(w.c1).Save(system())).ID
		// Tom was off sick with a fever on Friday and is not yet cleared to return.
		fu := must(e.client.FollowUp.Create().SetTenantID(w.A.ID).SetStudentID(tomID).SetClassID(w.c1).SetDate("2026-11-20").
			SetSymptoms([]string{"fever"}).SetDueAt(e.now.AddDate(0, 0, -3)).SetClearance(followup.ClearanceRequired).Save(system()))
		class := `[data-class="` + strconv.Itoa(w.c1) + `"]`
		morning, noon := class+` .session[data-session=morning]`, class+` .session[data-session=noon]`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(morning+` .state.pending`)))

		// The card says Tom is not cleared; the one tap, which would count him present and well, is refused
		// with the server's reason, and the exception form starts him off sick.
		if notice := read(t, ctx, chromedp.Text(css(class+` p.awaiting`))); !strings.Contains(notice, "<i>Tom</i> (2026-11-20)") {
			t.Errorf("the card's clearance notice = %q", notice)
		}
		do(t, ctx, chromedp.Click(css(morning+` button.zero`)), chromedp.WaitVisible(css(`#msg.err`)))
		if msg := read(t, ctx, chromedp.Text(css(`#msg.err`))); !strings.Contains(msg, "not yet cleared") || !strings.Contains(msg, "<i>Tom</i>") {
			t.Errorf("the refused zero report says %q", msg)
		}
		if n := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1)).Count(system())); n != 0 {
			t.Fatalf("the refused zero report wrote %d checks", n)
		}
		tomRow := `form.check[data-session=morning] tr[data-person="` + strconv.Itoa(tomID) + `"]`
		do(t, ctx, chromedp.Click(css(morning+` button.secondary`)), chromedp.WaitVisible(css(tomRow)))
		if v := read(t, ctx, chromedp.Value(css(tomRow+` select[name=status]`))); v != "sick_leave" {
			t.Errorf("the form starts Tom, not cleared, as %q, want sick_leave", v)
		}
		do(t, ctx, chromedp.Click(css(`form.check[data-session=morning] button.secondary`)), chromedp.WaitNotPresent(css(tomRow)))
		// The health teacher clears him at the gate: the one tap goes through, and the notice goes.
		must(e.client.FollowUp.UpdateOne(fu).SetClearance(followup.ClearanceCleared).SetClearedAt(e.now).SetStatus(followup.StatusClosed).Save(system()))
		do(t, ctx, chromedp.Click(css(morning+` button.zero`)), chromedp.WaitVisible(css(morning+` .state.submitted`)), chromedp.WaitNotPresent(css(class+` p.awaiting`)))
		got := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1), classcheck.Date("2026-11-23"),
			classcheck.SessionEQ(classcheck.SessionMorning)).All(system()))
		if len(got) != 1 || !got[0].ZeroReport || got[0].Present != 2 || got[0].SubmittedByID == nil || *got[0].SubmittedByID != w.ta.ID || !got[0].OnTime {
			t.Fatalf("morning check after the tap: %+v", got)
		}

		// Noon: 李一 is off sick with a fever; a typo in the temperature is refused, naming the pupil and field.
		form := `form.check[data-session=noon]`
		li := form + ` tr[data-person="` + strconv.Itoa(w.s1) + `"]`
		do(t, ctx, chromedp.Click(css(noon+` button.secondary`)), chromedp.WaitVisible(css(form)), chromedp.Click(css(noon+` button.secondary`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('form.check').length`)); n != 1 {
			t.Errorf("a second click opened %d forms, want the one", n)
		}
		do(t, ctx, choose(li+` select[name=status]`, "sick_leave"), chromedp.Click(css(li+` input[value=fever]`)),
			chromedp.SendKeys(css(li+` input[name=temperature]`), "48.5"), chromedp.Click(css(li+` input[name=doctorSeen]`)),
			chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitVisible(css(`#msg.err`)), chromedp.WaitVisible(css(li+` input[name=temperature].invalid`)))
		msg, names := read(t, ctx, chromedp.Text(css(`#msg`))), read(t, ctx, chromedp.Text(css(form+` tbody`)))
		if !strings.Contains(msg, "李一") || !strings.Contains(msg, "temperature") {
			t.Errorf("error shown = %q, want the pupil and the field", msg)
		}
		if n := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1), classcheck.SessionEQ(classcheck.SessionNoon)).Count(system())); n != 0 {
			t.Fatalf("a refused report wrote %d checks", n)
		}
		markup := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('form.check i').length`))
		if !strings.Contains(names, "<i>Tom</i>") || markup != 0 {
			t.Errorf("a name with markup was rendered as markup (%d elements): %q", markup, names)
		}

		// A comma for the decimal point is not a number: said at once, before anything is sent.
		do(t, ctx, fill(li+` input[name=temperature]`, "38,5"), chromedp.Click(css(form+` button[type=submit]`)))
		if msg := read(t, ctx, chromedp.Text(css(`#msg.err`))); !strings.Contains(msg, "李一") || !strings.Contains(msg, "number") {
			t.Errorf("error shown = %q, want the pupil and 'number'", msg)
		}
		// 38.5 °C at the door, 38.2 °C on the mercury re-check: the re-check counts, the first reading is kept.
		do(t, ctx, fill(li+` input[name=temperature]`, "38.5"), fill(li+` input[name=recheckTemperature]`, "38.2"),
			chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitVisible(css(noon+` .state.submitted`)), chromedp.WaitNotPresent(css(form)))
		chk := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1), classcheck.SessionEQ(classcheck.SessionNoon)).
			WithEntries().Only(system()))
		if chk.ZeroReport || chk.AbsentIllness != 1 || chk.Present != 1 || len(chk.Edges.Entries) != 1 {
			t.Fatalf("noon check = %+v, entries %+v", chk, chk.Edges.Entries)
		}
		if en := chk.Edges.Entries[0]; en.StudentID != w.s1 || en.Temperature == nil || *en.Temperature != 38.2 ||
			en.FirstTemperature == nil || *en.FirstTemperature != 38.5 || !en.DoctorSeen ||
			len(en.Symptoms) != 1 || en.Symptoms[0] != "fever" {
			t.Errorf("noon line = %+v", en)
		}
		if n := must(e.client.FollowUp.Query().Where(followup.StudentID(w.s1)).Count(system())); n != 1 {
			t.Errorf("follow-ups opened for the sick pupil: %d, want 1", n)
		}

		// A correction starts from the current lines: adding Tom's personal leave keeps 李一's fever as it was.
		tom := form + ` tr:nth-child(2)`
		do(t, ctx, chromedp.Click(css(noon+` button.secondary`)), chromedp.WaitVisible(css(form)))
		if v, re := read(t, ctx, chromedp.Value(css(li+` input[name=temperature]`))), read(t, ctx, chromedp.Value(css(li+` input[name=recheckTemperature]`))); v != "38.5" || re != "38.2" {
			t.Fatalf("the correction form shows 李一's temperature as %q re-checked %q, want the current 38.5 and 38.2", v, re)
		}
		do(t, ctx, choose(tom+` select[name=status]`, "personal_leave"), fill(tom+` input[name=note]`, "家中有事"),
			chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitNotPresent(css(form)))
		v2 := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1), classcheck.SessionEQ(classcheck.SessionNoon),
			classcheck.Current(true)).WithEntries().Only(system()))
		if v2.Version != 2 || v2.AbsentIllness != 1 || v2.AbsentOther != 1 || v2.Present != 0 || len(v2.Edges.Entries) != 2 {
			t.Fatalf("corrected noon check = %+v, entries %+v", v2, v2.Edges.Entries)
		}
		for _, en := range v2.Edges.Entries {
			if en.StudentID == w.s1 && (en.Temperature == nil || *en.Temperature != 38.2 || en.FirstTemperature == nil ||
				*en.FirstTemperature != 38.5 || !en.DoctorSeen || len(en.Symptoms) != 1) {
				t.Errorf("李一's line lost something in the correction: %+v", en)
			}
			if en.StudentID != w.s1 && (en.AbsenceType == nil || *en.AbsenceType != "personal_leave" || en.Note != "家中有事") {
				t.Errorf("Tom's line = %+v", en)
			}
		}

		// Last Friday's noon check was forgotten: she picks the day, where it shows overdue, and reports it, late.
		do(t, ctx, choose(class+` h2 input[name=date]`, "2026-11-20"), chromedp.WaitVisible(css(noon+` .state.overdue`)),
			chromedp.Click(css(noon+` button.zero`)), chromedp.WaitVisible(css(noon+` .state.late`)))
		if fri := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1), classcheck.Date("2026-11-20")).All(system())); len(fri) != 1 ||
			fri[0].Session != classcheck.SessionNoon || fri[0].OnTime || !fri[0].ZeroReport {
			t.Errorf("Friday's checks = %+v, want the noon zero report, late", fri)
		}

		// The principal sees the school: one class of three has reported each session; the others are listed.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(`.board tr[data-session=morning]`)))
		cells := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.board tr[data-session=morning] td')].map((td) => td.textContent)`))
		missing := read(t, ctx, chromedp.Text(css(`.board .missing[data-session=morning]`)))
		if page := read(t, ctx, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(page, "null") || strings.Contains(page, "undefined") {
			t.Errorf("the page shows a missing value as text:\n%s", page)
		}
		if len(cells) < 9 || cells[1] != "3" || cells[2] != "1" || cells[8] != "33% · 截止前 before the deadline" {
			t.Errorf("principal's morning row = %q, want 3 expected, 1 submitted, 33%% before the deadline", cells)
		}
		if !strings.Contains(missing, "一年级(2)班") || !strings.Contains(missing, "二年级(1)班") || strings.Contains(missing, "一年级(1)班") {
			t.Errorf("not reported = %q", missing)
		}

		// 二年级(1)班 is out on a field trip this morning: the principal exempts it from the board, which then
		// expects two reports, not three.
		c3 := `.board .missing[data-session=morning] li[data-class="` + strconv.Itoa(w.c3) + `"]`
		do(t, ctx, chromedp.Click(css(c3+` button.exempt`)), chromedp.WaitVisible(css(c3+` form.exempt`)),
			choose(c3+` select[name=reason]`, "field_trip"), fill(c3+` input[name=note]`, "秋游 autumn outing"),
			chromedp.Click(css(c3+` form.exempt button[type=submit]`)), chromedp.WaitNotPresent(css(c3)))
		cells = read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.board tr[data-session=morning] td')].map((td) => td.textContent)`))
		if len(cells) < 9 || cells[1] != "2" || cells[7] != "1" || !strings.HasPrefix(cells[8], "50% ") {
			t.Errorf("after the exemption the morning row = %q, want 2 expected, 1 exempted, 50%%", cells)
		}
		// At 09:30 the morning deadline has passed: the class still missing is overdue, the label goes.
		e.advance(90 * time.Minute)
		do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(css(`.board tr[data-session=morning]`)))
		cells = read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.board tr[data-session=morning] td')].map((td) => td.textContent)`))
		if len(cells) < 9 || cells[6] != "1" || cells[8] != "50%" {
			t.Errorf("after the deadline the morning row = %q, want 1 overdue, 50%%", cells)
		}

		// The district admin sees the district, school by school, the least complete first: School A with 2 of
		// 5 reports in (the kindergarten, with no class, expects nothing and comes last).
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("d1.admin"), chromedp.WaitVisible(css(`.schools tr[data-tenant]`)))
		rows := read(t, ctx, chromedp.Evaluate[[][]string](`[...document.querySelectorAll('.schools tbody tr')].map((tr) => [tr.dataset.tenant, ...[...tr.cells].map((td) => td.textContent)])`))
		if len(rows) != 2 || rows[0][0] != strconv.Itoa(w.A.ID) || rows[0][2] != "5" || rows[0][3] != "2" || rows[0][6] != "1" || rows[0][8] != "40%" ||
			rows[1][0] != strconv.Itoa(w.A2.ID) || rows[1][8] != "—" || rows[1][9] != "—" {
			t.Errorf("the district's schools = %q", rows)
		}
		// Each school's illness-absence rate as the server gives it, to a tenth of a percent (the kindergarten
		// reported nothing: a dash).
		type school struct {
			Tenant struct{ ID string }
			Days   []struct{ IllnessAbsenceRate *float64 }
		}
		var bySchool []school
		e.gql(w.tok["d1.admin"], `query($s: BoardScopeInput!) { trendBySchool(scope: $s, from: "2026-11-23", to: "2026-11-23") {
			tenant { id } days { illnessAbsenceRate } } }`, map[string]any{"s": map[string]any{"districtID": w.D1.ID}}).ok(t).decode(t, "trendBySchool", &bySchool)
		at := slices.IndexFunc(bySchool, func(x school) bool { return x.Tenant.ID == id(w.A.ID) })
		if len(rows) == 2 && (at < 0 || bySchool[at].Days[0].IllnessAbsenceRate == nil || rows[0][9] != share(bySchool[at].Days[0].IllnessAbsenceRate)) {
			t.Errorf("School A's illness-absence rate shows %q, the server says %+v", rows[0][9], bySchool)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.people, .classes-admin, .roster, .calendar, .observation').length`)); n != 0 {
			t.Errorf("the district admin is shown %d of a school's own panels", n)
		}
		// The district drills down to School A: its own board, its classes by name, once however often asked.
		schoolA := `.board[data-tenant="` + strconv.Itoa(w.A.ID) + `"]`
		drill := `.schools tr[data-tenant="` + strconv.Itoa(w.A.ID) + `"] button.drill`
		do(t, ctx, chromedp.Click(css(drill)), chromedp.WaitVisible(css(schoolA+` .missing[data-session=morning]`)), chromedp.Click(css(drill)))
		if missing := read(t, ctx, chromedp.Text(css(schoolA+` .missing[data-session=morning]`))); !strings.Contains(missing, "一年级(2)班") {
			t.Errorf("School A's board, drilled down to, lists as not reported: %q", missing)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(schoolA)+`).length`)); n != 1 {
			t.Errorf("two clicks opened %d boards of School A, want 1", n)
		}
		ex := must(e.client.Exemption.Query().Where(exemption.ClassID(w.c3)).Only(system()))
		if ex.Reason != exemption.ReasonFieldTrip || ex.Session == nil || *ex.Session != exemption.SessionMorning || ex.Date != "2026-11-23" ||
			ex.Note != "秋游 autumn outing" || ex.ExemptedByID == nil || *ex.ExemptedByID != w.pa.ID {
			t.Errorf("exemption = %+v", ex)
		}
	})
}

// TestConsoleFollowUpToClearance drives a health teacher through the console: a pupil off sick with a fever
// gets a diagnosis and the time the fever ended (a time in the future is refused on its field); clearing the
// return is refused before the 48 hours have passed and accepted after; a pupil in the observation room is
// released and handed over, another brought in from the gate; the fever alert of a coughing pupil is
// acknowledged, then handled with what was done; it names both pupils. The school's illness-absence alert
// the same report opened reads as the whole school's, naming the pupil off sick with her class.
func TestConsoleFollowUpToClearance(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 0, 0, 0, shanghai) // 00:00 UTC
		w := e.newOrgWorld()
		nurse := e.staffUser(w.world, "a.nurse", authz.HealthTeacher)
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		tom := must(e.client.Student.Create().SetTenantID(w.A.ID).SetName("Tom").SetStudentNumber("A0009").
			SetGender(student.GenderMale).SetClassID(w.c1).Save(system())).ID
		// At 0.5 % one pupil off sick opens the school's illness-absence alert too.
		e.gql(w.tokP, `mutation { createCheckSetting(input: { absenceRate: 0.5 }) { id } }`, nil).ok(t)
		e.gql(w.tokTA, `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"classID": w.c1, "date": "2026-11-23", "session": "morning", "present": 1, "entries": []map[string]any{
				{"studentID": w.s1, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}, "temperature": 38.5},
				{"studentID": tom, "kind": "symptomatic", "symptoms": []string{"cough"}, "temperature": 37.8, "disposition": "observation_room"},
			}}}).ok(t)
		fu := must(e.client.FollowUp.Query().Where(followup.StudentID(w.s1)).Only(system()))
		al := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleFever)).Only(system()))
		form := `form.followup[data-id="` + strconv.Itoa(fu.ID) + `"]`
		alertForm := `form.alert[data-id="` + strconv.Itoa(al.ID) + `"]`
		rate := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleAbsenceRate)).Only(system()))
		rateForm := `form.alert[data-id="` + strconv.Itoa(rate.ID) + `"]`

		// Tom's class teacher sees him in the observation room, and nothing to press there.
		stay := must(e.client.ObservationStay.Query().Where(observationstay.StudentID(tom)).Only(system()))
		room := `form.stay[data-id="` + strconv.Itoa(stay.ID) + `"]`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(room)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(room+` button`)+`, 'form.admit').length`)); n != 0 {
			t.Errorf("the class teacher is offered %d buttons or forms in the observation room", n)
		}
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.nurse"), chromedp.WaitVisible(css(form)), chromedp.WaitVisible(css(alertForm)))
		if text := read(t, ctx, chromedp.Text(css(rateForm))); !strings.Contains(text, "因病缺勤率 Illness-absence rate · 全校 Whole school") ||
			!strings.Contains(text, "1 例 cases") || !strings.Contains(text, "李一（一年级(1)班）") {
			t.Errorf("the school's illness-absence alert reads %q, want 李一 of 一年级(1)班 named", text)
		}
		if text := read(t, ctx, chromedp.Text(css(alertForm+` .people`))); text != "李一、Tom" {
			t.Errorf("the fever alert names %q, want 李一、Tom (the class's alert: no class after the names)", text)
		}
		// Times are typed on the school's clock (Shanghai), not the browser's (UTC). The fever "ended" at 08:30
		// in Shanghai, after the server's now (08:00 there): refused, on that field.
		do(t, ctx, choose(form+` select[name=outcome]`, "common_illness"), fill(form+` input[name=diagnosis]`, "感冒 common cold"),
			choose(form+` input[name=symptomsEndedAt]`, "2026-11-23T08:30"), chromedp.Click(css(form+` button[type=submit]`)),
			chromedp.WaitVisible(css(form+` input[name=symptomsEndedAt].invalid`)))
		if got := must(e.client.FollowUp.Get(system(), fu.ID)); got.Outcome != followup.OutcomeUnknown || got.SymptomsEndedAt != nil {
			t.Fatalf("a refused step changed the follow-up: %+v", got)
		}
		do(t, ctx, choose(form+` input[name=symptomsEndedAt]`, "2026-11-22T20:00"), chromedp.Click(css(form+` button[type=submit]`)),
			chromedp.WaitVisible(css(form+` button.clear`)))
		got := must(e.client.FollowUp.Get(system(), fu.ID))
		ended := time.Date(2026, 11, 22, 20, 0, 0, 0, shanghai)
		if got.Outcome != followup.OutcomeCommonIllness || got.Diagnosis != "感冒 common cold" || got.SymptomsEndedAt == nil ||
			!got.SymptomsEndedAt.Equal(ended) || got.Clearance != followup.ClearanceRequired || got.EarliestReturnAt == nil ||
			!got.EarliestReturnAt.Equal(ended.Add(48*time.Hour)) {
			t.Fatalf("after the step: %+v", got)
		}
		// Too early to return: the page says so and the pupil still needs clearance.
		do(t, ctx, chromedp.Click(css(form+` button.clear`)), chromedp.WaitVisible(css(`#msg.err`)))
		if msg := read(t, ctx, chromedp.Text(css(`#msg`))); !strings.Contains(msg, "too early") {
			t.Errorf("clearing too early says %q", msg)
		}
		if got := must(e.client.FollowUp.Get(system(), fu.ID)); got.Clearance != followup.ClearanceRequired {
			t.Fatalf("cleared too early: %+v", got)
		}
		// Clearing a return is the health teacher's: the class teacher sees the pupil needs it, and no button.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.teacher"), chromedp.WaitVisible(css(form)))
		if text, n := read(t, ctx, chromedp.Text(css(form))), read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(form+` button.clear`)+`).length`)); n != 0 ||
			!strings.Contains(text, "needs clearance") {
			t.Errorf("the class teacher's follow-up offers %d clear buttons and says %q", n, text)
		}
		// Two days later (her session has expired: she signs in again) the health teacher clears the return;
		// the follow-up leaves the list.
		e.advance(49 * time.Hour)
		do(t, ctx, chromedp.Reload(), signIn("a.nurse"), chromedp.WaitVisible(css(form+` button.clear`)), chromedp.Click(css(form+` button.clear`)),
			chromedp.WaitNotPresent(css(form)))
		if got := must(e.client.FollowUp.Get(system(), fu.ID)); got.Clearance != followup.ClearanceCleared ||
			got.Status != followup.StatusClosed || got.ClearedByID == nil || *got.ClearedByID != nurse.ID {
			t.Fatalf("after clearing: %+v", got)
		}

		// Tom, sent to the observation room by the morning check: the health teacher records a reading (a word
		// for the temperature is refused at once), tells his parents and sends him back to class, which ends
		// the stay.
		do(t, ctx, fill(room+` input[name=temperature]`, "三十七"), chromedp.Click(css(room+` button[type=submit]`)),
			chromedp.WaitVisible(css(room+` input[name=temperature].invalid`)))
		do(t, ctx, fill(room+` input[name=temperature]`, "37.4"), fill(room+` input[name=note]`, "精神好 alert"),
			chromedp.Click(css(room+` button[type=submit]`)), chromedp.WaitVisible(css(room+` .readings li`)))
		do(t, ctx, chromedp.Click(css(room+` button.told`)), chromedp.WaitNotPresent(css(room+` button.told`)))
		do(t, ctx, choose(room+` select[name=outcome]`, "back_to_class"), fill(room+` input[name=handedOverTo]`, "陈老师"),
			chromedp.Click(css(room+` button.leave`)), chromedp.WaitNotPresent(css(room)))
		got2 := must(e.client.ObservationStay.Get(system(), stay.ID))
		if got2.Status != observationstay.StatusClosed || got2.Outcome == nil || *got2.Outcome != observationstay.OutcomeBackToClass ||
			got2.ParentNotifiedAt == nil || len(got2.Readings) != 1 || got2.Readings[0].Temperature == nil || *got2.Readings[0].Temperature != 37.4 ||
			got2.ClosedByID == nil || *got2.ClosedByID != nurse.ID || got2.HandedOverTo != "陈老师" {
			t.Fatalf("the stay after the release: %+v", got2)
		}

		// 王二 reads 38.2 °C at the gate: the health teacher brings him in herself, by class and name (a word for
		// the reading is refused at once), and he shows in the room.
		admit := `form.admit`
		option := func(sel string, id int) { // once the server's list has it
			read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(sel+` option[value="`+strconv.Itoa(id)+`"]`)+`) !== null`))
			do(t, ctx, choose(sel, strconv.Itoa(id)))
		}
		option(admit+` select[name=classID]`, w.c2)
		option(admit+` select[name=studentID]`, w.s2)
		do(t, ctx, choose(admit+` select[name=reason]`, "fever"), fill(admit+` input[name=temperature]`, "三十八"),
			chromedp.Click(css(admit+` button[type=submit]`)), chromedp.WaitVisible(css(admit+` input[name=temperature].invalid`)))
		do(t, ctx, fill(admit+` input[name=temperature]`, "38.2"), fill(admit+` input[name=note]`, "校门测温 gate"),
			chromedp.Click(css(admit+` button[type=submit]`)))
		read(t, ctx, chromedp.Poll[bool](`[...document.querySelectorAll('.observation form.stay')].some((f) => f.textContent.includes('王二'))`))
		wang := must(e.client.ObservationStay.Query().Where(observationstay.StudentID(w.s2)).Only(system()))
		if wang.Reason != observationstay.ReasonFever || wang.Temperature == nil || *wang.Temperature != 38.2 || wang.Note != "校门测温 gate" ||
			wang.OpenedByID == nil || *wang.OpenedByID != nurse.ID || wang.CheckID != nil || wang.ClassID == nil || *wang.ClassID != w.c2 {
			t.Errorf("王二's stay = %+v", wang)
		}

		// The fever alert: acknowledged, then handled with what was done.
		do(t, ctx, chromedp.Click(css(alertForm+` button.ack`)), chromedp.WaitNotPresent(css(alertForm+` button.ack`)))
		if got := must(e.client.Alert.Get(system(), al.ID)); got.Status != alert.StatusAcknowledged ||
			got.AcknowledgedByID == nil || *got.AcknowledgedByID != nurse.ID {
			t.Fatalf("after acknowledging: %+v", got)
		}
		do(t, ctx, fill(alertForm+` input[name=disposition]`, "观察室复测 37.2, 家长接回"), chromedp.Click(css(alertForm+` button.handled`)),
			chromedp.WaitNotPresent(css(alertForm)))
		if got := must(e.client.Alert.Get(system(), al.ID)); got.Status != alert.StatusHandled || got.Disposition != "观察室复测 37.2, 家长接回" {
			t.Fatalf("after handling: %+v", got)
		}
	})
}

// TestConsoleStaffCheck: the leader of a staff group (包教职工) reports its check from the console like a
// class: the morning zero report in one tap; at 14:30 the noon check shows overdue, and a member off sick
// is reported late.
func TestConsoleStaffCheck(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 7, 50, 0, 0, shanghai) // a Monday morning
		w := e.newWorld()
		sys := system()
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		qian := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("钱老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("王校长包保组").AddMemberIDs(zhao.ID, qian.ID).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g.ID)
		must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("教务处").SetKind("department").Save(sys)) // never reports
		card := `[data-group="` + strconv.Itoa(g.ID) + `"]`
		morning, noon := card+` .session[data-session=morning]`, card+` .session[data-session=noon]`

		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(morning+` .state.pending`)),
			chromedp.Click(css(morning+` button.zero`)), chromedp.WaitVisible(css(morning+` .state.submitted`)))
		zero := must(e.client.StaffCheck.Query().Where(staffcheck.StaffGroupID(g.ID), staffcheck.SessionEQ(staffcheck.SessionMorning)).Only(sys))
		if !zero.ZeroReport || zero.Enrolled != 2 || zero.Present != 2 || !zero.OnTime {
			t.Fatalf("staff zero report = %+v", zero)
		}

		e.advance(6*time.Hour + 40*time.Minute) // 14:30, past the noon deadline
		form := `form.check[data-session=noon]`
		line := form + ` tr[data-person="` + strconv.Itoa(zhao.ID) + `"]`
		do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(css(noon+` .state.overdue`)),
			chromedp.Click(css(noon+` button.secondary`)), chromedp.WaitVisible(css(form)),
			choose(line+` select[name=status]`, "sick_leave"), chromedp.Click(css(line+` input[value=cough]`)),
			chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitVisible(css(noon+` .state.late`)))
		sick := must(e.client.StaffCheck.Query().Where(staffcheck.StaffGroupID(g.ID), staffcheck.SessionEQ(staffcheck.SessionNoon)).
			WithEntries().Only(sys))
		if sick.ZeroReport || sick.OnTime || sick.AbsentIllness != 1 || sick.Present != 1 || len(sick.Edges.Entries) != 1 ||
			sick.Edges.Entries[0].StaffID != zhao.ID || len(sick.Edges.Entries[0].Symptoms) != 1 || sick.Edges.Entries[0].Symptoms[0] != "cough" {
			t.Fatalf("staff noon check = %+v, lines %+v", sick, sick.Edges.Entries)
		}

		// The principal's school board has the staff groups too: of two, one reported noon late, one not at all.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(`.board .staff tr[data-session=noon]`)))
		cells := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.board .staff tr[data-session=noon] td')].map((td) => td.textContent)`))
		if want := []string{"午检 Noon", "2", "1", "1", "1", "1", "50%", "1", "0"}; !slices.Equal(cells, want) {
			t.Errorf("the principal's staff row for noon = %q, want %q", cells, want)
		}
		if text := read(t, ctx, chromedp.Text(css(`.board .missing.staff[data-session=noon]`))); !strings.Contains(text, "教务处 ⚠ 逾期 overdue") {
			t.Errorf("staff groups not reported at noon: %q", text)
		}
		// 赵老师 off sick raised the staff illness alert: the principal handles it, a cold (the decision on reporting
		// it upward is TestConsoleStaffIllnessUpward's).
		ill := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness)).Only(sys))
		staffAlert := `form.alert[data-id="` + strconv.Itoa(ill.ID) + `"]`
		if text := read(t, ctx, chromedp.Text(css(staffAlert))); !strings.Contains(text, "教职工因病 Staff illness") || !strings.Contains(text, "1 例 cases") {
			t.Errorf("the principal's staff illness alert reads %q", text)
		}
		do(t, ctx, fill(staffAlert+` input[name=disposition]`, "普通感冒，不上报 a cold, not reported"),
			chromedp.Click(css(staffAlert+` button.handled`)), chromedp.WaitNotPresent(css(staffAlert)))
		if got := must(e.client.Alert.Get(sys, ill.ID)); got.Status != alert.StatusHandled || got.Disposition != "普通感冒，不上报 a cold, not reported" ||
			got.ClosedByID == nil || *got.ClosedByID != w.pa.ID {
			t.Errorf("the staff illness alert after the principal's decision: %+v", got)
		}
	})
}

// TestConsoleStaffFollowUps: a staff member reported off sick with fever is followed up in the console like
// a pupil: her group's leader records the cause and when the fever ended (on the school's clock), and the
// page says from when the return to work may be cleared; the leader is offered no clearance, the health
// teacher clears it two days later and it leaves the list; the epidemic reporter verifies it. The principal
// sees the panel, a class teacher without a staff group and the district do not.
func TestConsoleStaffFollowUps(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newWorld()
		sys := system()
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		qian := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("钱老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("王校长包保组").AddMemberIDs(zhao.ID, qian.ID).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g.ID)
		nurse := e.staffUser(w, "a.nurse", authz.HealthTeacher)
		reporter := e.staffUser(w, "a.reporter", authz.EpidemicReporter)
		e.staffUser(w, "a.classteacher", authz.ClassTeacher)
		e.gql(w.tok["a.teacher"], `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"staffGroupID": g.ID, "date": "2026-11-23", "session": "morning", "present": 1, "entries": []map[string]any{
				{"staffID": zhao.ID, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}},
			}}}).ok(t)
		fu := must(e.client.StaffFollowUp.Query().Where(stafffollowup.StaffID(zhao.ID)).Only(sys))
		panel := `.staff-followups`
		form := panel + ` form.followup[data-id="` + strconv.Itoa(fu.ID) + `"]`
		text := func() string { return read(t, ctx, chromedp.Text(css(form))) }

		// At 10:00 the group's leader sees 赵老师's follow-up: the group, the day, the fever, due at 18:00.
		e.advance(2 * time.Hour)
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(form)))
		if got := text(); !strings.Contains(got, "赵老师 · 王校长包保组") || !strings.Contains(got, "2026-11-23 · fever · 到期 due 2026/11/23 18:00:00") ||
			strings.Contains(got, "needs clearance") {
			t.Errorf("the leader's staff follow-up reads %q", got)
		}
		// The fever ended at 09:00 on the school's clock (the browser's is UTC): a common illness, which needs
		// clearance 48 hours later, Wednesday 09:00; the leader may not give it.
		do(t, ctx, choose(form+` select[name=outcome]`, "common_illness"), fill(form+` input[name=diagnosis]`, "感冒"),
			choose(form+` input[name=symptomsEndedAt]`, "2026-11-23T09:00"), chromedp.Click(css(form+` button[type=submit]`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(form)+`)?.textContent.includes('needs clearance')`))
		if got := text(); !strings.Contains(got, "需复工审核 needs clearance") || !strings.Contains(got, "最早复工 earliest return 2026/11/25 09:00:00") {
			t.Errorf("after the step the page says %q, want clearance needed from Wednesday 09:00", got)
		}
		got := must(e.client.StaffFollowUp.Get(sys, fu.ID))
		if got.Outcome != stafffollowup.OutcomeCommonIllness || got.Diagnosis != "感冒" || got.SymptomsEndedAt == nil ||
			!got.SymptomsEndedAt.Equal(mondayAt("09:00")) || got.Clearance != stafffollowup.ClearanceRequired ||
			got.EarliestReturnAt == nil || !got.EarliestReturnAt.Equal(mondayAt("09:00").Add(48*time.Hour)) {
			t.Fatalf("after the leader's step: %+v", got)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(form+` button.clear, `+panel+` button.verify, `+panel+` form.verify-all`)+`).length`)); n != 0 {
			t.Errorf("the group's leader is offered %d clear or verify buttons", n)
		}

		// Wednesday 09:05 (Monday's sessions have ended): the health teacher clears the return; it leaves the list.
		e.advance(47*time.Hour + 5*time.Minute)
		do(t, ctx, chromedp.Reload(), signIn("a.nurse"), chromedp.WaitVisible(css(form+` button.clear`)), chromedp.Click(css(form+` button.clear`)),
			chromedp.WaitNotPresent(css(form)))
		if got := must(e.client.StaffFollowUp.Get(sys, fu.ID)); got.Clearance != stafffollowup.ClearanceCleared ||
			got.Status != stafffollowup.StatusClosed || got.ClearedByID == nil || *got.ClearedByID != nurse.ID || got.VerifiedAt != nil {
			t.Fatalf("after clearing: %+v", got)
		}

		// The epidemic reporter still has it to verify (closed, not verified): all listed, and it goes.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.reporter"), chromedp.WaitVisible(css(form+` button.verify`)),
			chromedp.Click(css(panel+` form.verify-all button`)), chromedp.WaitNotPresent(css(form)))
		if got := must(e.client.StaffFollowUp.Get(sys, fu.ID)); got.VerifiedAt == nil || got.VerifiedByID == nil || *got.VerifiedByID != reporter.ID {
			t.Fatalf("after verifying: %+v", got)
		}

		// The principal has the panel; a class teacher without a staff group and the district have not.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(panel+` .list p.muted`)))
		// Each waits for what the same drawing of the page shows them (the pupils' follow-ups, the district's board).
		for who, shown := range map[string]string{"a.classteacher": `.followups`, "d1.admin": `.board`} {
			do(t, ctx, chromedp.Click(css(`#logout`)), signIn(who), chromedp.WaitVisible(css(shown)))
			if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+panel+`').length`)); n != 0 {
				t.Errorf("%s is shown the staff follow-ups", who)
			}
		}
	})
}

// TestConsoleInitialPassword: an account on its initial password gets the change-password form and
// nothing else; a weak new password is refused on its field, two that differ on the second; after the
// change the console opens and the new password signs in.
func TestConsoleInitialPassword(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00") // a school day, whatever day the test runs
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		must(e.client.User.UpdateOneID(w.ta.ID).SetMustChangePassword(true).Save(system()))
		const next = "chalk-and-board-2026"

		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(`#password`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#classes > *').length`)); n != 0 {
			t.Errorf("%d class cards shown before the initial password was changed", n)
		}
		do(t, ctx, fill(`#pw-current`, testPassword), fill(`#pw-new`, "short"), fill(`#pw-again`, "short"),
			chromedp.Click(css(`#password button[type=submit]`)), chromedp.WaitVisible(css(`#pw-new.invalid`)))
		do(t, ctx, fill(`#pw-new`, next), fill(`#pw-again`, next+"!"), chromedp.Click(css(`#password button[type=submit]`)),
			chromedp.WaitVisible(css(`#pw-again.invalid`)))
		if u := must(e.client.User.Get(system(), w.ta.ID)); !u.MustChangePassword {
			t.Fatal("a refused change went through")
		}
		do(t, ctx, fill(`#pw-again`, next), chromedp.Click(css(`#password button[type=submit]`)),
			chromedp.WaitVisible(css(`[data-class="`+strconv.Itoa(w.c1)+`"] .session`)), chromedp.WaitNotVisible(css(`#password`)))
		if u := must(e.client.User.Get(system(), w.ta.ID)); u.MustChangePassword {
			t.Error("still flagged after the change")
		}
		if _, err := e.auth.Login(context.Background(), "a.teacher", next); err != nil {
			t.Errorf("the new password does not sign in: %v", err)
		}
	})
}

// expectedState is where a class's report for a date and session stands, as the server says to token.
func (e *env) expectedState(t *testing.T, token string, classID int, date, session string) string {
	t.Helper()
	var x struct{ State string }
	e.gql(token, `query($c: ID!, $d: String!, $s: ClassCheckSession!) { expectedReport(classID: $c, date: $d, session: $s) { state } }`,
		map[string]any{"c": classID, "d": date, "s": session}).ok(t).decode(t, "expectedReport", &x)
	return x.State
}

// beforeLoad runs script in every document the tab opens from now on, before the page's own scripts.
func beforeLoad(script string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	})
}

// download fetches a link of the page with the page's own session, as a click would: status, type, body.
func download(sel string) chromedp.Action[[]string] {
	return chromedp.Evaluate[[]string](`(async () => { const r = await fetch(document.querySelector(`+strconv.Quote(sel)+`).href);
		return [String(r.status), r.headers.get('content-type'), await r.text()]; })()`, chromedp.EvalAwaitPromise)
}

// TestConsoleDailyReports: the compiled daily report of a school in the console. The health teacher reads it
// and its board but is offered neither the attestation nor exemptions (she may do neither), and her board
// refreshes itself when a late check comes in. The epidemic reporter must say whether it is a zero report (no
// default), is refused when she says zero for a report with cases, and attests it; the files download with
// her session. The district admin sees the district's report with which schools attested, and downloads the
// district summary for the week.
func TestConsoleDailyReports(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		f := e.boardFixture()
		w := f.w
		const date = "2026-11-23"
		pupil := must(e.client.Student.Query().Where(student.ClassID(f.c12.ID)).First(system()))
		must(e.client.ObservationStay.Create().SetTenantID(w.A.ID).SetStudentID(pupil.ID).SetClassID(f.c12.ID).SetDate(date).
			SetInAt(mondayAt("09:20")).SetOpenKey("student:" + strconv.Itoa(pupil.ID)).Save(system()))
		// 赵, of the staff, is off sick with a fever and a cough.
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(system()))
		staffGroup := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("总务处").AddMemberIDs(zhao.ID).Save(system()))
		sick := checkentry.AbsenceTypeSickLeave
		must(checks.SubmitStaff(system(), e.client, checks.StaffReport{StaffGroupID: staffGroup.ID, Date: date, Session: "morning",
			Entries: []checks.Entry{{PersonID: zhao.ID, Kind: checkentry.KindAbsent, AbsenceType: &sick, Symptoms: []string{"fever", "cough"}}}},
			mondayAt("07:40")))
		report := must(checks.CompileSchool(system(), e.client, w.A.ID, date, mondayAt("16:00"))).Report
		must(checks.CompileDistrict(system(), e.client, w.D1.ID, date, mondayAt("16:05")))
		e.staffUser(w, "a.nurse", authz.HealthTeacher)
		reporter := e.staffUser(w, "a.reporter", authz.EpidemicReporter)
		e.now = mondayAt("16:30")
		row := `.reports .report[data-id="` + strconv.Itoa(report.ID) + `"]`
		c22 := `.board .missing[data-session=morning] li[data-class="` + strconv.Itoa(f.c22.ID) + `"]`

		do(t, ctx, beforeLoad(`window.campusRefreshSeconds = 1`), chromedp.Navigate(e.srv.URL+"/"), signIn("a.nurse"),
			chromedp.WaitVisible(css(row)), chromedp.WaitVisible(css(c22)))
		text := read(t, ctx, chromedp.Text(css(row)))
		if !strings.Contains(text, date+" · v1") || !strings.Contains(text, "待确认 Not attested") || !strings.Contains(text, "晨检 Morning 2/3 67%") ||
			!strings.Contains(text, "留观 observation 1 (在室 still in 1, 转诊 referred 0)") ||
			!strings.Contains(text, "学生 Pupils: 因病缺勤 Off sick 1 (流感样 ILI 1) · 新增传染病 New notifiable cases 0 · 复课 Returns 0 · 未核实 Unverified 1") {
			t.Errorf("the health teacher's report row = %q", text)
		}
		if text := read(t, ctx, chromedp.Text(css(row+` .staff-health`))); text !=
			"教职工 Staff: 因病缺勤 Off sick 1 (流感样 ILI 1) · 新增传染病 New notifiable cases 0 · 复工 Back to work 0 · 未核实 Unverified 1" {
			t.Errorf("the report's staff health = %q", text)
		}
		do(t, ctx, chromedp.WaitVisible(css(`.followups form.followup`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('form.attest, button.exempt, button.verify, form.verify-all').length`)); n != 0 {
			t.Errorf("the health teacher is offered %d attestations, exemptions or verifications", n)
		}
		if text := read(t, ctx, chromedp.Text(css(c22+` a.tel[href="tel:13800000001"]`))); text != "☎ 13800000001" {
			t.Errorf("王老师's phone under the class not reported = %q", text)
		}
		// 二年级(2)班's morning check comes in late: her board drops it from the missing without a reload.
		must(checks.Submit(system(), e.client, checks.Report{ClassID: f.c22.ID, Date: date, Session: "morning", Zero: true}, e.now))
		do(t, ctx, chromedp.WaitNotPresent(css(c22)))
		// No more refreshing from here: a board reloading under the pointer would move what the test clicks.
		// (The page's timer keeps the period it started with: stop the timer itself.)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`clearInterval(refresher)`))
		// The week up to the board's day: Monday has 3 of 6 reports in (2 mornings and the late one), last week
		// none, the weekend no school.
		trend := `[...document.querySelectorAll('.board .trend tr')].map((tr) => [...tr.cells].map((c) => c.textContent))`
		if rows := read(t, ctx, chromedp.Evaluate[[][]string](trend)); len(rows) < 2 || len(rows[1]) != 8 || rows[0][7] != "11-23" ||
			rows[1][7] != "50%" || rows[1][6] != "—" || rows[1][5] != "—" || rows[1][4] != "0%" {
			t.Errorf("the week's completeness = %q", rows)
		}
		// Its counts: Monday's over the reports in; Friday, with nothing reported, has none (a dash), never 0.
		var monday []struct{ IllnessAbsenceRate *float64 }
		e.gql(w.tok["a.principal"], `query($s: BoardScopeInput!) { trend(scope: $s, from: "2026-11-23", to: "2026-11-23") { illnessAbsenceRate } }`,
			map[string]any{"s": map[string]any{"tenantID": w.A.ID}}).ok(t).decode(t, "trend", &monday)
		if rows := read(t, ctx, chromedp.Evaluate[[][]string](trend)); len(rows) < 6 || len(rows[3]) != 8 || rows[3][7] != "1" ||
			rows[3][4] != "—" || rows[4][4] != "—" || rows[5][4] != "—" || len(monday) != 1 || monday[0].IllnessAbsenceRate == nil ||
			rows[4][7] != share(monday[0].IllnessAbsenceRate) {
			t.Errorf("the week's sick leave, illness-absence rate and symptomatic rows = %q; Monday's rate %+v", rows, monday)
		}
		// Last Friday's board: nobody reported, 一年级(1)班 among them.
		c11 := `.board .missing[data-session=morning] li[data-class="` + strconv.Itoa(f.c11.ID) + `"]`
		do(t, ctx, choose(`.board h2 input[name=date]`, "2026-11-20"), chromedp.WaitVisible(css(c11)))
		if rows := read(t, ctx, chromedp.Evaluate[[][]string](trend)); len(rows) < 1 || rows[0][7] != "11-20" {
			t.Errorf("Friday's board shows the week up to %q", rows)
		}
		// Its sessions: reports due, none in, so no counts (zero reports, off sick, the illness-absence rate,
		// symptomatic): dashes, not 0.
		if cells := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.board .sessions tr[data-session=morning] td')].map((td) => td.textContent)`)); len(cells) != 13 ||
			cells[1] == "0" || cells[2] != "0" || cells[9] != "—" || cells[10] != "—" || cells[11] != "—" || cells[12] != "—" {
			t.Errorf("Friday's morning row = %q, want reports due, none submitted, and dashes for the counts", cells)
		}

		// The epidemic reporter verifies the day's illness absences, all listed at once, before she attests.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.reporter"), chromedp.WaitVisible(css(`.followups button.verify`)),
			chromedp.Click(css(`.followups form.verify-all button[type=submit]`)), chromedp.WaitNotPresent(css(`.followups button.verify`)))
		if fus := must(e.client.FollowUp.Query().All(system())); len(fus) != 1 || fus[0].VerifiedAt == nil ||
			fus[0].VerifiedByID == nil || *fus[0].VerifiedByID != reporter.ID {
			t.Errorf("the follow-ups after verifying = %+v", fus)
		}
		do(t, ctx, chromedp.WaitVisible(css(row+` form.attest`)),
			chromedp.Click(css(row+` form.attest button[type=submit]`)), chromedp.WaitVisible(css(row+` input[name=zeroReport].invalid`)))
		if msg := read(t, ctx, chromedp.Text(css(`#msg.err`))); !strings.Contains(msg, "zero report") {
			t.Errorf("attesting without saying whether it is a zero report says %q", msg)
		}
		do(t, ctx, chromedp.Click(css(row+` input[name=zeroReport][value=true]`)), chromedp.Click(css(row+` form.attest button[type=submit]`)))
		// The server's answer, not the message before it: typing on while it is on its way would lose keys to
		// the field it focuses.
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('#msg.err')?.textContent.includes('not a zero report')`))
		if got := must(e.client.DailyReport.Get(system(), report.ID)); got.AttestedAt != nil {
			t.Fatalf("a report with cases was attested as a zero report: %+v", got)
		}
		do(t, ctx, chromedp.Click(css(row+` input[name=zeroReport][value=false]`)), fill(row+` input[name=note]`, "已核对 checked"),
			chromedp.Click(css(row+` form.attest button[type=submit]`)), chromedp.WaitNotPresent(css(row+` form.attest`)))
		got := must(e.client.DailyReport.Get(system(), report.ID))
		if got.AttestedByID == nil || *got.AttestedByID != reporter.ID || got.AttestedOnTime == nil || !*got.AttestedOnTime || got.AttestNote != "已核对 checked" {
			t.Fatalf("after attesting: %+v", got)
		}
		if text := read(t, ctx, chromedp.Text(css(row+` .attested`))); !strings.Contains(text, "已确认 Attested by a.reporter") {
			t.Errorf("the attested row says %q", text)
		}
		// The report's file, and the live sheets of the date chosen, with her session.
		if r := read(t, ctx, download(row+` a.export.csv`)); r[0] != "200" || !strings.HasPrefix(r[1], "text/csv") || !strings.Contains(r[2], "二年级(2)班") {
			t.Errorf("the report's CSV: %.300q", r)
		}
		persons := `.reports .exports a.export.csv[data-file=persons]`
		if r := read(t, ctx, download(persons)); r[0] != "200" || !strings.Contains(r[2], "甲") || strings.Contains(r[2], "子") {
			t.Errorf("today's absent and symptomatic pupils: %.300q", r)
		}
		do(t, ctx, choose(`.reports .exports input[name=date]`, "2026-11-20"))
		if href := read(t, ctx, chromedp.AttributeValue(css(persons), "href")).Value; !strings.HasSuffix(href, "/exports/persons.csv?date=2026-11-20") {
			t.Errorf("after choosing 20 November the link is %q", href)
		}

		// The district: its report, compiled before School A attested, and the week's summary per school.
		district := `.reports .report[data-date="` + date + `"]`
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("d1.admin"), chromedp.WaitVisible(css(district+` .schools-summary`)))
		if text := read(t, ctx, chromedp.Text(css(district+` .schools-summary`))); !strings.Contains(text, "已确认 attested 0 · 未确认 not attested: Kindergarten A2、School A") {
			t.Errorf("the district's report says %q", text)
		}
		if text := read(t, ctx, chromedp.Text(css(district+` .staff-health`))); !strings.HasPrefix(text, "教职工 Staff: 因病缺勤 Off sick 1 (流感样 ILI 1)") {
			t.Errorf("the district's staff health = %q", text)
		}
		summary := `.reports .exports a.export.xlsx[data-file=district-summary]`
		if href := read(t, ctx, chromedp.AttributeValue(css(summary), "href")).Value; !strings.HasSuffix(href, "?from=2026-11-17&to=2026-11-23") {
			t.Errorf("the district summary link is %q, want the last seven days", href)
		}
		if r := read(t, ctx, download(summary)); r[0] != "200" || !strings.Contains(r[1], "spreadsheetml") {
			t.Errorf("the district summary: %.100q", r)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('form.attest').length`)); n != 0 {
			t.Errorf("a district report offers %d attestations", n)
		}
	})
}

// TestConsoleExportTemplates: District One builds the province's shape of the school daily report in the
// console: a name (required before anything is sent), the sheet, and its columns one by one — 学校 as
// 单位名称, fixed text 类别 = 晨午检, 实到人数 as 实到. A header used twice is refused on that column's header
// (the server's columns[i].header, renumbered after a column is removed) and nothing is written; saved, the
// template holds exactly those columns. School A's principal sees it marked as the district's, without a
// delete button, picks it for the school daily export and downloads the school's rows in the province's
// columns; her own template she deletes from the page, and the exports no longer offer it. A class teacher,
// who keeps no template, has no such panel.
func TestConsoleExportTemplates(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		f := e.boardFixture()
		w := f.w
		form := `.templates form.add-template`
		column := func(i int, part string) string { return fmt.Sprintf(`%s [name="columns[%d].%s"]`, form, i, part) }
		has := func(sel string) chromedp.Action[bool] {
			return chromedp.Poll[bool](`document.querySelector(` + strconv.Quote(sel) + `) !== null`)
		}
		count := func() int { return must(e.client.ExportTemplate.Query().Count(system())) }

		// The form starts with a column of the first sheet; the sheet chosen, its columns are offered instead.
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("d1.admin"), chromedp.WaitVisible(css(form)))
		read(t, ctx, has(column(0, "source")+` option[value="日期"]`))
		do(t, ctx, choose(form+` select[name=sheet]`, "school_daily"))
		read(t, ctx, has(column(0, "source")+` option[value="实到人数"]`))
		do(t, ctx, chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitVisible(css(form+` input[name=name].invalid`)))
		if n := count(); n != 0 {
			t.Fatalf("a template without a name was written (%d)", n)
		}
		do(t, ctx, fill(form+` input[name=name]`, "省晨午检日报"),
			choose(column(0, "source"), "学校"), fill(column(0, "header"), "单位名称"),
			chromedp.Click(css(form+` button.add-row`)), // a column to drop again: it starts as the sheet's first
			chromedp.Click(css(form+` button.add-row`)), choose(column(2, "source"), ""), fill(column(2, "header"), "类别"), fill(column(2, "value"), "晨午检"),
			chromedp.Click(css(form+` button.add-row`)), choose(column(3, "source"), "实到人数"))
		if v := read(t, ctx, chromedp.Value(css(column(3, "header")))); v != "实到人数" {
			t.Errorf("a new column's header is %q, want its source's name", v)
		}
		do(t, ctx, fill(column(3, "header"), "单位名称"), chromedp.Click(css(form+` button[type=submit]`)),
			chromedp.WaitVisible(css(column(3, "header")+`.invalid`)))
		if msg := read(t, ctx, chromedp.Text(css(`#msg.err`))); !strings.Contains(msg, "单位名称") {
			t.Errorf("a header used twice says %q", msg)
		}
		if n := count(); n != 0 {
			t.Fatalf("a refused template was written (%d)", n)
		}
		// The spare column goes: the one after it is columns[2] now, and the server's names still fit.
		do(t, ctx, chromedp.Click(css(form+` tr.column:nth-child(2) button.remove-row`)), chromedp.WaitNotPresent(css(column(3, "header"))),
			fill(column(2, "header"), "实到"), chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitVisible(css(`.templates .template`)))
		tpl := must(e.client.ExportTemplate.Query().Only(system()))
		want := []types.ExportColumn{{Source: "学校", Header: "单位名称"}, {Header: "类别", Value: "晨午检"}, {Source: "实到人数", Header: "实到"}}
		if tpl.Name != "省晨午检日报" || tpl.Sheet != exporttemplate.SheetSchoolDaily || tpl.TenantID != w.D1.ID || !slices.Equal(tpl.Columns, want) {
			t.Fatalf("the saved template %+v, want District One's school_daily with %+v", tpl, want)
		}
		row := `.templates .template[data-id="` + strconv.Itoa(tpl.ID) + `"]`
		if text := read(t, ctx, chromedp.Text(css(row))); !strings.Contains(text, "省晨午检日报 学校日报 School daily: 单位名称 | 类别 | 实到") {
			t.Errorf("the district's row = %q", text)
		}
		do(t, ctx, chromedp.WaitVisible(css(row+` button.remove`)))

		// School A's principal: the district's template is marked so and not hers to delete; her own is.
		var own struct{ ID string }
		e.gql(w.tok["a.principal"], createTemplate, map[string]any{"i": map[string]any{"name": "市疾控明细", "sheet": "persons",
			"columns": []map[string]any{{"source": "姓名", "header": "学生姓名"}}}}).ok(t).decode(t, "createExportTemplate", &own)
		mine := `.templates .template[data-id="` + own.ID + `"]`
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(row)), chromedp.WaitVisible(css(mine+` button.remove`)))
		if text := read(t, ctx, chromedp.Text(css(row))); !strings.Contains(text, "区县的 The district's") {
			t.Errorf("the district's template shows to the school as %q", text)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(row+` button`)+`).length`)); n != 0 {
			t.Errorf("the district's template offers the school %d buttons", n)
		}
		// The district's exports are not hers: a template is offered for the school's sheets only.
		sheets := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(`+strconv.Quote(form+` select[name=sheet] option`)+`)].map((o) => o.value)`))
		if !slices.Equal(sheets, []string{"persons", "school_daily"}) {
			t.Errorf("the principal is offered templates of the sheets %q, want persons and school_daily (no district_summary, no school_totals)", sheets)
		}

		// She exports the school daily sheet in the province's columns: the school's rows, 学校 and 实到人数.
		choice := `.reports .exports select.template[data-sheet=school_daily]`
		link := `.reports .exports a.export.csv[data-file=school-daily]`
		read(t, ctx, has(choice+` option[value="`+strconv.Itoa(tpl.ID)+`"]`))
		do(t, ctx, choose(choice, strconv.Itoa(tpl.ID)))
		if href := read(t, ctx, chromedp.AttributeValue(css(link), "href")).Value; !strings.HasSuffix(href, "?date=2026-11-23&template="+strconv.Itoa(tpl.ID)) {
			t.Errorf("the school daily link with the template is %q", href)
		}
		r := read(t, ctx, download(link))
		if r[0] != "200" {
			t.Fatalf("the shaped export: %.300q", r)
		}
		shaped := must(csv.NewReader(strings.NewReader(strings.TrimPrefix(r[2], "\ufeff"))).ReadAll())
		plain := e.sheets(w.tok["a.principal"], "/exports/school-daily.{}?date=2026-11-23")
		if len(shaped) == 0 || !slices.Equal(shaped[0], []string{"单位名称", "类别", "实到"}) || len(shaped) != len(plain) {
			t.Fatalf("the shaped export has %d rows (%d plain), header %q", len(shaped), len(plain), shaped)
		}
		for i, p := range plain[1:] {
			c := cells(plain[0], p, "学校", "实到人数")
			if want := []string{c[0], "晨午检", c[1]}; !slices.Equal(shaped[i+1], want) {
				t.Errorf("row %d: %q, want %q", i+1, shaped[i+1], want)
			}
		}
		if len(shaped) < 2 || shaped[1][0] != "School A" {
			t.Errorf("the shaped export's rows: %q, want School A's", shaped)
		}

		// Her own template deleted from the page: gone, and no longer offered for the persons export.
		persons := `.reports .exports select.template[data-sheet=persons] option[value="` + own.ID + `"]`
		read(t, ctx, has(persons))
		do(t, ctx, chromedp.Click(css(mine+` button.remove`)), chromedp.WaitNotPresent(css(mine)), chromedp.WaitNotPresent(css(persons)))
		if must(e.client.ExportTemplate.Query().Where(exporttemplate.Name("市疾控明细")).Exist(system())) {
			t.Error("the principal's template is still there after deleting it")
		}

		// A class teacher keeps no template: no panel.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.teacher"),
			chromedp.WaitVisible(css(`[data-class="`+strconv.Itoa(f.c11.ID)+`"] .session`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.templates').length`)); n != 0 {
			t.Errorf("a class teacher is shown %d template panels", n)
		}
	})
}

// TestConsoleExportTemplateEdit: School A's principal edits her template in place. The form opens under it
// with its name, its sheet (which stays: not to be changed) and its columns as saved, a column of the sheet
// and one of fixed text; a header used twice is refused on that column of this form and nothing changes.
// Renamed, and its first column's header changed, the template is as she typed it on the server, in the
// list, and in the exports' choice of template; the new template's form below is untouched.
func TestConsoleExportTemplateEdit(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		w := e.newWorld()
		tok := w.tok["a.principal"]
		var tpl struct{ ID string }
		e.gql(tok, createTemplate, map[string]any{"i": map[string]any{"name": "市疾控明细", "sheet": "persons", "columns": []map[string]any{
			{"source": "姓名", "header": "学生姓名"}, {"header": "类别", "value": "晨午检"}}}}).ok(t).decode(t, "createExportTemplate", &tpl)
		// served: the template as the server returns it to her.
		served := func() (name, sheet string, columns []types.ExportColumn) {
			var all []struct {
				ID, Name, Sheet string
				Columns         []types.ExportColumn
			}
			e.gql(tok, `{ exportTemplates { id name sheet columns { source header value } } }`, nil).ok(t).decode(t, "exportTemplates", &all)
			for _, x := range all {
				if x.ID == tpl.ID {
					return x.Name, x.Sheet, x.Columns
				}
			}
			t.Fatalf("template %s is not among %+v", tpl.ID, all)
			return
		}
		row := `.templates .template[data-id="` + tpl.ID + `"]`
		form := row + ` form.edit-template`
		column := func(i int, part string) string { return fmt.Sprintf(`%s [name="columns[%d].%s"]`, form, i, part) }
		value := func(sel string) string { return read(t, ctx, chromedp.Value(css(sel))) }

		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.Click(css(row+` button.edit`)),
			chromedp.WaitVisible(css(column(1, "value"))))
		if got := []string{value(form + ` input[name=name]`), value(form + ` select[name=sheet]`), value(column(0, "source")), value(column(0, "header")),
			value(column(1, "source")), value(column(1, "header")), value(column(1, "value"))}; !slices.Equal(got,
			[]string{"市疾控明细", "persons", "姓名", "学生姓名", "", "类别", "晨午检"}) {
			t.Errorf("the edit form holds %q, want the template as saved", got)
		}
		if !read(t, ctx, chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(form+` select[name=sheet]`)+`).disabled`)) {
			t.Error("the edit form offers to change the template's sheet")
		}
		// A second click goes back to the open form.
		do(t, ctx, chromedp.Click(css(row+` button.edit`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.templates form.edit-template').length`)); n != 1 {
			t.Errorf("%d edit forms open, want 1", n)
		}

		do(t, ctx, fill(column(1, "header"), "学生姓名"), chromedp.Click(css(form+` button[type=submit]`)),
			chromedp.WaitVisible(css(column(1, "header")+`.invalid`)))
		if name, _, _ := served(); name != "市疾控明细" {
			t.Fatalf("a refused edit renamed the template to %q", name)
		}
		do(t, ctx, fill(column(1, "header"), "类别"), fill(form+` input[name=name]`, "区疾控明细"), fill(column(0, "header"), "姓名"),
			chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitNotPresent(css(form)))
		name, sheet, columns := served()
		want := []types.ExportColumn{{Source: "姓名", Header: "姓名"}, {Header: "类别", Value: "晨午检"}}
		if name != "区疾控明细" || sheet != "persons" || !slices.Equal(columns, want) {
			t.Fatalf("the edited template is %q (%s) %+v, want 区疾控明细 (persons) %+v", name, sheet, columns, want)
		}
		if text := read(t, ctx, chromedp.Text(css(row))); !strings.Contains(text, "区疾控明细 明细 Persons: 姓名 | 类别") {
			t.Errorf("the edited template's row = %q", text)
		}
		choice := `.reports .exports select.template[data-sheet=persons] option[value="` + tpl.ID + `"]`
		read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(choice)+`)?.textContent === '区疾控明细'`))
		if v := value(`.templates form.add-template input[name=name]`); v != "" {
			t.Errorf("the new template's form took the name %q", v)
		}
	})
}

// TestConsoleSchoolTotals: District One's admin watches its schools over a period in the console, beside the
// district's board: this week by default (Monday to today), then Friday to Monday, School A (a third of
// Monday's reports in) before Kindergarten A2, each figure as the server gives it (schoolTotals); over the
// weekend nothing was due and the rates are dashes, not 0 %. Eleven months are refused on the to input.
// The CSV link downloads the same schools in the same order, and in a template's columns when one is chosen;
// the templates panel offers the sheet. A principal has no such panel.
func TestConsoleSchoolTotals(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		f := e.boardFixture()
		w := f.w
		d1 := w.tok["d1.admin"]
		var tpl struct{ ID string }
		e.gql(d1, createTemplate, map[string]any{"i": map[string]any{"name": "学期汇总", "sheet": "school_totals",
			"columns": []map[string]any{{"source": "学校", "header": "单位"}, {"source": "完整率", "header": "完整"}}}}).ok(t).decode(t, "createExportTemplate", &tpl)
		// The server's rows for a period, as the page should show them.
		pct := func(f *float64) string {
			if f == nil {
				return "—"
			}
			return fmt.Sprintf("%d%%", int(math.Round(*f*100)))
		}
		server := func(from, to string) [][]string {
			var totals []struct {
				Tenant                                                 struct{ Name string }
				SchoolDays, Expected, Submitted, OnTime, Late, Overdue int
				Completeness, OnTimeRate                               *float64
				Absences                                               struct{ SickLeave int }
				IllnessAbsenceRate                                     *float64
				Alerts                                                 struct {
					Opened, ReportedLate, ReportOverdue int
					MedianResponseMinutes               *int
				}
			}
			e.gql(d1, `query($s: BoardScopeInput!, $f: String!, $t: String!) { schoolTotals(scope: $s, from: $f, to: $t) { tenant { name }
				schoolDays expected submitted onTime late overdue completeness onTimeRate absences { sickLeave } illnessAbsenceRate
				alerts { opened medianResponseMinutes reportedLate reportOverdue } } }`,
				map[string]any{"s": map[string]any{"districtID": w.D1.ID}, "f": from, "t": to}).ok(t).decode(t, "schoolTotals", &totals)
			var rows [][]string
			for _, x := range totals {
				median, sick := "—", "—" // sick leave is counted over the reports in: with none, there is no count
				if m := x.Alerts.MedianResponseMinutes; m != nil {
					median = strconv.Itoa(*m)
				}
				if x.Submitted > 0 {
					sick = strconv.Itoa(x.Absences.SickLeave)
				}
				rows = append(rows, []string{x.Tenant.Name, strconv.Itoa(x.SchoolDays), strconv.Itoa(x.Expected), strconv.Itoa(x.Submitted),
					strconv.Itoa(x.OnTime), strconv.Itoa(x.Late), strconv.Itoa(x.Overdue), pct(x.Completeness), pct(x.OnTimeRate),
					sick, share(x.IllnessAbsenceRate), strconv.Itoa(x.Alerts.Opened), median, strconv.Itoa(x.Alerts.ReportedLate + x.Alerts.ReportOverdue)})
			}
			return rows
		}
		// School A answered an alert of Monday's in 15 minutes (the fixture's others are still open).
		must(e.client.Alert.Create().SetTenantID(w.A.ID).SetClassID(f.c11.ID).SetRule(alert.RuleFever).SetOpenedAt(mondayAt("08:00")).
			SetAcknowledgedAt(mondayAt("08:15")).SetStatus(alert.StatusAcknowledged).SetDate("2026-11-23").Save(system()))
		const table = `[...document.querySelectorAll('.school-totals tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent))`
		// shown waits for the page's table to say want (a reload takes a moment), and returns what it says.
		shown := func(want [][]string) [][]string {
			t.Helper()
			j, _ := json.Marshal(want)
			short, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_, _ = chromedp.Run(short, chromedp.Poll[bool](`JSON.stringify(`+table+`) === `+strconv.Quote(string(j))))
			return read(t, ctx, chromedp.Evaluate[[][]string](table))
		}
		panel := `.school-totals`
		from, to := panel+` input[name=from]`, panel+` input[name=to]`

		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("d1.admin"), chromedp.WaitVisible(css(panel+` tbody tr`)))
		if f, to := read(t, ctx, chromedp.Value(css(from))), read(t, ctx, chromedp.Value(css(to))); f != "2026-11-23" || to != "2026-11-23" {
			t.Errorf("the period starts as %s – %s, want this week: Monday 2026-11-23 to today", f, to)
		}
		if want := server("2026-11-23", "2026-11-23"); !slices.EqualFunc(shown(want), want, slices.Equal) {
			t.Errorf("this week shows %q, the server says %q", shown(nil), want)
		}

		// Friday to Monday: the weakest first, as the server orders them, with its figures.
		do(t, ctx, choose(from, "2026-11-20"))
		want := server("2026-11-20", "2026-11-23")
		got := shown(want)
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("Friday to Monday shows %q, the server says %q", got, want)
		}
		if len(got) != 2 || got[0][0] != "School A" || got[1][0] != "Kindergarten A2" || got[0][7] == "—" || got[0][1] != "2" {
			t.Errorf("Friday to Monday: %q, want School A (two school days, a completeness) before Kindergarten A2", got)
		}
		if len(got) == 2 && (got[0][12] != "15" || got[1][11] != "0" || got[1][12] != "—") {
			t.Errorf("the alerts' response: %q, want School A's answered in a median 15 minutes, none at the kindergarten", got)
		}
		// The CSV of the same period: the same schools in the same order.
		link := panel + ` a.export.csv[data-file=school-totals]`
		if href := read(t, ctx, chromedp.AttributeValue(css(link), "href")).Value; !strings.HasSuffix(href,
			fmt.Sprintf("/exports/school-totals.csv?from=2026-11-20&to=2026-11-23&districtID=%d", w.D1.ID)) {
			t.Errorf("the school totals link is %q", href)
		}
		r := read(t, ctx, download(link))
		recs := must(csv.NewReader(strings.NewReader(strings.TrimPrefix(r[2], "\ufeff"))).ReadAll())
		if r[0] != "200" || len(recs) != len(got)+1 {
			t.Fatalf("the school totals CSV: %.300q", r)
		}
		for i, row := range got {
			if c := cells(recs[0], recs[i+1], "学校", "已报", "未报"); !slices.Equal(c, []string{row[0], row[3], row[6]}) {
				t.Errorf("CSV row %d: %q, the page's %q", i+1, c, row)
			}
		}
		// In a template's columns: the template's header, the same order.
		choice := panel + ` select.template[data-sheet=school_totals]`
		read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(choice+` option[value="`+tpl.ID+`"]`)+`) !== null`))
		do(t, ctx, choose(choice, tpl.ID))
		r = read(t, ctx, download(link))
		shaped := must(csv.NewReader(strings.NewReader(strings.TrimPrefix(r[2], "\ufeff"))).ReadAll())
		if r[0] != "200" || len(shaped) != 3 || !slices.Equal(shaped[0], []string{"单位", "完整"}) || shaped[1][0] != "School A" || shaped[2][0] != "Kindergarten A2" {
			t.Errorf("the shaped school totals: %q", shaped)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.templates select[name=sheet] option[value=school_totals]').length`)); n != 1 {
			t.Errorf("the templates panel offers the school totals sheet %d times", n)
		}

		// The weekend: nothing was due, no rate.
		do(t, ctx, choose(to, "2026-11-22"), choose(from, "2026-11-21"))
		want = server("2026-11-21", "2026-11-22")
		if got := shown(want); !slices.EqualFunc(got, want, slices.Equal) || len(got) != 2 || got[0][7] != "—" || got[0][8] != "—" || got[1][7] != "—" || got[0][9] != "—" {
			t.Errorf("the weekend shows %q, want dashes for the rates and the sick leave (the server: %q)", got, want)
		}

		// Eleven months: refused on to; a quick period puts it right.
		do(t, ctx, choose(to, "2026-11-23"), choose(from, "2026-01-01"), chromedp.WaitVisible(css(to+`.invalid`)))
		if text := read(t, ctx, chromedp.Text(css(panel+` .list`))); !strings.Contains(text, "184") {
			t.Errorf("eleven months say %q", text)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.school-totals input[name=from].invalid').length`)); n != 0 {
			t.Error("from is marked for a period too long")
		}
		do(t, ctx, chromedp.Click(css(panel+` button.period:nth-of-type(2)`)), chromedp.WaitNotPresent(css(to+`.invalid`)))
		if f := read(t, ctx, chromedp.Value(css(from))); f != "2026-11-01" {
			t.Errorf("this month starts %s", f)
		}
		want = server("2026-11-01", "2026-11-23")
		if got := shown(want); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("this month shows %q, the server says %q", got, want)
		}

		// A principal watches her school, not the district's schools.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(`.board .sessions`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.school-totals').length`)); n != 0 {
			t.Errorf("a principal is shown %d school totals panels", n)
		}
	})
}

// TestConsoleChaseAndInbox: the chase (催报) as the console shows it. The class teacher finds the reminder in
// her inbox and marks it read; the principal's board shows, under the class not reported, who was chased
// and when; her inbox takes the escalation at +30 minutes without a reload; and the e-mail that did not
// arrive shows with its error.
func TestConsoleChaseAndInbox(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		e.now = time.Date(2026, 11, 23, 8, 45, 0, 0, shanghai) // Monday, 15 minutes before the deadline
		w := e.newWorld()
		sys := system()
		// A large school's day: 300 chase steps to 150 other classes come first, beyond one page of the log.
		others := make([]*ent.ClassCreate, 150)
		for i := range others {
			others[i] = e.client.Class.Create().SetTenantID(w.A.ID).SetName(fmt.Sprintf("九年级(%d)班", i+1))
		}
		var earlier []*ent.ChaseLogCreate
		for _, c := range must(e.client.Class.CreateBulk(others...).Save(sys)) {
			for step := range 2 {
				at := e.now.Add(time.Duration(step-1) * time.Hour)
				earlier = append(earlier, e.client.ChaseLog.Create().SetTenantID(w.A.ID).SetClassID(c.ID).SetDate("2026-11-23").
					SetSession(chaselog.SessionMorning).SetStep(step).SetOffsetMinutes(-60*(2-step)).SetDueAt(at).SetFiredAt(at).
					SetRecipients([]string{"九年级班主任"}).SetOutcome(chaselog.OutcomeSent))
			}
		}
		must(e.client.ChaseLog.CreateBulk(earlier...).Save(sys))
		cl := e.chasedClass(w)
		e.chase(t, w.A.ID)
		bounced := must(e.client.Delivery.Create().SetTenantID(w.A.ID).SetChannel(delivery.ChannelEmail).SetAddress("parent@example.invalid").
			SetTemplate("alert.opened").SetDedupeKey("test:bounced").SetSubject("发热预警 Fever alert").SetBody("…").
			SetStatus(delivery.StatusFailed).SetAttempts(3).SetLastError("550 mailbox unavailable").Save(sys))

		note := `.inbox .note.unread`
		do(t, ctx, beforeLoad(`window.campusRefreshSeconds = 1`), chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"),
			chromedp.WaitVisible(css(note)))
		if text := read(t, ctx, chromedp.Text(css(`.inbox`))); !strings.Contains(text, "一年级(1)班") || !strings.Contains(text, "全部已读 Mark all 1 read") {
			t.Errorf("the teacher's inbox = %q", text)
		}
		do(t, ctx, chromedp.Click(css(note+` button.read`)), chromedp.WaitNotPresent(css(note)))
		if n := must(e.client.Notification.Query().Where(notification.RecipientID(w.ta.ID), notification.ReadAtIsNil()).Count(sys)); n != 0 {
			t.Errorf("%d of the teacher's notifications still unread after reading", n)
		}

		li := `.board .missing[data-session=morning] li[data-class="` + strconv.Itoa(cl.ID) + `"]`
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(li+` .chased`)),
			chromedp.WaitVisible(css(`.deliveries .delivery[data-id="`+strconv.Itoa(bounced.ID)+`"]`)))
		if text := read(t, ctx, chromedp.Text(css(li+` .chased`))); !strings.Contains(text, "08:45 → a.teacher") {
			t.Errorf("the chase under the class = %q", text)
		}
		if text := read(t, ctx, chromedp.Text(css(`.deliveries`))); !strings.Contains(text, "parent@example.invalid") || !strings.Contains(text, "550 mailbox unavailable") {
			t.Errorf("the failed delivery shows as %q", text)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.inbox .note').length`)); n != 0 {
			t.Fatalf("the principal has %d notifications before the escalation", n)
		}
		// 09:30, half an hour past the deadline: the principal is told, and her open page shows it.
		e.now = e.now.Add(45 * time.Minute)
		e.chase(t, w.A.ID)
		do(t, ctx, chromedp.WaitVisible(css(note)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(li+` .chased`)+`)?.textContent.includes('09:30')`)) // the board's own refresh
		if text := read(t, ctx, chromedp.Text(css(li+` .chased`))); !strings.Contains(text, "09:30 →") || !strings.Contains(text, "a.principal") {
			t.Errorf("the chase under the class after the escalation = %q", text)
		}
	})
}

// TestConsoleNewDay: a page left open follows the clock. At the school's midnight it starts over on the new
// day (its date, and the class's sessions of that day); when the session ends it asks for the sign-in again
// and shows nothing of the account behind it.
func TestConsoleNewDay(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("23:58")
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		date := `[data-class="` + strconv.Itoa(w.c1) + `"] h2 input[name=date]`
		do(t, ctx, beforeLoad(`window.campusRefreshSeconds = 1`), chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"),
			chromedp.WaitVisible(css(date)))
		if d := read(t, ctx, chromedp.Value(css(date))); d != "2026-11-23" {
			t.Fatalf("the class shows %s at 23:58 on Monday", d)
		}
		e.advance(3 * time.Minute) // 00:01 on Tuesday in Shanghai
		read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(date)+`)?.value === '2026-11-24'`))
		if who := read(t, ctx, chromedp.Text(css(`#who`))); !strings.HasSuffix(who, "2026-11-24") {
			t.Errorf("after midnight the header says %q", who)
		}
		e.advance(13 * time.Hour) // past the 12-hour session
		do(t, ctx, chromedp.WaitVisible(css(`#login`)))
		if text := read(t, ctx, chromedp.Evaluate[string](`document.getElementById('app').textContent`)); strings.Contains(text, "一年级(1)班") {
			t.Errorf("after the session ended the page still holds %q", text)
		}
	})
}

// TestConsoleCalendar: the principal keeps the school calendar in the console. Last Friday becomes a
// holiday (the school was closed): the class owes no report for it any more; the same day twice is refused;
// turned back into a school day, the report is owed again. A term is added (its name is required, said
// before anything is sent). A class teacher has no calendar to keep.
func TestConsoleCalendar(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		owed := func() string { return e.expectedState(t, w.tokTA, w.c1, "2026-11-20", "morning") }
		if s := owed(); s != "pending" {
			t.Fatalf("Friday's morning report before the calendar changes: %s", s)
		}
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(`[data-class] h2`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.calendar').length`)); n != 0 {
			t.Errorf("the class teacher is shown %d calendars to keep", n)
		}

		friday := `.calendar .day[data-date="2026-11-20"]`
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(`.calendar form.add-day`)),
			choose(`.calendar form.add-day input[name=date]`, "2026-11-20"), choose(`.calendar form.add-day select[name=kind]`, "holiday"),
			fill(`.calendar form.add-day input[name=note]`, "停电停课 power cut"), chromedp.Click(css(`.calendar form.add-day button`)),
			chromedp.WaitVisible(css(friday)))
		if text := read(t, ctx, chromedp.Text(css(friday))); !strings.Contains(text, "2026-11-20 五 Fri 放假 Holiday · 停电停课 power cut") {
			t.Errorf("Friday in the calendar: %q", text)
		}
		if s := owed(); s != "not_due" {
			t.Errorf("Friday's report after the holiday: %s, want not_due", s)
		}
		do(t, ctx, choose(`.calendar form.add-day input[name=date]`, "2026-11-20"), chromedp.Click(css(`.calendar form.add-day button`)))
		// The day is taken: said on the date field.
		do(t, ctx, chromedp.WaitVisible(css(`.calendar form.add-day input[name=date].invalid`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('#msg.err')?.textContent.includes('date: already in use')`))
		if n := must(e.client.CalendarDay.Query().Count(system())); n != 1 {
			t.Errorf("%d calendar days after adding Friday twice", n)
		}
		// Turned back: its button then offers the holiday again (the row's own text named both kinds before).
		do(t, ctx, chromedp.Click(css(friday+` button.flip`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(friday+` button.flip`)+`)?.textContent.includes('放假')`))
		if s := owed(); s != "pending" {
			t.Errorf("Friday's report once a school day again: %s, want pending", s)
		}

		do(t, ctx, choose(`.calendar form.add-term input[name=startDate]`, "2026-09-01"), choose(`.calendar form.add-term input[name=endDate]`, "2027-01-20"),
			chromedp.Click(css(`.calendar form.add-term button`)), chromedp.WaitVisible(css(`.calendar form.add-term input[name=name].invalid`)))
		do(t, ctx, fill(`.calendar form.add-term input[name=name]`, "2026秋"), chromedp.Click(css(`.calendar form.add-term button`)),
			chromedp.WaitVisible(css(`.calendar .term`)))
		if text := read(t, ctx, chromedp.Text(css(`.calendar .term`))); text != "学期 Term 2026秋: 2026-09-01 – 2027-01-20" {
			t.Errorf("the term shows as %q", text)
		}
	})
}

// TestConsoleSettings: the principal moves the noon deadline to 14:30 in the console; the rules and the
// class's expected report follow, and the fever threshold still follows the defaults (only what changed is
// the school's own). A threshold out of range is refused on its field and changes nothing; so is a stay
// limit of 10 minutes, then 45 is saved with a 7-day edit window. She edits the chase ladder step by step
// (a step before the one above refused on its minutes), then follows the district's again: marked at once,
// written by Save ladder, and what she typed meanwhile in the rules is still there after it. A value given up
// for the district's goes the same way, with the form's Save, together with a value she typed: both land,
// nothing else of hers is lost, and a ladder step typed and not saved stays in its input. The district
// admin moves the district's default morning deadline, and the school, which did not set its own, follows.
func TestConsoleSettings(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		rules := `.settings form.rules`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(rules+` input[name=noonDeadline]`)))
		if v := read(t, ctx, chromedp.Value(css(rules+` input[name=noonDeadline]`))); v != "14:00" {
			t.Fatalf("the noon deadline shows as %q, want the default 14:00", v)
		}
		do(t, ctx, choose(rules+` input[name=noonDeadline]`, "14:30"), chromedp.Click(css(rules+` button[type=submit]`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('#msg')?.textContent.includes('Saved')`))
		own := must(e.client.CheckSetting.Query().Where(checksetting.TenantID(w.A.ID)).Only(system()))
		if own.NoonDeadline == nil || *own.NoonDeadline != "14:30" || own.FeverThreshold != nil || own.MorningDeadline != nil {
			t.Errorf("the school's own settings = %+v, want only the noon deadline", own)
		}
		var x struct{ Deadline time.Time }
		e.gql(w.tokP, `query($c: ID!) { expectedReport(classID: $c, date: "2026-11-23", session: noon) { deadline } }`,
			map[string]any{"c": w.c1}).ok(t).decode(t, "expectedReport", &x)
		if !x.Deadline.Equal(mondayAt("14:30")) {
			t.Errorf("the class's noon deadline = %s, want 14:30", x.Deadline)
		}
		do(t, ctx, chromedp.WaitVisible(css(rules+` input[name=noonDeadline]`)), choose(rules+` input[name=feverThreshold]`, "39.5"),
			chromedp.Click(css(rules+` button[type=submit]`)), chromedp.WaitVisible(css(rules+` input[name=feverThreshold].invalid`)))
		if got := must(e.client.CheckSetting.Get(system(), own.ID)); got.FeverThreshold != nil {
			t.Errorf("a refused threshold was saved: %v", *got.FeverThreshold)
		}
		// The observation room's reminder after 45 minutes, not the default two hours (10 minutes is refused), a
		// date's checks taken for 7 days, at most 2 chase messages a day to one person about one class (the
		// default 3 shows first), and named health records kept two years (the default three shows first).
		do(t, ctx, choose(rules+` input[name=feverThreshold]`, "37.3"), choose(rules+` input[name=stayLimitMinutes]`, "10"),
			chromedp.Click(css(rules+` button[type=submit]`)), chromedp.WaitVisible(css(rules+` input[name=stayLimitMinutes].invalid`)))
		if got := read(t, ctx, chromedp.Value(css(rules+` input[name=chaseCap]`))); got != "3" {
			t.Errorf("the chase cap shows %q, want the default 3", got)
		}
		if got := read(t, ctx, chromedp.Value(css(rules+` input[name=retentionDays]`))); got != "1095" {
			t.Errorf("the retention shows %q days, want the default 1095", got)
		}
		do(t, ctx, choose(rules+` input[name=stayLimitMinutes]`, "45"), choose(rules+` input[name=editDays]`, "7"),
			choose(rules+` input[name=chaseCap]`, "2"), choose(rules+` input[name=retentionDays]`, "730"), chromedp.Click(css(rules+` button[type=submit]`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('#msg')?.textContent.includes('Saved')`))
		if got := must(e.client.CheckSetting.Get(system(), own.ID)); got.StayLimitMinutes == nil || *got.StayLimitMinutes != 45 ||
			got.EditDays == nil || *got.EditDays != 7 || got.ChaseCap == nil || *got.ChaseCap != 2 || got.RetentionDays == nil || *got.RetentionDays != 730 {
			t.Errorf("the school's stay limit, edit window, chase cap and retention = %v, %v, %v, %v, want 45, 7, 2 and 730",
				got.StayLimitMinutes, got.EditDays, got.ChaseCap, got.RetentionDays)
		}
		// 37.3 itself passes (DOMAIN §4): she ticks "only above the threshold", and the threshold stays the
		// district's.
		feverAbove := rules + ` input[name=feverAbove]`
		do(t, ctx, chromedp.WaitVisible(css(feverAbove)))
		if read(t, ctx, chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(feverAbove)+`).checked`)) {
			t.Fatal("only above the threshold is ticked by default")
		}
		do(t, ctx, chromedp.Click(css(feverAbove)), chromedp.Click(css(rules+` button[type=submit]`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('#msg')?.textContent.includes('Saved')`))
		if got := must(e.client.CheckSetting.Get(system(), own.ID)); got.FeverAbove == nil || !*got.FeverAbove || got.FeverThreshold != nil {
			t.Errorf("the school's fever settings = above %v, threshold %v, want only above and no threshold of its own", got.FeverAbove, got.FeverThreshold)
		}
		var teacher struct{ FeverAbove bool }
		e.gql(w.tokTA, `{ checkRules { feverAbove } }`, nil).ok(t).decode(t, "checkRules", &teacher)
		if !teacher.FeverAbove {
			t.Error("a.teacher's check rules do not say only above the threshold is fever")
		}
		if !read(t, ctx, chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(feverAbove)+`).checked`)) {
			t.Error("the saved setting shows unticked")
		}

		// The chase ladder: the default's four steps show; she tells the class teacher 30 minutes ahead and
		// drops the district's step. A step before the one above it is refused on that step's minutes, and
		// nothing is saved; "follow the district" clears the school's own again.
		ladder := `.settings form.ladder`
		step := func(n int) string { return fmt.Sprintf(`%s tbody tr:nth-child(%d)`, ladder, n) }
		offsets := func() []string {
			return read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.settings form.ladder tbody input[type=number]')].map((i) => i.value)`))
		}
		saved := func() {
			read(t, ctx, chromedp.Poll[bool](`document.querySelector('#msg')?.textContent.includes('Saved')`))
		}
		do(t, ctx, chromedp.WaitVisible(css(step(4))))
		if got := offsets(); !slices.Equal(got, []string{"-15", "0", "30", "60"}) {
			t.Fatalf("the ladder in force shows %q, want the default", got)
		}
		do(t, ctx, chromedp.Click(css(step(4)+` button.remove`)), fill(step(1)+` input[type=number]`, "-30"),
			chromedp.Click(css(ladder+` button[type=submit]`)))
		saved()
		want := []types.ChaseStep{{OffsetMinutes: -30, Notify: []string{"class_teacher"}},
			{OffsetMinutes: 0, Notify: []string{"class_teacher", "grade_leader"}}, {OffsetMinutes: 30, Notify: []string{"principal", "epidemic_reporter"}}}
		if got := must(e.client.CheckSetting.Get(system(), own.ID)).ChaseLadder; !reflect.DeepEqual(got, want) {
			t.Errorf("the school's ladder = %+v, want %+v", got, want)
		}
		// Her own ladder shows the one she would follow instead: the district's (here the built-in default).
		do(t, ctx, chromedp.WaitVisible(css(ladder+` p.instead`)))
		if got := read(t, ctx, chromedp.Text(css(ladder+` p.instead`))); !strings.Contains(got, "区县 district: -15 分钟 min → 班主任 Class teacher; 0 分钟 min → 班主任 Class teacher、年级组长 Grade leader; +30") {
			t.Errorf("beside her own ladder: %q", got)
		}
		do(t, ctx, chromedp.WaitVisible(css(step(3))), chromedp.WaitNotPresent(css(step(4))), fill(step(2)+` input[type=number]`, "-40"),
			chromedp.Click(css(ladder+` button[type=submit]`)), chromedp.WaitVisible(css(step(2)+` input[type=number].invalid`)))
		if got := must(e.client.CheckSetting.Get(system(), own.ID)).ChaseLadder; !reflect.DeepEqual(got, want) {
			t.Errorf("a refused ladder changed the saved one: %+v", got)
		}
		// She types a 10-day edit window in the rules (not saved yet) and gives up her ladder for the
		// district's: the table shows the district's steps, marked as taking effect once saved, and nothing is
		// written until she saves the ladder. Saved, the ladder is cleared, and the edit window she typed is
		// still in its input, unsaved (the school's 7 days until the rules are saved).
		do(t, ctx, choose(rules+` input[name=editDays]`, "10"), chromedp.Click(css(ladder+` button.inherit`)),
			chromedp.WaitVisible(css(ladder+` .pending`)), chromedp.WaitVisible(css(step(4))))
		if got := offsets(); !slices.Equal(got, []string{"-15", "0", "30", "60"}) {
			t.Errorf("the district's ladder, pending, shows %q", got)
		}
		if got := must(e.client.CheckSetting.Get(system(), own.ID)).ChaseLadder; !reflect.DeepEqual(got, want) {
			t.Errorf("giving up the ladder saved before Save: %+v", got)
		}
		do(t, ctx, chromedp.Click(css(ladder+` button[type=submit]`)))
		saved()
		do(t, ctx, chromedp.WaitNotPresent(css(ladder+` button.inherit`)), chromedp.WaitNotPresent(css(ladder+` .pending`)))
		if got := must(e.client.CheckSetting.Get(system(), own.ID)); len(got.ChaseLadder) != 0 || got.EditDays == nil || *got.EditDays != 7 {
			t.Errorf("after following the district the school's ladder is %+v and its edit window %v, want none and 7", got.ChaseLadder, got.EditDays)
		}
		if got := read(t, ctx, chromedp.Value(css(rules+` input[name=editDays]`))); got != "10" {
			t.Errorf("saving the ladder lost the edit window typed in the rules: it shows %q", got)
		}

		// One form, one Save: she types a 16:30 daily report and gives up her noon deadline for the district's
		// (14:00 shows, marked; Undo on the stay limit takes a give-up back), with a step of the ladder
		// changed and not saved. Nothing is written until Save; then the cut-off, the noon deadline and the
		// edit window typed before all land, everything else of hers stays, and the ladder keeps what was typed.
		noon := rules + ` .setting[data-field=noonDeadline]`
		stay := rules + ` .setting[data-field=stayLimitMinutes]`
		do(t, ctx, choose(rules+` input[name=reportCutoff]`, "16:30"), chromedp.Click(css(noon+` button.inherit`)),
			chromedp.WaitVisible(css(noon+` .pending`)), chromedp.Click(css(stay+` button.inherit`)), chromedp.WaitVisible(css(stay+` .pending`)))
		if v := read(t, ctx, chromedp.Value(css(noon+` input`))); v != "14:00" {
			t.Errorf("the noon deadline given up shows %q, want the district's 14:00", v)
		}
		if text := read(t, ctx, chromedp.Text(css(noon+` .pending`))); !strings.Contains(text, "保存后使用区县设置") || !strings.Contains(text, "14:00") {
			t.Errorf("the noon deadline given up says %q", text)
		}
		do(t, ctx, chromedp.Click(css(stay+` button.undo`)), chromedp.WaitVisible(css(stay+` button.inherit`)), fill(step(1)+` input[type=number]`, "-20"))
		if v := read(t, ctx, chromedp.Value(css(stay+` input`))); v != "45" {
			t.Errorf("after Undo the stay limit shows %q, want her 45", v)
		}
		if got := must(e.client.CheckSetting.Get(system(), own.ID)); got.NoonDeadline == nil || *got.NoonDeadline != "14:30" {
			t.Errorf("giving up the noon deadline saved it before Save: %v", got.NoonDeadline)
		}
		do(t, ctx, chromedp.Click(css(rules+` button[type=submit]`)))
		saved()
		do(t, ctx, chromedp.WaitVisible(css(noon+` .inherited`)))
		got := must(e.client.CheckSetting.Get(system(), own.ID))
		if got.NoonDeadline != nil || got.ReportCutoff == nil || *got.ReportCutoff != "16:30" || got.EditDays == nil || *got.EditDays != 10 {
			t.Errorf("after Save the school's noon deadline, cut-off and edit window = %v, %v, %v, want none (the district's), 16:30 and 10",
				got.NoonDeadline, got.ReportCutoff, got.EditDays)
		}
		if got.StayLimitMinutes == nil || *got.StayLimitMinutes != 45 || got.ChaseCap == nil || *got.ChaseCap != 2 ||
			got.FeverAbove == nil || !*got.FeverAbove || got.FeverThreshold != nil || got.MorningDeadline != nil || len(got.ChaseLadder) != 0 {
			t.Errorf("Save lost or changed the school's other settings: %+v", got)
		}
		e.gql(w.tokP, `query($c: ID!) { expectedReport(classID: $c, date: "2026-11-23", session: noon) { deadline } }`,
			map[string]any{"c": w.c1}).ok(t).decode(t, "expectedReport", &x)
		if !x.Deadline.Equal(mondayAt("14:00")) {
			t.Errorf("the class's noon deadline = %s, want the district's 14:00 again", x.Deadline)
		}
		if v := read(t, ctx, chromedp.Value(css(noon+` input`))); v != "14:00" {
			t.Errorf("the noon deadline shows %q after Save, want 14:00", v)
		}
		if got := offsets(); !slices.Equal(got, []string{"-20", "0", "30", "60"}) {
			t.Errorf("saving the rules lost the ladder step typed: %q", got)
		}

		// The district moves its default morning deadline to 08:45: School A, which set only its noon, follows.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("d1.admin"), chromedp.WaitVisible(css(rules+` input[name=morningDeadline]`)),
			choose(rules+` input[name=morningDeadline]`, "08:45"), chromedp.Click(css(rules+` button[type=submit]`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('#msg')?.textContent.includes('Saved')`))
		e.gql(w.tokP, `query($c: ID!) { expectedReport(classID: $c, date: "2026-11-23", session: morning) { deadline } }`,
			map[string]any{"c": w.c1}).ok(t).decode(t, "expectedReport", &x)
		if !x.Deadline.Equal(mondayAt("08:45")) {
			t.Errorf("School A's morning deadline after the district's change = %s, want 08:45", x.Deadline)
		}
	})
}

// TestConsoleSettingsFollowDistrict: a school's own value goes back to its district's from the console. District
// One moves the noon deadline to 14:15; School A's principal sees it as the district's, and sets 14:30 of her
// own, a 45-minute observation reminder, "only above the threshold" and the illness-absence alert off (0, where
// the district sets 10 %): each is then marked as the school's own, with the district's value beside it (14:15,
// 'at or above', 120 minutes, 10) and a button to use the district's again. She gives up the noon deadline,
// then "only above", then the absence rate (each then saved): the school's settings no longer hold them (the
// reminder stays hers), and her rules are the district's 14:15 and "at or above" again, as the page
// shows. The district admin, who sees the built-in 14:00 beside its own noon
// deadline, gives it up the same way, and the school, which set none, follows it.
func TestConsoleSettingsFollowDistrict(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		e.gql(w.tok["d1.admin"], `mutation { createCheckSetting(input: { noonDeadline: "14:15", absenceRate: 10 }) { id } }`, nil).ok(t)
		// rulesOf: School A's noon deadline and whether only a reading above the threshold is fever, as the server says.
		rulesOf := func() (string, bool) {
			var r struct {
				Deadlines  []struct{ Session, Deadline string }
				FeverAbove bool
			}
			e.gql(w.tokP, `{ checkRules { deadlines { session deadline } feverAbove } }`, nil).ok(t).decode(t, "checkRules", &r)
			for _, d := range r.Deadlines {
				if d.Session == "noon" {
					return d.Deadline, r.FeverAbove
				}
			}
			t.Fatalf("no noon deadline in %+v", r)
			return "", false
		}
		rules := `.settings form.rules`
		field := func(name string) string { return rules + ` .setting[data-field=` + name + `]` }
		noon, above, stay, rate := field("noonDeadline"), field("feverAbove"), field("stayLimitMinutes"), field("absenceRate")
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(noon+` .inherited`)))
		if v := read(t, ctx, chromedp.Value(css(noon+` input`))); v != "14:15" {
			t.Fatalf("the noon deadline shows as %q, want the district's 14:15", v)
		}
		if v := read(t, ctx, chromedp.Value(css(rate+` input`))); v != "10" {
			t.Errorf("the illness-absence rate shows as %q, want the district's 10", v)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.settings form.rules button.inherit').length`)); n != 0 {
			t.Errorf("a school with no settings of its own is offered %d buttons to use the district's", n)
		}
		do(t, ctx, choose(noon+` input`, "14:30"), choose(stay+` input`, "45"), chromedp.Click(css(above+` input`)), choose(rate+` input`, "0"),
			chromedp.Click(css(rules+` button[type=submit]`)), chromedp.WaitVisible(css(noon+` button.inherit`)), chromedp.WaitVisible(css(rate+` button.inherit`)),
			chromedp.WaitVisible(css(above+` button.inherit`)), chromedp.WaitVisible(css(stay+` button.inherit`)),
			chromedp.WaitVisible(css(field("morningDeadline")+` .inherited`)))
		if text := read(t, ctx, chromedp.Text(css(noon+` .own`))); !strings.Contains(text, "使用区县设置") {
			t.Errorf("the school's own noon deadline says %q", text)
		}
		// Beside each value of her own, what she would follow without it: the district's noon, the default rest.
		for name, want := range map[string]string{"noonDeadline": "区县 district 14:15", "feverAbove": "区县 district 否 no",
			"stayLimitMinutes": "区县 district 120", "absenceRate": "区县 district 10"} {
			if text := read(t, ctx, chromedp.Text(css(field(name)+` .own .instead`))); text != want {
				t.Errorf("beside the school's own %s: %q, want %q", name, text, want)
			}
		}
		own := must(e.client.CheckSetting.Query().Where(checksetting.TenantID(w.A.ID)).Only(system()))
		if own.NoonDeadline == nil || *own.NoonDeadline != "14:30" || own.FeverAbove == nil || !*own.FeverAbove ||
			own.StayLimitMinutes == nil || *own.StayLimitMinutes != 45 || own.AbsenceRate == nil || *own.AbsenceRate != 0 {
			t.Fatalf("the school's own settings = %+v, want 14:30, only above, 45 minutes and the absence rate off (0)", own)
		}

		// The noon deadline back to the district's, once saved: only it is cleared.
		do(t, ctx, chromedp.Click(css(noon+` button.inherit`)), chromedp.WaitVisible(css(noon+` .pending`)),
			chromedp.Click(css(rules+` button[type=submit]`)), chromedp.WaitVisible(css(noon+` .inherited`)))
		if got := must(e.client.CheckSetting.Get(system(), own.ID)); got.NoonDeadline != nil || got.FeverAbove == nil ||
			got.StayLimitMinutes == nil || *got.StayLimitMinutes != 45 {
			t.Errorf("after using the district's noon deadline the school's settings = %+v, want no noon deadline and the rest kept", got)
		}
		if deadline, _ := rulesOf(); deadline != "14:15" {
			t.Errorf("the school's noon deadline = %s, want the district's 14:15 again", deadline)
		}
		if v := read(t, ctx, chromedp.Value(css(noon+` input`))); v != "14:15" {
			t.Errorf("the noon deadline shows as %q, want the district's 14:15", v)
		}
		// A checkbox the same: "at or above" again, unticked.
		do(t, ctx, chromedp.Click(css(above+` button.inherit`)), chromedp.Click(css(rules+` button[type=submit]`)),
			chromedp.WaitVisible(css(above+` .inherited`)))
		if got := must(e.client.CheckSetting.Get(system(), own.ID)); got.FeverAbove != nil || got.StayLimitMinutes == nil {
			t.Errorf("after using the district's fever rule the school's settings = %+v", got)
		}
		if _, onlyAbove := rulesOf(); onlyAbove {
			t.Error("the school's rules still say only above the threshold is fever")
		}
		if read(t, ctx, chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(above+` input`)+`).checked`)) {
			t.Error("the district's fever rule shows ticked")
		}
		do(t, ctx, chromedp.WaitVisible(css(stay+` button.inherit`)))
		// The illness-absence rate the same: the district's 10 % again.
		do(t, ctx, chromedp.Click(css(rate+` button.inherit`)), chromedp.Click(css(rules+` button[type=submit]`)),
			chromedp.WaitVisible(css(rate+` .inherited`)))
		if got := must(e.client.CheckSetting.Get(system(), own.ID)); got.AbsenceRate != nil || got.StayLimitMinutes == nil {
			t.Errorf("after using the district's absence rate the school's settings = %+v", got)
		}
		if v := read(t, ctx, chromedp.Value(css(rate+` input`))); v != "10" {
			t.Errorf("the illness-absence rate shows as %q, want the district's 10", v)
		}

		// The district gives up its own noon deadline: its schools that set none follow the built-in 14:00.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("d1.admin"), chromedp.WaitVisible(css(noon+` button.inherit`)))
		if text := read(t, ctx, chromedp.Text(css(noon+` .own`))); !strings.Contains(text, "使用默认") || !strings.Contains(text, "默认 default 14:00") {
			t.Errorf("the district's own noon deadline says %q, want the built-in 14:00 beside it", text)
		}
		do(t, ctx, chromedp.Click(css(noon+` button.inherit`)), chromedp.Click(css(rules+` button[type=submit]`)),
			chromedp.WaitVisible(css(noon+` .inherited`)))
		if got := must(e.client.CheckSetting.Query().Where(checksetting.TenantID(w.D1.ID)).Only(system())); got.NoonDeadline != nil {
			t.Errorf("the district's noon deadline is still %s", *got.NoonDeadline)
		}
		if deadline, _ := rulesOf(); deadline != "14:00" {
			t.Errorf("the school's noon deadline = %s, want the default 14:00", deadline)
		}
	})
}

// TestConsoleSettingsNoDistrict: a school with no district (a tenant without a parent) falls back to the
// built-in defaults, and its settings page says so: every inherited value is the default's (默认), an own one
// shows the default beside it with "use the default", given up it is "the default once saved", and the own
// ladder shows the default ladder beside it; nothing names a district (区县) it does not have: the ladder in
// force ends with the principal and the epidemic reporter (+30, the default's district step left out, as the
// chase leaves it out), and no step offers the district as an audience.
func TestConsoleSettingsNoDistrict(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		sys := system()
		alone := must(e.client.Tenant.Create().SetName("独立民办学校").SetKind(tenant.KindPrimarySchool).Save(sys))
		must(e.client.User.Create().SetTenantID(alone.ID).SetLogin("solo.principal").SetDisplayName("独立校长").
			SetRole(authz.Principal).SetPasswordHash(testHash(t)).Save(sys))
		rules, ladder := `.settings form.rules`, `.settings form.ladder`
		noon := rules + ` .setting[data-field=noonDeadline]`
		// words: what the rules form and the ladder's own line say (a ladder's steps may tell 区县 District: an
		// audience, not whose a value is).
		words := func() string {
			return read(t, ctx, chromedp.Evaluate[string](`document.querySelector('.settings form.rules').textContent + ' | ' +
				[...document.querySelectorAll('.settings form.ladder .whose')].map((w) => w.textContent).join(' ')`))
		}
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("solo.principal"), chromedp.WaitVisible(css(noon+` .inherited`)))
		labels := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.settings form.rules .inherited')].map((s) => s.textContent)`))
		if len(labels) == 0 {
			t.Fatal("no inherited values shown")
		}
		for _, l := range labels {
			if l != "默认 The default" {
				t.Errorf("an inherited value is labelled %q, want 默认 The default", l)
			}
		}
		if text := words(); strings.Contains(text, "区县") || strings.Contains(text, "district") {
			t.Errorf("a school without a district is told of one: %q", text)
		}

		// Her own noon deadline shows the default beside it, given up back to the default.
		do(t, ctx, choose(noon+` input`, "14:30"), chromedp.Click(css(rules+` button[type=submit]`)), chromedp.WaitVisible(css(noon+` button.inherit`)))
		if text := read(t, ctx, chromedp.Text(css(noon+` .own`))); !strings.Contains(text, "默认 default 14:00") || !strings.Contains(text, "使用默认 Use the default") {
			t.Errorf("her own noon deadline says %q, want the default 14:00 beside it", text)
		}
		do(t, ctx, chromedp.Click(css(noon+` button.inherit`)), chromedp.WaitVisible(css(noon+` .pending`)))
		if text := read(t, ctx, chromedp.Text(css(noon+` .pending`))); !strings.Contains(text, "保存后使用默认") {
			t.Errorf("her noon deadline given up says %q", text)
		}
		do(t, ctx, chromedp.Click(css(rules+` button[type=submit]`)), chromedp.WaitVisible(css(noon+` .inherited`)))
		if got := must(e.client.CheckSetting.Query().Where(checksetting.TenantID(alone.ID)).Only(sys)); got.NoonDeadline != nil {
			t.Errorf("the school's noon deadline is still %s", *got.NoonDeadline)
		}

		// The ladder in force: the default's steps up to the principal and the epidemic reporter, without the
		// district's (nobody above her school), and no step may name a district.
		do(t, ctx, chromedp.WaitVisible(css(ladder+` tbody tr:nth-child(3)`)))
		if got := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.settings form.ladder tbody input[type=number]')].map((i) => i.value)`)); !slices.Equal(got, []string{"-15", "0", "30"}) {
			t.Errorf("the ladder of a school without a district shows %q, want -15 0 30", got)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.settings form.ladder .notify input[value=district_admin]').length`)); n != 0 {
			t.Errorf("the ladder offers the district as an audience on %d steps", n)
		}

		// Her own ladder: the default ladder beside it, and "use the default".
		do(t, ctx, chromedp.Click(css(ladder+` tbody tr:nth-child(3) button.remove`)),
			chromedp.Click(css(ladder+` button[type=submit]`)), chromedp.WaitVisible(css(ladder+` p.instead`)))
		if got := must(e.client.CheckSetting.Query().Where(checksetting.TenantID(alone.ID)).Only(sys)).ChaseLadder; len(got) != 2 {
			t.Errorf("her own ladder saved: %+v, want the two first steps", got)
		}
		if got := read(t, ctx, chromedp.Text(css(ladder+` p.instead`))); !strings.HasPrefix(got, "默认 default: -15 分钟 min") {
			t.Errorf("beside her own ladder: %q", got)
		}
		if got := read(t, ctx, chromedp.Text(css(ladder+` button.inherit`))); got != "使用默认 Use the default" {
			t.Errorf("the ladder's button says %q", got)
		}
		do(t, ctx, chromedp.Click(css(ladder+` button.inherit`)), chromedp.WaitVisible(css(ladder+` .pending`)))
		if got := read(t, ctx, chromedp.Text(css(ladder+` .pending`))); !strings.HasPrefix(got, "保存后使用默认 The default once saved: -15 分钟 min") {
			t.Errorf("her ladder given up says %q", got)
		}
		if text := words(); strings.Contains(text, "区县") || strings.Contains(text, "district") || strings.Contains(text, "District") {
			t.Errorf("a school without a district is told of one: %q", text)
		}
	})
}

// TestConsolePeople: the principal opens an account for a new teacher in the console (the initial password
// shown once), makes her class teacher of 一年级(2)班, and she signs in with it, changes it, and finds her
// class; a login already taken is refused. The principal ends the duty (her class goes) and stops the
// account (she can no longer sign in).
func TestConsolePeople(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		open := `.people form.open-account`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(open)),
			fill(open+` input[name=login]`, "a.teacher"), fill(open+` input[name=displayName]`, "重名"), chromedp.Click(css(open+` button`)))
		do(t, ctx, chromedp.WaitVisible(css(open+` input[name=login].invalid`)))
		if msg := read(t, ctx, chromedp.Text(css(`#msg.err`))); !strings.Contains(msg, "already in use") {
			t.Errorf("the taken login says %q", msg)
		}
		do(t, ctx, fill(open+` input[name=login]`, "a.newteacher"), fill(open+` input[name=displayName]`, "新老师"),
			fill(open+` input[name=phone]`, "13900000002"), choose(open+` select[name=role]`, "class_teacher"), chromedp.Click(css(open+` button`)),
			chromedp.WaitVisible(css(`.people .opened`)))
		shown := read(t, ctx, chromedp.Text(css(`.people .opened`)))
		_, initial, _ := strings.Cut(shown, "initial password: ")
		initial, _, _ = strings.Cut(initial, " ")
		newbie := must(e.client.User.Query().Where(user.Login("a.newteacher")).Only(system()))
		if initial == "" || !newbie.MustChangePassword || newbie.Phone != "13900000002" || newbie.Role != authz.ClassTeacher {
			t.Fatalf("the new account %+v; the page said %q", newbie, shown)
		}

		person := `.people .person[data-user="` + strconv.Itoa(newbie.ID) + `"]`
		assign := `.people form.assign`
		do(t, ctx, chromedp.WaitVisible(css(person)), choose(assign+` select[name=userID]`, strconv.Itoa(newbie.ID)),
			choose(assign+` select[name=role]`, "class_teacher"), choose(assign+` select[name=nodeID]`, "class:"+strconv.Itoa(w.c2)),
			chromedp.Click(css(assign+` button`)), chromedp.WaitVisible(css(person+` li[data-assignment]`)))
		if text := read(t, ctx, chromedp.Text(css(person+` li[data-assignment]`))); !strings.Contains(text, "班主任 Class teacher @ 一年级(2)班") {
			t.Errorf("her duty shows as %q", text)
		}

		const next = "new-teacher-2026"
		card := `[data-class="` + strconv.Itoa(w.c2) + `"] .session`
		do(t, ctx, chromedp.Click(css(`#logout`)), chromedp.WaitVisible(css(`#login`)), fill(`#u`, "a.newteacher"), fill(`#p`, initial),
			chromedp.Click(css(`#login button[type=submit]`)), chromedp.WaitVisible(css(`#password`)),
			fill(`#pw-current`, initial), fill(`#pw-new`, next), fill(`#pw-again`, next), chromedp.Click(css(`#password button[type=submit]`)),
			chromedp.WaitVisible(css(card)))

		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(person+` li[data-assignment] button.end`)),
			chromedp.Click(css(person+` li[data-assignment] button.end`)), chromedp.WaitNotPresent(css(person+` li[data-assignment]`)),
			chromedp.Click(css(person+` button.active`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(person)+`)?.textContent.includes('已停用 stopped')`))
		if u := must(e.client.User.Get(system(), newbie.ID)); u.Active {
			t.Error("the account is still active")
		}
		if n := must(e.client.Assignment.Query().Where(assignment.UserID(newbie.ID), assignment.ValidToIsNil()).Count(system())); n != 0 {
			t.Errorf("%d of her duties still open", n)
		}
		if _, err := e.auth.Login(context.Background(), "a.newteacher", next); err == nil {
			t.Error("a stopped account signs in")
		}
	})
}

// TestConsoleRoster: the leadership imports the pupils' roster from a CSV in the console. A file with bad
// rows writes nothing and lists each with its line; the corrected file imports, and the pupils are in their
// class.
func TestConsoleRoster(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		dir := t.TempDir()
		write := func(name, text string) string {
			path := dir + "/" + name
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}
		bad := write("bad.csv", "姓名,学籍号,性别,班级,监护人,关系,监护人电话\n"+
			"王小明,B001,男,一年级(1)班,王大明,父亲,13812345678\n"+
			",B002,女,一年级(1)班,李大红,母亲,13812345679\n"+
			"张三,B003,男,一年级(9)班,张父,父亲,13812345670\n")
		good := write("good.csv", "姓名,学籍号,性别,班级,监护人,关系,监护人电话\n"+
			"王小明,B001,男,一年级(1)班,王大明,父亲,13812345678\n"+
			"李小红,B002,女,一年级(2)班,李大红,母亲,13812345679\n")
		before := must(e.client.Student.Query().Count(system()))
		form := `.roster form.roster`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(form)),
			chromedp.SetUploadFiles(css(form+` input[type=file]`), []string{bad}), chromedp.Click(css(form+` button`)),
			chromedp.WaitVisible(css(form+` .result li[data-line="4"]`)))
		lines := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.roster .result li')].map((li) => li.dataset.line)`))
		if !slices.Contains(lines, "3") || !slices.Contains(lines, "4") || slices.Contains(lines, "2") {
			t.Errorf("rows in error = %v, want lines 3 and 4", lines)
		}
		if n := must(e.client.Student.Query().Count(system())); n != before {
			t.Fatalf("a roster with errors wrote %d students", n-before)
		}
		do(t, ctx, chromedp.SetUploadFiles(css(form+` input[type=file]`), []string{good}), chromedp.Click(css(form+` button`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('.roster .result')?.textContent.includes('新增 created 2')`))
		if got := must(e.client.Student.Query().Where(student.StudentNumber("B002")).Only(system())); got.ClassID == nil || *got.ClassID != w.c2 || got.Name != "李小红" {
			t.Errorf("李小红 = %+v, want in 一年级(2)班", got)
		}
		// The pupils with no guardian to reach are listed: 李一 and 赵三, not 王二 (王父) nor those just imported.
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('.roster .unreachable')?.textContent.includes('No guardian to reach: 2')`))
		if text := read(t, ctx, chromedp.Text(css(`.roster .unreachable`))); !strings.Contains(text, "李一 (A0001") ||
			!strings.Contains(text, "赵三") || strings.Contains(text, "王二") || strings.Contains(text, "王小明") {
			t.Errorf("pupils with no guardian to reach: %q", text)
		}
	})
}

// TestConsoleGuardians: guardians kept one by one in the roster panel (DOMAIN §2.1). The class teacher of
// 一年级(1)班 is offered her class only, sees 李一 without a guardian, and adds one: a wrong phone is refused
// on the phone input and nothing is written; the right one is written for 李一 with its relation, shows on
// the page, and 李一 leaves the list of pupils with no guardian to reach. 王二's guardian (一年级(2)班) is not
// hers: the server refuses her change, and the console offers her no edit of it. The class teacher of
// 一年级(2)班 changes that guardian's phone, and the page shows it; she adds 王母 as 王二's primary contact and
// 王父's box shows unticked, ticks his again and 王母's does (one primary contact per pupil).
func TestConsoleGuardians(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		// She also teaches 一年级(2)班 a subject: she reads its pupils and their guardians, and keeps none of them.
		e.assign(t, w.tokP, w.ta.ID, authz.SubjectTeacher, authz.NodeClass, w.c2)
		other := e.staffUser(w.world, "a.other", authz.ClassTeacher)
		e.assign(t, w.tokP, other.ID, authz.ClassTeacher, authz.NodeClass, w.c2)
		count := func() int { return must(e.client.Guardian.Query().Count(system())) }
		li := `.roster .pupil[data-student="` + strconv.Itoa(w.s1) + `"]`
		add := li + ` form.add-guardian`

		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(add)))
		if opts := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.roster .guardians select[name=class] option')].map((o) => o.value)`)); !slices.Equal(opts, []string{strconv.Itoa(w.c1)}) {
			t.Errorf("the class teacher is offered classes %q, want only hers (%d)", opts, w.c1)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.roster form.roster').length`)); n != 0 {
			t.Errorf("a class teacher is offered the roster import (%d)", n)
		}
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('.roster .unreachable')?.textContent.includes('李一')`))

		// A wrong phone: refused on the phone input, nothing written.
		do(t, ctx, fill(add+` input[name=name]`, "李母"), choose(add+` select[name=relation]`, "mother"), fill(add+` input[name=phone]`, "12345"),
			chromedp.Click(css(add+` input[name=primaryContact]`)), chromedp.Click(css(add+` button[type=submit]`)),
			chromedp.WaitVisible(css(add+` input[name=phone].invalid`)))
		if msg := read(t, ctx, chromedp.Text(css(`#msg.err`))); !strings.Contains(msg, "phone") {
			t.Errorf("a wrong phone says %q", msg)
		}
		if n := count(); n != 1 {
			t.Fatalf("a refused guardian was written: %d guardians", n)
		}
		// The right one: written for 李一, shown, and 李一 has a guardian to reach.
		do(t, ctx, fill(add+` input[name=phone]`, "13600000001"), chromedp.Click(css(add+` button[type=submit]`)),
			chromedp.WaitVisible(css(li+` form.guardian`)))
		g := must(e.client.Guardian.Query().Where(guardian.StudentID(w.s1)).Only(system()))
		if g.Name != "李母" || g.Phone != "13600000001" || g.Relation != guardian.RelationMother || !g.PrimaryContact || g.TenantID != w.A.ID {
			t.Errorf("the guardian written: %+v", g)
		}
		row := li + ` form.guardian[data-guardian="` + strconv.Itoa(g.ID) + `"]`
		if v := read(t, ctx, chromedp.Value(css(row+` input[name=phone]`))); v != "13600000001" {
			t.Errorf("the page shows her phone as %q", v)
		}
		read(t, ctx, chromedp.Poll[bool](`!document.querySelector('.roster .unreachable')?.textContent.includes('李一')`))

		// 王二's guardian is not hers to keep (she reads it): the server refuses, the page offers nothing of it.
		var seen struct{ Phone string }
		e.gql(w.tokTA, `query($id: ID!) { node(id: $id) { ... on Guardian { phone } } }`, map[string]any{"id": w.guard2}).ok(t).decode(t, "node", &seen)
		if seen.Phone != "13800000002" {
			t.Errorf("she reads 王二's guardian as %+v", seen)
		}
		if r := e.gql(w.tokTA, `mutation($id: ID!) { updateGuardian(id: $id, input: {phone: "13999999999"}) { id } }`,
			map[string]any{"id": w.guard2}); r.Code() != "FORBIDDEN" {
			t.Errorf("another class's guardian changed by her: code %q", r.Code())
		}
		wang := `.roster form.guardian[data-guardian="` + strconv.Itoa(w.guard2) + `"]`
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(wang+`, .roster .pupil[data-student="`+strconv.Itoa(w.s2)+`"]`)+`).length`)); n != 0 {
			t.Errorf("the class teacher of 一年级(1)班 is offered 王二 or his guardian (%d)", n)
		}
		if got := must(e.client.Guardian.Get(system(), w.guard2)); got.Phone != "13800000002" {
			t.Errorf("王二's guardian changed: %+v", got)
		}

		// The class teacher of 一年级(2)班 changes his phone; a wrong one first, refused on the input.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.other"), chromedp.WaitVisible(css(wang)),
			fill(wang+` input[name=phone]`, "1380000"), chromedp.Click(css(wang+` button[type=submit]`)),
			chromedp.WaitVisible(css(wang+` input[name=phone].invalid`)))
		// The form typed in is marked: the one that shows after the save is the server's, drawn again.
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(`+strconv.Quote(wang)+`).classList.add('typed')`),
			fill(wang+` input[name=phone]`, "13900000009"), chromedp.Click(css(wang+` button[type=submit]`)),
			chromedp.WaitNotPresent(css(wang+`.typed`)), chromedp.WaitVisible(css(wang)))
		if got := must(e.client.Guardian.Get(system(), w.guard2)); got.Phone != "13900000009" || got.Name != "王父" || got.Relation != guardian.RelationFather {
			t.Errorf("王二's guardian after the change: %+v", got)
		}
		if v := read(t, ctx, chromedp.Value(css(wang+` input[name=phone]`))); v != "13900000009" {
			t.Errorf("the page shows 王二's guardian's phone as %q", v)
		}
		if n := count(); n != 2 {
			t.Errorf("%d guardians, want 2", n)
		}

		// A pupil has one primary contact: she adds 王母 as 王二's, and the page shows 王父's box unticked; she
		// ticks his again and saves, and 王母's is unticked.
		wangAdd := `.roster .pupil[data-student="` + strconv.Itoa(w.s2) + `"] form.add-guardian`
		do(t, ctx, fill(wangAdd+` input[name=name]`, "王母"), choose(wangAdd+` select[name=relation]`, "mother"),
			fill(wangAdd+` input[name=phone]`, "13700000002"), chromedp.Click(css(wangAdd+` input[name=primaryContact]`)),
			chromedp.Click(css(wangAdd+` button[type=submit]`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelectorAll('.roster .pupil[data-student="`+strconv.Itoa(w.s2)+`"] form.guardian').length === 2`))
		mother := must(e.client.Guardian.Query().Where(guardian.StudentID(w.s2), guardian.Name("王母")).Only(system()))
		wangMother := `.roster form.guardian[data-guardian="` + strconv.Itoa(mother.ID) + `"]`
		ticked := func() []bool {
			t.Helper()
			return read(t, ctx, chromedp.Evaluate[[]bool](`[`+strconv.Quote(wang)+`, `+strconv.Quote(wangMother)+`].map((f) =>
				document.querySelector(f + ' input[name=primaryContact]').checked)`))
		}
		if got := ticked(); !slices.Equal(got, []bool{false, true}) {
			t.Errorf("after adding 王母 as the primary contact 王父's and 王母's boxes are %v, want only hers ticked", got)
		}
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(`+strconv.Quote(wangMother)+`).classList.add('typed')`),
			chromedp.Click(css(wang+` input[name=primaryContact]`)), chromedp.Click(css(wang+` button[type=submit]`)),
			chromedp.WaitNotPresent(css(wangMother+`.typed`)), chromedp.WaitVisible(css(wangMother)))
		if got := ticked(); !slices.Equal(got, []bool{true, false}) {
			t.Errorf("after ticking 王父 the boxes are %v, want only his ticked", got)
		}
		if got := must(e.client.Guardian.Query().Where(guardian.StudentID(w.s2), guardian.PrimaryContact(true)).IDs(system())); !slices.Equal(got, []int{w.guard2}) {
			t.Errorf("王二's primary contacts are %v, want 王父 (%d) alone", got, w.guard2)
		}
	})
}

// TestConsoleClasses: the principal adds a grade and a class in it from the console (a class without a name
// is refused on its field), closes the class from today, so it owes no report, and reopens it.
func TestConsoleClasses(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		admin := `.classes-admin`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(admin+` form.add-grade`)),
			fill(admin+` form.add-grade input[name=name]`, "三年级"), chromedp.Click(css(admin+` form.add-grade button`)))
		read(t, ctx, chromedp.Poll[bool](`[...document.querySelectorAll('.classes-admin form.add-class option')].some((o) => o.textContent === '三年级')`))
		g := must(e.client.Grade.Query().Where(grade.Name("三年级")).Only(system()))
		do(t, ctx, choose(admin+` form.add-class select[name=gradeID]`, strconv.Itoa(g.ID)), chromedp.Click(css(admin+` form.add-class button`)),
			chromedp.WaitVisible(css(admin+` form.add-class input[name=name].invalid`)))
		do(t, ctx, fill(admin+` form.add-class input[name=name]`, "三年级(1)班"), chromedp.Click(css(admin+` form.add-class button`)),
			chromedp.WaitVisible(css(admin+` .grade[data-grade="`+strconv.Itoa(g.ID)+`"] .class`)))
		c := must(e.client.Class.Query().Where(class.Name("三年级(1)班")).Only(system()))
		if c.GradeID == nil || *c.GradeID != g.ID {
			t.Fatalf("the new class = %+v, want in 三年级", c)
		}
		state := func() string { return e.expectedState(t, w.tokP, c.ID, "2026-11-23", "noon") }
		if s := state(); s != "pending" {
			t.Fatalf("the new class's noon check: %s", s)
		}
		span := admin + ` .class[data-class="` + strconv.Itoa(c.ID) + `"]`
		do(t, ctx, chromedp.Click(css(span+` button.close`)), chromedp.WaitVisible(css(span+` button.reopen`)))
		if s := state(); s != "not_due" {
			t.Errorf("closed from today, the class's noon check is %s, want not_due", s)
		}
		do(t, ctx, chromedp.Click(css(span+` button.reopen`)), chromedp.WaitVisible(css(span+` button.close`)))
		if s := state(); s != "pending" {
			t.Errorf("reopened, the class's noon check is %s, want pending", s)
		}
	})
}

// TestConsoleTokens: the principal creates an API token for a third-party app in the console (a name is
// required); its secret, shown once, works over GraphQL with the role chosen; revoked, it works no more.
func TestConsoleTokens(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		e.newOrgWorld()
		form := `.tokens form.add-token`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(form)),
			chromedp.Click(css(form+` button`)), chromedp.WaitVisible(css(form+` input[name=name].invalid`)),
			fill(form+` input[name=name]`, "晨检大屏 lobby screen"), choose(form+` select[name=role]`, "epidemic_reporter"),
			chromedp.Click(css(form+` button`)), chromedp.WaitVisible(css(`.tokens .opened`)))
		_, secret, _ := strings.Cut(read(t, ctx, chromedp.Text(css(`.tokens .opened`))), "shown once): ")
		var me struct{ Role string }
		e.gql(secret, `{ me { role } }`, nil).ok(t).decode(t, "me", &me)
		if me.Role != "epidemic_reporter" {
			t.Fatalf("the new token acts as %q, want epidemic_reporter", me.Role)
		}
		row := `.tokens .token[data-id="` + strconv.Itoa(must(e.client.APIToken.Query().Where(apitoken.Name("晨检大屏 lobby screen")).Only(system())).ID) + `"]`
		if text := read(t, ctx, chromedp.Text(css(row))); !strings.Contains(text, "晨检大屏 lobby screen · "+secret[:8]) {
			t.Errorf("the token's row = %q, want its name and first characters", text)
		}
		do(t, ctx, chromedp.Click(css(row+` button.revoke`)), chromedp.WaitNotPresent(css(row)))
		if r := e.gql(secret, `{ me { role } }`, nil); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("a revoked token: %+v", r.Errors)
		}
	})
}

// TestConsoleInstitutions: the district admin onboards a kindergarten in the console. The list holds the
// district's institutions (not the district, not another district's schools). A missing name is said on
// its field, and a principal login already taken (by another district's teacher) is refused on the login
// field the server names; neither writes anything. The onboarding creates the kindergarten under the
// district and lists it; the initial password shown once signs its principal in, who must change it first.
// Deactivated, the institution's principal can no longer act nor sign in, and its row says so; reactivated,
// both work again. A school principal has no such panel.
func TestConsoleInstitutions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newWorld()
		form := `.institutions form.add-institution`
		row := func(id int) string { return `.institutions .institution[data-id="` + strconv.Itoa(id) + `"]` }
		counts := func() [2]int {
			return [2]int{must(e.client.Tenant.Query().Count(system())), must(e.client.User.Query().Count(system()))}
		}
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("d1.admin"), chromedp.WaitVisible(css(form)), chromedp.WaitVisible(css(row(w.A.ID))))
		listed := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.institutions .institution')].map((r) => r.dataset.id)`))
		if want := []string{strconv.Itoa(w.A2.ID), strconv.Itoa(w.A.ID)}; !reflect.DeepEqual(listed, want) {
			t.Errorf("institutions listed %v, want the district's two by name %v", listed, want)
		}
		if text := read(t, ctx, chromedp.Text(css(row(w.A.ID)))); !strings.Contains(text, "School A 小学 Primary school · 在用 Active") {
			t.Errorf("school A's row = %q", text)
		}

		// A missing name is said on its field before anything is sent.
		before := counts()
		do(t, ctx, choose(form+` select[name=kind]`, "kindergarten"), fill(form+` input[name=code]`, "KG-0571"),
			fill(form+` input[name=login]`, "b.teacher"), fill(form+` input[name=displayName]`, "钱园长"), fill(form+` input[name=phone]`, "13912345678"),
			chromedp.Click(css(form+` button`)), chromedp.WaitVisible(css(form+` input[name=name].invalid`)))
		if after := counts(); after != before {
			t.Fatalf("a form without a name wrote tenants/users %v -> %v", before, after)
		}
		// A login already in use (another district's teacher): refused on the login field, nothing written.
		do(t, ctx, fill(form+` input[name=name]`, "城关幼儿园"), chromedp.Click(css(form+` button`)),
			chromedp.WaitVisible(css(form+` input[name=login].invalid`)), chromedp.WaitNotPresent(css(form+` input[name=name].invalid`)))
		if msg := read(t, ctx, chromedp.Text(css(`#msg.err`))); !strings.Contains(msg, "login: already in use") {
			t.Errorf("the taken login says %q", msg)
		}
		if after := counts(); after != before {
			t.Fatalf("a refused onboarding wrote tenants/users %v -> %v", before, after)
		}

		// Onboarded: under the district, with its kind and code, the time zone left to the server; listed.
		do(t, ctx, fill(form+` input[name=login]`, "cg.kg.principal"), chromedp.Click(css(form+` button`)),
			chromedp.WaitVisible(css(`.institutions .opened`)))
		kg := must(e.client.Tenant.Query().Where(tenant.Name("城关幼儿园")).WithParent().Only(system()))
		if kg.Kind != tenant.KindKindergarten || kg.Edges.Parent == nil || kg.Edges.Parent.ID != w.D1.ID || kg.Code != "KG-0571" ||
			kg.Timezone != "Asia/Shanghai" || kg.Status != tenant.StatusActive {
			t.Fatalf("the onboarded institution %+v (parent %+v)", kg, kg.Edges.Parent)
		}
		head := must(e.client.User.Query().Where(user.Login("cg.kg.principal")).Only(system()))
		if head.Role != authz.Principal || head.TenantID == nil || *head.TenantID != kg.ID || head.Phone != "13912345678" || !head.MustChangePassword {
			t.Fatalf("its principal %+v", head)
		}
		do(t, ctx, chromedp.WaitVisible(css(row(kg.ID))))
		if text := read(t, ctx, chromedp.Text(css(row(kg.ID)))); !strings.Contains(text, "城关幼儿园 幼儿园 Kindergarten · KG-0571 · 在用 Active") {
			t.Errorf("its row = %q", text)
		}

		// The initial password shown signs the principal in, who may do nothing before changing it.
		shown := read(t, ctx, chromedp.Text(css(`.institutions .opened`)))
		_, initial, _ := strings.Cut(shown, "initial password: ")
		initial, _, _ = strings.Cut(initial, " ")
		var first struct {
			Token              string
			MustChangePassword bool
		}
		e.login("cg.kg.principal", initial).ok(t).decode(t, "login", &first)
		if !first.MustChangePassword {
			t.Fatalf("the initial password (the page said %q) is not flagged to be changed", shown)
		}
		if r := e.gql(first.Token, `{ users { totalCount } }`, nil); r.Code() != "PASSWORD_CHANGE_REQUIRED" {
			t.Errorf("on the initial password the principal read users: %+v", r.Errors)
		}
		const next = "kindergarten-2026"
		principal := e.signInFirstTime(t, "cg.kg.principal", initial, next)
		var me struct {
			Role   string
			Tenant struct{ ID string }
		}
		e.gql(principal, `{ me { role tenant { id } } }`, nil).ok(t).decode(t, "me", &me)
		if me.Role != "principal" || me.Tenant.ID != strconv.Itoa(kg.ID) {
			t.Errorf("the principal signs in as %+v", me)
		}

		// Deactivated: its principal can no longer act nor sign in, and the row says so.
		do(t, ctx, chromedp.Click(css(row(kg.ID)+` button.deactivate`)), chromedp.WaitVisible(css(row(kg.ID)+` button.reactivate`)))
		if text := read(t, ctx, chromedp.Text(css(row(kg.ID)+` .status`))); text != "已停用 Deactivated" {
			t.Errorf("the deactivated row says %q", text)
		}
		if st := must(e.client.Tenant.Get(system(), kg.ID)).Status; st != tenant.StatusDeactivated {
			t.Errorf("status %q after deactivation", st)
		}
		if r := e.gql(principal, `{ me { role } }`, nil); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("the principal of a deactivated institution acts: %+v", r.Errors)
		}
		if _, err := e.auth.Login(context.Background(), "cg.kg.principal", next); !errors.Is(err, auth.ErrAccountDisabled) {
			t.Errorf("the principal of a deactivated institution signs in: %v", err)
		}

		// Reactivated: both again.
		do(t, ctx, chromedp.Click(css(row(kg.ID)+` button.reactivate`)), chromedp.WaitVisible(css(row(kg.ID)+` button.deactivate`)))
		if text := read(t, ctx, chromedp.Text(css(row(kg.ID)+` .status`))); text != "在用 Active" {
			t.Errorf("the reactivated row says %q", text)
		}
		e.gql(principal, `{ me { role } }`, nil).ok(t)
		if _, err := e.auth.Login(context.Background(), "cg.kg.principal", next); err != nil {
			t.Errorf("the principal of a reactivated institution cannot sign in: %v", err)
		}

		// A school's principal keeps the school, not the district: no institutions panel.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(`.tokens form.add-token`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.institutions').length`)); n != 0 {
			t.Errorf("a principal is shown %d institutions panels", n)
		}
	})
}

// TestConsoleRobots: the principal adds the school's WeCom group robot in the console; a URL that is not
// http(s) is refused on its field; the robot's key never shows on the page again (only its host); paused,
// it is disabled; removed, it is gone.
func TestConsoleRobots(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		e.newOrgWorld()
		form := `.robots form.add-robot`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(form)),
			fill(form+` input[name=name]`, "行政群"), choose(form+` select[name=kind]`, "wecom"), fill(form+` input[name=url]`, "ftp://example.com/hook"),
			chromedp.Click(css(form+` button`)), chromedp.WaitVisible(css(form+` input[name=url].invalid`)))
		do(t, ctx, fill(form+` input[name=url]`, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY-123"),
			chromedp.Click(css(form+` button`)), chromedp.WaitVisible(css(`.robots .robot`)))
		robot := must(e.client.RobotWebhook.Query().Only(system()))
		if robot.Kind != robotwebhook.KindWecom || robot.Name != "行政群" || !robot.Enabled {
			t.Fatalf("the robot = %+v", robot)
		}
		if page := read(t, ctx, chromedp.Evaluate[string](`document.body.innerHTML`)); strings.Contains(page, "SECRET-KEY-123") {
			t.Error("the robot's key shows on the page")
		}
		if text := read(t, ctx, chromedp.Text(css(`.robots .robot`))); !strings.Contains(text, "qyapi.weixin.qq.com") {
			t.Errorf("the robot's row = %q, want its host", text)
		}
		do(t, ctx, chromedp.Click(css(`.robots .robot button.toggle`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('.robots .robot')?.textContent.includes('paused')`))
		if got := must(e.client.RobotWebhook.Get(system(), robot.ID)); got.Enabled {
			t.Error("paused, the robot is still enabled")
		}
		do(t, ctx, chromedp.Click(css(`.robots .robot button.remove`)), chromedp.WaitNotPresent(css(`.robots .robot`)))
		if n := must(e.client.RobotWebhook.Query().Count(system())); n != 0 {
			t.Errorf("%d robots after removing it", n)
		}
	})
}

// TestConsoleStaff: the principal sets up the staff check from the console: a department, a teacher added
// straight into it (a name is required), a second one added to it afterwards and taken out again, and one
// marked as gone when she leaves.
func TestConsoleStaff(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		e.newOrgWorld()
		admin := `.staff-admin`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(admin+` form.add-group`)),
			fill(admin+` form.add-group input[name=name]`, "教务处"), choose(admin+` form.add-group select[name=kind]`, "department"),
			chromedp.Click(css(admin+` form.add-group button`)), chromedp.WaitVisible(css(admin+` .group`)))
		group := must(e.client.StaffGroup.Query().Where(staffgroup.Name("教务处")).Only(system()))
		if group.Kind != staffgroup.KindDepartment {
			t.Errorf("the group = %+v", group)
		}
		add := admin + ` form.add-staff`
		do(t, ctx, chromedp.Click(css(add+` button`)), chromedp.WaitVisible(css(add+` input[name=name].invalid`)),
			fill(add+` input[name=name]`, "钱老师"), fill(add+` input[name=department]`, "语文组"), choose(add+` select[name=group]`, strconv.Itoa(group.ID)),
			chromedp.Click(css(add+` button`)))
		row := admin + ` .group[data-group="` + strconv.Itoa(group.ID) + `"]`
		read(t, ctx, chromedp.Poll[bool](`document.querySelector(`+strconv.Quote(row)+`)?.textContent.includes('钱老师')`))
		qian := must(e.client.Staff.Query().Where(staff.Name("钱老师")).Only(system()))
		if !must(group.QueryMembers().Where(staff.ID(qian.ID)).Exist(system())) || qian.Department != "语文组" {
			t.Fatalf("钱老师 = %+v, want in 教务处", qian)
		}
		sun := must(e.client.Staff.Create().SetTenantID(qian.TenantID).SetName("孙老师").SetStaffType(staff.StaffTypeTeacher).Save(system()))
		member := row + ` .member[data-staff="` + strconv.Itoa(sun.ID) + `"]`
		do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(css(row)), choose(row+` select[name=member]`, strconv.Itoa(sun.ID)),
			chromedp.Click(css(row+` button.in`)), chromedp.WaitVisible(css(member)), chromedp.Click(css(member+` button.out`)),
			chromedp.WaitNotPresent(css(member)))
		if n := must(group.QueryMembers().Count(system())); n != 1 {
			t.Errorf("教务处 has %d members after 孙老师 came and went, want 1", n)
		}
		do(t, ctx, chromedp.Click(css(admin+` .everyone .staffer[data-staff="`+strconv.Itoa(qian.ID)+`"] button.left`)),
			chromedp.WaitNotPresent(css(admin+` .everyone .staffer[data-staff="`+strconv.Itoa(qian.ID)+`"]`)))
		if got := must(e.client.Staff.Get(system(), qian.ID)); got.Status != staff.StatusLeft || got.LeftOn == nil {
			t.Errorf("钱老师 after leaving: %+v", got)
		}
	})
}

// TestConsoleAudit: the principal reads who changed what in the console: a class teacher's zero report
// shows with her name and the fields it set, and filtering by kind keeps only that kind. She finds the log, at the
// end of a long page, through the contents under the header.
func TestConsoleAudit(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		var chk struct{ ID string }
		e.gql(w.tokTA, `mutation($c: ID!) { submitZeroReport(classID: $c, date: "2026-11-23", session: morning) { id } }`,
			map[string]any{"c": w.c1}).ok(t).decode(t, "submitZeroReport", &chk)
		entry := `.audit .entry`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(entry)))
		// Her page is long, the audit log at its end: the contents under the header link every panel, and the
		// link brings the log into view.
		links := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#toc a')].map((a) => a.textContent)`))
		panels := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#app section > .panel').length`))
		if len(links) != panels || !slices.Contains(links, "审计日志 Audit log") || !slices.Contains(links, "通知 Notifications") {
			t.Errorf("contents = %q, want a link to each of the %d panels, the audit log's among them", links, panels)
		}
		top := `document.querySelector('section.audit').getBoundingClientRect().top`
		if below := read(t, ctx, chromedp.Evaluate[bool](top+` > innerHeight`)); !below {
			t.Errorf("the audit log is in view before the link is followed: the test proves nothing")
		}
		href := read(t, ctx, chromedp.Evaluate[string](`'#' + document.querySelector('section.audit').id`))
		do(t, ctx, chromedp.Click(css(`#toc a[href="`+href+`"]`)))
		read(t, ctx, chromedp.Poll[bool](`Math.abs(`+top+`) < 40`))
		do(t, ctx, fill(`.audit input[name=entityType]`, "ClassCheck"), chromedp.Click(css(`.audit form button`)))
		read(t, ctx, chromedp.Poll[bool](`[...document.querySelectorAll('.audit .entry')].every((e) => e.textContent.includes('ClassCheck'))`))
		text := read(t, ctx, chromedp.Text(css(`.audit .list`)))
		if !strings.Contains(text, "a.teacher") || !strings.Contains(text, "新建 created ClassCheck "+chk.ID) || !strings.Contains(text, "zero_report: — → true") {
			t.Errorf("the audit log shows %q, want the teacher's zero report with its fields", text)
		}
	})
}

// TestConsolePreferences: a teacher chooses how she is told besides the inbox. E-mail without an address is
// refused on the address, nothing saved; with one, SMS too, quiet hours from 22:00 to 07:00 and English, it
// is saved as hers and shows again after a reload.
func TestConsolePreferences(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newOrgWorld()
		form := `.preferences form.prefs`
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(form)),
			chromedp.Click(css(form+` input[value=EMAIL]`)), chromedp.Click(css(form+` button[type=submit]`)),
			chromedp.WaitVisible(css(form+` input[name=email].invalid`)))
		if n := must(e.client.NotificationPreference.Query().Count(system())); n != 0 {
			t.Fatalf("a refused preference was saved (%d rows)", n)
		}
		do(t, ctx, fill(form+` input[name=email]`, "li@example.edu.cn"), chromedp.Click(css(form+` input[value=SMS]`)),
			choose(form+` input[name=quietStart]`, "22:00"), choose(form+` input[name=quietEnd]`, "07:00"),
			choose(form+` select[name=locale]`, "en"), chromedp.Click(css(form+` button[type=submit]`)))
		read(t, ctx, chromedp.Poll[bool](`document.querySelector('#msg')?.textContent.includes('Saved')`))
		p := must(e.client.NotificationPreference.Query().Only(system()))
		if p.UserID != w.ta.ID || !slices.Equal(p.Channels, []string{"email", "sms"}) || p.Email != "li@example.edu.cn" ||
			p.QuietStart != "22:00" || p.QuietEnd != "07:00" || p.Locale != "en" {
			t.Errorf("the teacher's preferences = %+v", p)
		}
		do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(css(form)))
		if v := read(t, ctx, chromedp.Value(css(form+` input[name=quietStart]`))); v != "22:00" {
			t.Errorf("after a reload the quiet hours start at %q", v)
		}
	})
}

// holdAnswers holds the page's answers to the GraphQL requests whose text includes what, from now on: the
// server answers each, and the page gets the answer only when the test lets it go, in the order it chooses.
// window.held has a function for each, letting it go as the server gave it or as the error it is given;
// holdAnswers again holds others (from a fresh window.held); an empty window.holding holds none.
func holdAnswers(what string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => {
		window.held = [];
		window.holding = ` + strconv.Quote(what) + `;
		if (window.holdsAnswers) return; // fetch is wrapped once: twice, an answer would be held twice
		window.holdsAnswers = true;
		const real = window.fetch;
		window.fetch = async (url, init) => {
			const res = await real(url, init);
			if (!window.holding || !String(init?.body).includes(window.holding)) return res;
			const body = await res.json();
			return new Promise((resolve) => window.held.push((error) =>
				resolve({ status: res.status, json: async () => (error ? { errors: [{ message: error }] } : body) })));
		};
	})()`)
}

// TestConsolePanelOvertaken: a panel's list drawn by a load that a newer one has overtaken. The page's
// answers to the templates list are held and let go in the order the test chooses (the server has answered
// each before the test changes anything). An older answer let go after the newer one is drawn is dropped,
// and so is an older error; whoever awaits the older load (act, before it says "Saved") waits until the
// newer one is drawn.
func TestConsolePanelOvertaken(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		w := e.newWorld()
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.principal"), chromedp.WaitVisible(css(`.templates .list p.muted`)),
			holdAnswers(`exportTemplates { id tenantID`),
			chromedp.Evaluate[chromedp.Void](`window.list = () => document.querySelector('.templates .list').textContent`))
		// load starts a reload of the list as window[name], and waits until the server has answered it.
		load := func(name string, n int) {
			do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.`+name+` = document.querySelector('.templates').refresh()`))
			read(t, ctx, chromedp.Poll[bool](`window.held.length === `+strconv.Itoa(n)))
		}
		template := func(name string) {
			e.gql(w.tok["a.principal"], createTemplate, map[string]any{"i": map[string]any{"name": name, "sheet": "persons",
				"columns": []map[string]any{{"source": "姓名", "header": "学生姓名"}}}}).ok(t)
		}

		// The older answer (no template yet) comes after the newer one (the template): the template stays.
		load("older", 1)
		template("市疾控明细")
		load("newer", 2)
		got := read(t, ctx, chromedp.Evaluate[[]string](`(async () => {
			window.held[1](); await window.newer;
			const newer = window.list();
			window.held[0](); await window.older;
			return [newer, window.list()];
		})()`, chromedp.EvalAwaitPromise))
		if !strings.Contains(got[0], "市疾控明细") || got[1] != got[0] {
			t.Errorf("the newer answer drew %q; after the older one came, the list is %q", got[0], got[1])
		}

		// The older load fails while the newer one is still on its way: nothing is drawn, and the older load is
		// not over (act would say "Saved" over a list without what was saved) until the newer one is drawn.
		load("older", 3)
		template("省晨午检明细")
		load("newer", 4)
		got = read(t, ctx, chromedp.Evaluate[[]string](`(async () => {
			let over = false;
			window.older.then(() => { over = true; });
			window.held[2]('旧的错误 an overtaken error');
			await new Promise((r) => setTimeout(r)); // the older answer's course is promises only: it has run
			const before = [String(over), window.list()];
			window.held[3](); await window.older;
			return [...before, window.list()];
		})()`, chromedp.EvalAwaitPromise))
		if got[0] != "false" {
			t.Error("an overtaken load was over before the newer one was drawn")
		}
		if !strings.Contains(got[1], "市疾控明细") || strings.Contains(got[1], "旧的错误") || strings.Contains(got[1], "省晨午检明细") {
			t.Errorf("while the newer load was on its way the list said %q", got[1])
		}
		if !strings.Contains(got[2], "市疾控明细") || !strings.Contains(got[2], "省晨午检明细") {
			t.Errorf("once the older load was over the list said %q, want both templates", got[2])
		}
	})
}

// TestConsoleStaffIllnessUpward: a staff member off sick raises the school's staff illness alert, which
// waits for the principal (DOMAIN.md §4). The health teacher sees where it stands and no decision to make;
// the principal keeps it in the school (refused until she says why, the note marked), then reports it
// upward; the page says so and offers nothing more, and the server has her decision.
func TestConsoleStaffIllnessUpward(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newWorld()
		sys := system()
		zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType(staff.StaffTypeTeacher).Save(sys))
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("总务处").AddMemberIDs(zhao.ID).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g.ID)
		e.staffUser(w, "a.nurse", authz.HealthTeacher)
		e.gql(w.tok["a.teacher"], `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"staffGroupID": g.ID, "date": "2026-11-23", "session": "morning", "present": 0, "entries": []map[string]any{
				{"staffID": zhao.ID, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}},
			}}}).ok(t)
		ill := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness)).Only(sys))
		form := `.alerts form.alert[data-id="` + strconv.Itoa(ill.ID) + `"]`
		line := func() string { return read(t, ctx, chromedp.Text(css(form+` .upward`))) }

		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.nurse"), chromedp.WaitVisible(css(form+` .upward.pending`)))
		if got := line(); !strings.Contains(got, "待校长决定是否上报") {
			t.Errorf("the health teacher reads %q", got)
		}
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(form+` button.report-upward, `+form+` button.keep`)+`).length`)); n != 0 {
			t.Errorf("the health teacher is offered %d decision buttons", n)
		}

		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(form+` button.keep`)),
			chromedp.Click(css(form+` button.keep`)), chromedp.WaitVisible(css(form+` input[name=note].invalid`)))
		if got := must(e.client.Alert.Get(sys, ill.ID)); *got.Upward != alert.UpwardPending {
			t.Fatalf("kept without a note: %v", *got.Upward)
		}
		do(t, ctx, fill(form+` input[name=note]`, "轻微感冒，已就医"), chromedp.Click(css(form+` button.keep`)),
			chromedp.WaitVisible(css(form+` .upward.withheld`)))
		if got := line(); !strings.Contains(got, "校内处理，未上报") || !strings.Contains(got, "轻微感冒，已就医") {
			t.Errorf("kept in the school, the page reads %q", got)
		}
		do(t, ctx, chromedp.WaitVisible(css(form+` button.report-upward`)), chromedp.Click(css(form+` button.report-upward`)),
			chromedp.WaitVisible(css(form+` .upward.reported`)))
		if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(form+` .upward button`)+`).length`)); n != 0 {
			t.Errorf("reported, the principal is still offered %d decision buttons", n)
		}
		if got := must(e.client.Alert.Get(sys, ill.ID)); *got.Upward != alert.UpwardReported || got.UpwardDecidedByID == nil || *got.UpwardDecidedByID != w.pa.ID {
			t.Errorf("after the report upward: %+v", got)
		}
	})
}

// TestConsoleBoardOvertaken: a class's card and a school's board drawn by a load of the same day that a newer
// one has overtaken (drawNewest, as the panels). The page's answers are held and let go newest first (the
// server has answered each before the test goes on). 王老师 reports her class's morning and then its noon in
// one tap each; the answer to the first tap's reload comes last and is dropped: the noon check stays
// submitted, not pending. On the principal's board, a refresh asked before another class's noon check came
// in is answered last: the board keeps the newer count.
func TestConsoleBoardOvertaken(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		f := e.boardFixture()
		card := `[data-class="` + strconv.Itoa(f.c22.ID) + `"]`
		morning, noon := card+` .session[data-session=morning]`, card+` .session[data-session=noon]`
		// No minute's refresh comes between the loads the test makes.
		do(t, ctx, beforeLoad(`window.campusRefreshSeconds = 3600`), chromedp.Navigate(e.srv.URL+"/"), signIn("a.wang"),
			chromedp.WaitVisible(css(noon+` button.zero`)), holdAnswers(`expectedReport(`))
		do(t, ctx, chromedp.Click(css(morning+` button.zero`)))
		read(t, ctx, chromedp.Poll[bool](`window.held.length === 1`))
		do(t, ctx, chromedp.Click(css(noon+` button.zero`)))
		read(t, ctx, chromedp.Poll[bool](`window.held.length === 2`))
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.held[1]()`), chromedp.WaitVisible(css(noon+` .state.submitted`)))
		got := read(t, ctx, chromedp.Evaluate[string](`(async () => {
			window.held[0]();
			await new Promise((r) => setTimeout(r)); // the older answer's course is promises only: it has run
			return document.querySelector(`+strconv.Quote(noon+` .state`)+`).className;
		})()`, chromedp.EvalAwaitPromise))
		if got != "state submitted" {
			t.Errorf("after the older answer came the noon check shows as %q, want submitted", got)
		}

		// The principal's board: noon submitted by 王老师's class, then by a.teacher's as the refreshes are on their way.
		cell := `.board[data-scope=tenantID] tr[data-session=noon] td:nth-child(3)`
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.holding = ''`), chromedp.Click(css(`#logout`)), signIn("a.principal"),
			chromedp.WaitVisible(css(cell)), holdAnswers(`board(scope: $s, date: $d) { classes`))
		if n := read(t, ctx, chromedp.Text(css(cell))); n != "1" {
			t.Fatalf("the board's noon submitted = %s, want 1", n)
		}
		refresh := func(name string, n int) {
			do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.`+name+` = document.querySelector('.board[data-scope=tenantID]').refresh()`))
			read(t, ctx, chromedp.Poll[bool](`window.held.length === `+strconv.Itoa(n)))
		}
		refresh("older", 1)
		if _, err := checks.Submit(system(), e.client, checks.Report{ClassID: f.c11.ID, Date: "2026-11-23", Session: "noon", Zero: true},
			mondayAt("10:05")); err != nil {
			t.Fatal(err)
		}
		refresh("newer", 2)
		counts := read(t, ctx, chromedp.Evaluate[[]string](`(async () => {
			const cell = () => document.querySelector(`+strconv.Quote(cell)+`).textContent;
			window.held[1](); await window.newer;
			const newer = cell();
			window.held[0](); await window.older;
			return [newer, cell()];
		})()`, chromedp.EvalAwaitPromise))
		if counts[0] != "2" || counts[1] != "2" {
			t.Errorf("the board's noon submitted: %s when the newer answer came, %s after the older one, want 2 both", counts[0], counts[1])
		}
	})
}

// share is an illness-absence rate as the console shows it: to a tenth of a percent, a dash for none.
func share(f *float64) string {
	if f == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *f*100)
}

// TestConsoleAlertContinues: 赵老师 off sick in the morning raises the staff illness alert, which the health
// teacher handles. At noon 钱老师 falls ill too: a new alert names both, and the page says which alert it
// continues and who is new.
func TestConsoleAlertContinues(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := browser(t)
		e.now = mondayAt("08:00")
		w := e.newWorld()
		sys := system()
		mk := func(name string) int {
			return must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName(name).SetStaffType(staff.StaffTypeTeacher).Save(sys)).ID
		}
		zhao, qian := mk("赵老师"), mk("钱老师")
		g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("总务处").AddMemberIDs(zhao, qian).Save(sys))
		e.assign(t, w.tok["a.principal"], w.ta.ID, authz.GradeLeader, authz.NodeStaffGroup, g.ID)
		e.staffUser(w, "a.nurse", authz.HealthTeacher)
		sick := func(session string, ids ...int) {
			var entries []map[string]any
			for _, id := range ids {
				entries = append(entries, map[string]any{"staffID": id, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}})
			}
			e.gql(w.tok["a.teacher"], `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
				"staffGroupID": g.ID, "date": "2026-11-23", "session": session, "present": 2 - len(ids), "entries": entries}}).ok(t)
		}
		sick("morning", zhao)
		morning := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness)).Only(sys))
		e.gql(w.tok["a.nurse"], `mutation($id: ID!) { updateAlert(id: $id, input: { status: handled, disposition: "已就医" }) { id } }`,
			map[string]any{"id": morning.ID}).ok(t)
		e.now = mondayAt("13:00")
		sick("noon", zhao, qian)
		noon := must(e.client.Alert.Query().Where(alert.RuleEQ(alert.RuleStaffIllness), alert.StatusEQ(alert.StatusOpen)).Only(sys))
		form := `.alerts form.alert[data-id="` + strconv.Itoa(noon.ID) + `"]`

		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.nurse"), chromedp.WaitVisible(css(form+` .continues`)))
		got := read(t, ctx, chromedp.Text(css(form+` .continues`)))
		if !strings.HasPrefix(got, "接续 2026/11/23 08:00") || !strings.Contains(got, "（已处置 Handled）") || !strings.HasSuffix(got, "新增 New: 钱老师") {
			t.Errorf("the noon alert says %q, want it continues the handled 08:00 alert, 钱老师 new", got)
		}
		if people := read(t, ctx, chromedp.Text(css(form+` .people`))); people != "赵老师、钱老师" {
			t.Errorf("the noon alert names %q, want both", people)
		}
	})
}
