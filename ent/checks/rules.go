package checks

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checksetting"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/rule"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
)

// Rules are the settings in force for an institution: the built-in defaults (DOMAIN.md §4), overridden
// by its district's CheckSetting, overridden by its own.
type Rules struct {
	Location *time.Location
	// The checks of a school day, in order. classcheck.Session, not the alias Session, in the types
	// GraphQL reads: gqlgen names an alias's type by whichever spelling it meets first, which varies.
	Sessions       []classcheck.Session
	Deadlines      map[Session]string // local "15:04"
	FeverThreshold float64            // °C: at or above it is fever, or only above it with FeverAbove
	FeverAbove     bool               // the threshold itself passes (DOMAIN.md §4: "37.3 itself passes")
	// RequireRecheck: a fever reading is re-read with a mercury thermometer (after 5 minutes) before the
	// check is sent, and the re-check decides (DOMAIN.md §4, re-check).
	RequireRecheck bool
	// Clusters: ClusterDay similar cases in a class on one day, or ClusterWindow within WindowDays school days.
	ClusterDay, ClusterWindow, WindowDays int
	// AbsenceRate is the percent of the school's attending pupils off sick (病假) on one day at which an
	// absence_rate alert opens (DOMAIN.md §3.9, optional absence rate); 0, the default, is off.
	AbsenceRate  float64
	ReportWithin time.Duration // ILI outbreak or notifiable disease → district
	StayLimit    time.Duration // in the observation room, before the room is reminded
	// ChaseCap is how many chase messages one person gets about one class in a day, at most (DOMAIN.md §4:
	// chase limits): later steps leave her out and tell the rest of the ladder.
	ChaseCap int
	// EditDays is for how many days after a date its checks are still taken (late) or corrected; 0: no limit.
	// "On time until" is the session's deadline, "editable until" this (DOMAIN.md §4, Deadlines).
	EditDays                            int
	FollowUpDue                         string        // local "15:04", the day of the absence
	ReturnAfterFever, ReturnAfterGastro time.Duration // after the symptom ends
	NotifiableNeedsCertificate          bool
	// ReportCutoff is when an institution's daily report is compiled, DistrictCutoff when a district
	// compiles its own from them (local "15:04"; a district reads DistrictCutoff from its own settings).
	ReportCutoff, DistrictCutoff string
	Ladder                       []types.ChaseStep // the chase (催报), by offset from a deadline
	// RetentionDays is for how many days after a date its named health records are kept (Erase): the
	// personal information law keeps children's health data no longer than its purpose needs.
	RetentionDays int
}

// Fever is how an institution reads a temperature: at or above Threshold is fever (the default, as the
// product was specified: "≥ 37.3 °C → abnormal"), or, with Above, only above it (DOMAIN.md §4: 37.3 itself
// passes; some platforms use > 37.5). One value for every place a reading is judged: the check's count of
// abnormal temperatures, symptom groups and clusters, a stay's reason, staff illness.
type Fever struct {
	Threshold float64
	Above     bool
}

// Reads: the reading, if any, is fever.
func (f Fever) Reads(t *float64) bool {
	return t != nil && (*t > f.Threshold || !f.Above && *t == f.Threshold)
}

// Fever is the rules' reading of a temperature.
func (r Rules) Fever() Fever { return Fever{Threshold: r.FeverThreshold, Above: r.FeverAbove} }

// DefaultLadder follows the responsibility chain (DOMAIN.md §3.4): the class teacher 15 minutes before
// the deadline, again with the grade leader at it, the principal and the epidemic reporter 30 minutes
// after, the district 60 minutes after.
func DefaultLadder() []types.ChaseStep {
	return []types.ChaseStep{
		{OffsetMinutes: -15, Notify: []string{"class_teacher"}},
		{OffsetMinutes: 0, Notify: []string{"class_teacher", "grade_leader"}},
		{OffsetMinutes: 30, Notify: []string{"principal", "epidemic_reporter"}},
		{OffsetMinutes: 60, Notify: []string{rule.DistrictAudience}},
	}
}

// withoutDistrict is a ladder for an institution without a district: the district left out of each step's
// audience, and a step that told nobody else left out (the built-in ladder then ends with the principal and
// the epidemic reporter 30 minutes after the deadline). A ladder left with no step is the built-in one so.
func withoutDistrict(ladder []types.ChaseStep) []types.ChaseStep {
	out := make([]types.ChaseStep, 0, len(ladder))
	for _, st := range ladder {
		who := slices.DeleteFunc(slices.Clone(st.Notify), func(a string) bool { return a == rule.DistrictAudience })
		if len(who) > 0 {
			out = append(out, types.ChaseStep{OffsetMinutes: st.OffsetMinutes, Notify: who})
		}
	}
	if len(out) == 0 {
		return withoutDistrict(DefaultLadder())
	}
	return out
}

