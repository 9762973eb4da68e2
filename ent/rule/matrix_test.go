package rule_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/authzstore"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// expected lists, per role and object, what is allowed: "act:in" on the viewer's own class or grade
// (class 1-1 of grade 1), "act:out" on another grade's class (2-1). Everything not listed is denied.
// School-wide objects (campus, grade, staff, staff group) have no class: they are tried "in" only.
// Nothing may be deleted: history is kept.
var expected = map[authz.Role]map[string]string{
	authz.Principal: {
		"student": "read:in read:out create:in create:out update:in update:out", "guardian": "read:in read:out create:in create:out update:in update:out",
		"class": "read:in read:out create:in create:out update:in update:out", "grade": "read:in create:in update:in",
		"campus": "read:in create:in update:in", "staff": "read:in create:in update:in", "staff_group": "read:in create:in update:in",
		"assignment": "read:in read:out create:in create:out update:in update:out",
	},
	authz.LeadingGroup: {
		"student": "read:in read:out create:in create:out update:in update:out", "guardian": "read:in read:out create:in create:out update:in update:out",
		"class": "read:in read:out create:in create:out update:in update:out", "grade": "read:in create:in update:in",
		"campus": "read:in create:in update:in", "staff": "read:in create:in update:in", "staff_group": "read:in create:in update:in",
		"assignment": "read:in read:out create:in create:out update:in update:out",
	},
	authz.GradeLeader: { // assigned at grade 1
		"student": "read:in create:in update:in", "guardian": "read:in create:in update:in",
		"class": "read:in update:in", "grade": "read:in", "campus": "read:in", "staff": "read:in", "staff_group": "read:in",
		"assignment": "read:in read:out", // who teaches which class is no secret within the school
	},
	authz.ClassTeacher: { // assigned at class 1-1
		"student": "read:in update:in", "guardian": "read:in create:in update:in",
		"class": "read:in", "grade": "read:in", "campus": "read:in", "staff": "read:in", "staff_group": "read:in",
	},
	authz.SubjectTeacher: { // teaches class 1-1
		"student": "read:in", "guardian": "read:in",
		"class": "read:in", "grade": "read:in", "campus": "read:in", "staff": "read:in", "staff_group": "read:in",
	},
	authz.EpidemicReporter: {
		"student": "read:in read:out", "guardian": "read:in read:out", "class": "read:in read:out",
		"grade": "read:in", "campus": "read:in", "staff": "read:in", "staff_group": "read:in", "assignment": "read:in read:out",
	},
	authz.HealthTeacher: {
		"student": "read:in read:out", "guardian": "read:in read:out", "class": "read:in read:out",
		"grade": "read:in", "campus": "read:in", "staff": "read:in", "staff_group": "read:in",
	},
	authz.DutyLeader: {
		"student": "read:in read:out", "class": "read:in read:out",
		"grade": "read:in", "campus": "read:in", "staff": "read:in", "staff_group": "read:in", "assignment": "read:in read:out",
	},
	authz.Logistics: {
		"class": "read:in read:out", "grade": "read:in", "campus": "read:in", "staff": "read:in", "staff_group": "read:in",
	},
	authz.DistrictAdmin: { // sees its schools' organisation, not the children's rosters
		"class": "read:in read:out", "grade": "read:in", "campus": "read:in", "staff": "read:in", "staff_group": "read:in",
		"assignment": "read:in read:out create:in create:out update:in update:out",
	},
}

type org struct {
	D, S       *ent.Tenant
	G1, G2     *ent.Grade
	C11, C21   *ent.Class
	S11, S21   *ent.Student
	Gu11, Gu21 *ent.Guardian
	Campus     *ent.Campus
	Staff      *ent.Staff
	Group      *ent.StaffGroup
	A11, A21   *ent.Assignment
	teacher    *ent.User
	seq        int
}

