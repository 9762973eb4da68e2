// Package seed fills an empty database with a small demo county, so `make run` shows a living product.
package seed

import (
	"context"
	"fmt"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// DemoPassword is the password of every demo account. Demo data is for evaluation only.
const DemoPassword = "campus2026"

// Login is one demo account to print.
type Login struct {
	Login, Role, Tenant string
}

// Demo creates the demo district with two schools and their accounts, once. hash hashes a password.
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
		names := map[string]string{"admin": "平台管理员", "district.admin": "区教育局管理员", "principal.primary": "王校长", "principal.middle": "李校长"}
		for _, l := range logins {
			if l.Login == "admin" {
				if ok, err := c.User.Query().Where(user.Login("admin")).Exist(ctx); err != nil || ok {
					if err != nil {
						return err
					}
					continue
				}
			}
			err := c.User.Create().SetNillableTenantID(tenants[l.Tenant]).SetLogin(l.Login).SetDisplayName(names[l.Login]).
				SetRole(authz.Role(l.Role)).SetPasswordHash(pw).Exec(ctx)
			if err != nil {
				return fmt.Errorf("demo user %s: %w", l.Login, err)
			}
		}
		return nil
	}()
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return logins, tx.Commit()
}
