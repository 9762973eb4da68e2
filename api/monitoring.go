package api

import (
	"net/http"

	"github.com/hibiken/asynqmon"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent/viewer"
)

// MonitoringPath is where asynqmon shows the job queues.
const MonitoringPath = "/monitoring"

// Monitoring is asynqmon, read-only, on the app's own Redis client, for platform admins only (mount it
// under MonitoringPath+"/" through Deps.Mounts, which signs the caller in first).
func Monitoring(rdb *redis.Client) http.Handler {
	h := asynqmon.New(asynqmon.Options{RootPath: MonitoringPath, RedisConnOpt: sharedRedis{rdb}, ReadOnly: true})
	return platformOnly(h)
}

// sharedRedis hands asynqmon the app's client instead of a connection of its own.
type sharedRedis struct{ rdb *redis.Client }

func (s sharedRedis) MakeRedisClient() any { return s.rdb }

// platformOnly refuses everyone but platform admins: the queues span every tenant.
func platformOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer.FromContext(r.Context())
		switch {
		case v == nil:
			writeGraphQLError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "sign in first")
		case !v.Platform():
			writeGraphQLError(w, http.StatusForbidden, "FORBIDDEN", "the job monitor is for platform admins")
		default:
			h.ServeHTTP(w, r)
		}
	})
}