// DefaultRules are the built-in defaults for an institution of the kind.
func DefaultRules(kind tenant.Kind) Rules {
	sessions := []Session{classcheck.SessionMorning, classcheck.SessionNoon}
	if kind == tenant.KindKindergarten { // a morning check and full-day observation
		sessions = []Session{classcheck.SessionMorning, classcheck.SessionFullDay}
	}
	return Rules{
		Location: time.UTC,
		Sessions: sessions,
		Deadlines: map[Session]string{
			classcheck.SessionMorning: "09:00",
			classcheck.SessionNoon:    "14:00",
			classcheck.SessionEvening: "20:30",
			classcheck.SessionFullDay: "17:00",
		},
		FeverThreshold:             37.3,
		ClusterDay:                 3,
		ClusterWindow:              5,
		WindowDays:                 3,
		ReportWithin:               2 * time.Hour,
		StayLimit:                  2 * time.Hour,
		ChaseCap:                   3,
		FollowUpDue:                "18:00",
		ReturnAfterFever:           48 * time.Hour,
		ReturnAfterGastro:          72 * time.Hour,
		NotifiableNeedsCertificate: true,
		ReportCutoff:               "16:00",
		DistrictCutoff:             "17:00",
		Ladder:                     DefaultLadder(),
		RetentionDays:              DefaultRetentionDays,
	}
}

// Resolve computes the rules of institution t from its district's settings and its own (either nil).
func Resolve(t *ent.Tenant, district, own *ent.CheckSetting) Rules {
	r := DefaultRules(t.Kind)
	r.Location = Location(t)
	for _, s := range []*ent.CheckSetting{district, own} {
		if s != nil {
			r.apply(s)
		}
	}
	// The ladder: the district's general one, its one for this kind of institution, the institution's own.
	// (Copied: the settings rows may be shared, see settingsCache.)
	if district != nil && len(district.ChaseLadder) > 0 {
		r.Ladder = slices.Clone(district.ChaseLadder)
	}
	if district != nil {
		for _, kl := range district.KindLadders {
			if kl.Kind == string(t.Kind) && len(kl.Steps) > 0 {
				r.Ladder = slices.Clone(kl.Steps)
			}
		}
	}
	if own != nil && len(own.ChaseLadder) > 0 {
		r.Ladder = slices.Clone(own.ChaseLadder)
	}
	if rule.NoDistrict(t) {
		r.Ladder = withoutDistrict(r.Ladder)
	}
	return r
}

func (r *Rules) apply(s *ent.CheckSetting) {
	if len(s.Sessions) > 0 {
		r.Sessions = make([]Session, len(s.Sessions))
		for i, v := range s.Sessions {
			r.Sessions[i] = Session(v)
		}
	}
	for session, hm := range map[Session]*string{
		classcheck.SessionMorning: s.MorningDeadline, classcheck.SessionNoon: s.NoonDeadline,
		classcheck.SessionEvening: s.EveningDeadline, classcheck.SessionFullDay: s.FullDayDeadline,
	} {
		if hm != nil {
			r.Deadlines[session] = *hm
		}
	}
	override(&r.FeverThreshold, s.FeverThreshold)
	override(&r.FeverAbove, s.FeverAbove)
	override(&r.RequireRecheck, s.RequireRecheck)
	override(&r.ClusterDay, s.ClusterDay)
	override(&r.ClusterWindow, s.ClusterWindow)
	override(&r.WindowDays, s.ClusterWindowDays)
	override(&r.AbsenceRate, s.AbsenceRate)
	override(&r.FollowUpDue, s.FollowUpDue)
	override(&r.NotifiableNeedsCertificate, s.NotifiableNeedsCertificate)
	override(&r.ReportCutoff, s.ReportCutoff)
	override(&r.DistrictCutoff, s.DistrictCutoff)
	override(&r.RetentionDays, s.RetentionDays)
	if v := s.ReportWithinMinutes; v != nil {
		r.ReportWithin = time.Duration(*v) * time.Minute
	}
	override(&r.EditDays, s.EditDays)
	override(&r.ChaseCap, s.ChaseCap)
	if v := s.StayLimitMinutes; v != nil {
		r.StayLimit = time.Duration(*v) * time.Minute
	}
	if v := s.ReturnAfterFeverHours; v != nil {
		r.ReturnAfterFever = time.Duration(*v) * time.Hour
	}
	if v := s.ReturnAfterGastroHours; v != nil {
		r.ReturnAfterGastro = time.Duration(*v) * time.Hour
	}
}

