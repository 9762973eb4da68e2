// Package authzstore keeps the Casbin policy in the casbin_rules table: the global catalog (seeded from
// authz's policy.csv), and each tenant's organisation tree, derived from its grades, classes and staff
// groups and written in the same transaction as the change that altered it.
package authzstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/casbinrule"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/grade"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/staffgroup"
)

// internal marks the store's own reads and writes: policy rows are not tenant data.
func internal(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// Adapter loads the whole policy for Casbin. Writes go through Seed and SyncTree, never through Casbin.
type Adapter struct {
	Client *ent.Client
	Ctx    context.Context
}

var errReadOnly = errors.New("authzstore: the policy is written through SyncTree and Seed")

// LoadPolicy implements persist.Adapter.
func (a *Adapter) LoadPolicy(m model.Model) error {
	rows, err := a.Client.CasbinRule.Query().All(internal(a.Ctx))
	if err != nil {
		return err
	}
	for _, r := range rows {
		line := []string{r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
		for len(line) > 1 && line[len(line)-1] == "" {
			line = line[:len(line)-1]
		}
		if err := persist.LoadPolicyArray(line, m); err != nil {
			return err
		}
	}
	return nil
}

func (a *Adapter) SavePolicy(model.Model) error                              { return errReadOnly }
func (a *Adapter) AddPolicy(string, string, []string) error                  { return errReadOnly }
func (a *Adapter) RemovePolicy(string, string, []string) error               { return errReadOnly }
func (a *Adapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }

// Open seeds the catalog and loads the enforcer that the client carries.
func Open(ctx context.Context, client *ent.Client) error {
	if client.Authz == nil {
		return errors.New("authzstore: the ent client has no enforcer (ent.Authz option)")
	}
	if err := Seed(ctx, client); err != nil {
		return err
	}
	return client.Authz.LoadFrom(&Adapter{Client: client, Ctx: ctx})
}

// Seed makes the catalog (p) and role hierarchy (g) rows equal to the built-in catalog.
func Seed(ctx context.Context, client *ent.Client) error {
	ctx = internal(ctx)
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	c := tx.Client()
	if _, err := c.CasbinRule.Delete().Where(casbinrule.PtypeIn("p", "g")).Exec(ctx); err != nil {
		return rollback(tx, err)
	}
	lines := authz.CatalogLines()
	builders := make([]*ent.CasbinRuleCreate, len(lines))
	for i, l := range lines {
		builders[i] = row(c, l...)
	}
	if err := c.CasbinRule.CreateBulk(builders...).Exec(ctx); err != nil {
		return rollback(tx, fmt.Errorf("seed catalog: %w", err))
	}
	return tx.Commit()
}

func row(c *ent.Client, l ...string) *ent.CasbinRuleCreate {
	b := c.CasbinRule.Create().SetPtype(l[0])
	v := make([]string, 6)
	copy(v, l[1:])
	return b.SetV0(v[0]).SetV1(v[1]).SetV2(v[2]).SetV3(v[3]).SetV4(v[4]).SetV5(v[5])
}

func rollback(tx *ent.Tx, err error) error {
	_ = tx.Rollback()
	return err
}

// Tree derives a tenant's organisation tree from its grades, classes and staff groups.
func Tree(ctx context.Context, c *ent.Client, tenantID int) ([][2]string, error) {
	ctx = internal(ctx)
	school := authz.Node(authz.NodeSchool, tenantID)
	var links [][2]string
	grades, err := c.Grade.Query().Where(grade.TenantID(tenantID)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range grades {
		links = append(links, [2]string{school, authz.Node(authz.NodeGrade, g)})
	}
	classes, err := c.Class.Query().Where(class.TenantID(tenantID)).Select(class.FieldID, class.FieldGradeID).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, cl := range classes {
		parent := school
		if cl.GradeID != nil {
			parent = authz.Node(authz.NodeGrade, *cl.GradeID)
		}
		links = append(links, [2]string{parent, authz.Node(authz.NodeClass, cl.ID)})
	}
	groups, err := c.StaffGroup.Query().Where(staffgroup.TenantID(tenantID)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		links = append(links, [2]string{school, authz.Node(authz.NodeStaffGroup, g)})
	}
	return links, nil
}

// SyncTree rewrites a tenant's g2 rows from its tables, with the given (transaction's) client, and returns
// the links so the caller can apply them to the enforcer once the transaction commits.
func SyncTree(ctx context.Context, c *ent.Client, tenantID int) ([][2]string, error) {
	links, err := Tree(ctx, c, tenantID)
	if err != nil {
		return nil, err
	}
	ictx := internal(ctx)
	dom := authz.Domain(tenantID)
	if _, err := c.CasbinRule.Delete().Where(casbinrule.Ptype("g2"), casbinrule.V2(dom)).Exec(ictx); err != nil {
		return nil, err
	}
	builders := make([]*ent.CasbinRuleCreate, len(links))
	for i, l := range links {
		builders[i] = row(c, "g2", l[0], l[1], dom)
	}
	if err := c.CasbinRule.CreateBulk(builders...).Exec(ictx); err != nil {
		return nil, err
	}
	return links, nil
}

// Reload reads a tenant's tree rows from the database into the enforcer (another replica changed it).
func Reload(ctx context.Context, client *ent.Client, tenantID int) error {
	rows, err := client.CasbinRule.Query().
		Where(casbinrule.Ptype("g2"), casbinrule.V2(authz.Domain(tenantID))).All(internal(ctx))
	if err != nil {
		return err
	}
	links := make([][2]string, len(rows))
	for i, r := range rows {
		links[i] = [2]string{r.V0, r.V1}
	}
	return client.Authz.SetTree(tenantID, links)
}
