package graph

import (
	"context"
	"slices"
	"time"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/assignment"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/grade"
	"github.com/campushealth/campushealth/ent/staffgroup"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/graph/model"
	"github.com/campushealth/campushealth/jobs/roster"
)

// assignmentToDelegate reads the assignment a substitute is to stand in for: the caller's own (which it may
// read whatever its role's permissions, as with its identity in me), or else one the caller may read. Whether
// the caller may delegate it is decided when the substitute's assignment is created.
func assignmentToDelegate(ctx context.Context, c *ent.Client, id int) (*ent.Assignment, error) {
	if v := viewer.FromContext(ctx); v != nil && v.UserID != 0 {
		a, err := c.Assignment.Query().Where(assignment.ID(id), assignment.UserID(v.UserID)).Only(ownIdentity(ctx))
		if !ent.IsNotFound(err) {
			return a, err
		}
	}
	return c.Assignment.Get(ctx, id)
}

// myRoles is the caller's own role plus the roles of its grants valid now, in the catalog's order.
func myRoles(ctx context.Context) ([]authz.Role, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, auth.ErrUnauthenticated
	}
	held := map[authz.Role]bool{v.Role: true}
	for _, g := range v.Grants {
		held[g.Role] = true
	}
	roles := make([]authz.Role, 0, len(held))
	for _, r := range authz.AllRoles {
		if held[r] {
			roles = append(roles, r)
		}
	}
	return roles, nil
}

// myScopes lists the caller's grants (what the data layer authorizes with, resolved at sign-in of this
// request) with the names of their nodes, and for those that come from an assignment, its ID and period.
func myScopes(ctx context.Context, c *ent.Client, now time.Time) ([]*model.Scope, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, auth.ErrUnauthenticated
	}
	self := ownIdentity(ctx)
	var held []*ent.Assignment
	if v.UserID != 0 {
		var err error
		held, err = c.Assignment.Query().Where(
			assignment.UserID(v.UserID),
			assignment.ValidFromLTE(now),
			assignment.Or(assignment.ValidToIsNil(), assignment.ValidToGT(now)),
		).Order(ent.Asc(assignment.FieldID)).All(self)
		if err != nil {
			return nil, err
		}
	}
	scopes := make([]*model.Scope, 0, len(v.Grants))
	ids := map[authz.NodeType][]int{}
	for _, g := range v.Grants {
		typ, id, ok := authz.ParseNode(g.Node)
		if !ok {
			continue
		}
		s := &model.Scope{Role: g.Role, NodeType: typ, NodeID: id}
		if i := slices.IndexFunc(held, func(a *ent.Assignment) bool {
			return a.Role == g.Role && a.TenantID == g.TenantID && a.NodeType == typ && a.NodeID == id
		}); i >= 0 {
			a := held[i]
			held = slices.Delete(held, i, i+1)
			s.AssignmentID, s.ValidFrom, s.ValidTo, s.SubstituteFor = &a.ID, &a.ValidFrom, a.ValidTo, a.DelegatedFromID
		}
		scopes = append(scopes, s)
		ids[typ] = append(ids[typ], id)
	}
	names, err := nodeNames(self, c, ids)
	if err != nil {
		return nil, err
	}
	for _, s := range scopes {
		s.Name = names[authz.Node(s.NodeType, s.NodeID)]
	}
	return scopes, nil
}

// nodeNames reads the names of tree nodes, keyed by authz.Node.
func nodeNames(ctx context.Context, c *ent.Client, ids map[authz.NodeType][]int) (map[string]string, error) {
	names := map[string]string{}
	add := func(typ authz.NodeType, id int, name string) { names[authz.Node(typ, id)] = name }
	if len(ids[authz.NodeSchool]) > 0 {
		ts, err := c.Tenant.Query().Where(tenant.IDIn(ids[authz.NodeSchool]...)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			add(authz.NodeSchool, t.ID, t.Name)
		}
	}
	if len(ids[authz.NodeGrade]) > 0 {
		gs, err := c.Grade.Query().Where(grade.IDIn(ids[authz.NodeGrade]...)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			add(authz.NodeGrade, g.ID, g.Name)
		}
	}
	if len(ids[authz.NodeClass]) > 0 {
		cs, err := c.Class.Query().Where(class.IDIn(ids[authz.NodeClass]...)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, cl := range cs {
			add(authz.NodeClass, cl.ID, cl.Name)
		}
	}
	if len(ids[authz.NodeStaffGroup]) > 0 {
		gs, err := c.StaffGroup.Query().Where(staffgroup.IDIn(ids[authz.NodeStaffGroup]...)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			add(authz.NodeStaffGroup, g.ID, g.Name)
		}
	}
	return names, nil
}

// withOnePrimaryContact finishes a guardian's create or update (g, err: what it saved; was: the guardian
// before an update, nil for a create): his pupil ends with exactly one primary contact — he becomes it when
// marked or when she has none, and un-marking or moving hers away is refused (roster.OnePrimaryContact),
// in the mutation's transaction, so a refusal saves nothing.
func withOnePrimaryContact(ctx context.Context, c *ent.Client, g, was *ent.Guardian, err error) (*ent.Guardian, error) {
	if err != nil {
		return nil, err
	}
	return roster.OnePrimaryContact(ctx, c, g, was)
}
