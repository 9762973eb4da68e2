package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs"
)

// TestStaysOpenTooLongAreReminded: a pupil sent to the observation room at 08:00 is not yet a reminder at
// 09:59; at 10:01 the health teacher and the epidemic reporter (not the principal or the class teacher) are
// told, once however often the stay is found; a stay that has ended is not found. A school that set its
// own limit (45 minutes) is reminded by it.
func TestStaysOpenTooLongAreReminded(t *testing.T) {
	dbtest.EachRedis(t, func(t *testing.T, rdb *redis.Client) {
		dbtest.Each(t, func(t *testing.T, db *database.DB) {
			c := db.Client
			w := newWorld(t, c, rdb)
			sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
			health, reporter := staffUser(c, "a.health", authz.HealthTeacher, w.a.ID), staffUser(c, "a.reporter", authz.EpidemicReporter, w.a.ID)
			staffUser(c, "a.principal", authz.Principal, w.a.ID)
			pupil := c.Student.Create().SetTenantID(w.a.ID).SetClassID(w.classA.ID).SetName("甲").SetStudentNumber("1").
				SetGender("male").SaveX(sys)
			room := checkentry.DispositionObservationRoom
			if _, err := checks.Submit(sys, c, checks.Report{ClassID: w.classA.ID, Date: monday, Session: classcheck.SessionMorning,
				Present: 1, Entries: []checks.Entry{{PersonID: pupil.ID, Kind: checkentry.KindSymptomatic, Temperature: ptr(38.4),
					Disposition: &room}}}, sh(monday, "08:00")); err != nil {
				t.Fatal(err)
			}
			stay := c.ObservationStay.Query().OnlyX(sys)
			sr := &jobs.StayReminder{Client: c, Notify: newNotifier(t, c, rdb)}
			remind := func(hm string) int {
				t.Helper()
				due, err := sr.Due(context.Background(), sh(monday, hm))
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range due {
					if err := sr.ProcessTask(context.Background(), asynq.NewTask(d.Task.Type(), d.Task.Payload())); err != nil {
						t.Fatal(err)
					}
				}
				return len(due)
			}
			// School H keeps pupils 45 minutes at most: its pupil, brought in from the gate at 08:30, is due at
			// 09:15, while A's (the default two hours) is not yet.
			c.CheckSetting.Create().SetTenantID(w.h.ID).SetStayLimitMinutes(45).ExecX(sys)
			classH := c.Class.Create().SetTenantID(w.h.ID).SetName("一年级(9)班").SaveX(sys)
			pupilH := c.Student.Create().SetTenantID(w.h.ID).SetClassID(classH.ID).SetName("乙").SetStudentNumber("1").
				SetGender("female").SaveX(sys)
			stayH, err := checks.Admit(sys, c, checks.Admission{StudentID: pupilH.ID, Reason: observationstay.ReasonFever,
				Temperature: ptr(38.0)}, sh(monday, "08:30"))
			if err != nil {
				t.Fatal(err)
			}
			if n := remind("09:14"); n != 0 {
				t.Fatalf("%d stays due at 09:14", n)
			}
			if n := remind("09:16"); n != 1 {
				t.Fatalf("%d stays due at 09:16, want H's (45 minutes)", n)
			}
			c.ObservationStay.UpdateOne(stayH).SetStatus(observationstay.StatusClosed).ClearOpenKey().ExecX(sys)
			key := "stay:" + itoa(stay.ID) + ":long"
			if n := remind("09:59"); n != 0 {
				t.Fatalf("%d stays due at 09:59, within the two hours", n)
			}
			if n := remind("10:01"); n != 1 {
				t.Fatalf("%d stays due at 10:01, want the one", n)
			}
			remind("10:02") // found again: nobody told twice
			ns := c.Notification.Query().Where(notification.DedupeKey(key)).AllX(sys)
			var told []int
			for _, n := range ns {
				told = append(told, n.RecipientID)
			}
			slices.Sort(told)
			if want := sorted(health, reporter); !slices.Equal(told, want) {
				t.Errorf("told %v, want the health teacher and the epidemic reporter %v", told, want)
			}
			if len(ns) > 0 && (!strings.Contains(ns[0].Body, "甲") || !strings.Contains(ns[0].Body, "08:00")) {
				t.Errorf("the reminder says %q", ns[0].Body)
			}
			c.ObservationStay.UpdateOne(stay).SetStatus(observationstay.StatusClosed).ClearOpenKey().ExecX(sys)
			if n := remind("10:30"); n != 0 {
				t.Errorf("an ended stay is still found: %d", n)
			}

			// A staff member in the room is reminded alike, named as staff with the words for going back to work.
			qian := c.Staff.Create().SetTenantID(w.a.ID).SetName("钱老师").SetStaffType(staff.StaffTypeTeacher).SaveX(sys)
			staffStay, err := checks.Admit(sys, c, checks.Admission{StaffID: qian.ID, Reason: observationstay.ReasonFever,
				Temperature: ptr(38.1)}, sh(monday, "10:40"))
			if err != nil {
				t.Fatal(err)
			}
			if n := remind("12:41"); n != 1 {
				t.Fatalf("%d stays due at 12:41, want 钱老师's", n)
			}
			staffNote := c.Notification.Query().Where(notification.DedupeKey("stay:" + itoa(staffStay.ID) + ":long")).AllX(sys)
			if len(staffNote) != 2 || !strings.Contains(staffNote[0].Body, "钱老师") || !strings.Contains(staffNote[0].Body, "10:40") ||
				!strings.Contains(staffNote[0].Body+staffNote[0].Subject, "教职工") || !strings.Contains(staffNote[0].Body, "返岗") {
				t.Errorf("the staff reminder: %+v", staffNote)
			}
		})
	})
}
