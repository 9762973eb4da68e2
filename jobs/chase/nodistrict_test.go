package chase_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/chaselog"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/rule"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TestLadderWithoutDistrict: a school with no district has nobody above its principal. With the built-in
// ladder its chase ends with the principal and the epidemic reporter 30 minutes after the deadline: no +60
// step fires, none is logged as telling nobody, and no district admin (of any district) is told. A ladder
// of its own stored naming the district (written while the school still had its district) tells the rest
// of each step's audience, and a step that named only the district does not fire.
func TestLadderWithoutDistrict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		w := build(t, c)
		ctx := viewer.NewContext(context.Background(), viewer.System("test"))
		district := *w.school.ParentID
		w.school = c.Tenant.UpdateOne(w.school).ClearParent().SaveX(ctx)
		submit(t, c, w.c2, at("08:40"))
		submit(t, c, w.c3, at("08:40"))
		morning := func() (fired []int, box *inbox) {
			t.Helper()
			box, queued := &inbox{}, map[string]bool{}
			for now := at("08:00"); !now.After(at("11:00")); now = now.Add(time.Minute) {
				for _, s := range run(t, c, box, queued, now) {
					if s.Session == "morning" {
						fired = append(fired, s.Index)
					}
				}
			}
			return fired, box
		}
		logs := func() []*ent.ChaseLog {
			return c.ChaseLog.Query().Where(chaselog.ClassID(w.c1.ID), chaselog.SessionEQ(chaselog.SessionMorning)).
				Order(ent.Asc(chaselog.FieldStep)).AllX(ctx)
		}

		r, err := checks.RulesFor(ctx, c, w.school)
		if err != nil {
			t.Fatal(err)
		}
		want := []types.ChaseStep{{OffsetMinutes: -15, Notify: []string{"class_teacher"}},
			{OffsetMinutes: 0, Notify: []string{"class_teacher", "grade_leader"}},
			{OffsetMinutes: 30, Notify: []string{"principal", "epidemic_reporter"}}}
		if !slicesEqualSteps(r.Ladder, want) {
			t.Errorf("the ladder of a school without a district: %+v, want the built-in one without the district's step", r.Ladder)
		}
		fired, box := morning()
		if !slices.Equal(fired, []int{0, 1, 2}) {
			t.Errorf("morning steps fired: %v, want 0 1 2 (no district step)", fired)
		}
		count := func(b *inbox, u int) int { return len(b.to(u)) }
		if count(box, w.p) != 1 || count(box, w.r) != 1 || count(box, w.da) != 0 {
			t.Errorf("principal %d, reporter %d, a district admin %d messages: want 1 1 0", count(box, w.p), count(box, w.r), count(box, w.da))
		}
		got := logs()
		if len(got) != 3 {
			t.Fatalf("class 1 has %d morning log rows, want the three steps", len(got))
		}
		for _, l := range got {
			if l.Outcome != chaselog.OutcomeSent || slices.Contains(l.Audiences, rule.DistrictAudience) {
				t.Errorf("step %d (%+d min): %s to %v (%v)", l.Step, l.OffsetMinutes, l.Outcome, l.Audiences, l.RecipientIds)
			}
		}

		// The school's own ladder, stored naming the district while it had one (a school without a district
		// cannot save such a ladder).
		c.ChaseLog.Delete().ExecX(ctx)
		c.Tenant.UpdateOne(w.school).SetParentID(district).ExecX(ctx)
		c.CheckSetting.Create().SetTenantID(w.school.ID).SetChaseLadder([]types.ChaseStep{
			{OffsetMinutes: -15, Notify: []string{"class_teacher"}},
			{OffsetMinutes: 30, Notify: []string{"principal", rule.DistrictAudience}},
			{OffsetMinutes: 60, Notify: []string{rule.DistrictAudience}},
		}).ExecX(ctx)
		w.school = c.Tenant.UpdateOne(w.school).ClearParent().SaveX(ctx)
		fired, box = morning()
		if !slices.Equal(fired, []int{0, 1}) {
			t.Errorf("with its own ladder naming the district: steps fired %v, want 0 1", fired)
		}
		if count(box, w.p) != 1 || count(box, w.da) != 0 {
			t.Errorf("with its own ladder: principal %d, a district admin %d messages: want 1 0", count(box, w.p), count(box, w.da))
		}
		got = logs()
		if len(got) != 2 || got[1].OffsetMinutes != 30 || got[1].Outcome != chaselog.OutcomeSent || !slices.Equal(got[1].RecipientIds, []int{w.p}) {
			t.Errorf("its own ladder's log: %+v", got)
		}
	})
}

func slicesEqualSteps(a, b []types.ChaseStep) bool {
	return slices.EqualFunc(a, b, func(x, y types.ChaseStep) bool {
		return x.OffsetMinutes == y.OffsetMinutes && slices.Equal(x.Notify, y.Notify)
	})
}
