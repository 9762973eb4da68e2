// Command campushealth is the whole product in one binary: the GraphQL API and console, the background
// worker, the scheduler, migrations and admin tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/campushealth/campushealth/api"
	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/console"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/authzstore"
	"github.com/campushealth/campushealth/ent/database"
	_ "github.com/campushealth/campushealth/ent/runtime" // privacy policies and hooks
	"github.com/campushealth/campushealth/ent/seed"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs"
	"github.com/campushealth/campushealth/jobs/notify"
	"github.com/campushealth/campushealth/jobs/roster"
)

const usage = `campushealth — school epidemic-prevention reporting

Usage:
  campushealth serve      [flags]   GraphQL API + console (+ worker and scheduler unless --no-worker/--no-scheduler)
  campushealth worker     [flags]   background task worker
  campushealth scheduler  [flags]   periodic task scheduler (run one; duplicates are harmless)
  campushealth migrate    [flags]   apply database migrations and exit
  campushealth admin create-platform-admin --login L --name N   (password from CAMPUSHEALTH_ADMIN_PASSWORD, or generated)
  campushealth admin import-roster --tenant ID FILE             import students and guardians (CSV or XLSX), all or nothing

Configuration comes from the environment (see README), flags override it.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	// A request allocates many short-lived objects: collecting half as often costs a few MB and buys ~8 %
	// more submissions a second on 2 cores (make bench runs with the same setting). GOGC, when set, wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "serve":
		err = serve(ctx, args)
	case "worker":
		err = worker(ctx, args)
	case "scheduler":
		err = scheduler(ctx, args)
	case "migrate":
		err = migrate(ctx, args)
	case "admin":
		err = admin(ctx, args)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		slog.Error(err.Error())
		os.Exit(1)
	}
}

// settings are the environment-backed options shared by all commands.
type settings struct {
	databaseURL, redisURL, dataDir, addr string
}

func commonFlags(name string) (*flag.FlagSet, *settings) {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	s := &settings{}
	fs.StringVar(&s.databaseURL, "database-url", os.Getenv("DATABASE_URL"), "postgres://… for PostgreSQL; empty for SQLite under --data-dir")
	fs.StringVar(&s.redisURL, "redis-url", os.Getenv("REDIS_URL"), "redis://…; empty for an embedded in-process Redis")
	fs.StringVar(&s.dataDir, "data-dir", envOr("DATA_DIR", "./data"), "where the embedded SQLite database lives")
	fs.StringVar(&s.addr, "addr", envOr("ADDR", "127.0.0.1:8080"), "HTTP listen address")
	setupLogging()
	return fs, s
}

func serve(ctx context.Context, args []string) error {
	fs, s := commonFlags("serve")
	noWorker := fs.Bool("no-worker", envBool("NO_WORKER", false), "do not run the worker in this process")
	noScheduler := fs.Bool("no-scheduler", envBool("NO_SCHEDULER", false), "do not run the scheduler in this process")
	demo := fs.Bool("demo", envBool("DEMO", false), "seed a demo district (idempotent) and print its logins")
	metricsAddr := metricsFlag(fs)
	_ = fs.Parse(args)

	db, err := database.Open(ctx, s.databaseURL, s.dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	rdb, closeRedis, err := jobs.ConnectRedis(ctx, s.redisURL)
	if err != nil {
		return err
	}
	defer closeRedis()
	// Replicas tell each other when an institution's organisation tree (and so its permissions) changed.
	if err := authzstore.Sync(ctx, rdb, db.Client); err != nil {
		return err
	}

	var logins []seed.Login
	if *demo {
		if logins, err = seed.Demo(ctx, db.Client, auth.HashPassword); err != nil {
			return fmt.Errorf("demo seed: %w", err)
		}
	}
	cfg := api.Config{
		Addr:           s.addr,
		GraphiQL:       envBool("GRAPHIQL", true),
		Introspection:  envBool("INTROSPECTION", true),
		SecureCookies:  envBool("COOKIE_SECURE", false),
		SessionTTL:     envDuration("SESSION_TTL", 12*time.Hour),
		AllowedOrigins: envList("ALLOWED_ORIGINS"),
		Limits: api.Limits{
			MaxDepth:      envInt("GRAPHQL_MAX_DEPTH", 10),
			MaxComplexity: envInt("GRAPHQL_MAX_COMPLEXITY", 5000),
			DefaultPage:   envInt("GRAPHQL_DEFAULT_PAGE", 50),
			MaxPage:       envInt("GRAPHQL_MAX_PAGE", 500),
		},
	}
	authn := &auth.Service{
		Client: db.Client, SessionTTL: cfg.SessionTTL, SecureCookie: cfg.SecureCookies,
		Limit: &auth.RateLimit{
			Redis:      rdb,
			PerAccount: envInt("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
			PerIP:      envInt("LOGIN_MAX_FAILURES_PER_IP", 50),
			Window:     envDuration("LOGIN_FAILURE_WINDOW", 15*time.Minute),
		},
	}
	queue := asynq.NewClientFromRedisClient(rdb)
	notifier, err := newNotifier(db.Client, rdb)
	if err != nil {
		return err
	}
	srv := api.New(cfg, api.Deps{
		Client: db.Client,
		Auth:   authn,
		Redis:  rdb,
		Queue:  queue,
		Notify: notifier,
		Checks: []api.Check{
			{Name: "database", Ping: db.Ping},
			{Name: "redis", Ping: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }},
		},
		Console: console.Handler(),
		Mounts:  map[string]http.Handler{api.MonitoringPath + "/": api.Monitoring(rdb)},
	})

	g, ctx := errgroup.WithContext(ctx)
	if !*noWorker {
		w := jobs.NewWorker(rdb, envInt("WORKER_CONCURRENCY", 10))
		w.HandleRosterImport(db.Client, rdb)
		handleScheduled(w, db.Client, queue, notifier)
		w.HandleNotify(notifier)
		g.Go(func() error { return w.Run(ctx) })
	}
	if !*noScheduler {
		sch := jobs.NewScheduler(rdb)
		if err := sch.RegisterDispatcher(); err != nil {
			return err
		}
		if err := sch.ScheduleNotifySweep(); err != nil {
			return err
		}
		g.Go(func() error { return sch.Run(ctx) })
	}
	g.Go(func() error { return notifier.Hub().Run(ctx) })
	startMetrics(ctx, g, *metricsAddr, db)
	g.Go(func() error {
		return srv.ListenAndServe(ctx, func(addr string) {
			slog.Info("Campus Health is running", "url", "http://"+addr+"/", "graphql", "http://"+addr+"/graphql",
				"database", db.Dialect, "worker", !*noWorker, "scheduler", !*noScheduler)
			printLogins(addr, logins)
		})
	})
	return g.Wait()
}

func printLogins(addr string, logins []seed.Login) {
	if len(logins) == 0 {
		return
	}
	fmt.Printf("\n  Campus Health demo: open http://%s/  (GraphiQL at http://%s/graphql)\n", addr, addr)
	fmt.Printf("  Every demo account's password is %q.\n\n", seed.DemoPassword)
	for _, l := range logins {
		fmt.Printf("    %-20s %-28s %s\n", l.Login, l.Role, l.Tenant)
	}
	fmt.Println()
}

func worker(ctx context.Context, args []string) error {
	fs, s := commonFlags("worker")
	concurrency := fs.Int("concurrency", envInt("WORKER_CONCURRENCY", 10), "tasks processed at once")
	metricsAddr := metricsFlag(fs)
	_ = fs.Parse(args)
	rdb, closeRedis, err := sharedRedis(ctx, "worker", s.redisURL)
	if err != nil {
		return err
	}
	defer closeRedis()
	db, err := database.Open(ctx, s.databaseURL, s.dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := authzstore.Sync(ctx, rdb, db.Client); err != nil {
		return err
	}
	notifier, err := newNotifier(db.Client, rdb)
	if err != nil {
		return err
	}
	w := jobs.NewWorker(rdb, *concurrency)
	w.HandleRosterImport(db.Client, rdb)
	handleScheduled(w, db.Client, asynq.NewClientFromRedisClient(rdb), notifier)
	w.HandleNotify(notifier)
	g, ctx := errgroup.WithContext(ctx)
	startMetrics(ctx, g, *metricsAddr, db)
	g.Go(func() error { return w.Run(ctx) })
	return g.Wait()
}

// metricsFlag is where a serving process exposes its metrics; none by default.
func metricsFlag(fs *flag.FlagSet) *string {
	return fs.String("metrics-addr", os.Getenv("METRICS_ADDR"),
		"serve Prometheus metrics at http://ADDR/metrics (a private address: 127.0.0.1:9090, or the pod's); empty: none")
}

// startMetrics serves the process's metrics, its database pool's among them, on addr when it is set.
func startMetrics(ctx context.Context, g *errgroup.Group, addr string, db *database.DB) {
	if addr == "" {
		return
	}
	prometheus.MustRegister(collectors.NewDBStatsCollector(db.SQL, "campushealth"))
	g.Go(func() error { return api.ServeMetrics(ctx, addr) })
}

// handleScheduled wires the scheduled work into a worker: the dispatcher's ticks with the finders registered
// (compile, chase, alerts, observation-room reminders, the nightly erasure of what is kept too long) and the
// tasks they find.
func handleScheduled(w *jobs.Worker, client *ent.Client, queue *asynq.Client, notifier *notify.Service) {
	compiler := &jobs.Compiler{Client: client, Queue: queue, Notify: notifier}
	chaser := &jobs.Chaser{Client: client, Notify: notifier}
	announcer := &jobs.Announcer{Client: client, Notify: notifier}
	stays := &jobs.StayReminder{Client: client, Notify: notifier}
	retention := &jobs.Retention{Client: client}
	d := jobs.NewDispatcher(queue, nil)
	d.Register("compile", compiler.Due)
	d.Register("chase", chaser.Due)
	d.Register("alerts", announcer.Due)
	d.Register("stays", stays.Due)
	d.Register("retention", retention.Due)
	w.HandleDispatch(d)
	w.HandleCompile(compiler)
	w.HandleChase(chaser)
	w.HandleAlerts(announcer)
	w.HandleStays(stays)
	w.HandleRetention(retention)
}

// sharedRedis connects a standalone worker or scheduler, which must share Redis with the API.
func sharedRedis(ctx context.Context, cmd, url string) (*redis.Client, func(), error) {
	if url == "" {
		return nil, nil, fmt.Errorf("%s needs REDIS_URL: an embedded Redis would be private to this process", cmd)
	}
	return jobs.ConnectRedis(ctx, url)
}

func scheduler(ctx context.Context, args []string) error {
	fs, s := commonFlags("scheduler")
	_ = fs.Parse(args)
	rdb, closeRedis, err := sharedRedis(ctx, "scheduler", s.redisURL)
	if err != nil {
		return err
	}
	defer closeRedis()
	sch := jobs.NewScheduler(rdb)
	if err := sch.RegisterDispatcher(); err != nil {
		return err
	}
	if err := sch.ScheduleNotifySweep(); err != nil {
		return err
	}
	return sch.Run(ctx)
}

// newNotifier builds the notification service from the environment (SMTP_*; SMS goes to the log).
func newNotifier(client *ent.Client, rdb *redis.Client) (*notify.Service, error) {
	return notify.New(client, rdb, notify.Options{SMTP: notify.SMTPFromEnv()})
}

func migrate(ctx context.Context, args []string) error {
	fs, s := commonFlags("migrate")
	_ = fs.Parse(args)
	db, err := database.Open(ctx, s.databaseURL, s.dataDir) // Open applies the migrations
	if err != nil {
		return err
	}
	slog.Info("database is up to date", "dialect", db.Dialect)
	return db.Close()
}

func admin(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "create-platform-admin":
			return createPlatformAdmin(ctx, args[1:])
		case "import-roster":
			return importRoster(ctx, args[1:])
		}
	}
	return errors.New("usage: campushealth admin create-platform-admin --login L --name N | import-roster --tenant ID FILE")
}

func createPlatformAdmin(ctx context.Context, args []string) error {
	fs, s := commonFlags("admin create-platform-admin")
	login := fs.String("login", "", "login of the new platform admin")
	name := fs.String("name", "Platform admin", "display name")
	_ = fs.Parse(args)
	if *login == "" {
		return errors.New("--login is required")
	}
	password, generated := os.Getenv("CAMPUSHEALTH_ADMIN_PASSWORD"), false
	if password == "" {
		password, generated = auth.GeneratePassword(), true
	} else if err := auth.CheckPasswordStrength("CAMPUSHEALTH_ADMIN_PASSWORD", password, *login); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	db, err := database.Open(ctx, s.databaseURL, s.dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = viewer.NewContext(ctx, viewer.System("cli"))
	u, err := db.Client.User.Create().SetLogin(strings.ToLower(*login)).SetDisplayName(*name).
		SetRole(authz.PlatformAdmin).SetPasswordHash(hash).SetMustChangePassword(generated).Save(ctx)
	if err != nil {
		return fmt.Errorf("create platform admin: %w", err)
	}
	fmt.Printf("created platform admin %s (id %d)\n", u.Login, u.ID)
	if generated {
		fmt.Printf("initial password (change it at first sign-in): %s\n", password)
	}
	return nil
}

// importRoster imports a CSV or XLSX roster into an institution, all or nothing, as the platform itself.
func importRoster(ctx context.Context, args []string) error {
	fs, s := commonFlags("admin import-roster")
	tenantID := fs.Int("tenant", 0, "ID of the institution")
	_ = fs.Parse(args)
	if *tenantID == 0 || fs.NArg() != 1 {
		return errors.New("usage: campushealth admin import-roster --tenant ID FILE.csv|FILE.xlsx")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	db, err := database.Open(ctx, s.databaseURL, s.dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = viewer.NewContext(ctx, viewer.System("cli"))
	_, res, err := roster.Start(ctx, db.Client, nil, nil, *tenantID, filepath.Base(fs.Arg(0)), data, roster.StartOptions{})
	if err != nil {
		return err
	}
	for _, e := range res.Errors {
		fmt.Println(e.String())
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("%d rows in error: nothing was imported", len(res.Errors))
	}
	fmt.Printf("imported %d students: %d new, %d updated, %d unchanged; guardians %d new, %d updated\n",
		res.Total, res.Created, res.Updated, res.Unchanged, res.GuardiansCreated, res.GuardiansUpdated)
	return nil
}

func setupLogging() {
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(envOr("LOG_LEVEL", "info")))
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(key string, def bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(key)); err == nil {
		return b
	}
	return def
}

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return def
}

func envList(key string) []string {
	var out []string
	for _, s := range strings.Split(os.Getenv(key), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
