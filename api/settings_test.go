package api_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent/checksetting"
	"github.com/campushealth/campushealth/ent/privacy"
)

// TestCheckSettingsOverGraphQL: a district sets defaults, a school overrides some and inherits the rest;
// only the principal (own school) and the district admin (its district and schools) may set them; bad
// values are refused naming the field, and nothing is written.
func TestCheckSettingsOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		type rules struct {
			Timezone       string
			Sessions       []string
			Deadlines      []struct{ Session, Deadline string }
			FeverThreshold float64
			FeverAbove     bool
			ClusterDay     int
			ReportWithin   int `json:"reportWithinMinutes"`
			ReturnFever    int `json:"returnAfterFeverHours"`
		}
		rulesOf := func(token string, tenant any) rules {
			t.Helper()
			var r rules
			e.gql(token, `query($t: ID) { checkRules(tenantID: $t) { timezone sessions deadlines { session deadline }
				feverThreshold feverAbove clusterDay reportWithinMinutes returnAfterFeverHours } }`, map[string]any{"t": tenant}).
				ok(t).decode(t, "checkRules", &r)
			return r
		}
		deadline := func(r rules, s string) string {
			i := slices.IndexFunc(r.Deadlines, func(d struct{ Session, Deadline string }) bool { return d.Session == s })
			if i < 0 {
				return "none"
			}
			return r.Deadlines[i].Deadline
		}
		settings := func() int {
			return must(e.client.CheckSetting.Query().Count(privacy.DecisionContext(context.Background(), privacy.Allow)))
		}
		create := `mutation($t: ID, $i: CreateCheckSettingInput!) { createCheckSetting(tenantID: $t, input: $i) { id } }`

		// The built-in defaults (DOMAIN.md §4); a kindergarten observes all day instead of a noon check.
		def := rulesOf(w.tok["a.teacher"], nil)
		if def.Timezone != "Asia/Shanghai" || !slices.Equal(def.Sessions, []string{"morning", "noon"}) ||
			deadline(def, "morning") != "09:00" || deadline(def, "noon") != "14:00" || def.FeverThreshold != 37.3 ||
			def.ClusterDay != 3 || def.ReportWithin != 120 || def.ReturnFever != 48 {
			t.Fatalf("defaults: %+v", def)
		}
		if k := rulesOf(w.tok["a2.principal"], nil); !slices.Equal(k.Sessions, []string{"morning", "full_day"}) {
			t.Errorf("kindergarten sessions: %v", k.Sessions)
		}

		// Who may set them.
		for _, c := range []struct {
			who    string
			tenant any
		}{
			{"a.teacher", nil},       // a class teacher: not hers to set
			{"a.principal", w.D1.ID}, // the district's defaults are the district's
			{"a.principal", w.B.ID},  // another district's school
			{"d2.admin", w.A.ID},     // another district
			{"b.principal", w.A.ID},  // another school
		} {
			if r := e.gql(w.tok[c.who], create, map[string]any{"t": c.tenant, "i": map[string]any{"feverThreshold": 37.0}}); r.Code() != "FORBIDDEN" {
				t.Errorf("%s setting %v's rules: %+v", c.who, c.tenant, r.Errors)
			}
		}
		if n := settings(); n != 0 {
			t.Fatalf("refused writes left %d settings", n)
		}

		// Bad values: a clear error naming the field, nothing written.
		for field, bad := range map[string]any{
			"morningDeadline": "25:00", "sessions": []string{"morning", "lunch"}, "feverThreshold": 40.0,
			"clusterDay": 1, "followUpDue": "6pm",
		} {
			r := e.gql(w.tok["d1.admin"], create, map[string]any{"i": map[string]any{field: bad}})
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != field || strings.Contains(r.Errors[0].Message, "ent:") {
				t.Errorf("%s = %v: %+v, want BAD_USER_INPUT on %s in plain words", field, bad, r.Errors, field)
			}
		}
		if r := e.gql(w.tok["d1.admin"], create, map[string]any{"i": map[string]any{"sessions": []string{"noon", "noon"}}}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("a session twice: %+v", r.Errors)
		}
		if n := settings(); n != 0 {
			t.Fatalf("bad input left %d settings", n)
		}

		// The district's defaults reach its schools, not another district's.
		if r := rulesOf(w.tok["a.teacher"], nil); r.FeverAbove {
			t.Errorf("by default a reading at the threshold is fever: %+v", r)
		}
		e.gql(w.tok["d1.admin"], create, map[string]any{"i": map[string]any{"morningDeadline": "08:30", "feverThreshold": 37.5, "feverAbove": true}}).ok(t)
		if r := rulesOf(w.tok["a.teacher"], nil); deadline(r, "morning") != "08:30" || r.FeverThreshold != 37.5 || !r.FeverAbove || deadline(r, "noon") != "14:00" {
			t.Errorf("school A under D1's defaults: %+v", r)
		}
		if r := rulesOf(w.tok["b.principal"], nil); deadline(r, "morning") != "09:00" || r.FeverThreshold != 37.3 {
			t.Errorf("school B (D2) took D1's defaults: %+v", r)
		}

		// The school overrides a field and adds an evening check; the rest stays inherited.
		var own struct{ ID string }
		e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{
			"morningDeadline": "09:15", "sessions": []string{"morning", "noon", "evening"}}}).ok(t).decode(t, "createCheckSetting", &own)
		r := rulesOf(w.tok["a.teacher"], nil)
		if deadline(r, "morning") != "09:15" || deadline(r, "evening") != "20:30" || r.FeverThreshold != 37.5 {
			t.Errorf("school override over district defaults: %+v", r)
		}
		if r := e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{"noonDeadline": "13:30"}}); r.Code() != "CONFLICT" {
			t.Errorf("a second settings row for the school: %+v", r.Errors)
		}
		// The district reads its school's rules; the other district cannot even see the school.
		if r := rulesOf(w.tok["d1.admin"], w.A.ID); deadline(r, "morning") != "09:15" {
			t.Errorf("district reading A: %+v", r)
		}
		if r := e.gql(w.tok["d2.admin"], `query($t: ID) { checkRules(tenantID: $t) { timezone } }`, map[string]any{"t": w.A.ID}); r.Code() != "NOT_FOUND" {
			t.Errorf("D2 reading A's rules: %+v", r.Errors)
		}

		// Clearing the override makes the field inherit the district's default again.
		e.gql(w.tok["a.principal"], `mutation($id: ID!) { updateCheckSetting(id: $id, input: {clearMorningDeadline: true}) { id } }`,
			map[string]any{"id": own.ID}).ok(t)
		if r := rulesOf(w.tok["a.teacher"], nil); deadline(r, "morning") != "08:30" {
			t.Errorf("after clearing the override: %+v", r)
		}
		// A teacher may not change the school's settings.
		if r := e.gql(w.tok["a.teacher"], `mutation($id: ID!) { updateCheckSetting(id: $id, input: {feverThreshold: 38.0}) { id } }`,
			map[string]any{"id": own.ID}); r.Code() != "FORBIDDEN" {
			t.Errorf("teacher updating settings: %+v", r.Errors)
		}
	})
}

