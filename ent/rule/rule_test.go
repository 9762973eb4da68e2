package rule_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

type fixture struct {
	D, A, B *ent.Tenant
	userB   *ent.User
}

func setup(t *testing.T, c *ent.Client) fixture {
	ctx := viewer.NewContext(context.Background(), viewer.System("test"))
	var f fixture
	f.D = c.Tenant.Create().SetName("D").SetKind(tenant.KindDistrict).SaveX(ctx)
	f.A = c.Tenant.Create().SetName("A").SetKind(tenant.KindPrimarySchool).SetParent(f.D).SaveX(ctx)
	f.B = c.Tenant.Create().SetName("B").SetKind(tenant.KindPrimarySchool).SetParent(f.D).SaveX(ctx)
	f.userB = c.User.Create().SetTenantID(f.B.ID).SetLogin("b.t").SetDisplayName("b").SetRole(authz.ClassTeacher).SetPasswordHash("x").SaveX(ctx)
	return f
}

func as(role authz.Role, tenantIDs ...int) context.Context {
	return viewer.NewContext(context.Background(), &viewer.Viewer{Label: "test", Role: role, TenantID: tenantIDs[0], TenantIDs: tenantIDs})
}

// TestDataLayerRules checks the privacy rules directly on the ent client, below GraphQL, so that a job or
// CLI path that skips the API is held to the same rules.
func TestDataLayerRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		f := setup(t, c)
		principalA := as(authz.Principal, f.A.ID)

		t.Run("no viewer, no data", func(t *testing.T) {
			ctx := context.Background()
			checks := map[string]error{}
			_, checks["tenants"] = c.Tenant.Query().All(ctx)
			_, checks["users"] = c.User.Query().All(ctx)
			_, checks["api tokens"] = c.APIToken.Query().All(ctx)
			_, checks["audit logs"] = c.AuditLog.Query().All(ctx)
			_, checks["sessions"] = c.Session.Query().All(ctx)
			checks["create tenant"] = c.Tenant.Create().SetName("x").SetKind(tenant.KindDistrict).Exec(ctx)
			for what, err := range checks {
				if !errors.Is(err, privacy.Deny) {
					t.Errorf("%s without a viewer: %v", what, err)
				}
			}
		})

		t.Run("create in another tenant is denied", func(t *testing.T) {
			err := c.User.Create().SetTenantID(f.B.ID).SetLogin("intruder").SetDisplayName("x").
				SetRole(authz.ClassTeacher).SetPasswordHash("x").Exec(principalA)
			if !errors.Is(err, privacy.Deny) {
				t.Errorf("got %v", err)
			}
		})

		t.Run("create without tenant_id is stamped with the viewer's tenant", func(t *testing.T) {
			u := c.User.Create().SetLogin("stamped").SetDisplayName("x").SetRole(authz.SubjectTeacher).SetPasswordHash("x").SaveX(principalA)
			if u.TenantID == nil || *u.TenantID != f.A.ID {
				t.Errorf("tenant = %v, want %d", u.TenantID, f.A.ID)
			}
			tok := c.APIToken.Create().SetName("t").SetPrefix("p").SetTokenHash([]byte("h-stamped")).SetRole(authz.SubjectTeacher).SaveX(principalA)
			if tok.TenantID != f.A.ID {
				t.Errorf("token tenant = %d", tok.TenantID)
			}
		})

		t.Run("the system must name a tenant for tenant-owned rows", func(t *testing.T) {
			sys := viewer.NewContext(context.Background(), viewer.System("test"))
			err := c.APIToken.Create().SetName("t").SetPrefix("p").SetTokenHash([]byte("h-none")).SetRole(authz.SubjectTeacher).Exec(sys)
			if err == nil {
				t.Error("token without tenant created")
			}
		})

		t.Run("update and delete by ID in another tenant find nothing", func(t *testing.T) {
			if err := c.User.UpdateOneID(f.userB.ID).SetDisplayName("hacked").Exec(principalA); !ent.IsNotFound(err) {
				t.Errorf("update: %v", err)
			}
			if n, err := c.User.Update().SetActive(false).Save(principalA); err != nil || n != 1 {
				// Only the one user of A created above is touched, never B's.
				t.Errorf("bulk update touched %d (err %v)", n, err)
			}
			sys := privacy.DecisionContext(context.Background(), privacy.Allow)
			if u := c.User.GetX(sys, f.userB.ID); !u.Active || u.DisplayName != "b" {
				t.Errorf("user of B changed: %+v", u)
			}
		})

		t.Run("roles fit their tenant", func(t *testing.T) {
			sys := viewer.NewContext(context.Background(), viewer.System("test"))
			cases := map[string]*ent.UserCreate{
				"district admin in a school": c.User.Create().SetTenantID(f.A.ID).SetRole(authz.DistrictAdmin),
				"principal in a district":    c.User.Create().SetTenantID(f.D.ID).SetRole(authz.Principal),
				"platform admin in a tenant": c.User.Create().SetTenantID(f.A.ID).SetRole(authz.PlatformAdmin),
				"teacher without a tenant":   c.User.Create().SetRole(authz.ClassTeacher),
			}
			for name, b := range cases {
				err := b.SetLogin("r.x").SetDisplayName("x").SetPasswordHash("x").Exec(sys)
				var in *types.InputError
				if !errors.As(err, &in) || in.Field != "role" {
					t.Errorf("%s: %v", name, err)
				}
			}
		})

		t.Run("a district admin cannot move a school or touch another district", func(t *testing.T) {
			other := c.Tenant.Create().SetName("D2").SetKind(tenant.KindDistrict).SaveX(viewer.NewContext(context.Background(), viewer.System("test")))
			d := as(authz.DistrictAdmin, f.D.ID, f.A.ID, f.B.ID)
			if err := c.Tenant.UpdateOneID(f.A.ID).SetParentID(other.ID).Exec(d); !errors.Is(err, privacy.Deny) {
				t.Errorf("moved a school: %v", err)
			}
			if err := c.Tenant.UpdateOneID(other.ID).SetName("mine").Exec(d); !ent.IsNotFound(err) {
				t.Errorf("renamed another district: %v", err)
			}
			if err := c.Tenant.Create().SetName("x").SetKind(tenant.KindKindergarten).SetParentID(other.ID).Exec(d); !errors.Is(err, privacy.Deny) {
				t.Errorf("onboarded into another district: %v", err)
			}
			if err := c.Tenant.UpdateOneID(f.A.ID).SetName("A renamed").Exec(d); err != nil {
				t.Errorf("renaming its own school: %v", err)
			}
		})
	})
}

