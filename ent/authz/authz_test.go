package authz

import "testing"

// The catalog as users rely on it: the hierarchy principal ⊇ leading_group ⊇ grade_leader ⊇ class_teacher ⊇
// subject_teacher, admins manage accounts and tokens, only admins read the audit log.
func TestCatalog(t *testing.T) {
	e := New()
	cases := []struct {
		role     Role
		obj, act string
		want     bool
	}{
		{SubjectTeacher, ObjUser, ActRead, true},
		{SubjectTeacher, ObjTenant, ActRead, true},
		{SubjectTeacher, ObjUser, ActCreate, false},
		{ClassTeacher, ObjUser, ActRead, true}, // inherited from subject_teacher
		{GradeLeader, ObjUser, ActRead, true},
		{LeadingGroup, ObjUser, ActCreate, false},
		{Principal, ObjUser, ActRead, true}, // inherited through the whole chain
		{Principal, ObjUser, ActCreate, true},
		{Principal, ObjAPIToken, ActCreate, true},
		{Principal, ObjAuditLog, ActRead, true},
		{Principal, ObjTenant, ActCreate, false},
		{Principal, ObjTenant, ActUpdate, false},
		{LeadingGroup, ObjAuditLog, ActRead, false},
		{HealthTeacher, ObjAPIToken, ActRead, false},
		{HealthTeacher, ObjUser, ActRead, true},
		{Logistics, ObjUser, ActUpdate, false},
		{DistrictAdmin, ObjTenant, ActCreate, true},
		{DistrictAdmin, ObjTenant, ActDelete, false},
		{DistrictAdmin, ObjAuditLog, ActRead, true},
		{DistrictAdmin, ObjAuditLog, ActCreate, false},
		{Role("nobody"), ObjUser, ActRead, false},
	}
	for _, c := range cases {
		if got := e.Allowed(c.role, c.obj, c.act); got != c.want {
			t.Errorf("%s %s %s = %v, want %v", c.role, c.act, c.obj, got, c.want)
		}
	}
}

func TestCanGrant(t *testing.T) {
	cases := []struct {
		granter, role Role
		want          bool
	}{
		{PlatformAdmin, PlatformAdmin, true},
		{DistrictAdmin, DistrictAdmin, true},
		{DistrictAdmin, Principal, true},
		{DistrictAdmin, PlatformAdmin, false},
		{Principal, ClassTeacher, true},
		{Principal, DistrictAdmin, false},
		{LeadingGroup, ClassTeacher, true},
		{LeadingGroup, LeadingGroup, false},
		{LeadingGroup, Principal, false},
		{GradeLeader, ClassTeacher, false},
		{ClassTeacher, SubjectTeacher, false},
		{Principal, Role("root"), false},
	}
	for _, c := range cases {
		if got := CanGrant(c.granter, c.role); got != c.want {
			t.Errorf("CanGrant(%s, %s) = %v, want %v", c.granter, c.role, got, c.want)
		}
	}
}

// TestTreeScopes: a grant covers its node and what lies below it, in its own tenant only.
func TestTreeScopes(t *testing.T) {
	e := New()
	school, g1, g2 := Node(NodeSchool, 7), Node(NodeGrade, 1), Node(NodeGrade, 2)
	c11, c12, c21 := Node(NodeClass, 11), Node(NodeClass, 12), Node(NodeClass, 21)
	err := e.SetTree(7, [][2]string{{school, g1}, {school, g2}, {g1, c11}, {g1, c12}, {g2, c21}})
	if err != nil {
		t.Fatal(err)
	}
	gradeLeader := Grant{Role: GradeLeader, TenantID: 7, Node: g1}
	teacher := Grant{Role: ClassTeacher, TenantID: 7, Node: c11}
	principal := Grant{Role: Principal, TenantID: 7, Node: school}
	cases := []struct {
		g         Grant
		node, obj string
		act       string
		want      bool
	}{
		{teacher, c11, ObjStudent, ActRead, true},
		{teacher, c11, ObjStudent, ActUpdate, true},
		{teacher, c12, ObjStudent, ActRead, false}, // the next class
		{teacher, c11, ObjStudent, ActCreate, false},
		{gradeLeader, c12, ObjStudent, ActCreate, true},
		{gradeLeader, c21, ObjStudent, ActRead, false}, // another grade
		{principal, c21, ObjStudent, ActUpdate, true},
		{principal, c21, ObjStudent, ActDelete, false},
		{Grant{Role: ClassTeacher, TenantID: 8, Node: c11}, c11, ObjStudent, ActRead, false}, // another tenant
	}
	for _, c := range cases {
		if got := e.Permits(c.g, 7, c.node, c.obj, c.act); got != c.want {
			t.Errorf("%s@%s %s %s at %s = %v, want %v", c.g.Role, c.g.Node, c.act, c.obj, c.node, got, c.want)
		}
	}
	below := e.Below(7, g1)
	if len(below) != 2 {
		t.Errorf("below grade 1: %v", below)
	}
	// Moving class 12 to grade 2 takes effect at once (no stale cache).
	if !e.Permits(gradeLeader, 7, c12, ObjStudent, ActRead) {
		t.Fatal("setup")
	}
	if err := e.SetTree(7, [][2]string{{school, g1}, {school, g2}, {g1, c11}, {g2, c12}, {g2, c21}}); err != nil {
		t.Fatal(err)
	}
	if e.Permits(gradeLeader, 7, c12, ObjStudent, ActRead) {
		t.Error("stale decision after the tree changed")
	}
}

// Permits walks the tree upwards from the row's node; Casbin's matcher walks down from the grant's node.
// They must agree everywhere: grants at every level, rows at every node, in another tenant, and unknown.
func TestPermitsAgreesWithCasbinMatcher(t *testing.T) {
	e, parent := benchTree(t, 3)
	nodes, allowed := []string{Node(NodeClass, 999_999)}, 0 // the first in no tree
	for n := range parent {
		nodes = append(nodes, n)
	}
	for tid := 1; tid <= 3; tid++ {
		nodes = append(nodes, Node(NodeSchool, tid))
	}
	for _, g := range []Grant{
		{Role: Principal, TenantID: 2, Node: Node(NodeSchool, 2)},
		{Role: GradeLeader, TenantID: 2, Node: Node(NodeGrade, 2*100+3)},
		{Role: ClassTeacher, TenantID: 2, Node: Node(NodeClass, 2*1000+31)},
		{Role: SubjectTeacher, TenantID: 1, Node: Node(NodeClass, 1*1000+2)},
	} {
		for _, node := range nodes {
			for _, act := range []string{ActRead, ActCreate} {
				want, err := e.ce.Load().Enforce(g.Node, string(g.Role), Domain(g.TenantID), node, ObjClassCheck, act)
				if err != nil {
					t.Fatal(err)
				}
				if got := e.Permits(g, g.TenantID, node, ObjClassCheck, act); got != want {
					t.Errorf("%+v %s at %s: Permits %v, Casbin %v", g, act, node, got, want)
				}
				if want {
					allowed++
				}
			}
		}
	}
	if allowed < 36 {
		t.Errorf("only %d allowed cases: the tree was not exercised", allowed)
	}
}
