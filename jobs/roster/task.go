package roster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TaskType is the asynq task that imports a large roster.
const TaskType = "roster:import"

// DefaultThreshold is the number of rows from which Start runs an import as a job.
const DefaultThreshold = 5000

// KeepFor is how long an uploaded file waits in Redis for a worker, and how long its progress stays
// readable after the last change.
const KeepFor = 24 * time.Hour

// maxStoredErrors bounds the row errors kept in the progress hash.
const maxStoredErrors = 1000

// Job states.
const (
	StateQueued  = "queued"
	StateRunning = "running"
	StateDone    = "done"   // written
	StateFailed  = "failed" // nothing written: see Errors (the file's rows) or Error (anything else)
)

// The uploaded file is kept in Redis, not on a local disk: API replicas and workers share Redis, not disks.
func progressKey(id string) string { return "roster:import:" + id }
func fileKey(id string) string     { return "roster:import:" + id + ":file" }

// Payload is the task's payload. The file itself is in Redis under the import's ID.
type Payload struct {
	ImportID  string `json:"import_id"`
	TenantID  int    `json:"tenant_id"`
	UserID    int    `json:"user_id,omitempty"`  // who asked: a user …
	TokenID   int    `json:"token_id,omitempty"` // … or an API token
	Filename  string `json:"filename"`
	RequestID string `json:"request_id,omitempty"` // of the upload, so the audit log links the job's changes to it
}

// NewTask builds the task. Its asynq task ID is the import's, so the same import is never queued twice.
func NewTask(p Payload, queue string) (*asynq.Task, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	if queue == "" {
		queue = "default"
	}
	return asynq.NewTask(TaskType, b,
		asynq.TaskID(progressKey(p.ImportID)), asynq.Queue(queue),
		asynq.MaxRetry(3), asynq.Timeout(30*time.Minute),
	), nil
}

// StartOptions tune Start.
type StartOptions struct {
	Threshold int    // rows from which the import is queued; 0 means DefaultThreshold
	Queue     string // asynq queue; "" means "default"
	Import    Options
}

// Start parses an uploaded roster and imports it as the viewer in ctx: inline when it has fewer rows than
// the threshold (the Result is returned), else as a job (its ID is returned; see Progress). A file-level
// problem is returned as an error (*types.InputError on "file"), row problems in the Result or the job's
// progress.
//
// The job runs as the same user or API token; a viewer that is neither (the system, the CLI) always
// imports inline.
func Start(ctx context.Context, client *ent.Client, rdb *redis.Client, aq *asynq.Client, tenantID int,
	filename string, data []byte, opts StartOptions) (importID string, sync *Result, err error) {
	v := viewer.FromContext(ctx)
	if v == nil || !v.Sees(tenantID) {
		return "", nil, privacy.Denyf("tenant %d is not yours", tenantID)
	}
	rows, err := Parse(filename, data)
	if err != nil {
		return "", nil, err
	}
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	if len(rows) < opts.Threshold || (v.UserID == 0 && v.TokenID == 0) {
		res, err := Import(ctx, client, tenantID, rows, opts.Import)
		return "", res, err
	}

	id := newID()
	p := Payload{ImportID: id, TenantID: tenantID, UserID: v.UserID, TokenID: v.TokenID, Filename: filename, RequestID: viewer.RequestID(ctx)}
	task, err := NewTask(p, opts.Queue)
	if err != nil {
		return "", nil, err
	}
	pipe := rdb.TxPipeline()
	pipe.Set(ctx, fileKey(id), data, KeepFor)
	pipe.HSet(ctx, progressKey(id), map[string]any{
		"state": StateQueued, "tenant_id": tenantID, "user_id": v.UserID, "token_id": v.TokenID,
		"filename": filename, "total": len(rows), "queued_at": stamp(opts.Import.now()),
	})
	pipe.Expire(ctx, progressKey(id), KeepFor)
	if _, err := pipe.Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("stash roster file: %w", err)
	}
	if _, err := aq.EnqueueContext(ctx, task); err != nil {
		rdb.Del(context.WithoutCancel(ctx), fileKey(id), progressKey(id))
		return "", nil, fmt.Errorf("enqueue roster import: %w", err)
	}
	return id, nil, nil
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Status is the progress of a queued import, for the console to poll.
type Status struct {
	ID        string     `json:"id"`
	State     string     `json:"state"`           // queued, running, done, failed
	Phase     string     `json:"phase,omitempty"` // validating, writing (while running)
	Filename  string     `json:"filename"`
	TenantID  int        `json:"tenantId"`
	Processed int        `json:"processed"` // rows written so far, of Total
	Result               // Total, the counts (final once done), and the first 1000 row errors
	ErrorRows int        `json:"errorRows"`       // all rows in error, when more than were kept
	Error     string     `json:"error,omitempty"` // what failed, when not the rows
	Attempt   int        `json:"attempt,omitempty"`
	QueuedAt  *time.Time `json:"queuedAt,omitempty"`
	StartedAt *time.Time `json:"startedAt,omitempty"`
	Finished  *time.Time `json:"finishedAt,omitempty"`
}

