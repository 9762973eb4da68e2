// Package seed fills an empty database with a small demo county, so `make run` shows a living product.
package seed

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/exporttemplate"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// DemoPassword is the password of every demo account. Demo data is for evaluation only.
const DemoPassword = "campus2026"

// Login is one demo account to print.
type Login struct {
	Login, Role, Tenant string
}

// Demo creates the demo district with two schools, their organisation, rosters and accounts, once.
// hash hashes a password.
func Demo(ctx context.Context, client *ent.Client, hash func(string) (string, error)) ([]Login, error) {
	ctx = viewer.NewContext(ctx, viewer.System("seed"))
	pw, err := hash(DemoPassword)
	if err != nil {
		return nil, err
	}
	logins := []Login{
		{"admin", string(authz.PlatformAdmin), "—"},
		{"district.admin", string(authz.DistrictAdmin), "示范区教育局"},
		{"principal.primary", string(authz.Principal), "示范区实验小学"},
		{"principal.middle", string(authz.Principal), "示范区第一中学"},
		{"teacher.primary", string(authz.ClassTeacher) + " 一年级(1)班", "示范区实验小学"},
		{"leader.middle", string(authz.GradeLeader) + " 初一", "示范区第一中学"},
		{"nurse.middle", string(authz.HealthTeacher), "示范区第一中学"},
	}
	exists, err := client.User.Query().Where(user.Login("district.admin")).Exist(ctx)
	if err != nil || exists {
		return logins, err
	}
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	c := tx.Client()
	err = func() error {
		district, err := c.Tenant.Create().SetName("示范区教育局").SetKind(tenant.KindDistrict).SetCode("330100").Save(ctx)
		if err != nil {
			return err
		}
		primary, err := c.Tenant.Create().SetName("示范区实验小学").SetKind(tenant.KindPrimarySchool).SetParent(district).Save(ctx)
		if err != nil {
			return err
		}
		middle, err := c.Tenant.Create().SetName("示范区第一中学").SetKind(tenant.KindSecondarySchool).SetParent(district).Save(ctx)
		if err != nil {
			return err
		}
		tenants := map[string]*int{"—": nil, "示范区教育局": &district.ID, "示范区实验小学": &primary.ID, "示范区第一中学": &middle.ID}
		names := map[string]string{"admin": "平台管理员", "district.admin": "区教育局管理员", "principal.primary": "王校长",
			"principal.middle": "李校长", "teacher.primary": "陈老师", "leader.middle": "周老师", "nurse.middle": "吴校医"}
		users := map[string]int{}
		for _, l := range logins {
			if l.Login == "admin" {
				if ok, err := c.User.Query().Where(user.Login("admin")).Exist(ctx); err != nil || ok {
					if err != nil {
						return err
					}
					continue
				}
			}
			role, _, _ := strings.Cut(l.Role, " ")
			u, err := c.User.Create().SetNillableTenantID(tenants[l.Tenant]).SetLogin(l.Login).SetDisplayName(names[l.Login]).
				SetRole(authz.Role(role)).SetPasswordHash(pw).Save(ctx)
			if err != nil {
				return fmt.Errorf("demo user %s: %w", l.Login, err)
			}
			users[l.Login] = u.ID
		}
		p, err := school(ctx, c, primary.ID, []string{"一年级", "二年级"}, "P")
		if err != nil {
			return err
		}
		m, err := school(ctx, c, middle.ID, []string{"初一", "初二"}, "M")
		if err != nil {
			return err
		}
		assign := func(tid, user int, role authz.Role, typ authz.NodeType, node int) error {
			return c.Assignment.Create().SetTenantID(tid).SetUserID(user).SetRole(role).SetNodeType(typ).SetNodeID(node).Exec(ctx)
		}
		if err := assign(primary.ID, users["teacher.primary"], authz.ClassTeacher, authz.NodeClass, p.classes[0]); err != nil {
			return err
		}
		if err := assign(middle.ID, users["leader.middle"], authz.GradeLeader, authz.NodeGrade, m.grades[0]); err != nil {
			return err
		}
		// The district's defaults: causes of illness absences traced by 17:30 (the built-in default is 18:00).
		if err := c.CheckSetting.Create().SetTenantID(district.ID).SetFollowUpDue("17:30").Exec(ctx); err != nil {
			return err
		}
		// The province's shape of the school daily report (export templates): its columns, in its words.
		if err := c.ExportTemplate.Create().SetTenantID(district.ID).SetName("省教育厅晨午检日报").SetSheet(exporttemplate.SheetSchoolDaily).
			SetColumns([]types.ExportColumn{{Source: "日期", Header: "填报日期"}, {Source: "学校", Header: "单位名称"},
				{Source: "班级", Header: "班级"}, {Source: "时段", Header: "检查时段"}, {Source: "应到人数", Header: "应到"},
				{Source: "实到人数", Header: "实到"}, {Source: "病假", Header: "因病缺勤"}, {Source: "有症状人数", Header: "症状人数"},
				{Source: "上报状态", Header: "报告状态"}, {Header: "备注"}}).Exec(ctx); err != nil {
			return err
		}
		for _, tid := range []int{primary.ID, middle.ID} {
			if err := c.Term.Create().SetTenantID(tid).SetName("2026-2027学年第一学期").
				SetStartDate("2026-09-01").SetEndDate("2027-01-22").Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return logins, todaysChecks(ctx, client)
}

// todaysChecks gives the demo a morning: most classes report, one with absences and a fever, one has not
// reported yet (so the board and the chase have something to show). Nothing on a day without school.
func todaysChecks(ctx context.Context, c *ent.Client) error {
	classes, err := c.Class.Query().Order(ent.Asc(class.FieldID)).All(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	for i, cl := range classes {
		if i == len(classes)-1 {
			break // the last class has not reported
		}
		t, err := c.Tenant.Get(ctx, cl.TenantID)
		if err != nil {
			return err
		}
		r := checks.Report{ClassID: cl.ID, Date: checks.Today(t, now), Session: classcheck.SessionMorning, Zero: i != 1}
		if i == 1 {
			pupils, err := c.Student.Query().Where(student.ClassID(cl.ID)).Order(ent.Asc(student.FieldID)).Limit(2).IDs(ctx)
			if err != nil {
				return err
			}
			sick := checkentry.AbsenceTypeSickLeave
			temp := 37.9
			r.Present = 7
			r.Entries = []checks.Entry{
				{PersonID: pupils[0], Kind: checkentry.KindAbsent, AbsenceType: &sick, Symptoms: []string{"fever", "cough"}},
				{PersonID: pupils[1], Kind: checkentry.KindSymptomatic, Symptoms: []string{"sore_throat"}, Temperature: &temp},
			}
		}
		_, err = checks.Submit(ctx, c, r, now)
		var in *types.InputError
		if errors.As(err, &in) && (in.Field == "date") {
			return nil // a weekend or holiday: no checks today
		}
		if err != nil {
			return fmt.Errorf("demo check: %w", err)
		}
	}
	groups, err := c.StaffGroup.Query().WithTenant().All(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		_, err := checks.SubmitStaff(ctx, c, checks.StaffReport{StaffGroupID: g.ID, Date: checks.Today(g.Edges.Tenant, now),
			Session: classcheck.SessionMorning, Zero: true}, now)
		if err != nil {
			return fmt.Errorf("demo staff check: %w", err)
		}
	}
	return nil
}

type demoSchool struct{ grades, classes []int }

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	given    = []string{"子涵", "欣怡", "浩然", "梓萱", "宇轩", "诗涵", "俊杰", "雨桐", "博文", "佳怡"}
	grdNames = []string{"父亲", "母亲"}
)

// school gives a demo institution its grades, two classes per grade, eight students per class with a
// guardian each, and a few staff.
func school(ctx context.Context, c *ent.Client, tid int, grades []string, prefix string) (*demoSchool, error) {
	out := &demoSchool{}
	n := 0
	for gi, gname := range grades {
		g, err := c.Grade.Create().SetTenantID(tid).SetName(gname).SetSortOrder(gi).Save(ctx)
		if err != nil {
			return nil, err
		}
		out.grades = append(out.grades, g.ID)
		for ci := 1; ci <= 2; ci++ {
			cl, err := c.Class.Create().SetTenantID(tid).SetGradeID(g.ID).SetName(fmt.Sprintf("%s(%d)班", gname, ci)).SetSortOrder(ci).Save(ctx)
			if err != nil {
				return nil, err
			}
			out.classes = append(out.classes, cl.ID)
			for i := 0; i < 8; i++ {
				n++
				gender := student.GenderMale
				if n%2 == 0 {
					gender = student.GenderFemale
				}
				name := string(surnames[n%len(surnames)]) + given[n%len(given)]
				st, err := c.Student.Create().SetTenantID(tid).SetClassID(cl.ID).SetName(name).
					SetStudentNumber(fmt.Sprintf("%s2026%04d", prefix, n)).SetGender(gender).Save(ctx)
				if err != nil {
					return nil, err
				}
				err = c.Guardian.Create().SetTenantID(tid).SetStudentID(st.ID).SetName(string(surnames[n%len(surnames)]) + grdNames[n%2]).
					SetRelation(guardian.RelationFather).SetPhone(fmt.Sprintf("1380000%04d", n)).SetPrimaryContact(true).Exec(ctx)
				if err != nil {
					return nil, err
				}
			}
		}
	}
	var staffIDs []int
	for i, s := range []struct{ name, typ string }{{"赵师傅", "canteen"}, {"钱保安", "security"}, {"孙老师", "retired_teacher"}} {
		st, err := c.Staff.Create().SetTenantID(tid).SetName(s.name).SetStaffType(staff.StaffType(s.typ)).
			SetPhone(fmt.Sprintf("1390000%04d", i+1)).Save(ctx)
		if err != nil {
			return nil, err
		}
		staffIDs = append(staffIDs, st.ID)
	}
	// The logistics staff and a retired teacher, watched by the principal (包教职工).
	err := c.StaffGroup.Create().SetTenantID(tid).SetName("后勤及退休教职工").AddMemberIDs(staffIDs...).Exec(ctx)
	return out, err
}