func buildOrg(t *testing.T, c *ent.Client) *org {
	ctx := viewer.NewContext(context.Background(), viewer.System("test"))
	o := &org{}
	o.D = c.Tenant.Create().SetName("D").SetKind(tenant.KindDistrict).SaveX(ctx)
	o.S = c.Tenant.Create().SetName("S").SetKind(tenant.KindSecondarySchool).SetParent(o.D).SaveX(ctx)
	in := func() *ent.Client { return c }
	o.G1 = in().Grade.Create().SetTenantID(o.S.ID).SetName("初一").SaveX(ctx)
	o.G2 = in().Grade.Create().SetTenantID(o.S.ID).SetName("初二").SaveX(ctx)
	o.C11 = in().Class.Create().SetTenantID(o.S.ID).SetName("初一(1)班").SetGrade(o.G1).SaveX(ctx)
	in().Class.Create().SetTenantID(o.S.ID).SetName("初一(2)班").SetGrade(o.G1).SaveX(ctx)
	o.C21 = in().Class.Create().SetTenantID(o.S.ID).SetName("初二(1)班").SetGrade(o.G2).SaveX(ctx)
	o.S11 = in().Student.Create().SetTenantID(o.S.ID).SetName("张三").SetStudentNumber("S11").SetGender(student.GenderMale).SetClass(o.C11).SaveX(ctx)
	o.S21 = in().Student.Create().SetTenantID(o.S.ID).SetName("李四").SetStudentNumber("S21").SetGender(student.GenderFemale).SetClass(o.C21).SaveX(ctx)
	o.Gu11 = in().Guardian.Create().SetTenantID(o.S.ID).SetStudent(o.S11).SetName("张父").SetRelation(guardian.RelationFather).SetPhone("13800000011").SaveX(ctx)
	o.Gu21 = in().Guardian.Create().SetTenantID(o.S.ID).SetStudent(o.S21).SetName("李母").SetRelation(guardian.RelationMother).SetPhone("13800000021").SaveX(ctx)
	o.Campus = in().Campus.Create().SetTenantID(o.S.ID).SetName("本部").SaveX(ctx)
	o.Staff = in().Staff.Create().SetTenantID(o.S.ID).SetName("王师傅").SetStaffType("logistics").SaveX(ctx)
	o.Group = in().StaffGroup.Create().SetTenantID(o.S.ID).SetName("第一组").AddMembers(o.Staff).SaveX(ctx)
	o.teacher = in().User.Create().SetTenantID(o.S.ID).SetLogin("t.x").SetDisplayName("x").SetRole(authz.SubjectTeacher).SetPasswordHash("x").SaveX(ctx)
	o.A11 = in().Assignment.Create().SetTenantID(o.S.ID).SetUserID(o.teacher.ID).SetRole(authz.SubjectTeacher).SetNodeType(authz.NodeClass).SetNodeID(o.C11.ID).SaveX(ctx)
	o.A21 = in().Assignment.Create().SetTenantID(o.S.ID).SetUserID(o.teacher.ID).SetRole(authz.SubjectTeacher).SetNodeType(authz.NodeClass).SetNodeID(o.C21.ID).SaveX(ctx)
	return o
}

// viewerFor builds the viewer the auth service would: school-wide roles hold their role at the school,
// a grade leader at grade 1, class and subject teachers at class 1-1, a district admin over its schools.
func (o *org) viewerFor(c *ent.Client, role authz.Role) context.Context {
	v := &viewer.Viewer{UserID: 1, Label: "matrix:" + string(role), Role: role, TenantID: o.S.ID, TenantIDs: []int{o.S.ID}, Authz: c.Authz}
	school := authz.Node(authz.NodeSchool, o.S.ID)
	switch role {
	case authz.GradeLeader:
		v.Grants = []authz.Grant{{Role: role, TenantID: o.S.ID, Node: authz.Node(authz.NodeGrade, o.G1.ID)}}
	case authz.ClassTeacher, authz.SubjectTeacher:
		v.Grants = []authz.Grant{{Role: role, TenantID: o.S.ID, Node: authz.Node(authz.NodeClass, o.C11.ID)}}
	case authz.DistrictAdmin:
		v.TenantID, v.TenantIDs = o.D.ID, []int{o.D.ID, o.S.ID}
		v.Grants = []authz.Grant{{Role: role, TenantID: o.D.ID, Node: authz.Node(authz.NodeSchool, o.D.ID)}, {Role: role, TenantID: o.S.ID, Node: school}}
	default:
		v.Grants = []authz.Grant{{Role: role, TenantID: o.S.ID, Node: school}}
	}
	return viewer.NewContext(context.Background(), v)
}

