// Package authz holds the role vocabulary and the Casbin permission catalog.
//
// It imports nothing from the data layer so that schemas, rules and the API can all use it.
package authz

import (
	"fmt"
	"io"
	"strconv"
)

// Role is a named set of permissions. Tenant-level roles come from DOMAIN.md §1.2.
type Role string

const (
	PlatformAdmin    Role = "platform_admin"
	DistrictAdmin    Role = "district_admin"
	Principal        Role = "principal"
	LeadingGroup     Role = "leading_group"
	EpidemicReporter Role = "epidemic_reporter"
	GradeLeader      Role = "grade_leader"
	ClassTeacher     Role = "class_teacher"
	SubjectTeacher   Role = "subject_teacher"
	HealthTeacher    Role = "health_teacher"
	DutyLeader       Role = "duty_leader"
	Logistics        Role = "logistics"
)

// AllRoles lists every role in a stable order.
var AllRoles = []Role{
	PlatformAdmin, DistrictAdmin, Principal, LeadingGroup, EpidemicReporter, GradeLeader,
	ClassTeacher, SubjectTeacher, HealthTeacher, DutyLeader, Logistics,
}

// Values makes Role usable as an ent enum GoType.
func (Role) Values() []string {
	out := make([]string, len(AllRoles))
	for i, r := range AllRoles {
		out[i] = string(r)
	}
	return out
}

func (r Role) String() string { return string(r) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range AllRoles {
		if k == r {
			return true
		}
	}
	return false
}

// IsSchoolRole reports whether r belongs to staff of a school, kindergarten or training institution.
func (r Role) IsSchoolRole() bool { return r.Valid() && r != PlatformAdmin && r != DistrictAdmin }

// CanGrant reports whether a holder of granter may give a user (or API token) the role r.
// Nobody grants above their own level: district admins create district admins and school staff,
// principals create school staff, leading-group members assign the roles below them.
func CanGrant(granter, r Role) bool {
	switch granter {
	case PlatformAdmin:
		return r.Valid()
	case DistrictAdmin:
		return r == DistrictAdmin || r.IsSchoolRole()
	case Principal:
		return r.IsSchoolRole()
	case LeadingGroup:
		return r.IsSchoolRole() && r != Principal && r != LeadingGroup
	}
	return false
}

// MarshalGQL writes the role as a GraphQL enum value.
func (r Role) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL reads a GraphQL enum value.
func (r *Role) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !Role(s).Valid() {
		return fmt.Errorf("%v is not a valid Role", v)
	}
	*r = Role(s)
	return nil
}

// NodeType is a kind of node in an institution's organisation tree: school → grade → class, and staff
// groups under the school.
type NodeType string

const (
	NodeSchool     NodeType = "school"
	NodeGrade      NodeType = "grade"
	NodeClass      NodeType = "class"
	NodeStaffGroup NodeType = "staff_group"
)

// Values makes NodeType usable as an ent enum GoType.
func (NodeType) Values() []string {
	return []string{string(NodeSchool), string(NodeGrade), string(NodeClass), string(NodeStaffGroup)}
}

// MarshalGQL writes the node type as a GraphQL enum value.
func (n NodeType) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(n))) }

// UnmarshalGQL reads a GraphQL enum value.
func (n *NodeType) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	for _, k := range n.Values() {
		if k == s {
			*n = NodeType(s)
			return nil
		}
	}
	return fmt.Errorf("%v is not a valid NodeType", v)
}

// SchoolWide reports whether a user holding r as primary role holds it over the whole institution.
// Grade leaders and teachers act only where an assignment puts them (包年级 / 包班).
func (r Role) SchoolWide() bool {
	switch r {
	case Principal, LeadingGroup, EpidemicReporter, HealthTeacher, DutyLeader, Logistics, DistrictAdmin:
		return true
	}
	return false
}
