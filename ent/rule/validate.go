package rule

import (
	"context"
	"slices"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/hook"
	"github.com/campushealth/campushealth/ent/types"
)

// ValidateSessions: a tenant's check sessions are known sessions, each once. Ent validates scalar
// fields itself but not the items of a list.
func ValidateSessions() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.CheckSettingFunc(func(ctx context.Context, m *ent.CheckSettingMutation) (ent.Value, error) {
			sessions, set := m.Sessions()
			if extra, _ := m.AppendedSessions(); len(extra) > 0 {
				if !set && m.Op().Is(ent.OpUpdateOne) {
					old, err := m.OldSessions(ctx)
					if err != nil {
						return nil, err
					}
					sessions = old
				}
				sessions = append(slices.Clone(sessions), extra...)
			}
			for i, s := range sessions {
				if err := classcheck.SessionValidator(classcheck.Session(s)); err != nil {
					return nil, types.Invalid("sessions", "unknown session %q (morning, noon, evening, full_day)", s)
				}
				if slices.Contains(sessions[:i], s) {
					return nil, types.Invalid("sessions", "session %q is listed twice", s)
				}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}

// ValidateTermDates: a term ends on or after the day it starts.
func ValidateTermDates() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.TermFunc(func(ctx context.Context, m *ent.TermMutation) (ent.Value, error) {
			start, okStart := m.StartDate()
			end, okEnd := m.EndDate()
			if m.Op().Is(ent.OpUpdateOne) && okStart != okEnd {
				var err error
				if okStart {
					end, err = m.OldEndDate(ctx)
				} else {
					start, err = m.OldStartDate(ctx)
				}
				if err != nil {
					return nil, err
				}
				okStart, okEnd = true, true
			}
			if okStart && okEnd && end < start {
				return nil, types.Invalid("endDate", "the term ends (%s) before it starts (%s)", end, start)
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}
