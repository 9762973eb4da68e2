package schema

import (
	"context"

	"entgo.io/ent"

	"github.com/campushealth/campushealth/ent/types"
)

// wellFormed refuses, on every write whatever its source (the API, a roster file, a job), what the fields'
// types let through but the two databases would not store alike: text holding a NUL character, which
// PostgreSQL refuses (in text and in jsonb) and SQLite stores; and an optional field both set and cleared in
// one update, which PostgreSQL refuses ("multiple assignments to the same column") and SQLite settles by
// whichever came last. Either is the writer's mistake, named by the field, and nothing is written.
func wellFormed() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			for _, name := range m.Fields() {
				v, _ := m.Field(name)
				if types.HoldsNUL(v) {
					return nil, types.Invalid(types.APIField(name), "text may not contain a NUL character (\\u0000)")
				}
			}
			for _, name := range m.ClearedFields() {
				if _, set := m.Field(name); set {
					return nil, types.Invalid(types.APIField(name), "both set and cleared in one update: send one or the other")
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}