// TestChaseLadderSettings: a district's general ladder and its ladder for kindergartens reach the right
// institutions; a school's own beats both; malformed ladders are refused naming the step.
func TestChaseLadderSettings(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		create := `mutation($t: ID, $i: CreateCheckSettingInput!) { createCheckSetting(tenantID: $t, input: $i) { id } }`
		set := `mutation($s: ID!, $k: TenantKind, $steps: [ChaseStepInput!]!) { setChaseLadder(settingID: $s, kind: $k, steps: $steps) { id } }`
		ladder := func(token string) []map[string]any {
			var r struct{ Ladder []map[string]any }
			e.gql(token, `{ checkRules { ladder { offsetMinutes notify } } }`, nil).ok(t).decode(t, "checkRules", &r)
			return r.Ladder
		}
		if l := ladder(w.tok["a.teacher"]); len(l) != 4 || l[0]["offsetMinutes"] != -15.0 {
			t.Fatalf("default ladder: %v", l)
		}
		var district, school struct{ ID string }
		e.gql(w.tok["d1.admin"], create, map[string]any{"i": map[string]any{}}).ok(t).decode(t, "createCheckSetting", &district)
		step := func(off int, who ...string) map[string]any {
			return map[string]any{"offsetMinutes": off, "notify": who}
		}
		e.gql(w.tok["d1.admin"], set, map[string]any{"s": district.ID, "steps": []any{step(0, "class_teacher"), step(45, "principal")}}).ok(t)
		e.gql(w.tok["d1.admin"], set, map[string]any{"s": district.ID, "k": "kindergarten", "steps": []any{step(-30, "class_teacher")}}).ok(t)
		if l := ladder(w.tok["a.teacher"]); len(l) != 2 || l[1]["offsetMinutes"] != 45.0 {
			t.Errorf("primary school under the district's general ladder: %v", l)
		}
		if l := ladder(w.tok["a2.principal"]); len(l) != 1 || l[0]["offsetMinutes"] != -30.0 {
			t.Errorf("kindergarten under the district's kindergarten ladder: %v", l)
		}
		if l := ladder(w.tok["b.principal"]); len(l) != 4 {
			t.Errorf("another district's school: %v", l)
		}
		e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{}}).ok(t).decode(t, "createCheckSetting", &school)
		e.gql(w.tok["a.principal"], set, map[string]any{"s": school.ID, "steps": []any{step(-5, "class_teacher", "grade_leader")}}).ok(t)
		if l := ladder(w.tok["a.teacher"]); len(l) != 1 || l[0]["offsetMinutes"] != -5.0 {
			t.Errorf("the school's own ladder: %v", l)
		}
		for name, c := range map[string]struct {
			token, setting string
			kind           any
			steps          []any
			code, field    string
		}{
			"out of order":      {"d1.admin", district.ID, nil, []any{step(10, "principal"), step(5, "principal")}, "BAD_USER_INPUT", "chaseLadder[1].offsetMinutes"},
			"unknown audience":  {"d1.admin", district.ID, nil, []any{step(10, "janitor")}, "BAD_USER_INPUT", "chaseLadder[0].notify"},
			"too late":          {"d1.admin", district.ID, nil, []any{step(600, "principal")}, "BAD_USER_INPUT", "chaseLadder[0].offsetMinutes"},
			"kind on a school":  {"a.principal", school.ID, "kindergarten", []any{step(0, "principal")}, "BAD_USER_INPUT", "kind"},
			"another's setting": {"a.principal", district.ID, nil, []any{step(0, "principal")}, "NOT_FOUND", ""},
			"a teacher":         {"a.teacher", school.ID, nil, []any{step(0, "principal")}, "FORBIDDEN", ""},
		} {
			r := e.gql(w.tok[c.token], set, map[string]any{"s": c.setting, "k": c.kind, "steps": c.steps})
			if r.Code() != c.code || (c.field != "" && r.Errors[0].Extensions["field"] != c.field) {
				t.Errorf("%s: %+v", name, r.Errors)
			}
		}
		if l := ladder(w.tok["a.teacher"]); len(l) != 1 || l[0]["offsetMinutes"] != -5.0 {
			t.Errorf("refused changes changed the ladder: %v", l)
		}
	})
}

