package roster_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/enrollment"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/roster"
)

// fixture: a district and one secondary school with grades 高三 and 高二, classes 高三(1)班, 高三(2)班,
// 高二(1)班 and a closed 高一(9)班, and the school's principal.
type fixture struct {
	c                     *ent.Client
	district, school      *ent.Tenant
	c31, c32, c21, closed *ent.Class
	principal             *ent.User
}

func setup(tb testing.TB, c *ent.Client) *fixture {
	tb.Helper()
	ctx := viewer.NewContext(context.Background(), viewer.System("test"))
	f := &fixture{c: c}
	f.district = c.Tenant.Create().SetName("示范区教育局").SetKind(tenant.KindDistrict).SaveX(ctx)
	f.school = c.Tenant.Create().SetName("示范区第一中学").SetKind(tenant.KindSecondarySchool).SetParent(f.district).SaveX(ctx)
	sid := f.school.ID
	g3 := c.Grade.Create().SetTenantID(sid).SetName("高三").SaveX(ctx)
	g2 := c.Grade.Create().SetTenantID(sid).SetName("高二").SaveX(ctx)
	g1 := c.Grade.Create().SetTenantID(sid).SetName("高一").SaveX(ctx)
	f.c31 = c.Class.Create().SetTenantID(sid).SetName("高三(1)班").SetGrade(g3).SaveX(ctx)
	f.c32 = c.Class.Create().SetTenantID(sid).SetName("高三(2)班").SetGrade(g3).SaveX(ctx)
	f.c21 = c.Class.Create().SetTenantID(sid).SetName("高二(1)班").SetGrade(g2).SaveX(ctx)
	f.closed = c.Class.Create().SetTenantID(sid).SetName("高一(9)班").SetGrade(g1).
		SetClosedOn(time.Now().AddDate(0, -1, 0)).SaveX(ctx)
	f.principal = c.User.Create().SetTenantID(sid).SetLogin("principal.x").SetDisplayName("校长").
		SetRole(authz.Principal).SetPasswordHash("x").SaveX(privacy.DecisionContext(ctx, privacy.Allow))
	return f
}

// asPrincipal is the viewer the auth service builds for the principal.
func (f *fixture) asPrincipal() context.Context {
	tid := f.school.ID
	return viewer.NewContext(context.Background(), &viewer.Viewer{
		UserID: f.principal.ID, Role: authz.Principal, TenantID: tid, TenantIDs: []int{tid}, Authz: f.c.Authz,
		Grants: []authz.Grant{{Role: authz.Principal, TenantID: tid, Node: authz.Node(authz.NodeSchool, tid)}},
		Label:  "user:" + f.principal.Login,
	})
}

// asClassTeacher is a class teacher (班主任) of 高三(1)班 only.
func (f *fixture) asClassTeacher() context.Context {
	tid := f.school.ID
	return viewer.NewContext(context.Background(), &viewer.Viewer{
		UserID: 999, Role: authz.ClassTeacher, TenantID: tid, TenantIDs: []int{tid}, Authz: f.c.Authz,
		Grants: []authz.Grant{{Role: authz.ClassTeacher, TenantID: tid, Node: authz.Node(authz.NodeClass, f.c31.ID)}},
		Label:  "user:teacher",
	})
}

func bypass() context.Context { return privacy.DecisionContext(context.Background(), privacy.Allow) }

// counts of what the school holds, read without privacy.
type counts struct{ students, guardians, enrollments, audit int }

func (f *fixture) counts(tb testing.TB) counts {
	tb.Helper()
	ctx, tid := bypass(), f.school.ID
	return counts{
		students:    f.c.Student.Query().Where(student.TenantID(tid)).CountX(ctx),
		guardians:   f.c.Guardian.Query().Where(guardian.TenantID(tid)).CountX(ctx),
		enrollments: f.c.Enrollment.Query().Where(enrollment.TenantID(tid)).CountX(ctx),
		audit:       f.c.AuditLog.Query().Where(auditlog.TenantID(tid)).CountX(ctx),
	}
}

func (f *fixture) student(tb testing.TB, number string) *ent.Student {
	tb.Helper()
	return f.c.Student.Query().Where(student.TenantID(f.school.ID), student.StudentNumber(number)).
		WithGuardians().WithEnrollments().OnlyX(bypass())
}

// importFile parses and imports data as the viewer in ctx, failing the test on any error.
func (f *fixture) importFile(tb testing.TB, ctx context.Context, data []byte) *roster.Result {
	tb.Helper()
	rows, err := roster.Parse("roster.csv", data)
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	res, err := roster.Import(ctx, f.c, f.school.ID, rows, roster.Options{})
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return res
}

func csvFile(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

// bigRoster is a file of n students spread over the three open classes, each with one guardian.
func bigRoster(n int, prefix string) []byte {
	var b strings.Builder
	b.WriteString("姓名,学籍号,性别,出生日期,班级,住校,宿舍,监护人,关系,监护人电话\n")
	classes := []string{"高三(1)班", "高三(2)班", "高二(1)班"}
	genders := []string{"男", "女"}
	for i := range n {
		fmt.Fprintf(&b, "学生%d,%s%05d,%s,2008-%02d-%02d,%s,%s,%s,家长%d,母亲,139%08d\n",
			i, prefix, i, genders[i%2], i%12+1, i%28+1, classes[i%3],
			map[bool]string{true: "是", false: "否"}[i%4 == 0], map[bool]string{true: "A101", false: ""}[i%4 == 0],
			i, i)
	}
	return []byte(b.String())
}
