package graph

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/vikstrous/dataloadgen"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/audit"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/graph/model"
	"github.com/campushealth/campushealth/jobs/notify"
)

// Resolver holds what resolvers need. Authorization is not here: it lives in ent privacy and Casbin.
type Resolver struct {
	Client *ent.Client
	Auth   *auth.Service
	Redis  *redis.Client // roster files and import progress
	Queue  *asynq.Client // background jobs
	Notify *notify.Service
	// Reports recompiles a school's daily report when a check or exemption arrives after it was compiled.
	Reports interface {
		Recompile(ctx context.Context, tenantID int, date string, sourceID int)
	}
}

// submitting asks a submission (or a report upward) to recompile the school's daily report when it is
// already compiled (a late or corrected report amends it).
func (r *Resolver) submitting(ctx context.Context) context.Context {
	if r.Reports == nil {
		return ctx
	}
	return checks.OnCompiledReport(ctx, r.Reports.Recompile)
}

// client is the mutation's transaction (entgql.Transactioner) or, for queries, the root client.
func (r *Resolver) client(ctx context.Context) *ent.Client { return clientOf(ctx, r.Client) }

// clientOf is the transaction of ctx's mutation, else root.
func clientOf(ctx context.Context, root *ent.Client) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return root
}

// now is the clock that assignments are judged by: the auth service's, which decides on every request which
// assignments are valid (tests move it), so that "from now" and "until now" mean the same instant to both.
func (r *Resolver) now() time.Time {
	if r.Auth != nil && r.Auth.Now != nil {
		return r.Auth.Now()
	}
	return time.Now()
}

// deref is the value of an optional input, or its zero value.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// tenantOrOwn is the institution an argument names, or the caller's own when it names none.
func tenantOrOwn(ctx context.Context, tenantID *int) int {
	if tenantID != nil {
		return *tenantID
	}
	return viewer.FromContext(ctx).TenantID
}

// nonZero is an optional ID: nil for 0 (unset).
func nonZero(id int) *int {
	if id == 0 {
		return nil
	}
	return &id
}

// boardScope is the checks.Scope an input names (0 for the IDs left out).
func boardScope(in model.BoardScopeInput) checks.Scope {
	return checks.Scope{ClassID: deref(in.ClassID), GradeID: deref(in.GradeID), TenantID: deref(in.TenantID), DistrictID: deref(in.DistrictID)}
}

// pointers is a slice of pointers to s's elements, as gqlgen wants lists of objects.
func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// auditedAlertRead returns the people behind a health alert (pupils, or staff for staff illness): a
// district's or the platform's read of them is audited, with the request's other reads when the API
// collects them, else on its own.
func (r *alertResolver) auditedAlertRead(ctx context.Context, obj *ent.Alert, ids []int) ([]int, error) {
	if len(ids) == 0 || !audit.ReadIsAudited(viewer.FromContext(ctx)) {
		return ids, nil
	}
	tenantID := obj.TenantID
	if tenantID == 0 { // not among the columns the query selected
		id, err := r.Client.Alert.Query().Where(alert.ID(obj.ID)).Select(alert.FieldTenantID).Int(privacy.DecisionContext(ctx, privacy.Allow))
		if err != nil {
			return nil, err
		}
		tenantID = id
	}
	if !audit.NoteRead(ctx, "Alert", tenantID, obj.ID) {
		if err := audit.RecordRead(ctx, r.Client, "Alert", tenantID, obj.ID); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// alertPeople answers for the people an alert names (ids), read through the request's loader l with the
// caller's rights: in the alert's order, none for a caller who may read none of them (a district reads no
// pupil's name: DOMAIN.md §6.14), and a district's read of any audited (auditedAlertRead).
func alertPeople[T any](ctx context.Context, r *alertResolver, obj *ent.Alert, ids []int, l *dataloadgen.Loader[int, T]) ([]T, error) {
	if len(ids) == 0 {
		return []T{}, nil // a staff alert names no pupil, a pupils' alert no staff: nothing to read
	}
	rows, err := loadAll(ctx, l, ids)
	switch {
	case errors.Is(err, privacy.Deny):
		return []T{}, nil
	case err != nil:
		return nil, err
	case len(rows) > 0:
		if _, err := r.auditedAlertRead(ctx, obj, ids); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// exportColumns are a template's columns as typed, trimmed (a header with a stray space is the same header).
func exportColumns(in []*types.ExportColumn) []types.ExportColumn {
	out := make([]types.ExportColumn, len(in))
	for i, c := range in {
		out[i] = types.ExportColumn{Source: strings.TrimSpace(c.Source), Header: strings.TrimSpace(c.Header), Value: c.Value}
	}
	return out
}

// followUpChange is a follow-up step as the input gives it, a pupil's or a staff member's.
func followUpChange(in model.FollowUpChangeInput) checks.FollowUpChange {
	return checks.FollowUpChange{Outcome: in.Outcome, Diagnosis: deref(in.Diagnosis), SymptomsEndedAt: in.SymptomsEndedAt, Note: deref(in.Note)}
}