// ErrNotFound: no such import, it expired, or it belongs to a tenant the viewer does not see.
var ErrNotFound = errors.New("roster import not found")

// Progress returns the progress of import id to a viewer of its tenant.
func Progress(ctx context.Context, rdb *redis.Client, id string) (*Status, error) {
	if _, err := hex.DecodeString(id); err != nil || len(id) != 32 {
		return nil, ErrNotFound
	}
	h, err := rdb.HGetAll(ctx, progressKey(id)).Result()
	if err != nil {
		return nil, err
	}
	if len(h) == 0 {
		return nil, ErrNotFound
	}
	num := func(k string) int { n, _ := strconv.Atoi(h[k]); return n }
	at := func(k string) *time.Time {
		t, err := time.Parse(time.RFC3339, h[k])
		if err != nil {
			return nil
		}
		return &t
	}
	s := &Status{
		ID: id, State: h["state"], Phase: h["phase"], Filename: h["filename"], TenantID: num("tenant_id"),
		Processed: num("processed"), ErrorRows: num("error_rows"), Error: h["error"],
		Attempt: num("attempt"), QueuedAt: at("queued_at"), StartedAt: at("started_at"), Finished: at("finished_at"),
	}
	if !viewer.FromContext(ctx).Sees(s.TenantID) {
		return nil, ErrNotFound
	}
	s.Result = Result{
		Total: num("total"), Created: num("created"), Updated: num("updated"), Unchanged: num("unchanged"),
		GuardiansCreated: num("guardians_created"), GuardiansUpdated: num("guardians_updated"),
	}
	if e := h["errors"]; e != "" {
		if err := json.Unmarshal([]byte(e), &s.Errors); err != nil {
			return nil, fmt.Errorf("roster import %s: errors: %w", id, err)
		}
	}
	return s, nil
}

// Handler processes TaskType tasks.
type Handler struct {
	Client  *ent.Client
	Redis   *redis.Client
	Options Options // OnProgress, if set, is called after each progress update reaches Redis
}

// NewHandler returns the handler of roster imports.
func NewHandler(client *ent.Client, rdb *redis.Client) *Handler {
	return &Handler{Client: client, Redis: rdb}
}

