package graph

import (
	"context"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/predicate"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/jobs/chase"
)

// loaders batch the reads of what a list's rows point at: a page of 50 alerts asking for the pupils they
// name reads them in one query, not one per alert, a board's hundreds of chase steps read how their
// messages went in two, and a week of daily reports their versions in one. gqlgen resolves a list's fields
// concurrently, so every row's Load arrives within the wait and joins one batch; one that arrives later
// starts the next batch, costing a query, never a wrong answer. A request has loaders of its own: what one
// caches was read with its viewer's rights, and never outlives it.
type loaders struct {
	students   *dataloadgen.Loader[int, *ent.Student]
	staff      *dataloadgen.Loader[int, *ent.Staff]
	deliveries *dataloadgen.Loader[int, []*chase.Delivery] // by notification
	versions   *dataloadgen.Loader[reportKey, []*ent.DailyReport]
}

// reportKey names the versions of one daily report.
type reportKey struct {
	tenantID int
	kind     dailyreport.Kind
	date     string
}

// batchWait is how long a loader waits for more keys once the first arrives: long enough for the goroutines
// of one list, short against a request.
const batchWait = time.Millisecond

type loadersKey struct{}

// newLoaders reads with the transaction of the request's mutation, if any, else with root. A batch runs
// with the context of its first Load: the request's, so its viewer's.
func newLoaders(root *ent.Client) *loaders {
	return &loaders{
		students: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int) (map[int]*ent.Student, error) {
			rows, err := clientOf(ctx, root).Student.Query().Where(student.IDIn(ids...)).All(ctx)
			return byID(rows, func(s *ent.Student) int { return s.ID }), err
		}, dataloadgen.WithWait(batchWait)),
		staff: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int) (map[int]*ent.Staff, error) {
			rows, err := clientOf(ctx, root).Staff.Query().Where(staff.IDIn(ids...)).All(ctx)
			return byID(rows, func(s *ent.Staff) int { return s.ID }), err
		}, dataloadgen.WithWait(batchWait)),
		deliveries: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int) (map[int][]*chase.Delivery, error) {
			return chase.Deliveries(ctx, clientOf(ctx, root), ids)
		}, dataloadgen.WithWait(batchWait)),
		versions: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []reportKey) (map[reportKey][]*ent.DailyReport, error) {
			match := make([]predicate.DailyReport, len(keys))
			for i, k := range keys {
				match[i] = dailyreport.And(dailyreport.TenantID(k.tenantID), dailyreport.KindEQ(k.kind), dailyreport.Date(k.date))
			}
			rows, err := clientOf(ctx, root).DailyReport.Query().Where(dailyreport.Or(match...)).
				Order(ent.Asc(dailyreport.FieldVersion)).All(ctx)
			out := map[reportKey][]*ent.DailyReport{}
			for _, r := range rows {
				k := reportKey{r.TenantID, r.Kind, r.Date}
				out[k] = append(out[k], r)
			}
			return out, err
		}, dataloadgen.WithWait(batchWait)),
	}
}

// loadersFrom are the request's loaders, or new ones for a caller outside a request (they batch nothing).
func loadersFrom(ctx context.Context, root *ent.Client) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(root)
}

// loadAll reads ids through l in their order. A person the viewer may not read, or no longer there, is left
// out (the mapped loader's ErrNotFound); any other error (privacy.Deny among them) is the read's.
func loadAll[T any](ctx context.Context, l *dataloadgen.Loader[int, T], ids []int) ([]T, error) {
	rows, err := l.LoadAll(ctx, ids)
	var errs dataloadgen.ErrorSlice
	if errors.As(err, &errs) {
		for _, e := range errs {
			if e != nil && !errors.Is(e, dataloadgen.ErrNotFound) {
				return nil, e
			}
		}
		err = nil
	}
	if err != nil {
		return nil, err
	}
	found := rows[:0]
	for i, row := range rows {
		if errs == nil || errs[i] == nil {
			found = append(found, row)
		}
	}
	return found, nil
}

func byID[T any](rows []T, id func(T) int) map[int]T {
	m := make(map[int]T, len(rows))
	for _, r := range rows {
		m[id(r)] = r
	}
	return m
}

// Loaders is the API's extension that gives each request its loaders.
type Loaders struct{ Client *ent.Client }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = Loaders{}

func (Loaders) ExtensionName() string                          { return "Loaders" }
func (Loaders) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l Loaders) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	return next(context.WithValue(ctx, loadersKey{}, newLoaders(l.Client)))
}
