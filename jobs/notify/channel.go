package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// Channel names.
const (
	ChannelInApp = "in_app"
	ChannelEmail = "email"
	ChannelSMS   = "sms"
	ChannelRobot = "robot"
)

// Channel delivers a rendered message on one medium. Deliver must honour ctx (the task's deadline) and
// return ErrPermanent (wrapped) for failures no retry can fix.
type Channel interface {
	Name() string
	Deliver(ctx context.Context, d Payload) error
}

// Payload is what a channel delivers.
type Payload struct {
	DeliveryID     int // 0 for in-app
	NotificationID int // in-app and personal deliveries
	RecipientID    int
	TenantID       int
	To             string // e-mail address or mobile number
	Locale         string
	Subject, Body  string
	Robot          *Robot // robot deliveries
}

// Robot is an IM group robot's endpoint.
type Robot struct {
	Kind   string // generic, wecom, dingtalk, feishu
	URL    string
	Secret string // signing secret (DingTalk, Feishu), optional
}

// ErrPermanent marks a failure that retrying cannot fix (no address, a channel not configured, a robot
// that was deleted): the delivery fails at once.
var ErrPermanent = errors.New("permanent failure")

func permanent(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrPermanent, fmt.Sprintf(format, args...))
}

// SMSProvider sends a text message. Plug in a real gateway (Aliyun, Tencent Cloud) behind it.
type SMSProvider interface {
	SendSMS(ctx context.Context, mobile, text string) error
}

// LogSMS is the default SMS provider: it only logs the message (slog), for development and for
// deployments without an SMS contract.
type LogSMS struct{ Logger *slog.Logger }

func (l LogSMS) SendSMS(ctx context.Context, mobile, text string) error {
	lg := l.Logger
	if lg == nil {
		lg = slog.Default()
	}
	lg.InfoContext(ctx, "sms (logging provider: not sent)", "to", mobile, "text", text)
	return nil
}

// SMS delivers through an SMSProvider.
type SMS struct{ Provider SMSProvider }

func (SMS) Name() string { return ChannelSMS }

func (s SMS) Deliver(ctx context.Context, d Payload) error {
	if d.To == "" {
		return permanent("no mobile number")
	}
	return s.Provider.SendSMS(ctx, d.To, d.Subject+"\n"+d.Body)
}

// InApp "delivers" a stored notification by publishing it to the recipient's live subscriptions.
type InApp struct{ Hub *Hub }

func (InApp) Name() string { return ChannelInApp }

func (a InApp) Deliver(ctx context.Context, d Payload) error {
	return a.Hub.Publish(ctx, Event{UserID: d.RecipientID, NotificationID: d.NotificationID, TenantID: d.TenantID})
}
