package chase_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/chaselog"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/chase"
)

// A county for the simulation and the sweep benchmark: schools of classes, each class with its class
// teacher, each grade of six classes with its leader, each school with a principal and an epidemic
// reporter, the district with its admin.
type simCounty struct {
	schools []*ent.Tenant
	classes []*ent.Class
	teacher map[int]int // user → class
}

func buildCounty(t *testing.T, c *ent.Client, schools, perSchool int) *simCounty {
	ctx := viewer.NewContext(context.Background(), viewer.System("sim"))
	sc := &simCounty{teacher: map[int]int{}}
	d := c.Tenant.Create().SetName("模拟区教育局").SetKind(tenant.KindDistrict).SaveX(ctx)
	c.User.Create().SetTenantID(d.ID).SetLogin("sim.district").SetDisplayName("区管理员").SetRole(authz.DistrictAdmin).SetPasswordHash("x").ExecX(ctx)
	for i := 0; i < schools; i += 100 {
		var b []*ent.TenantCreate
		for j := i; j < min(i+100, schools); j++ {
			b = append(b, c.Tenant.Create().SetName(fmt.Sprintf("第%d小学", j+1)).SetKind(tenant.KindPrimarySchool).SetParentID(d.ID))
		}
		sc.schools = append(sc.schools, c.Tenant.CreateBulk(b...).SaveX(ctx)...)
	}
	for _, s := range sc.schools {
		var grades []*ent.GradeCreate
		for g := 0; g < (perSchool+5)/6; g++ {
			grades = append(grades, c.Grade.Create().SetTenantID(s.ID).SetName(fmt.Sprintf("%d年级", g+1)))
		}
		gs := c.Grade.CreateBulk(grades...).SaveX(ctx)
		var cls []*ent.ClassCreate
		for k := 0; k < perSchool; k++ {
			cls = append(cls, c.Class.Create().SetTenantID(s.ID).SetGradeID(gs[k/6].ID).SetName(fmt.Sprintf("%d年级(%d)班", k/6+1, k%6+1)))
		}
		classes := c.Class.CreateBulk(cls...).SaveX(ctx)
		sc.classes = append(sc.classes, classes...)
		var users []*ent.UserCreate
		for k := range classes {
			users = append(users, c.User.Create().SetTenantID(s.ID).SetLogin(fmt.Sprintf("t%d.%d", s.ID, k)).SetDisplayName("班主任").
				SetRole(authz.ClassTeacher).SetPasswordHash("x"))
		}
		for g := range gs {
			users = append(users, c.User.Create().SetTenantID(s.ID).SetLogin(fmt.Sprintf("g%d.%d", s.ID, g)).SetDisplayName("年级组长").
				SetRole(authz.ClassTeacher).SetPasswordHash("x"))
		}
		users = append(users,
			c.User.Create().SetTenantID(s.ID).SetLogin(fmt.Sprintf("p%d", s.ID)).SetDisplayName("校长").SetRole(authz.Principal).SetPasswordHash("x"),
			c.User.Create().SetTenantID(s.ID).SetLogin(fmt.Sprintf("r%d", s.ID)).SetDisplayName("疫情报告人").SetRole(authz.EpidemicReporter).SetPasswordHash("x"))
		us := c.User.CreateBulk(users...).SaveX(ctx)
		from := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
		var as []*ent.AssignmentCreate
		for k, cl := range classes {
			sc.teacher[us[k].ID] = cl.ID
			as = append(as, c.Assignment.Create().SetTenantID(s.ID).SetUserID(us[k].ID).SetRole(authz.ClassTeacher).
				SetNodeType(authz.NodeClass).SetNodeID(cl.ID).SetValidFrom(from))
		}
		for g, gr := range gs {
			as = append(as, c.Assignment.Create().SetTenantID(s.ID).SetUserID(us[len(classes)+g].ID).SetRole(authz.GradeLeader).
				SetNodeType(authz.NodeGrade).SetNodeID(gr.ID).SetValidFrom(from))
		}
		c.Assignment.CreateBulk(as...).ExecX(ctx)
	}
	return sc
}

