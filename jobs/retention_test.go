package jobs_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs"
)

// TestRetentionErasesAtNight: each institution's erasure is found in the night hour of its own time zone
// (the district itself keeps no checks), and erases the named health records older than its retention
// period: three years unless set, so a check of 400 days ago keeps its lines until the district sets a year.
func TestRetentionErasesAtNight(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		dbtest.Each(t, func(t *testing.T, db *database.DB) {
			c := db.Client
			w := newWorld(t, c, rdb)
			sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
			pupil := c.Student.Create().SetTenantID(w.a.ID).SetClassID(w.classA.ID).SetName("甲").SetStudentNumber("1").
				SetGender("male").SaveX(sys)
			const longAgo = "2025-10-20" // a Monday, 400 days before the test's
			for _, date := range []string{longAgo, monday} {
				if _, err := checks.Submit(sys, c, checks.Report{ClassID: w.classA.ID, Date: date, Session: classcheck.SessionMorning,
					Entries: []checks.Entry{{PersonID: pupil.ID, Kind: checkentry.KindAbsent, AbsenceType: ptr(checkentry.AbsenceTypeSickLeave)}}},
					sh(date, "08:00")); err != nil {
					t.Fatal(err)
				}
			}
			lines := func() int { return c.CheckEntry.Query().CountX(sys) }

			r := &jobs.Retention{Client: c, Now: func() time.Time { return sh(monday, "02:10") }}
			found := func(hm string) []int {
				due, err := r.Due(context.Background(), sh(monday, hm))
				if err != nil {
					t.Fatal(err)
				}
				var ids []int
				for _, d := range due {
					var id int
					if err := json.Unmarshal(d.Task.Payload(), &id); err != nil || d.Task.Type() != jobs.TypeRetention {
						t.Fatalf("task %s %s: %v", d.Task.Type(), d.Task.Payload(), err)
					}
					ids = append(ids, id)
				}
				slices.Sort(ids)
				return ids
			}
			if got, want := found("02:10"), sorted(w.a.ID, w.h.ID); !slices.Equal(got, want) {
				t.Errorf("at 02:10 in Shanghai the erasure is due for %v, want the Shanghai schools %v", got, want)
			}
			if got := found("04:10"); !slices.Equal(got, []int{w.x.ID}) {
				t.Errorf("at 04:10 in Shanghai (02:10 in Urumqi) it is due for %v, want X %d", got, w.x.ID)
			}
			if got := found("09:00"); len(got) != 0 {
				t.Errorf("in the day it is due for %v", got)
			}

			erase := func() {
				t.Helper()
				if err := r.ProcessTask(context.Background(), asynq.NewTask(jobs.TypeRetention, []byte(itoa(w.a.ID)))); err != nil {
					t.Fatal(err)
				}
			}
			erase()
			if n := lines(); n != 2 {
				t.Errorf("three years by default: %d lines left, want both", n)
			}
			c.CheckSetting.Create().SetTenantID(w.district.ID).SetRetentionDays(365).ExecX(sys)
			erase()
			kept := c.CheckEntry.Query().WithCheck().AllX(sys)
			if len(kept) != 1 || kept[0].Edges.Check.Date != monday {
				t.Errorf("the district keeps a year: %d lines left, want Monday's", len(kept))
			}
		})
	})
}