// TestEdgesStayInTheirTenant: no create or update may point a row at another tenant's row, even for a
// principal who may write everything in its own school (STACK.md §3.3, pitfall 1).
func TestEdgesStayInTheirTenant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		f := setup(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		classA := c.Class.Create().SetTenantID(f.A.ID).SetName("A1").SaveX(sys)
		classB := c.Class.Create().SetTenantID(f.B.ID).SetName("B1").SaveX(sys)
		gradeB := c.Grade.Create().SetTenantID(f.B.ID).SetName("GB").SaveX(sys)
		stuA := c.Student.Create().SetTenantID(f.A.ID).SetName("a").SetStudentNumber("A-1").SetGender("male").SetClass(classA).SaveX(sys)
		stuB := c.Student.Create().SetTenantID(f.B.ID).SetName("b").SetStudentNumber("B-1").SetGender("male").SetClass(classB).SaveX(sys)
		staffB := c.Staff.Create().SetTenantID(f.B.ID).SetName("sb").SetStaffType("teacher").SaveX(sys)
		principalA := viewer.NewContext(context.Background(), &viewer.Viewer{
			Label: "p", Role: authz.Principal, TenantID: f.A.ID, TenantIDs: []int{f.A.ID}, Authz: c.Authz,
			Grants: []authz.Grant{{Role: authz.Principal, TenantID: f.A.ID, Node: authz.Node(authz.NodeSchool, f.A.ID)}},
		})
		attempts := map[string]error{
			"student into B's class":    c.Student.Create().SetName("x").SetStudentNumber("X-1").SetGender("male").SetClassID(classB.ID).Exec(principalA),
			"move student to B's class": c.Student.UpdateOneID(stuA.ID).SetClassID(classB.ID).Exec(principalA),
			"class under B's grade":     c.Class.Create().SetName("x").SetGradeID(gradeB.ID).Exec(principalA),
			"move class to B's grade":   c.Class.UpdateOneID(classA.ID).SetGradeID(gradeB.ID).Exec(principalA),
			"guardian of B's student": c.Guardian.Create().SetStudentID(stuB.ID).SetName("x").SetRelation("other").
				SetPhone("13900000000").Exec(principalA),
			"group with B's staff": c.StaffGroup.Create().SetName("x").AddMemberIDs(staffB.ID).Exec(principalA),
			"assignment at B's class": c.Assignment.Create().SetUserID(f.userB.ID).SetRole(authz.ClassTeacher).
				SetNodeType(authz.NodeClass).SetNodeID(classB.ID).Exec(principalA),
			// Code that read B's class and says so truthfully does not make the edge acceptable.
			"student into B's class, its tenant known": c.Student.Create().SetName("x").SetStudentNumber("X-2").SetGender("male").
				SetClassID(classB.ID).Exec(rule.WithKnown(principalA, classB.ID, rule.Known{TenantID: f.B.ID})),
		}
		for what, err := range attempts {
			if err == nil {
				t.Errorf("%s: allowed", what)
			}
		}
		// A known tenant spares the lookup and still lets a same-tenant edge through.
		if err := c.Student.Create().SetName("y").SetStudentNumber("Y-1").SetGender("male").SetClassID(classA.ID).
			Exec(rule.WithKnown(principalA, classA.ID, rule.Known{TenantID: f.A.ID})); err != nil {
			t.Errorf("student into A's class, its tenant known: %v", err)
		}
		if s := c.Student.GetX(sys, stuA.ID); *s.ClassID != classA.ID {
			t.Errorf("student moved to %d", *s.ClassID)
		}
	})
}