// TestCheckRulesInherited: beside the rules an institution works by, checkRules tells what it would inherit
// without its own settings. District One sets noon 14:15 and School A 14:30: School A's rules say 14:30, and
// 14:15 inherited, to its principal, its teacher and its district; the district's own inherited noon is the
// built-in 14:00. School A's members still see no settings row of the district's, and School B's principal
// may not read School A's rules at all.
func TestCheckRulesInherited(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		create := `mutation($i: CreateCheckSettingInput!) { createCheckSetting(input: $i) { id } }`
		e.gql(w.tok["d1.admin"], create, map[string]any{"i": map[string]any{"noonDeadline": "14:15"}}).ok(t)
		e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{"noonDeadline": "14:30"}}).ok(t)
		type deadlines []struct{ Session, Deadline string }
		noon := func(ds deadlines) string {
			i := slices.IndexFunc(ds, func(d struct{ Session, Deadline string }) bool { return d.Session == "noon" })
			if i < 0 {
				return "none"
			}
			return ds[i].Deadline
		}
		query := `query($t: ID) { checkRules(tenantID: $t) { deadlines { session deadline }
			inherited { deadlines { session deadline } inherited { timezone } } } }`
		for _, c := range []struct {
			who            string
			tenant         any
			own, inherited string
		}{
			{"a.principal", nil, "14:30", "14:15"},
			{"a.teacher", nil, "14:30", "14:15"},
			{"d1.admin", w.A.ID, "14:30", "14:15"},
			{"d1.admin", nil, "14:15", "14:00"}, // the district's own: over the built-in defaults
		} {
			var r struct {
				Deadlines deadlines
				Inherited *struct {
					Deadlines deadlines
					Inherited *struct{ Timezone string }
				}
			}
			e.gql(w.tok[c.who], query, map[string]any{"t": c.tenant}).ok(t).decode(t, "checkRules", &r)
			if r.Inherited == nil {
				t.Errorf("%s reading %v: no inherited rules", c.who, c.tenant)
				continue
			}
			if noon(r.Deadlines) != c.own || noon(r.Inherited.Deadlines) != c.inherited || r.Inherited.Inherited != nil {
				t.Errorf("%s reading %v: noon %s inheriting %s (%+v), want %s inheriting %s", c.who, c.tenant,
					noon(r.Deadlines), noon(r.Inherited.Deadlines), r.Inherited, c.own, c.inherited)
			}
		}

		// What the school inherits is a value, not the district's settings, which stay the district's.
		var rows struct{ Edges []any }
		e.gql(w.tok["a.principal"], `query($t: ID!) { checkSettings(where: { tenantID: $t }) { edges { node { id } } } }`,
			map[string]any{"t": w.D1.ID}).ok(t).decode(t, "checkSettings", &rows)
		if len(rows.Edges) != 0 {
			t.Errorf("School A's principal reads %d settings rows of the district's", len(rows.Edges))
		}
		if r := e.gql(w.tok["b.principal"], query, map[string]any{"t": w.A.ID}); r.Code() != "NOT_FOUND" {
			t.Errorf("School B's principal reading School A's rules: %+v", r.Errors)
		}
	})
}

