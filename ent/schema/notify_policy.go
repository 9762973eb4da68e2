package schema

import (
	"context"
	"net/url"

	"entgo.io/ent"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
)

// Notifications and preferences are their owner's alone; jobs/notify writes them as the system.
func (Notification) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{rule.FilterOwnRows("recipient_id")},
		Mutation: privacy.MutationPolicy{
			rule.DenyCreate(),
			rule.OnlyFields("read_at"),
			rule.FilterOwnRows("recipient_id"),
		},
	}
}

func (NotificationPreference) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterOwnRows("user_id")},
		Mutation: privacy.MutationPolicy{rule.DenyOtherUser("user_id"), rule.FilterOwnRows("user_id")},
	}
}

// Deliveries (with their errors) are shown to the tenant's admins; only the system writes them.
func (Delivery) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.Permit(authz.ObjDelivery)},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}

// Robots are configured by principals and district admins.
func (RobotWebhook) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.Permit(authz.ObjRobotWebhook)},
		Mutation: privacy.MutationPolicy{rule.Permit(authz.ObjRobotWebhook)},
	}
}

func (RobotWebhook) Hooks() []ent.Hook { return []ent.Hook{urlHint()} }

// urlHint keeps url_hint (scheme and host, no path or query: those carry the robot's key) in step with url.
func urlHint() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if raw, ok := m.Field("url"); ok {
				if u, err := url.Parse(raw.(string)); err == nil {
					if err := m.SetField("url_hint", u.Scheme+"://"+u.Host); err != nil {
						return nil, err
					}
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}