// ProcessTask imports a queued roster as the user or token that uploaded it, in one transaction, writing
// progress to Redis as it goes.
//
// Delivery is at least once: a finished import (done or failed) is not run again, and one that was
// interrupted before committing left nothing behind and simply runs again. If a worker dies between the
// commit and recording "done", the rerun finds every student in place and reports them unchanged.
func (h *Handler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p Payload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ImportID == "" {
		return fmt.Errorf("roster import: bad payload: %v: %w", err, asynq.SkipRetry)
	}
	key := progressKey(p.ImportID)
	state, err := h.Redis.HGet(ctx, key, "state").Result()
	switch {
	case errors.Is(err, redis.Nil):
		return fmt.Errorf("roster import %s: progress expired: %w", p.ImportID, asynq.SkipRetry)
	case err != nil:
		return err
	case state == StateDone || state == StateFailed:
		return nil
	}
	// Whatever happens below, the outcome is recorded even if ctx has ended.
	record := func(fields map[string]any) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := h.setProgress(rctx, p.ImportID, fields); err != nil {
			slog.Error("roster import: record progress", "import", p.ImportID, "err", err)
		}
	}
	finish := func(state string, fields map[string]any) {
		fields["state"], fields["finished_at"] = state, stamp(h.Options.now())
		record(fields)
		h.Redis.Del(context.WithoutCancel(ctx), fileKey(p.ImportID))
	}
	// giveUp records a failure that retrying cannot fix.
	giveUp := func(err error) error {
		finish(StateFailed, map[string]any{"error": err.Error(), "created": 0, "updated": 0, "unchanged": 0,
			"guardians_created": 0, "guardians_updated": 0})
		return nil
	}
	retries, _ := asynq.GetRetryCount(ctx)
	record(map[string]any{"state": StateRunning, "phase": PhaseValidating, "attempt": retries + 1, "started_at": stamp(h.Options.now())})

	data, err := h.Redis.Get(ctx, fileKey(p.ImportID)).Bytes()
	if errors.Is(err, redis.Nil) {
		giveUp(errors.New("the uploaded file has expired; upload it again"))
		return fmt.Errorf("roster import %s: file expired: %w", p.ImportID, asynq.SkipRetry)
	}
	if err != nil {
		return h.retryOrFail(ctx, err, record, giveUp)
	}
	v, err := LoadViewer(ctx, h.Client, p.UserID, p.TokenID, h.Options.now())
	if errors.Is(err, ErrActorGone) {
		return giveUp(err)
	}
	if err != nil {
		return h.retryOrFail(ctx, err, record, giveUp)
	}
	v.RequestID = p.RequestID
	ctx = viewer.NewContext(ctx, v)

	rows, err := Parse(p.Filename, data)
	if err != nil {
		return giveUp(err)
	}
	opts := h.Options
	opts.OnProgress = func(phase string, n int, r Result) {
		record(map[string]any{"phase": phase, "processed": n, "created": r.Created, "updated": r.Updated,
			"unchanged": r.Unchanged, "guardians_created": r.GuardiansCreated, "guardians_updated": r.GuardiansUpdated})
		if h.Options.OnProgress != nil {
			h.Options.OnProgress(phase, n, r) // after Redis has it
		}
	}
	res, err := Import(ctx, h.Client, p.TenantID, rows, opts)
	switch {
	case errors.Is(err, privacy.Deny):
		return giveUp(fmt.Errorf("not permitted: %w", err))
	case err != nil:
		return h.retryOrFail(ctx, err, record, giveUp)
	case len(res.Errors) > 0:
		kept, _ := json.Marshal(res.Errors[:min(len(res.Errors), maxStoredErrors)])
		finish(StateFailed, map[string]any{"errors": string(kept), "error_rows": countLines(res.Errors),
			"error":     fmt.Sprintf("%d rows have errors; nothing was imported", countLines(res.Errors)),
			"processed": 0, "created": 0, "updated": 0, "unchanged": 0, "guardians_created": 0, "guardians_updated": 0})
		return nil
	}
	finish(StateDone, map[string]any{"error": "", "processed": res.Total, "created": res.Created, "updated": res.Updated,
		"unchanged": res.Unchanged, "guardians_created": res.GuardiansCreated, "guardians_updated": res.GuardiansUpdated})
	return nil
}

// retryOrFail hands a transient error (database, Redis, deadline) back to asynq for a retry, or records
// the failure when this was the last attempt. Nothing was committed: the transaction rolled back.
func (h *Handler) retryOrFail(ctx context.Context, err error, record func(map[string]any), giveUp func(error) error) error {
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	if !ok || retried >= maxRetry {
		giveUp(err)
		return err
	}
	record(map[string]any{"state": StateQueued, "error": fmt.Sprintf("attempt %d failed, will retry: %v", retried+1, err),
		"processed": 0, "created": 0, "updated": 0, "unchanged": 0, "guardians_created": 0, "guardians_updated": 0})
	return err
}

func (h *Handler) setProgress(ctx context.Context, id string, fields map[string]any) error {
	pipe := h.Redis.TxPipeline()
	pipe.HSet(ctx, progressKey(id), fields)
	pipe.Expire(ctx, progressKey(id), KeepFor)
	_, err := pipe.Exec(ctx)
	return err
}

// countLines counts the rows in error (a row may have several errors).
func countLines(errs []RowError) int {
	n, last := 0, -1
	for _, e := range errs {
		if e.Line != last {
			n, last = n+1, e.Line
		}
	}
	return n
}
