package auth

import (
	"context"
	"net"
	"net/http"
	"strings"
)

// exchange gives GraphQL resolvers (login, logout) access to the HTTP request and response.
type exchange struct {
	w         http.ResponseWriter
	r         *http.Request
	sessionID int
}

type exchangeKey struct{}

// WithExchange stores the HTTP request/response and the current session (0 if none) for resolvers.
func WithExchange(ctx context.Context, w http.ResponseWriter, r *http.Request, sessionID int) context.Context {
	return context.WithValue(ctx, exchangeKey{}, &exchange{w: w, r: r, sessionID: sessionID})
}

func exchangeFrom(ctx context.Context) *exchange {
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	return ex
}

// ClientIP is the remote address of the request (without port). Behind a proxy, set the real address
// with a trusted middleware before this runs.
func ClientIP(ctx context.Context) string {
	ex := exchangeFrom(ctx)
	if ex == nil {
		return "local"
	}
	host, _, err := net.SplitHostPort(ex.r.RemoteAddr)
	if err != nil {
		return ex.r.RemoteAddr
	}
	return host
}

func userAgent(ctx context.Context) string {
	if ex := exchangeFrom(ctx); ex != nil {
		return ex.r.UserAgent()
	}
	return ""
}

// TokenFromRequest returns the bearer token, or the session cookie. fromCookie tells which, for CSRF.
func TokenFromRequest(r *http.Request) (token string, fromCookie bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t), false
		}
		return "", false
	}
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		return c.Value, true
	}
	return "", false
}
