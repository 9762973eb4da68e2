package schema

import (
	"errors"
	"net/mail"
	"net/url"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
)

// Notifications (DOMAIN.md §2.9) are written by jobs/notify: one in-app Notification per recipient and
// message, and one Delivery per external channel (e-mail, SMS, an IM robot) with its status and error.

// MachineMixin is BaseMixin without the audit hook, for rows the system writes in volume (notifications,
// delivery attempts): the rows themselves are the record, and auditing every attempt would double the writes.
type MachineMixin struct {
	mixin.Schema
}

func (MachineMixin) Hooks() []ent.Hook { return []ent.Hook{wellFormed()} }

func (MachineMixin) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.DenyIfNoViewer(), rule.AllowIfPlatform()},
		Mutation: privacy.MutationPolicy{rule.DenyIfNoViewer(), rule.AllowIfPlatform()},
	}
}

// Notification is an in-app message to one staff account. (recipient, dedupe key) is unique: a message
// is sent to a person once, ever.
type Notification struct{ ent.Schema }

func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.Int("recipient_id").Immutable(),
		field.String("template").NotEmpty().MaxLen(64).Immutable(),
		field.String("dedupe_key").NotEmpty().MaxLen(255).Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("ref").Optional().MaxLen(255).Immutable().Comment("what it is about, e.g. class:12:2026-11-23:morning"),
		field.String("locale").Default("zh-CN").Immutable(),
		field.String("subject").Immutable(),
		field.Text("body").Immutable(),
		field.Time("read_at").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

func (Notification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("recipient", User.Type).Field("recipient_id").Unique().Required().Immutable(),
		edge.From("deliveries", Delivery.Type).Ref("notification").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Notification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("recipient_id", "dedupe_key").Unique(),
		index.Fields("recipient_id", "read_at"),
	}
}

func (Notification) Mixin() []ent.Mixin { return []ent.Mixin{MachineMixin{}, TenantMixin{}} }
func (Notification) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.Mutations()}
}

// Delivery is one message on one external channel: to a person (e-mail, SMS) for a Notification, or to an
// IM robot of the tenant. Its task (jobs/notify) updates attempts, status and the last error.
type Delivery struct{ ent.Schema }

func (Delivery) Fields() []ent.Field {
	return []ent.Field{
		field.Int("notification_id").Optional().Nillable().Immutable(),
		field.Int("robot_id").Optional().Nillable(),
		field.Enum("channel").Values("email", "sms", "robot").Immutable(),
		field.String("address").Optional().MaxLen(255).Immutable().
			Comment("the e-mail address or mobile number; a robot's name"),
		field.String("template").NotEmpty().MaxLen(64).Immutable(),
		field.String("dedupe_key").NotEmpty().MaxLen(255).Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("ref").Optional().MaxLen(255).Immutable(),
		field.String("locale").Default("zh-CN").Immutable(),
		field.String("subject").Immutable(),
		field.Text("body").Immutable(),
		field.Enum("status").Values("pending", "sent", "failed").Default("pending"),
		field.Int("attempts").Default(0),
		field.String("last_error").Optional().MaxLen(1024),
		field.Time("not_before").Optional().Nillable().Comment("held back until the end of the recipient's quiet hours"),
		field.Time("queued_at").Optional().Nillable().Comment("when its task last reached the queue"),
		field.Time("sent_at").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
	}
}

func (Delivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("notification", Notification.Type).Field("notification_id").Unique().Immutable(),
		// A deleted robot leaves its deliveries (their address keeps its name).
		edge.To("robot", RobotWebhook.Type).Field("robot_id").Unique().
			Annotations(entsql.OnDelete(entsql.SetNull), entgql.Skip(entgql.SkipAll)),
	}
}

func (Delivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("notification_id", "channel").Unique(),
		index.Fields("robot_id", "dedupe_key").Unique(),
		index.Fields("status", "created_at"),
		index.Fields("tenant_id", "created_at"),
	}
}

func (Delivery) Mixin() []ent.Mixin { return []ent.Mixin{MachineMixin{}, TenantMixin{}} }
func (Delivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// RobotWebhook is an IM group robot of a tenant (企业微信 / 钉钉 / 飞书 群机器人, or any JSON webhook) that
// receives digests. Its URL carries the robot's key and is never returned after creation.
type RobotWebhook struct{ ent.Schema }

func (RobotWebhook) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(64)),
		field.Enum("kind").Values("generic", "wecom", "dingtalk", "feishu"),
		field.String("url").NotEmpty().MaxLen(1024).Sensitive().Validate(validWebhookURL).
			Annotations(entgql.Skip(entgql.SkipType, entgql.SkipWhereInput, entgql.SkipOrderField)),
		field.String("secret").Optional().MaxLen(255).Sensitive().
			Comment("signing secret (DingTalk 加签, Feishu 签名校验)").
			Annotations(entgql.Skip(entgql.SkipType, entgql.SkipWhereInput, entgql.SkipOrderField)),
		field.String("url_hint").Optional().
			Comment("scheme and host of the URL, to tell robots apart").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("locale").Default("zh-CN").Validate(validLocale),
		field.Bool("enabled").Default(true),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

func (RobotWebhook) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "name").Unique()}
}

func (RobotWebhook) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (RobotWebhook) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}

// NotificationPreference is a user's choice of channels and language. In-app is always on; without a row
// the defaults apply (jobs/notify.DefaultPreferences).
type NotificationPreference struct{ ent.Schema }

func (NotificationPreference) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Immutable(),
		field.Strings("channels").Optional().Comment("external channels enabled: email, sms"),
		field.String("locale").Default("zh-CN").Validate(validLocale),
		field.String("email").Optional().MaxLen(254).Validate(validEmail),
		field.String("mobile").Optional().MaxLen(20).Validate(validPhone).Comment("empty: the user's phone"),
		field.String("quiet_start").Optional().Validate(validClock).Comment("local HH:MM; external channels wait until quiet_end"),
		field.String("quiet_end").Optional().Validate(validClock),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
	}
}

func (NotificationPreference) Edges() []ent.Edge {
	return []ent.Edge{edge.To("user", User.Type).Field("user_id").Unique().Required().Immutable()}
}

func (NotificationPreference) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id").Unique()}
}

func (NotificationPreference) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }
func (NotificationPreference) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

func validLocale(s string) error {
	if s != "zh-CN" && s != "en" {
		return errors.New("use zh-CN or en")
	}
	return nil
}

func validEmail(s string) error {
	if a, err := mail.ParseAddress(s); s != "" && (err != nil || a.Address != s) {
		return errors.New("not a valid e-mail address")
	}
	return nil
}

func validWebhookURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("use an http(s) URL")
	}
	return nil
}
