package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/actor"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/session"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Errors shown to clients (the API maps each to an error code).
var (
	ErrInvalidCredentials     = errors.New("wrong login or password")
	ErrAccountDisabled        = errors.New("this account or its institution is deactivated")
	ErrRateLimited            = errors.New("too many failed sign-in attempts; try again later")
	ErrUnauthenticated        = errors.New("not signed in, or the session or token has expired or been revoked")
	ErrPasswordChangeRequired = errors.New("change your initial password first")
)

// CookieName is the console's session cookie.
const CookieName = "ch_session"

// Service signs users in and out and turns tokens into viewers.
type Service struct {
	Client       *ent.Client
	Limit        *RateLimit
	SessionTTL   time.Duration
	SecureCookie bool
	Now          func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// client returns the transaction's client inside a GraphQL mutation (entgql.Transactioner), else the root.
func (s *Service) client(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return s.Client
}

// internal marks reads and writes the auth service makes on its own authority.
func internal(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// LoginResult is a new session.
type LoginResult struct {
	Token     string
	ExpiresAt time.Time
	User      *ent.User
}

// Login checks a password and opens a session. Inside an HTTP request it also sets the session cookie.
func (s *Service) Login(ctx context.Context, login, password string) (*LoginResult, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	ip := ClientIP(ctx)
	if s.Limit.Blocked(ctx, login, ip) {
		return nil, ErrRateLimited
	}
	c := s.client(ctx)
	u, err := c.User.Query().Where(user.Login(login)).WithTenant(func(q *ent.TenantQuery) { q.WithParent() }).Only(internal(ctx))
	if ent.IsNotFound(err) {
		VerifyPassword(dummyHash, password)
		s.Limit.Failed(ctx, login, ip)
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, err
	}
	if !VerifyPassword(u.PasswordHash, password) {
		s.Limit.Failed(ctx, login, ip)
		return nil, ErrInvalidCredentials
	}
	if !actor.UserCanAct(u) {
		return nil, ErrAccountDisabled
	}
	s.Limit.Succeeded(ctx, login)

	now := s.now()
	plain, hash := NewToken(SessionPrefix)
	expires := now.Add(s.SessionTTL)
	asUser := viewer.NewContext(internal(ctx), &viewer.Viewer{UserID: u.ID, Label: "user:" + u.Login, Role: u.Role, RequestID: viewer.RequestID(ctx)})
	err = c.Session.Create().SetUserID(u.ID).SetTokenHash(hash).SetCreatedAt(now).SetExpiresAt(expires).
		SetLastSeenAt(now).SetIP(ip).SetUserAgent(truncate(userAgent(ctx), 256)).Exec(asUser)
	if err != nil {
		return nil, err
	}
	if err := c.User.UpdateOneID(u.ID).SetLastLoginAt(now).Exec(asUser); err != nil {
		return nil, err
	}
	if ex := exchangeFrom(ctx); ex != nil {
		http.SetCookie(ex.w, s.cookie(plain, s.SessionTTL))
	}
	return &LoginResult{Token: plain, ExpiresAt: expires, User: u}, nil
}

// Logout revokes the current session and clears the cookie.
func (s *Service) Logout(ctx context.Context) error {
	ex := exchangeFrom(ctx)
	if ex == nil || ex.sessionID == 0 {
		return ErrUnauthenticated
	}
	err := s.client(ctx).Session.UpdateOneID(ex.sessionID).SetRevokedAt(s.now()).Exec(internal(ctx))
	if err != nil {
		return err
	}
	http.SetCookie(ex.w, s.cookie("", 0))
	return nil
}

// ChangePassword replaces the viewer's password and signs out its other sessions.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	v := viewer.FromContext(ctx)
	if v == nil || v.UserID == 0 {
		return ErrUnauthenticated
	}
	c := s.client(ctx)
	u, err := c.User.Get(internal(ctx), v.UserID)
	if err != nil {
		return err
	}
	if !VerifyPassword(u.PasswordHash, current) {
		return ErrInvalidCredentials
	}
	if err := CheckPasswordStrength("newPassword", next, u.Login); err != nil {
		return err
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	now := s.now()
	err = c.User.UpdateOneID(u.ID).SetPasswordHash(hash).SetMustChangePassword(false).SetPasswordChangedAt(now).
		Exec(privacy.DecisionContext(ctx, privacy.Allow))
	if err != nil {
		return err
	}
	keep := 0
	if ex := exchangeFrom(ctx); ex != nil {
		keep = ex.sessionID
	}
	return c.Session.Update().
		Where(session.UserID(u.ID), session.RevokedAtIsNil(), session.IDNEQ(keep)).
		SetRevokedAt(now).Exec(internal(ctx))
}

// Authenticate turns a session or API token into a viewer.
func (s *Service) Authenticate(ctx context.Context, token string) (*viewer.Viewer, int, error) {
	switch {
	case strings.HasPrefix(token, SessionPrefix):
		return s.authenticateSession(ctx, token)
	case strings.HasPrefix(token, APITokenPrefix):
		v, err := s.authenticateAPIToken(ctx, token)
		return v, 0, err
	}
	return nil, 0, ErrUnauthenticated
}

// touchEvery limits bookkeeping writes (last seen / last used) to one per minute per session or token.
const touchEvery = time.Minute

func (s *Service) authenticateSession(ctx context.Context, token string) (*viewer.Viewer, int, error) {
	now := s.now()
	sess, err := actor.ForSession(ctx, s.Client, HashToken(token), now)
	if err != nil {
		return nil, 0, err
	}
	if sess == nil || sess.Viewer == nil {
		return nil, 0, ErrUnauthenticated
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.Client.Session.UpdateOneID(sess.ID).SetLastSeenAt(now).Exec(internal(ctx)); err != nil {
			return nil, 0, err
		}
	}
	return sess.Viewer, sess.ID, nil
}

func (s *Service) authenticateAPIToken(ctx context.Context, token string) (*viewer.Viewer, error) {
	now := s.now()
	t, err := actor.ForAPIToken(ctx, s.Client, HashToken(token), now)
	if err != nil {
		return nil, err
	}
	if t == nil || t.Viewer == nil {
		return nil, ErrUnauthenticated
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		err := s.Client.APIToken.UpdateOneID(t.ID).SetLastUsedAt(now).Exec(viewer.NewContext(internal(ctx), t.Viewer))
		if err != nil {
			return nil, err
		}
	}
	return t.Viewer, nil
}

// cookie carries the session for ttl: a Max-Age, which the browser counts from when it gets the cookie,
// not an Expires date, which a browser whose clock is wrong would read as already past (the session row's
// expires_at, by the server's clock, stays the authority). An empty value deletes the cookie.
func (s *Service) cookie(value string, ttl time.Duration) *http.Cookie {
	c := &http.Cookie{
		Name: CookieName, Value: value, Path: "/", MaxAge: int(ttl / time.Second),
		HttpOnly: true, Secure: s.SecureCookie, SameSite: http.SameSiteLaxMode,
	}
	if value == "" {
		c.MaxAge = -1
	}
	return c
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
