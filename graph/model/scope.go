package model

import (
	"time"

	"github.com/campushealth/campushealth/ent/authz"
)

// A role the caller holds at one node of an institution's tree. Written by hand (bound in gqlgen.yml) so
// that `can`, a field with arguments, is only its resolver and not also a struct field nobody sets.
type Scope struct {
	Role     authz.Role     `json:"role"`
	NodeType authz.NodeType `json:"nodeType"`
	// The grade, class or staff group; for the school node, the institution's (tenant's) ID.
	NodeID int `json:"nodeID"`
	// The name of the class, grade, staff group or institution.
	Name string `json:"name"`
	// The assignment behind this scope; empty for a whole-institution role held by the account itself.
	AssignmentID *int       `json:"assignmentID,omitempty"`
	ValidFrom    *time.Time `json:"validFrom,omitempty"`
	ValidTo      *time.Time `json:"validTo,omitempty"`
	// For a substitute (代班): the assignment it stands in for.
	SubstituteFor *int `json:"substituteFor,omitempty"`
}