// teachers is the seeded model of when class teachers report, and how they answer a reminder. Without
// a reminder: most report before the deadline, some late, a few only much later, some not at all that
// session (DOMAIN.md §6: "teachers forget; principals chase"). A reminder at step k gets a report within
// a few minutes with probability answer[k]. These rates are the simulation's assumptions, not data.
type teachers struct {
	rng    *rand.Rand
	answer []float64
}

// natural draws a class-session's own report time as minutes from the deadline, or ok=false for never.
func (m *teachers) natural() (minutes int, ok bool) {
	switch p := m.rng.Float64(); {
	case p < 0.88: // well before
		return -m.rng.IntN(90) - 16, true
	case p < 0.93: // in the last quarter hour
		return -m.rng.IntN(15), true
	case p < 0.97: // late, within the hour
		return 1 + m.rng.IntN(60), true
	case p < 0.985: // much later in the day
		return 60 + m.rng.IntN(300), true
	}
	return 0, false
}

type simResult struct {
	expected, onTime, byCutoff int
	messages, classMentions    int
	remindedAfterReport        int
	wall                       time.Duration
}

// simulate runs days school days of the county, morning and noon, with the chase or without it, and
// measures at the district's cut-off (17:00).
func simulate(t *testing.T, schools, perSchool, days int, withLadder bool, seed uint64) simResult {
	c := dbtest.SQLite(t).Client
	sc := buildCounty(t, c, schools, perSchool)
	ctx := viewer.NewContext(context.Background(), viewer.System("sim"))
	model := &teachers{rng: rand.New(rand.NewPCG(seed, 7)), answer: []float64{0.6, 0.75, 0.9, 0.95}}
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, shanghai) // a Monday
	var res simResult
	began := time.Now()
	for day, n := 0, 0; n < days; day++ {
		date := start.AddDate(0, 0, day)
		if date.Weekday() == time.Saturday || date.Weekday() == time.Sunday {
			continue
		}
		n++
		local := date.Format(time.DateOnly)
		for _, session := range []classcheck.Session{classcheck.SessionMorning, classcheck.SessionNoon} {
			rules := checks.DefaultRules(tenant.KindPrimarySchool)
			rules.Location = shanghai
			deadline, _ := rules.Deadline(local, session)
			when := map[int]time.Time{} // class → report time
			for _, cl := range sc.classes {
				if m, ok := model.natural(); ok {
					when[cl.ID] = deadline.Add(time.Duration(m) * time.Minute)
				}
			}
			written := map[int]bool{}
			flush := func(upTo time.Time) {
				var b []*ent.ClassCheckCreate
				for _, cl := range sc.classes {
					if at, ok := when[cl.ID]; ok && !written[cl.ID] && !at.After(upTo) {
						written[cl.ID] = true
						b = append(b, c.ClassCheck.Create().SetTenantID(cl.TenantID).SetClassID(cl.ID).SetDate(local).SetSession(session).
							SetVersion(1).SetZeroReport(true).SetEnrolled(40).SetPresent(40).SetAbsentIllness(0).SetAbsentOther(0).
							SetSymptomatic(0).SetAbnormalTemperature(0).SetSubmittedBy("sim").SetSubmittedAt(at).
							SetOnTime(!at.After(deadline)).SetContentHash("sim"))
					}
				}
				for i := 0; i < len(b); i += 500 {
					c.ClassCheck.CreateBulk(b[i:min(i+500, len(b))]...).ExecX(ctx)
				}
			}
			if withLadder {
				queued := map[string]bool{}
				box := &simInbox{}
				for _, step := range checks.DefaultLadder() {
					now := deadline.Add(time.Duration(step.OffsetMinutes) * time.Minute)
					flush(now)
					due, err := chase.Due(context.Background(), c, now)
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range due {
						if queued[s.TaskID()] {
							continue
						}
						queued[s.TaskID()] = true
						box.msgs = box.msgs[:0]
						if err := chase.Fire(context.Background(), c, box, s, now); err != nil {
							t.Fatal(err)
						}
						for _, m := range box.msgs {
							res.messages++
							names := m.Data["Classes"].([]string)
							res.classMentions += len(names)
							for _, u := range m.UserIDs {
								cl, isTeacher := sc.teacher[u]
								if !isTeacher {
									continue
								}
								if at, ok := when[cl]; ok && at.Before(now) {
									res.remindedAfterReport++
								}
							}
						}
						// Everyone named by the step may answer it: the class's own teacher, and through the
						// grade leader, the principal or the district, the class again.
						for _, cl := range box.pendingClasses(c, ctx, s, now) {
							if at, ok := when[cl]; ok && at.Before(now.Add(10*time.Minute)) {
								continue
							}
							if model.rng.Float64() < model.answer[s.Index] {
								when[cl] = now.Add(time.Duration(1+model.rng.IntN(9)) * time.Minute)
							}
						}
					}
				}
			}
			cutoff := time.Date(date.Year(), date.Month(), date.Day(), 17, 0, 0, 0, shanghai)
			flush(cutoff)
			for _, cl := range sc.classes {
				res.expected++
				if at, ok := when[cl.ID]; ok && !at.After(cutoff) {
					res.byCutoff++
					if !at.After(deadline) {
						res.onTime++
					}
				}
			}
		}
	}
	res.wall = time.Since(began)
	return res
}

