package authz

import "testing"

// The catalog as users rely on it: the hierarchy principal ⊇ leading_group ⊇ grade_leader ⊇ class_teacher ⊇
// subject_teacher, admins manage accounts and tokens, only admins read the audit log.
func TestCatalog(t *testing.T) {
	e, err := NewEnforcer()
	if err != nil {
		t.Fatal(err)
	}
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
		{LeadingGroup, ClassTeacher, false},
		{ClassTeacher, SubjectTeacher, false},
		{Principal, Role("root"), false},
	}
	for _, c := range cases {
		if got := CanGrant(c.granter, c.role); got != c.want {
			t.Errorf("CanGrant(%s, %s) = %v, want %v", c.granter, c.role, got, c.want)
		}
	}
}