// attempt performs act on obj "in" or "out" of scope and returns the error (nil when allowed).
func (o *org) attempt(ctx context.Context, c *ent.Client, obj, act, where string) error {
	o.seq++
	n := fmt.Sprintf("m%d", o.seq)
	class, stu, gu, grade, asg := o.C11, o.S11, o.Gu11, o.G1, o.A11
	if where == "out" {
		class, stu, gu, grade, asg = o.C21, o.S21, o.Gu21, o.G2, o.A21
	}
	sid := o.S.ID
	switch obj + "/" + act {
	case "student/read":
		_, err := c.Student.Get(ctx, stu.ID)
		return err
	case "student/create":
		return c.Student.Create().SetTenantID(sid).SetName(n).SetStudentNumber(n).SetGender(student.GenderMale).SetClass(class).Exec(ctx)
	case "student/update":
		return c.Student.UpdateOneID(stu.ID).SetDormRoom(n).Exec(ctx)
	case "student/delete":
		return c.Student.DeleteOneID(stu.ID).Exec(ctx)
	case "guardian/read":
		_, err := c.Guardian.Get(ctx, gu.ID)
		return err
	case "guardian/create":
		return c.Guardian.Create().SetTenantID(sid).SetStudent(stu).SetName(n).SetRelation(guardian.RelationOther).SetPhone(fmt.Sprintf("139%08d", o.seq)).Exec(ctx)
	case "guardian/update":
		return c.Guardian.UpdateOneID(gu.ID).SetName(n).Exec(ctx)
	case "guardian/delete":
		return c.Guardian.DeleteOneID(gu.ID).Exec(ctx)
	case "class/read":
		_, err := c.Class.Get(ctx, class.ID)
		return err
	case "class/create":
		return c.Class.Create().SetTenantID(sid).SetName(n).SetGrade(grade).Exec(ctx)
	case "class/update":
		return c.Class.UpdateOneID(class.ID).SetSortOrder(o.seq).Exec(ctx)
	case "class/delete":
		return c.Class.DeleteOneID(class.ID).Exec(ctx)
	case "grade/read":
		_, err := c.Grade.Get(ctx, grade.ID)
		return err
	case "grade/create":
		return c.Grade.Create().SetTenantID(sid).SetName(n).Exec(ctx)
	case "grade/update":
		return c.Grade.UpdateOneID(grade.ID).SetSortOrder(o.seq).Exec(ctx)
	case "grade/delete":
		return c.Grade.DeleteOneID(grade.ID).Exec(ctx)
	case "campus/read":
		_, err := c.Campus.Get(ctx, o.Campus.ID)
		return err
	case "campus/create":
		return c.Campus.Create().SetTenantID(sid).SetName(n).Exec(ctx)
	case "campus/update":
		return c.Campus.UpdateOneID(o.Campus.ID).SetSortOrder(o.seq).Exec(ctx)
	case "campus/delete":
		return c.Campus.DeleteOneID(o.Campus.ID).Exec(ctx)
	case "staff/read":
		_, err := c.Staff.Get(ctx, o.Staff.ID)
		return err
	case "staff/create":
		return c.Staff.Create().SetTenantID(sid).SetName(n).SetStaffType("teacher").Exec(ctx)
	case "staff/update":
		return c.Staff.UpdateOneID(o.Staff.ID).SetDepartment(n).Exec(ctx)
	case "staff/delete":
		return c.Staff.DeleteOneID(o.Staff.ID).Exec(ctx)
	case "staff_group/read":
		_, err := c.StaffGroup.Get(ctx, o.Group.ID)
		return err
	case "staff_group/create":
		return c.StaffGroup.Create().SetTenantID(sid).SetName(n).Exec(ctx)
	case "staff_group/update":
		return c.StaffGroup.UpdateOneID(o.Group.ID).SetName(n).Exec(ctx)
	case "staff_group/delete":
		return c.StaffGroup.DeleteOneID(o.Group.ID).Exec(ctx)
	case "assignment/read":
		_, err := c.Assignment.Get(ctx, asg.ID)
		return err
	case "assignment/create":
		return c.Assignment.Create().SetTenantID(sid).SetUserID(o.teacher.ID).SetRole(authz.SubjectTeacher).
			SetNodeType(authz.NodeClass).SetNodeID(class.ID).Exec(ctx)
	case "assignment/update":
		return c.Assignment.UpdateOneID(asg.ID).ClearValidTo().Exec(ctx)
	case "assignment/delete":
		return c.Assignment.DeleteOneID(asg.ID).Exec(ctx)
	}
	panic("no attempt for " + obj + "/" + act)
}