// simInbox counts what the chase sends; every message is new (each step's dedupe key differs).
type simInbox struct{ msgs []chase.Message }

func (b *simInbox) Notify(_ context.Context, m chase.Message) ([]int, error) {
	b.msgs = append(b.msgs, m)
	return []int{len(b.msgs)}, nil
}

// pendingClasses are the classes the step just chased (from its log).
func (b *simInbox) pendingClasses(c *ent.Client, ctx context.Context, s chase.Step, now time.Time) []int {
	ids, err := c.ChaseLog.Query().Where(chaselog.TenantID(s.TenantID), chaselog.Date(s.Date),
		chaselog.SessionEQ(chaselog.Session(s.Session)), chaselog.Step(s.Index)).Select(chaselog.FieldClassID).Ints(ctx)
	if err != nil {
		panic(err)
	}
	slices.Sort(ids)
	return ids
}

// TestSimulateCounty (SIMULATE=1, make simulate): 200 schools × 30 classes × 20 school days, with the
// ladder and without it, from the same seed.
func TestSimulateCounty(t *testing.T) {
	if os.Getenv("SIMULATE") == "" {
		t.Skip("set SIMULATE=1 (make simulate)")
	}
	schools, perSchool, days := 200, 30, 20
	without := simulate(t, schools, perSchool, days, false, 2026)
	with := simulate(t, schools, perSchool, days, true, 2026)
	classDays := float64(schools * perSchool * days)
	fmt.Printf("\nChase simulation: %d schools × %d classes × %d school days, morning and noon checks, seed 2026\n", schools, perSchool, days)
	fmt.Printf("%-46s %14s %14s %s\n", "", "without ladder", "with ladder", "goal")
	pct := func(n, d int) string { return fmt.Sprintf("%.2f %%", 100*float64(n)/float64(d)) }
	fmt.Printf("%-46s %14s %14s %s\n", "reports by the district cut-off (17:00)", pct(without.byCutoff, without.expected), pct(with.byCutoff, with.expected), "≥ 99 % with")
	fmt.Printf("%-46s %14s %14s\n", "reports on time (by the session deadline)", pct(without.onTime, without.expected), pct(with.onTime, with.expected))
	fmt.Printf("%-46s %14s %14.2f %s\n", "messages per class per day (class mentions)", "0", float64(with.classMentions)/classDays, "≤ 3")
	fmt.Printf("%-46s %14s %14.2f\n", "messages sent per class per day", "0", float64(with.messages)/classDays)
	fmt.Printf("%-46s %14s %14d %s\n", "reminders to classes that had reported", "0", with.remindedAfterReport, "0")
	fmt.Printf("%-46s %14s %14s\n", "wall time (SQLite, includes writing reports)", without.wall.Round(time.Millisecond), with.wall.Round(time.Millisecond))
	if with.remindedAfterReport != 0 {
		t.Errorf("%d reminders went to classes that had reported", with.remindedAfterReport)
	}
}
