package checks

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/assignment"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
	"github.com/campushealth/campushealth/ent/staffcheck"
	"github.com/campushealth/campushealth/ent/staffgroup"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/user"
	"github.com/campushealth/campushealth/ent/viewer"
)

// StaffBoard is where an institution's staff checks (教职工晨午检) stand for a date: one expected report per
// staff group and session held, by the same calendar, deadlines and states as a class's (due, settle).
type StaffBoard struct {
	Date     string
	Groups   int // staff groups of the institution
	Sessions []StaffSessionBoard
	// InObservation counts the staff members in the observation room (留观) now, whatever the date.
	InObservation int
}

// StaffSessionBoard is one session: submitted + pending = expected; the figures add up the current
// versions of the submitted reports only (not reported is never zero).
type StaffSessionBoard struct {
	Session                                              Session
	Expected, Submitted, OnTime, Late, Pending, Overdue  int
	Completeness                                         *float64 // submitted / expected; nil when nothing is expected
	ZeroReports, AbsentIllness, AbsentOther, Symptomatic int
	NonReporting                                         []StaffNonReporter
}

// StaffNonReporter is a staff group that owes a session's report, with who answers for it.
type StaffNonReporter struct {
	StaffGroupID int
	Name         string
	Leaders      []string // display names of the users assigned at the group now
	Overdue      bool
}

// StaffBoardOf computes the staff board of an institution for a date at now. The caller must read the
// staff checks of the whole institution (its leadership, the epidemic reporter, the health teacher, the
// duty leader), or is refused with a privacy denial: a group leader sees his own group's card instead.
func StaffBoardOf(ctx context.Context, c *ent.Client, tenantID int, date string, now time.Time) (*StaffBoard, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, privacy.Denyf("no viewer")
	}
	if !v.Platform() && !slices.Contains(rule.ScopeOf(v, authz.ObjStaffCheck).Tenants, tenantID) {
		return nil, privacy.Denyf("you may not read the staff checks of institution %d", tenantID)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, types.Invalid("date", "use a date as YYYY-MM-DD")
	}
	ictx := internal(ctx) // the caller was shown to read the whole institution's staff checks
	t, err := c.Tenant.Get(ictx, tenantID)
	if err != nil {
		return nil, err
	}
	if t.Kind == tenant.KindDistrict {
		return nil, types.Invalid("tenantID", "%s is a district: staff checks are an institution's", t.Name)
	}
	groups, err := c.StaffGroup.Query().Where(staffgroup.TenantID(t.ID)).Order(ent.Asc(staffgroup.FieldName)).All(ictx)
	if err != nil {
		return nil, err
	}
	checks, err := c.StaffCheck.Query().Where(staffcheck.TenantID(t.ID), staffcheck.Date(date)).
		Order(ent.Asc(staffcheck.FieldVersion)).All(ictx)
	if err != nil {
		return nil, err
	}
	leaders, err := groupLeaders(ictx, c, t.ID, now)
	if err != nil {
		return nil, err
	}
	rules, err := RulesFor(ctx, c, t)
	if err != nil {
		return nil, err
	}
	schoolDay, err := SchoolDay(ctx, c, t, date)
	if err != nil {
		return nil, err
	}
	inRoom, err := c.ObservationStay.Query().Where(observationstay.TenantID(t.ID), observationstay.StaffIDNotNil(),
		observationstay.StatusEQ(observationstay.StatusOpen)).Count(ictx) // a count: no names leave the room
	if err != nil {
		return nil, err
	}
	b := &StaffBoard{Date: date, Groups: len(groups), Sessions: []StaffSessionBoard{}, InObservation: inRoom}
	for _, s := range rules.Sessions {
		deadline, isDue, err := dueBy(rules, schoolDay, date, Session(s), now)
		if err != nil {
			return nil, err
		}
		sb := StaffSessionBoard{Session: Session(s), NonReporting: []StaffNonReporter{}}
		for _, g := range groups {
			if !isDue {
				break
			}
			sb.Expected++
			var first, current *ent.StaffCheck
			for _, chk := range checks {
				if chk.StaffGroupID == g.ID && chk.Session == staffcheck.Session(s) {
					first = cmp.Or(first, chk) // versions ascend: the first one met is version 1
					if chk.Current {
						current = chk
					}
				}
			}
			state, overdue := settle(btoi(first != nil), first != nil && first.OnTime, deadline, now)
			switch state {
			case Pending:
				sb.Pending++
				if overdue {
					sb.Overdue++
				}
				names := leaders[g.ID]
				if names == nil {
					names = []string{}
				}
				sb.NonReporting = append(sb.NonReporting, StaffNonReporter{StaffGroupID: g.ID, Name: g.Name, Leaders: names, Overdue: overdue})
				continue
			case Late:
				sb.Late++
			default:
				sb.OnTime++
			}
			sb.Submitted++
			if current != nil {
				sb.ZeroReports += btoi(current.ZeroReport)
				sb.AbsentIllness += current.AbsentIllness
				sb.AbsentOther += current.AbsentOther
				sb.Symptomatic += current.Symptomatic
			}
		}
		if sb.Expected > 0 {
			f := float64(sb.Submitted) / float64(sb.Expected)
			sb.Completeness = &f
		}
		b.Sessions = append(b.Sessions, sb)
	}
	return b, nil
}

// groupLeaders are the display names, by staff group, of the active users assigned at each group of the
// institution now (the leader 包教职工 or department head, and whoever stands in), each once.
func groupLeaders(ictx context.Context, c *ent.Client, tenantID int, now time.Time) (map[int][]string, error) {
	as, err := c.Assignment.Query().Where(assignment.TenantID(tenantID), assignment.NodeTypeEQ(authz.NodeStaffGroup),
		assignment.ValidFromLTE(now), assignment.Or(assignment.ValidToIsNil(), assignment.ValidToGT(now)),
		assignment.HasUserWith(user.Active(true))).
		Order(ent.Asc(assignment.FieldValidFrom), ent.Asc(assignment.FieldID)).WithUser().All(ictx)
	if err != nil {
		return nil, err
	}
	out := map[int][]string{}
	for _, a := range as {
		if name := a.Edges.User.DisplayName; !slices.Contains(out[a.NodeID], name) {
			out[a.NodeID] = append(out[a.NodeID], name)
		}
	}
	return out, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
