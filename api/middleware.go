package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"regexp"
	"time"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent/viewer"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes a sane X-Request-ID from the client or makes one; it reaches logs and the audit log.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID.MatchString(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(viewer.WithRequestID(r.Context(), id)))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

// Unwrap lets http.ResponseController (websocket hijacking, flushing) reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		slog.Debug("http", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"ms", time.Since(start).Milliseconds(), "request_id", viewer.RequestID(r.Context()))
	})
}

func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				slog.Error("panic", "panic", p, "request_id", viewer.RequestID(r.Context()))
				writeGraphQLError(w, http.StatusInternalServerError, "INTERNAL", "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies; multipart uploads get the larger upload limit.
func limitBody(l Limits, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := l.MaxBodyBytes
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
			limit = l.MaxUploadBytes
		}
		if r.ContentLength > limit {
			writeGraphQLError(w, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", "request body too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

type cookieAuthKey struct{}

// authenticate puts the viewer for the bearer token or session cookie into the context. A bad bearer
// token is refused (the client must know); a stale cookie is dropped so the console can show its login.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		token, fromCookie := auth.TokenFromRequest(r)
		sessionID := 0
		if token != "" {
			v, sid, err := s.deps.Auth.Authenticate(ctx, token)
			switch {
			case err == nil:
				v.RequestID = viewer.RequestID(ctx)
				ctx, sessionID = viewer.NewContext(ctx, v), sid
				if fromCookie {
					ctx = contextWithCookieAuth(ctx)
				}
			case fromCookie && errors.Is(err, auth.ErrUnauthenticated):
				http.SetCookie(w, &http.Cookie{Name: auth.CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
			case errors.Is(err, auth.ErrUnauthenticated):
				writeGraphQLError(w, http.StatusUnauthorized, "UNAUTHENTICATED", err.Error())
				return
			default:
				slog.ErrorContext(ctx, "authentication failed", "err", err, "request_id", viewer.RequestID(ctx))
				writeGraphQLError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "authentication is unavailable, try again")
				return
			}
		} else if r.Header.Get("Authorization") != "" {
			writeGraphQLError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "use 'Authorization: Bearer <token>'")
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithExchange(ctx, w, r, sessionID)))
	})
}

// csrf: a browser sends cookies cross-site, but cannot send a JSON body or a custom header without a CORS
// preflight (which we never grant). So cookie-authenticated POSTs must be JSON or carry X-CSRF-Token.
func csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.Context().Value(cookieAuthKey{}) != nil {
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if mt != "application/json" && r.Header.Get("X-CSRF-Token") == "" && r.Header.Get("X-Requested-With") == "" {
				writeGraphQLError(w, http.StatusForbidden, "CSRF",
					"cookie-authenticated requests must be application/json or carry an X-CSRF-Token header")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func contextWithCookieAuth(ctx context.Context) context.Context {
	return context.WithValue(ctx, cookieAuthKey{}, true)
}