// override sets *dst to *v when the setting is set.
func override[T any](dst, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Holds reports whether the institution checks session s.
func (r Rules) Holds(s Session) bool {
	return slices.Contains(r.Sessions, s)
}

// Deadline is when a session's report is due, for a local date.
func (r Rules) Deadline(date string, s Session) (time.Time, error) {
	hm, ok := r.Deadlines[s]
	if !ok {
		return time.Time{}, fmt.Errorf("unknown session %q", s)
	}
	return r.At(date, hm)
}

// At is a local date and time of day ("15:04") in the institution's time zone.
func (r Rules) At(date, hm string) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly+" 15:04", date+" "+hm, r.Location)
}

// Editable refuses a check of date (its own, or a correction) once the date is past the institution's edit
// window: a report of 2026-11-10 with a 7-day window is taken until the end of 2026-11-17. Whatever the
// window, a date whose named health records the retention period has erased (RetentionCutoff) takes none:
// its report would be erased the next night, and a recompile of its daily report would count without the
// lines erased before.
func (r Rules) Editable(date string, now time.Time) error {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return types.Invalid("date", "use a date as YYYY-MM-DD")
	}
	today := r.Today(now)
	if r.EditDays > 0 {
		if last := d.AddDate(0, 0, r.EditDays).Format(time.DateOnly); today > last {
			return types.Invalid("date", "the checks of %s are closed: reports and corrections were taken until %s (%d days)", date, last, r.EditDays)
		}
	}
	if r.RetentionDays > 0 {
		if cutoff, err := RetentionCutoff(today, r.RetentionDays); err == nil && date < cutoff {
			return types.Invalid("date", "the checks of %s are closed: the named health records of dates before %s are erased (kept %d days)",
				date, cutoff, r.RetentionDays)
		}
	}
	return nil
}

// Today is the institution's local date at now.
func (r Rules) Today(now time.Time) string { return now.In(r.Location).Format(time.DateOnly) }

// RulesFor loads the rules in force for institution t (settings are not secret: read past privacy once
// the caller has reached t).
func RulesFor(ctx context.Context, c *ent.Client, t *ent.Tenant) (Rules, error) {
	m, err := rulesOf(ctx, c, []*ent.Tenant{t})
	return m[t.ID], err
}

// RulesAndInherited loads, with one query as RulesFor, the rules in force for institution t and those it would
// work by without its own settings: its district's over the built-in defaults (for a district, the defaults).
// As with RulesFor, the rows are read past privacy once the caller has reached t: a school's member learns the
// values it works by wherever it sets none, never its district's settings row as such.
func RulesAndInherited(ctx context.Context, c *ent.Client, t *ent.Tenant) (rules, inherited Rules, err error) {
	byTenant, err := settingsOf(ctx, c, []*ent.Tenant{t})
	if err != nil {
		return Rules{}, Rules{}, err
	}
	district := districtSettings(byTenant, t)
	return Resolve(t, district, byTenant[t.ID]), Resolve(t, district, nil), nil
}

// RulesOf resolves the rules of several institutions with one query, by tenant ID.
func RulesOf(ctx context.Context, c *ent.Client, ts []*ent.Tenant) (map[int]Rules, error) {
	return rulesOf(ctx, c, ts)
}

// rulesOf resolves the rules of several institutions with one query.
func rulesOf(ctx context.Context, c *ent.Client, ts []*ent.Tenant) (map[int]Rules, error) {
	byTenant, err := settingsOf(ctx, c, ts)
	if err != nil {
		return nil, err
	}
	out := make(map[int]Rules, len(ts))
	for _, t := range ts {
		out[t.ID] = Resolve(t, districtSettings(byTenant, t), byTenant[t.ID])
	}
	return out, nil
}

// districtSettings is the settings row of institution t's district among rows read by settingsOf: nil for a
// district, or when its district set nothing.
func districtSettings(byTenant map[int]*ent.CheckSetting, t *ent.Tenant) *ent.CheckSetting {
	if t.ParentID == nil {
		return nil
	}
	return byTenant[*t.ParentID]
}

// settingsStamp identifies the versions of an institution's settings rows, its own and its district's: each
// row's ID and the time it was last written (zero for a row that does not exist).
type settingsStamp struct{ own, district rowStamp }

type rowStamp struct {
	id      int
	written int64 // updated_at, in nanoseconds
}

