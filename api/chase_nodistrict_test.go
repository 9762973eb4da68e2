package api_test

import (
	"context"
	"slices"
	"testing"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/tenant"
)

// TestChaseLadderNoDistrict: a school without a district works by the built-in ladder without its district
// step (ending with the principal and the epidemic reporter 30 minutes after the deadline), and inherits it
// so; a ladder of its own naming the district is refused on that step's audience, nothing saved. A school
// with a district still names it.
func TestChaseLadderNoDistrict(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		sys := system()
		alone := must(e.client.Tenant.Create().SetName("独立民办学校").SetKind(tenant.KindPrimarySchool).Save(sys))
		must(e.client.User.Create().SetTenantID(alone.ID).SetLogin("solo.principal").SetDisplayName("独立校长").
			SetRole(authz.Principal).SetPasswordHash(testHash(t)).Save(sys))
		login, err := e.auth.Login(context.Background(), "solo.principal", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		tok := login.Token
		type step struct {
			OffsetMinutes int
			Notify        []string
		}
		var rules struct {
			Ladder    []step
			Inherited struct{ Ladder []step }
		}
		read := func() {
			t.Helper()
			e.gql(tok, `{ checkRules { ladder { offsetMinutes notify } inherited { ladder { offsetMinutes notify } } } }`, nil).ok(t).
				decode(t, "checkRules", &rules)
		}
		offsets := func(l []step) (out []int) {
			for _, s := range l {
				if slices.Contains(s.Notify, "district_admin") {
					out = append(out, -999) // a district audience: wrong here
				}
				out = append(out, s.OffsetMinutes)
			}
			return out
		}
		read()
		if got := offsets(rules.Ladder); !slices.Equal(got, []int{-15, 0, 30}) {
			t.Errorf("the ladder of a school without a district: %+v, want -15, 0, +30 without the district", rules.Ladder)
		}
		if got := offsets(rules.Inherited.Ladder); !slices.Equal(got, []int{-15, 0, 30}) {
			t.Errorf("the ladder it inherits: %+v", rules.Inherited.Ladder)
		}

		create := `mutation { createCheckSetting(input: {}) { id } }`
		set := `mutation($s: ID!, $steps: [ChaseStepInput!]!) { setChaseLadder(settingID: $s, steps: $steps) { id } }`
		var own struct{ ID string }
		e.gql(tok, create, nil).ok(t).decode(t, "createCheckSetting", &own)
		st := func(off int, who ...string) map[string]any {
			return map[string]any{"offsetMinutes": off, "notify": who}
		}
		r := e.gql(tok, set, map[string]any{"s": own.ID, "steps": []any{st(0, "class_teacher"), st(60, "principal", "district_admin")}})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "chaseLadder[1].notify" {
			t.Errorf("a ladder naming the district, for a school without one: %+v", r.Errors)
		}
		read()
		if got := offsets(rules.Ladder); !slices.Equal(got, []int{-15, 0, 30}) {
			t.Errorf("the refused ladder changed the one in force: %+v", rules.Ladder)
		}
		e.gql(tok, set, map[string]any{"s": own.ID, "steps": []any{st(0, "class_teacher"), st(60, "principal")}}).ok(t)
		read()
		if got := offsets(rules.Ladder); !slices.Equal(got, []int{0, 60}) {
			t.Errorf("its own ladder: %+v", rules.Ladder)
		}

		// School A, in District One, still tells its district.
		var mine struct{ ID string }
		e.gql(w.tok["a.principal"], create, nil).ok(t).decode(t, "createCheckSetting", &mine)
		e.gql(w.tok["a.principal"], set, map[string]any{"s": mine.ID, "steps": []any{st(60, "district_admin")}}).ok(t)
	})
}

// TestChaseLadderNoDistrictForbidden: permission comes before the input. In a school without a district, its
// class teacher (who may not change settings) sending a ladder that names the district is refused as
// FORBIDDEN, not told the district step is wrong; so is a ladder per kind of institution and a ladder with
// nothing wrong in it; nothing is saved. The principal sending the same ladder is told BAD_USER_INPUT on
// chaseLadder[1].notify.
func TestChaseLadderNoDistrictForbidden(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sys := system()
		alone := must(e.client.Tenant.Create().SetName("独立民办学校").SetKind(tenant.KindPrimarySchool).Save(sys))
		grade := must(e.client.Grade.Create().SetTenantID(alone.ID).SetName("一年级").SetSortOrder(1).Save(sys))
		class := must(e.client.Class.Create().SetTenantID(alone.ID).SetName("一年级(1)班").SetGradeID(grade.ID).Save(sys))
		user := func(login string, role authz.Role) (int, string) {
			t.Helper()
			u := must(e.client.User.Create().SetTenantID(alone.ID).SetLogin(login).SetDisplayName(login).
				SetRole(role).SetPasswordHash(testHash(t)).Save(sys))
			res, err := e.auth.Login(context.Background(), login, testPassword)
			if err != nil {
				t.Fatal(err)
			}
			return u.ID, res.Token
		}
		_, principal := user("solo.principal", authz.Principal)
		teacherID, teacher := user("solo.teacher", authz.ClassTeacher)
		e.assign(t, principal, teacherID, authz.ClassTeacher, authz.NodeClass, class.ID)

		var own struct{ ID string }
		e.gql(principal, `mutation { createCheckSetting(input: {}) { id } }`, nil).ok(t).decode(t, "createCheckSetting", &own)
		set := `mutation($s: ID!, $kind: TenantKind, $steps: [ChaseStepInput!]!) {
			setChaseLadder(settingID: $s, kind: $kind, steps: $steps) { id } }`
		st := func(off int, who ...string) map[string]any {
			return map[string]any{"offsetMinutes": off, "notify": who}
		}
		withDistrict := []any{st(0, "class_teacher"), st(60, "principal", "district_admin")}
		for _, c := range []struct {
			name string
			vars map[string]any
		}{
			{"a ladder naming the district", map[string]any{"s": own.ID, "steps": withDistrict}},
			{"a ladder per kind", map[string]any{"s": own.ID, "kind": "primary_school", "steps": []any{st(0, "class_teacher")}}},
			{"a ladder with nothing wrong", map[string]any{"s": own.ID, "steps": []any{st(0, "class_teacher")}}},
		} {
			if r := e.gql(teacher, set, c.vars); r.Code() != "FORBIDDEN" {
				t.Errorf("the class teacher sending %s: %+v, want FORBIDDEN", c.name, r.Errors)
			}
		}
		if got := must(e.client.CheckSetting.Get(sys, atoi(t, own.ID))).ChaseLadder; len(got) != 0 {
			t.Errorf("a refused ladder was saved: %+v", got)
		}
		r := e.gql(principal, set, map[string]any{"s": own.ID, "steps": withDistrict})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "chaseLadder[1].notify" {
			t.Errorf("the principal sending a ladder naming the district: %+v", r.Errors)
		}
	})
}