// TestWritesTheDatabasesStoreAlike: below GraphQL too (a roster file, a job), a write that PostgreSQL would
// refuse and SQLite store is refused on both as the writer's mistake, naming the field, with nothing
// written: text holding a NUL character, an optional field set and cleared in one update. Edges to IDs that
// name nothing (0, 1) are denied as not found, not a panic, with no GraphQL request around them.
func TestWritesTheDatabasesStoreAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		f := setup(t, c)
		sys := viewer.NewContext(context.Background(), viewer.System("test"))
		var in *types.InputError
		if err := c.Campus.Create().SetTenantID(f.A.ID).SetName("东\x00校区").Exec(sys); !errors.As(err, &in) || in.Field != "name" {
			t.Errorf("a name with a NUL: %v, want an input error on name", err)
		}
		if n := c.Campus.Query().CountX(sys); n != 0 {
			t.Errorf("%d campuses written", n)
		}
		u := c.User.Create().SetTenantID(f.A.ID).SetLogin("a.t").SetDisplayName("a").SetRole(authz.ClassTeacher).
			SetPasswordHash("x").SetPhone("13800000000").SaveX(sys)
		err := c.User.UpdateOne(u).ClearPhone().SetPhone("13900000000").Exec(sys)
		if !errors.As(err, &in) || in.Field != "phone" {
			t.Errorf("phone set and cleared at once: %v, want an input error on phone", err)
		}
		if got := c.User.GetX(sys, u.ID); got.Phone != "13800000000" {
			t.Errorf("the refused update changed the phone to %q", got.Phone)
		}
		err = c.StaffGroup.Create().SetTenantID(f.A.ID).SetName("总务处").AddMemberIDs(0, 1).Exec(as(authz.Principal, f.A.ID))
		if !errors.Is(err, privacy.Deny) || !strings.Contains(err.Error(), "not found") {
			t.Errorf("a staff group naming members 0 and 1: %v, want denied as not found", err)
		}
	})
}