// TestRoleMatrix tries every role × object × action × in/out of scope and compares with the table.
func TestRoleMatrix(t *testing.T) {
	objects := []string{"student", "guardian", "class", "grade", "campus", "staff", "staff_group", "assignment"}
	scoped := map[string]bool{"student": true, "guardian": true, "class": true, "assignment": true}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		o := buildOrg(t, c)
		cells := 0
		for role, table := range expected {
			ctx := o.viewerFor(c, role)
			for _, obj := range objects {
				for _, act := range []string{"read", "create", "update", "delete"} {
					for _, where := range []string{"in", "out"} {
						if where == "out" && !scoped[obj] {
							continue
						}
						cells++
						want := slices.Contains(strings.Fields(table[obj]), act+":"+where)
						err := o.attempt(ctx, c, obj, act, where)
						if got := err == nil; got != want {
							t.Errorf("%s %s %s (%s): allowed=%v, want %v (err: %v)", role, act, obj, where, got, want, err)
						}
						if err != nil && !denied(err) {
							t.Errorf("%s %s %s (%s): unexpected error kind: %v", role, act, obj, where, err)
						}
					}
				}
			}
		}
		t.Logf("%d role/object/action/scope cells checked", cells)
	})
}

// denied: the data layer said no (privacy) or the row is invisible (not found), nothing else.
func denied(err error) bool {
	return errors.Is(err, privacy.Deny) || ent.IsNotFound(err)
}

// TestTreeChangeTakesEffectAtOnce: moving a class to another grade changes what the grade leaders see on
// the next request, on this replica and, through Redis, on another one.
func TestTreeChangeTakesEffectAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		o := buildOrg(t, c)
		rdb := dbtest.MiniRedis(t)
		if db.Dialect == "postgres" {
			rdb = dbtest.Redis(t)
		}
		// A second replica: its own client and enforcer over the same database.
		other := ent.NewClient(ent.Driver(entsqlDriver(db)), ent.Authz(authz.New()))
		if err := authzstore.Open(context.Background(), other); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		for _, cl := range []*ent.Client{c, other} {
			if err := authzstore.Sync(ctx, rdb, cl); err != nil {
				t.Fatal(err)
			}
		}
		leader := func(cl *ent.Client) context.Context {
			return viewer.NewContext(context.Background(), &viewer.Viewer{Role: authz.GradeLeader, TenantID: o.S.ID,
				TenantIDs: []int{o.S.ID}, Authz: cl.Authz, Grants: []authz.Grant{{Role: authz.GradeLeader, TenantID: o.S.ID, Node: authz.Node(authz.NodeGrade, o.G1.ID)}}})
		}
		for _, cl := range []*ent.Client{c, other} {
			if _, err := cl.Class.Get(leader(cl), o.C11.ID); err != nil {
				t.Fatalf("grade leader cannot read its class before the move: %v", err)
			}
		}
		// The principal moves class 1-1 to grade 2, in a transaction as GraphQL mutations run.
		principal := o.viewerFor(c, authz.Principal)
		tx, err := c.Tx(principal)
		if err != nil {
			t.Fatal(err)
		}
		txCtx := ent.NewTxContext(principal, tx)
		if err := tx.Client().Class.UpdateOneID(o.C11.ID).SetGradeID(o.G2.ID).Exec(txCtx); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Class.Get(leader(c), o.C11.ID); err != nil {
			t.Fatal("the tree changed before the transaction committed")
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Class.Get(leader(c), o.C11.ID); !ent.IsNotFound(err) {
			t.Errorf("this replica: grade 1's leader still reads the moved class: %v", err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, err := other.Class.Get(leader(other), o.C11.ID)
			if ent.IsNotFound(err) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("other replica still allows the moved class after 5s: %v", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

func entsqlDriver(db *database.DB) *entsql.Driver { return entsql.OpenDB(db.Dialect, db.SQL) }
