package notify

import (
	"context"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/notificationpreference"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// PersonalChannels are the external channels a user may enable for themselves (in-app is always on).
var PersonalChannels = []string{ChannelEmail, ChannelSMS}

// Preferences are a user's notification settings, stored or default.
type Preferences struct {
	Channels   []string // external channels enabled: email, sms (in-app is always on)
	Locale     string   // zh-CN or en
	Email      string
	Mobile     string // "" uses the account's phone
	QuietStart string // local HH:MM, or ""
	QuietEnd   string
	Stored     bool // false: these are the defaults
}

// DefaultPreferences apply to a user who saved none: Chinese, in-app, and SMS when the account has a
// phone number (the chase ladder reaches teachers by SMS; the default SMS provider only logs).
func DefaultPreferences(u *ent.User) *Preferences {
	p := &Preferences{Locale: DefaultLocale}
	if u != nil && u.Phone != "" {
		p.Channels = []string{ChannelSMS}
	}
	return p
}

func fromEnt(p *ent.NotificationPreference) *Preferences {
	return &Preferences{Channels: p.Channels, Locale: p.Locale, Email: p.Email, Mobile: p.Mobile,
		QuietStart: p.QuietStart, QuietEnd: p.QuietEnd, Stored: true}
}

func (s *Service) preferences(ctx context.Context, c *ent.Client, userIDs []int) (map[int]*Preferences, error) {
	rows, err := c.NotificationPreference.Query().Where(notificationpreference.UserIDIn(userIDs...)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int]*Preferences{}
	for _, r := range rows {
		out[r.UserID] = fromEnt(r)
	}
	return out, nil
}

// address is where channel ch reaches u: "" when nowhere.
func (p *Preferences) address(ch string, u *ent.User) string {
	switch ch {
	case ChannelEmail:
		return p.Email
	case ChannelSMS:
		if p.Mobile != "" {
			return p.Mobile
		}
		return u.Phone
	}
	return ""
}

// quietUntil is the end of the quiet hours when now falls in them (external channels wait), else nil.
func (p *Preferences) quietUntil(now time.Time, loc *time.Location) *time.Time {
	if p.QuietStart == "" || p.QuietEnd == "" || p.QuietStart == p.QuietEnd {
		return nil
	}
	local := now.In(loc)
	at := func(hhmm string, day time.Time) time.Time {
		t, _ := time.Parse("15:04", hhmm)
		return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	}
	start, end := at(p.QuietStart, local), at(p.QuietEnd, local)
	var until time.Time
	switch {
	case start.Before(end): // 12:00-14:00
		if !local.Before(start) && local.Before(end) {
			until = end
		}
	default: // 22:00-07:00, across midnight
		if !local.Before(start) {
			until = at(p.QuietEnd, local.AddDate(0, 0, 1))
		} else if local.Before(end) {
			until = end
		}
	}
	if until.IsZero() {
		return nil
	}
	return &until
}

// PreferencesOf returns the viewer's preferences (stored, or the defaults).
func PreferencesOf(ctx context.Context, c *ent.Client) (*Preferences, error) {
	v := viewer.FromContext(ctx)
	if v == nil || v.UserID == 0 {
		return nil, types.Invalid("viewer", "notification preferences belong to a signed-in user")
	}
	row, err := c.NotificationPreference.Query().Where(notificationpreference.UserID(v.UserID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		u, err := c.User.Get(ctx, v.UserID)
		if err != nil {
			return nil, err
		}
		return DefaultPreferences(u), nil
	case err != nil:
		return nil, err
	}
	return fromEnt(row), nil
}

// PreferencesInput changes preferences; nil fields stay as they are ("" clears a text field).
type PreferencesInput struct {
	Channels   []string
	Locale     *string
	Email      *string
	Mobile     *string
	QuietStart *string
	QuietEnd   *string
}

// UpdatePreferences saves the viewer's preferences (creating them from the defaults on first save).
func UpdatePreferences(ctx context.Context, c *ent.Client, in PreferencesInput) (*Preferences, error) {
	cur, err := PreferencesOf(ctx, c)
	if err != nil {
		return nil, err
	}
	for _, ch := range in.Channels {
		if !slices.Contains(PersonalChannels, ch) {
			return nil, types.Invalid("channels", "unknown channel %q (in-app is always on; choose from email, sms)", ch)
		}
	}
	if in.Channels != nil {
		cur.Channels = slices.Compact(slices.Sorted(slices.Values(in.Channels)))
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&cur.Locale, in.Locale)
	set(&cur.Email, in.Email)
	set(&cur.Mobile, in.Mobile)
	set(&cur.QuietStart, in.QuietStart)
	set(&cur.QuietEnd, in.QuietEnd)
	if !slices.Contains(Locales, cur.Locale) {
		return nil, types.Invalid("locale", "use zh-CN or en")
	}
	if (cur.QuietStart == "") != (cur.QuietEnd == "") {
		return nil, types.Invalid("quietEnd", "quiet hours need both a start and an end")
	}
	if slices.Contains(cur.Channels, ChannelEmail) && cur.Email == "" {
		return nil, types.Invalid("email", "e-mail notifications need an e-mail address")
	}
	uid := viewer.FromContext(ctx).UserID
	row, err := c.NotificationPreference.Query().Where(notificationpreference.UserID(uid)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		b := c.NotificationPreference.Create().SetUserID(uid).SetChannels(cur.Channels).SetLocale(cur.Locale).
			SetEmail(cur.Email).SetMobile(cur.Mobile)
		if cur.QuietStart != "" {
			b.SetQuietStart(cur.QuietStart).SetQuietEnd(cur.QuietEnd)
		}
		row, err = b.Save(ctx)
	case err == nil:
		u := row.Update().SetChannels(cur.Channels).SetLocale(cur.Locale).SetEmail(cur.Email).SetMobile(cur.Mobile)
		if cur.QuietStart != "" {
			u.SetQuietStart(cur.QuietStart).SetQuietEnd(cur.QuietEnd)
		} else {
			u.ClearQuietStart().ClearQuietEnd()
		}
		row, err = u.Save(ctx)
	}
	if err != nil {
		return nil, err
	}
	return fromEnt(row), nil
}
