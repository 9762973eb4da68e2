package api_test

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/student"
)

// browser starts a headless Chromium (Debian's chromium package; CHROME names another binary) for one
// test, failing the test on any uncaught script error of the page. Without a browser the test is skipped,
// unless REQUIRE_SERVICES=1 (CI), where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROME")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path == "" {
			path, _ = exec.LookPath(name)
		}
	}
	if path == "" {
		if os.Getenv("REQUIRE_SERVICES") == "1" {
			t.Fatal("no Chromium found (apt-get install chromium, or set CHROME); REQUIRE_SERVICES=1 requires it")
		}
		t.Skip("no Chromium found: apt-get install chromium, or set CHROME")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
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

// choose sets a <select> as a user would, change event included.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const el = document.querySelector(` + strconv.Quote(sel) + `); el.value = ` +
		strconv.Quote(value) + `; el.dispatchEvent(new Event('change')); })()`)
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
		must(e.client.Student.Create().SetTenantID(w.A.ID).SetName("<i>Tom</i>").SetStudentNumber("A0009").
			SetGender(student.GenderMale).SetClassID(w.c1).Save(system()))
		class := `[data-class="` + strconv.Itoa(w.c1) + `"]`
		morning, noon := class+` .session[data-session=morning]`, class+` .session[data-session=noon]`
		signIn := func(login string) chromedp.Action[chromedp.Void] {
			return chromedp.Steps(chromedp.WaitVisible(css(`#login`)), fill(`#u`, login), fill(`#p`, testPassword), chromedp.Click(css(`#login button[type=submit]`)))
		}
		do(t, ctx, chromedp.Navigate(e.srv.URL+"/"), signIn("a.teacher"), chromedp.WaitVisible(css(morning+` .state.pending`)))

		// One tap: the morning zero report.
		do(t, ctx, chromedp.Click(css(morning+` button.zero`)), chromedp.WaitVisible(css(morning+` .state.submitted`)))
		got := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1), classcheck.Date("2026-11-23"),
			classcheck.SessionEQ(classcheck.SessionMorning)).All(system()))
		if len(got) != 1 || !got[0].ZeroReport || got[0].Present != 2 || got[0].SubmittedByID == nil || *got[0].SubmittedByID != w.ta.ID || !got[0].OnTime {
			t.Fatalf("morning check after the tap: %+v", got)
		}

		// Noon: 李一 is off sick with a fever; a typo in the temperature is refused, naming the pupil and field.
		form := `form.check[data-session=noon]`
		li := form + ` tr[data-student="` + strconv.Itoa(w.s1) + `"]`
		do(t, ctx, chromedp.Click(css(noon+` button.secondary`)), chromedp.WaitVisible(css(form)),
			choose(li+` select[name=status]`, "sick_leave"), chromedp.Click(css(li+` input[value=fever]`)),
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
		do(t, ctx, fill(li+` input[name=temperature]`, "38.5"),
			chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitVisible(css(noon+` .state.submitted`)), chromedp.WaitNotPresent(css(form)))
		chk := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1), classcheck.SessionEQ(classcheck.SessionNoon)).
			WithEntries().Only(system()))
		if chk.ZeroReport || chk.AbsentIllness != 1 || chk.Present != 1 || len(chk.Edges.Entries) != 1 {
			t.Fatalf("noon check = %+v, entries %+v", chk, chk.Edges.Entries)
		}
		if en := chk.Edges.Entries[0]; en.StudentID != w.s1 || en.Temperature == nil || *en.Temperature != 38.5 || !en.DoctorSeen ||
			len(en.Symptoms) != 1 || en.Symptoms[0] != "fever" {
			t.Errorf("noon line = %+v", en)
		}
		if n := must(e.client.FollowUp.Query().Where(followup.StudentID(w.s1)).Count(system())); n != 1 {
			t.Errorf("follow-ups opened for the sick pupil: %d, want 1", n)
		}

		// A correction starts from the current lines: adding Tom's personal leave keeps 李一's fever as it was.
		tom := form + ` tr:nth-child(2)`
		do(t, ctx, chromedp.Click(css(noon+` button.secondary`)), chromedp.WaitVisible(css(form)))
		if v := read(t, ctx, chromedp.Value(css(li+` input[name=temperature]`))); v != "38.5" {
			t.Fatalf("the correction form shows 李一's temperature as %q, want the current 38.5", v)
		}
		do(t, ctx, choose(tom+` select[name=status]`, "personal_leave"), fill(tom+` input[name=note]`, "家中有事"),
			chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitNotPresent(css(form)))
		v2 := must(e.client.ClassCheck.Query().Where(classcheck.ClassID(w.c1), classcheck.SessionEQ(classcheck.SessionNoon),
			classcheck.Current(true)).WithEntries().Only(system()))
		if v2.Version != 2 || v2.AbsentIllness != 1 || v2.AbsentOther != 1 || v2.Present != 0 || len(v2.Edges.Entries) != 2 {
			t.Fatalf("corrected noon check = %+v, entries %+v", v2, v2.Edges.Entries)
		}
		for _, en := range v2.Edges.Entries {
			if en.StudentID == w.s1 && (en.Temperature == nil || *en.Temperature != 38.5 || !en.DoctorSeen || len(en.Symptoms) != 1) {
				t.Errorf("李一's line lost something in the correction: %+v", en)
			}
			if en.StudentID != w.s1 && (en.AbsenceType == nil || *en.AbsenceType != "personal_leave" || en.Note != "家中有事") {
				t.Errorf("Tom's line = %+v", en)
			}
		}

		// The principal sees the school: one class of three has reported each session; the others are listed.
		do(t, ctx, chromedp.Click(css(`#logout`)), signIn("a.principal"), chromedp.WaitVisible(css(`.board tr[data-session=morning]`)))
		cells := read(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.board tr[data-session=morning] td')].map((td) => td.textContent)`))
		missing := read(t, ctx, chromedp.Text(css(`.board p.missing[data-session=morning]`)))
		if len(cells) < 9 || cells[1] != "3" || cells[2] != "1" || cells[8] != "33%" {
			t.Errorf("principal's morning row = %q, want 3 expected, 1 submitted, 33%%", cells)
		}
		if !strings.Contains(missing, "一年级(2)班") || !strings.Contains(missing, "二年级(1)班") || strings.Contains(missing, "一年级(1)班") {
			t.Errorf("not reported = %q", missing)
		}
	})
}