// TestAbsenceRateOverGraphQL: District One sets an absence rate of 10 % and School A inherits it; a rate
// under 0.5 % (a fraction typed for a percent) or over 50 is refused on absenceRate, in plain words, and
// nothing is written; the school turns the rate off with 0, sets its own, and clears it to follow the
// district again. A class report naming one of three pupils off sick (33 %) then opens the school's
// absence_rate alert: the principal reads it without a class, and the school's board counts it by its rule.
func TestAbsenceRateOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:00")
		w := e.newWorld()
		sys := system()
		type rate struct {
			AbsenceRate float64
			Inherited   struct{ AbsenceRate float64 }
		}
		rateOf := func() rate {
			t.Helper()
			var r rate
			e.gql(w.tok["a.teacher"], `{ checkRules { absenceRate inherited { absenceRate } } }`, nil).ok(t).decode(t, "checkRules", &r)
			return r
		}
		create := `mutation($i: CreateCheckSettingInput!) { createCheckSetting(input: $i) { id absenceRate } }`
		update := `mutation($id: ID!, $i: UpdateCheckSettingInput!) { updateCheckSetting(id: $id, input: $i) { id absenceRate } }`
		refused := func(r *gqlResponse, what string) {
			t.Helper()
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "absenceRate" || strings.Contains(r.Errors[0].Message, "ent:") {
				t.Errorf("%s: %+v, want BAD_USER_INPUT on absenceRate in plain words", what, r.Errors)
			}
		}
		schoolRows := func() int {
			return must(e.client.CheckSetting.Query().Where(checksetting.TenantID(w.A.ID)).Count(sys))
		}

		if r := rateOf(); r.AbsenceRate != 0 || r.Inherited.AbsenceRate != 0 {
			t.Fatalf("by default the absence rate = %+v, want 0 (off)", r)
		}
		e.gql(w.tok["d1.admin"], create, map[string]any{"i": map[string]any{"absenceRate": 10}}).ok(t)
		if r := rateOf(); r.AbsenceRate != 10 || r.Inherited.AbsenceRate != 10 {
			t.Fatalf("under the district's 10 %%, School A's absence rate = %+v", r)
		}
		r := e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{"absenceRate": 0.3}})
		refused(r, "a rate of 0.3 %")
		if len(r.Errors) > 0 && !strings.Contains(r.Errors[0].Message, "0.5") {
			t.Errorf("the refusal does not say the least rate: %q", r.Errors[0].Message)
		}
		refused(e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{"absenceRate": 60}}), "a rate of 60 %")
		if n := schoolRows(); n != 0 {
			t.Fatalf("refused rates wrote %d settings rows", n)
		}

		var own struct {
			ID          string
			AbsenceRate *float64
		}
		e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{"absenceRate": 0}}).ok(t).decode(t, "createCheckSetting", &own)
		if r := rateOf(); r.AbsenceRate != 0 || r.Inherited.AbsenceRate != 10 {
			t.Errorf("the school turned the rate off: %+v, want 0 over the district's 10", r)
		}
		refused(e.gql(w.tok["a.principal"], update, map[string]any{"id": own.ID, "i": map[string]any{"absenceRate": 0.3}}), "changed to 0.3 %")
		if got := must(e.client.CheckSetting.Query().Where(checksetting.TenantID(w.A.ID)).Only(sys)); got.AbsenceRate == nil || *got.AbsenceRate != 0 {
			t.Errorf("a refused change wrote the rate: %v", got.AbsenceRate)
		}
		e.gql(w.tok["a.principal"], update, map[string]any{"id": own.ID, "i": map[string]any{"absenceRate": 12.5}}).ok(t)
		if r := rateOf(); r.AbsenceRate != 12.5 {
			t.Errorf("the school's own rate = %v, want 12.5", r.AbsenceRate)
		}
		e.gql(w.tok["a.principal"], update, map[string]any{"id": own.ID, "i": map[string]any{"clearAbsenceRate": true}}).ok(t)
		if r := rateOf(); r.AbsenceRate != 10 {
			t.Fatalf("cleared, the school's rate = %v, want the district's 10 again", r.AbsenceRate)
		}

		// One of three pupils off sick: 33 %, over the district's 10 %.
		cl, pupils := e.classOfThree(w)
		e.gql(w.tok["a.teacher"], `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"classID": cl.ID, "date": "2026-11-23", "session": "morning", "present": 2,
			"entries": []map[string]any{{"studentID": pupils[0], "kind": "absent", "absenceType": "sick_leave"}}}}).ok(t)
		var got struct {
			Edges []struct {
				Node struct {
					Rule, Date string
					Cases      int
					StudentIds []int
					Class      *struct{ ID string }
				}
			}
		}
		e.gql(w.tok["a.principal"], `{ alerts(where: { rule: absence_rate }) { edges { node { rule date cases studentIds class { id } } } } }`, nil).
			ok(t).decode(t, "alerts", &got)
		if len(got.Edges) != 1 {
			t.Fatalf("the principal reads %d absence_rate alerts, want 1", len(got.Edges))
		}
		if a := got.Edges[0].Node; a.Date != "2026-11-23" || a.Cases != 1 || !slices.Equal(a.StudentIds, pupils[:1]) || a.Class != nil {
			t.Errorf("the alert = %+v, want the school's of 2026-11-23 naming 甲, without a class", a)
		}
		type ruleCount struct {
			Rule  string
			Count int
		}
		var board struct{ Alerts struct{ ByRule []ruleCount } }
		e.gql(w.tok["a.principal"], `query($t: ID!) { board(scope: { tenantID: $t }, date: "2026-11-23") { alerts { byRule { rule count } } } }`,
			map[string]any{"t": w.A.ID}).ok(t).decode(t, "board", &board)
		if !slices.Contains(board.Alerts.ByRule, ruleCount{"absence_rate", 1}) {
			t.Errorf("the school's board counts open alerts by rule as %+v, want absence_rate 1", board.Alerts.ByRule)
		}
	})
}

// TestRetentionOverGraphQL: how long named health records are kept is three years unless set; a district
// sets its schools' default, a school its own; a period under half a year or over ten years is refused on
// retentionDays in plain words, and writes nothing.
func TestRetentionOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:00")
		w := e.newWorld()
		type kept struct {
			RetentionDays int
			Inherited     struct{ RetentionDays int }
		}
		keptOf := func() kept {
			t.Helper()
			var k kept
			e.gql(w.tok["a.principal"], `{ checkRules { retentionDays inherited { retentionDays } } }`, nil).ok(t).decode(t, "checkRules", &k)
			return k
		}
		create := `mutation($i: CreateCheckSettingInput!) { createCheckSetting(input: $i) { id retentionDays } }`
		if k := keptOf(); k.RetentionDays != 1095 || k.Inherited.RetentionDays != 1095 {
			t.Fatalf("by default records are kept %+v days, want 1095", k)
		}
		e.gql(w.tok["d1.admin"], create, map[string]any{"i": map[string]any{"retentionDays": 730}}).ok(t)
		if k := keptOf(); k.RetentionDays != 730 || k.Inherited.RetentionDays != 730 {
			t.Errorf("under the district's two years: %+v", k)
		}
		for _, days := range []int{30, 5000} {
			r := e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{"retentionDays": days}})
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "retentionDays" || strings.Contains(r.Errors[0].Message, "ent:") {
				t.Errorf("%d days: %+v, want BAD_USER_INPUT on retentionDays in plain words", days, r.Errors)
			}
		}
		if n := must(e.client.CheckSetting.Query().Where(checksetting.TenantID(w.A.ID)).Count(system())); n != 0 {
			t.Fatalf("refused periods wrote %d settings rows", n)
		}
		e.gql(w.tok["a.principal"], create, map[string]any{"i": map[string]any{"retentionDays": 365}}).ok(t)
		if k := keptOf(); k.RetentionDays != 365 || k.Inherited.RetentionDays != 730 {
			t.Errorf("the school keeps a year: %+v, want 365 over the district's 730", k)
		}
	})
}
