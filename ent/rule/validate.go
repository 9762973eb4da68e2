package rule

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/hook"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
)

// ValidateSettings: a tenant's check sessions are known sessions, each once, and its chase ladders are
// well formed. Ent validates scalar fields itself but not the items of a list.
func ValidateSettings() ent.Hook {
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
			if ladder, ok := m.ChaseLadder(); ok {
				if err := validLadder("chaseLadder", ladder); err != nil {
					return nil, err
				}
			}
			if err := ladderFitsTenant(ctx, m); err != nil {
				return nil, err
			}
			if byKind, ok := m.KindLadders(); ok {
				for i, kl := range byKind {
					at := fmt.Sprintf("kindLadders[%d]", i)
					if tenant.KindValidator(tenant.Kind(kl.Kind)) != nil || tenant.Kind(kl.Kind) == tenant.KindDistrict {
						return nil, types.Invalid(at+".kind", "%q is not a kind of institution", kl.Kind)
					}
					if err := validLadder(at+".steps", kl.Steps); err != nil {
						return nil, err
					}
				}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}

// DistrictAudience is the chase audience above the school: its district's admins.
const DistrictAudience = "district_admin"

// NoDistrict: t is an institution with no district above it (no parent). Its chain of responsibility ends
// with its principal (the first responsible person, DOMAIN.md §1.2): a chase step has nobody to tell at the
// district, so its ladder has no district rung and a ladder naming the district is refused.
func NoDistrict(t *ent.Tenant) bool { return t.Kind != tenant.KindDistrict && t.ParentID == nil }

// ladderFitsTenant: ladders per kind of institution are a district's, and a school without a district names
// no district step (there is nobody to tell). A hook after the settings' privacy policy (their first), so a
// caller who may not change the row is refused as such before being told what is wrong with its ladder.
func ladderFitsTenant(ctx context.Context, m *ent.CheckSettingMutation) error {
	ladder, _ := m.ChaseLadder()
	_, byKind := m.KindLadders()
	district := slices.IndexFunc(ladder, func(st types.ChaseStep) bool { return slices.Contains(st.Notify, DistrictAudience) })
	if m.Op().Is(ent.OpUpdate) || (!byKind && district < 0) {
		return nil // a bulk update sets no ladder; nothing here depends on the tenant
	}
	tid, ok := m.TenantID()
	if !ok {
		var err error
		if tid, err = m.OldTenantID(ctx); err != nil {
			return err
		}
	}
	t, err := m.Client().Tenant.Get(bypass(ctx), tid)
	switch {
	case err != nil:
		return err
	case byKind && t.Kind != tenant.KindDistrict:
		return types.Invalid("kind", "only a district sets ladders per kind of institution")
	case district >= 0 && NoDistrict(t):
		return types.Invalid(fmt.Sprintf("chaseLadder[%d].notify", district), "%s has no district to tell: name the school's own people", t.Name)
	}
	return nil
}

// validLadder: one to eight steps, strictly later one after the other, from two hours before the
// deadline to four hours after, each telling someone of the responsibility chain.
func validLadder(field string, ladder []types.ChaseStep) error {
	if len(ladder) > 8 {
		return types.Invalid(field, "at most 8 steps")
	}
	for i, st := range ladder {
		at := fmt.Sprintf("%s[%d]", field, i)
		if st.OffsetMinutes < -120 || st.OffsetMinutes > 240 {
			return types.Invalid(at+".offsetMinutes", "between -120 and 240 minutes from the deadline")
		}
		if i > 0 && st.OffsetMinutes <= ladder[i-1].OffsetMinutes {
			return types.Invalid(at+".offsetMinutes", "each step comes after the one before")
		}
		if len(st.Notify) == 0 {
			return types.Invalid(at+".notify", "name who is told")
		}
		for _, a := range st.Notify {
			if !slices.Contains(types.ChaseAudiences, a) {
				return types.Invalid(at+".notify", "unknown audience %q (%v)", a, types.ChaseAudiences)
			}
		}
	}
	return nil
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

// ValidateExportTemplate: a template has columns, each a column of its sheet (Source) or fixed text, under
// a header of its own that no other column of the template has. Each error names the column at fault
// (columns[2].source), and nothing is written.
func ValidateExportTemplate() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.ExportTemplateFunc(func(ctx context.Context, m *ent.ExportTemplateMutation) (ent.Value, error) {
			columns, set := m.Columns()
			if !set {
				if m.Op().Is(ent.OpCreate) {
					return nil, types.Invalid("columns", "name at least one column")
				}
				return next.Mutate(ctx, m)
			}
			sheet, ok := m.Sheet()
			if !ok {
				old, err := m.OldSheet(ctx)
				if err != nil {
					return nil, err
				}
				sheet = old
			}
			if err := validColumns(string(sheet), columns); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

func validColumns(sheet string, columns []types.ExportColumn) error {
	if len(columns) == 0 || len(columns) > types.MaxExportColumns {
		return types.Invalid("columns", "name between 1 and %d columns", types.MaxExportColumns)
	}
	sources := types.SheetColumns[sheet]
	for i, c := range columns {
		at := fmt.Sprintf("columns[%d]", i)
		switch {
		case strings.TrimSpace(c.Header) == "":
			return types.Invalid(at+".header", "give the column a header")
		case utf8.RuneCountInString(c.Header) > types.MaxExportHeaderChars:
			return types.Invalid(at+".header", "at most %d characters", types.MaxExportHeaderChars)
		case slices.ContainsFunc(columns[:i], func(o types.ExportColumn) bool { return o.Header == c.Header }):
			return types.Invalid(at+".header", "%q is the header of an earlier column too", c.Header)
		case c.Source != "" && c.Value != "":
			return types.Invalid(at+".value", "a column shows either a sheet's column (source) or fixed text (value), not both")
		case c.Source != "" && !slices.Contains(sources, c.Source):
			return types.Invalid(at+".source", "the %s sheet has no column %q (it has %s)", sheet, c.Source, strings.Join(sources, "、"))
		case utf8.RuneCountInString(c.Value) > types.MaxExportValueChars:
			return types.Invalid(at+".value", "at most %d characters", types.MaxExportValueChars)
		}
	}
	return nil
}

// OnePerson: a stay in the observation room is a pupil's, with her class, or a staff member's; never both,
// never neither. Its person never changes (the columns are immutable), so only a create is checked.
func OnePerson() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.ObservationStayFunc(func(ctx context.Context, m *ent.ObservationStayMutation) (ent.Value, error) {
			_, pupil := m.StudentID()
			_, class := m.ClassID()
			_, staff := m.StaffID()
			switch {
			case pupil == staff:
				return nil, types.Invalid("studentID", "name a pupil or a staff member")
			case pupil && !class:
				return nil, types.Invalid("classID", "a pupil's stay names her class")
			case staff && class:
				return nil, types.Invalid("classID", "a staff member's stay has no class")
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate)
}