func stampOf(s *ent.CheckSetting) rowStamp {
	if s == nil {
		return rowStamp{}
	}
	return rowStamp{s.ID, s.UpdatedAt.UnixNano()}
}

// cachedSettings are an institution's settings rows as last read. They are shared: never changed.
type cachedSettings struct {
	stamp         settingsStamp
	own, district *ent.CheckSetting
}

// settingsCache holds, by tenant ID, the settings rows last read for each institution that submitted. A
// submission reads the rows' stamps with the class (withSettingsStamp) and uses the cached rows only when
// the stamps match, so a change made by any process is seen by the next submission; otherwise it reads
// the rows again. One entry per institution; a tenant ID of another database merely misses.
var settingsCache sync.Map // int → cachedSettings

// rulesStamped resolves the rules of institution t whose settings rows carry the stamps read with its class:
// from settingsCache when they match, else from the database (and the cache is refreshed).
func rulesStamped(ctx context.Context, c *ent.Client, t *ent.Tenant, st settingsStamp) (Rules, error) {
	if v, ok := settingsCache.Load(t.ID); ok {
		if cs := v.(cachedSettings); cs.stamp == st {
			return Resolve(t, cs.district, cs.own), nil
		}
	}
	byTenant, err := settingsOf(ctx, c, []*ent.Tenant{t})
	if err != nil {
		return Rules{}, err
	}
	cs := cachedSettings{own: byTenant[t.ID], district: districtSettings(byTenant, t)}
	cs.stamp = settingsStamp{stampOf(cs.own), stampOf(cs.district)}
	settingsCache.Store(t.ID, cs)
	return Resolve(t, cs.district, cs.own), nil
}

// withSettingsStamp adds to a query joined to an institution (tenantID, parentID: its columns) the stamps
// of its settings rows and its district's (columns own_settings_*, district_settings_*), for rulesStamped.
func withSettingsStamp(tenantID, parentID column) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		s.LeftJoin(entsql.Table(checksetting.Table).As("own_settings")).OnP(textP(`"own_settings"."tenant_id" = ?`, tenantID))
		s.LeftJoin(entsql.Table(checksetting.Table).As("district_settings")).OnP(textP(`"district_settings"."tenant_id" = ?`, parentID))
		s.AppendSelectExpr(entsql.Raw(`"own_settings"."id" AS "own_settings_id", "own_settings"."updated_at" AS "own_settings_at", ` +
			`"district_settings"."id" AS "district_settings_id", "district_settings"."updated_at" AS "district_settings_at"`))
	}
}

// settingsOf reads the settings rows of institutions ts and of their districts, by tenant ID: one query.
func settingsOf(ctx context.Context, c *ent.Client, ts []*ent.Tenant) (map[int]*ent.CheckSetting, error) {
	ids := make([]int, 0, 2*len(ts))
	for _, t := range ts {
		ids = append(ids, t.ID)
		if t.ParentID != nil {
			ids = append(ids, *t.ParentID)
		}
	}
	rows, err := c.CheckSetting.Query().Where(checksetting.TenantIDIn(ids...)).All(internal(ctx))
	if err != nil {
		return nil, fmt.Errorf("check settings: %w", err)
	}
	byTenant := make(map[int]*ent.CheckSetting, len(rows))
	for _, s := range rows {
		byTenant[s.TenantID] = s
	}
	return byTenant, nil
}

// SetLadder replaces the chase ladder of a settings row (read with the caller's rights): the tenant's own,
// or with kind a district's ladder for that kind of institution. No steps: inherit again. The settings'
// hooks judge the ladder after their privacy policy (rule.ValidateSettings): a caller who may not change
// the row is refused as such, never told what is wrong with a ladder it may not set.
func SetLadder(ctx context.Context, c *ent.Client, settingID int, kind *tenant.Kind, steps []types.ChaseStep) (*ent.CheckSetting, error) {
	s, err := c.CheckSetting.Query().Where(checksetting.ID(settingID)).WithTenant().Only(ctx)
	if err != nil {
		return nil, err
	}
	upd := c.CheckSetting.UpdateOne(s)
	switch {
	case kind == nil && len(steps) == 0:
		upd.ClearChaseLadder()
	case kind == nil:
		upd.SetChaseLadder(steps)
	default:
		ladders := slices.DeleteFunc(slices.Clone(s.KindLadders), func(kl types.KindLadder) bool { return kl.Kind == string(*kind) })
		if len(steps) > 0 {
			ladders = append(ladders, types.KindLadder{Kind: string(*kind), Steps: steps})
		}
		upd.SetKindLadders(ladders)
	}
	return upd.Save(ctx)
}
