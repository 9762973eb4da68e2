package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/auditlog"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/delivery"
	"github.com/campushealth/campushealth/ent/enrollment"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/followupstep"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/predicate"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/staffcheck"
	"github.com/campushealth/campushealth/ent/staffcheckentry"
	"github.com/campushealth/campushealth/ent/stafffollowup"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/types"
)

// DefaultRetentionDays is how long named health records are kept unless a district or school sets
// otherwise: three years, the school years a pupil's illness may still matter to her school.
const DefaultRetentionDays = 3 * 365

// RetentionCutoff is the first date whose named health records are still kept on the local date today:
// the records of every date before it are erased.
func RetentionCutoff(today string, days int) (string, error) {
	d, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return "", err
	}
	return d.AddDate(0, 0, -days).Format(time.DateOnly), nil
}

// Erased counts what Erase removed.
type Erased struct {
	CheckLines, StaffCheckLines int // a pupil's or a staff member's line on a check
	FollowUps, StaffFollowUps   int // with a pupil's follow-up's steps
	Stays                       int // observation-room stays, with the reminders that named the person
	AlertsUnnamed               int // alerts whose pupils or staff are no longer named
	Pupils, Staff               int // who left before the cutoff: a pupil with her guardians and class history
}

// Total is how many records Erase removed or unnamed.
func (e Erased) Total() int {
	return e.CheckLines + e.StaffCheckLines + e.FollowUps + e.StaffFollowUps + e.Stays + e.AlertsUnnamed + e.Pupils + e.Staff
}

// erasedChanges replaces the changes of an audit entry about an erased record: the entry stays (who did what,
// when), the values it recorded (a pupil, her symptoms, a diagnosis) go with the record.
var erasedChanges, _ = json.Marshal([]types.FieldChange{{Field: "*", New: "erased after the retention period"}})

// Erase removes the named health records of institution tenantID dated before the local date before
// (DOMAIN.md §6.14; the personal information law keeps children's health data no longer than its purpose
// needs): the pupils' and staff members' lines on the checks, the follow-ups with their steps, the
// observation-room stays with the reminders that named the person, and the names in alerts; then the
// pupils and staff who left before that date and whom no record kept names (eraseLeavers). What the
// district and the school count stays: the checks with their figures, the alerts with their rule, count
// and disposition, the compiled daily reports. Each record's removal is audited; the audit entries written
// about it before lose the values they recorded (the only change ever made to the audit log: it refuses any
// other, so this one is written in SQL). It runs as the system, in one transaction: all or nothing.
func Erase(ctx context.Context, c *ent.Client, tenantID int, before string) (Erased, error) {
	if _, err := time.Parse(time.DateOnly, before); err != nil {
		return Erased{}, types.Invalid("before", "not a date: %q", before)
	}
	return inTx(internal(ctx), c, func(ctx context.Context, c *ent.Client) (Erased, error) {
		var e Erased
		oldFollowUps := []predicate.FollowUp{followup.TenantID(tenantID), followup.DateLT(before)}
		// The records, by ID: the audit entries about them are found by it.
		lines, err := c.CheckEntry.Query().Where(checkentry.TenantID(tenantID), checkentry.HasCheckWith(classcheck.DateLT(before))).IDs(ctx)
		if err != nil {
			return e, err
		}
		staffLines, err := c.StaffCheckEntry.Query().Where(staffcheckentry.TenantID(tenantID),
			staffcheckentry.HasCheckWith(staffcheck.DateLT(before))).IDs(ctx)
		if err != nil {
			return e, err
		}
		followUps, err := c.FollowUp.Query().Where(oldFollowUps...).IDs(ctx)
		if err != nil {
			return e, err
		}
		steps, err := c.FollowUpStep.Query().Where(followupstep.HasFollowUpWith(oldFollowUps...)).IDs(ctx)
		if err != nil {
			return e, err
		}
		staffFollowUps, err := c.StaffFollowUp.Query().Where(stafffollowup.TenantID(tenantID), stafffollowup.DateLT(before)).IDs(ctx)
		if err != nil {
			return e, err
		}
		stays, err := c.ObservationStay.Query().Where(observationstay.TenantID(tenantID), observationstay.DateLT(before)).IDs(ctx)
		if err != nil {
			return e, err
		}
		alerts, err := c.Alert.Query().Where(alert.TenantID(tenantID), alert.DateLT(before),
			alert.Or(alert.StudentIdsNotNil(), alert.StaffIdsNotNil())).IDs(ctx)
		if err != nil {
			return e, err
		}

		// Removed by the IDs read: a row written meanwhile is not removed with its audit kept whole.
		for _, step := range []struct {
			ids []int
			del func(ids []int) error
		}{
			{steps, func(ids []int) error {
				_, err := c.FollowUpStep.Delete().Where(idIn[predicate.FollowUpStep](followupstep.FieldID, ids)).Exec(ctx)
				return err
			}},
			{followUps, func(ids []int) error {
				_, err := c.FollowUp.Delete().Where(idIn[predicate.FollowUp](followup.FieldID, ids)).Exec(ctx)
				return err
			}},
			{lines, func(ids []int) error {
				_, err := c.CheckEntry.Delete().Where(idIn[predicate.CheckEntry](checkentry.FieldID, ids)).Exec(ctx)
				return err
			}},
			{staffLines, func(ids []int) error {
				_, err := c.StaffCheckEntry.Delete().Where(idIn[predicate.StaffCheckEntry](staffcheckentry.FieldID, ids)).Exec(ctx)
				return err
			}},
			{staffFollowUps, func(ids []int) error {
				_, err := c.StaffFollowUp.Delete().Where(idIn[predicate.StaffFollowUp](stafffollowup.FieldID, ids)).Exec(ctx)
				return err
			}},
			{stays, func(ids []int) error { // the reminders naming the person first: their deliveries point at them
				refs := make([]string, len(ids))
				for i, id := range ids {
					refs[i] = "stay:" + strconv.Itoa(id)
				}
				if _, err := c.Delivery.Delete().Where(delivery.TenantID(tenantID), delivery.RefIn(refs...)).Exec(ctx); err != nil {
					return err
				}
				if _, err := c.Notification.Delete().Where(notification.TenantID(tenantID), notification.RefIn(refs...)).Exec(ctx); err != nil {
					return err
				}
				_, err := c.ObservationStay.Delete().Where(idIn[predicate.ObservationStay](observationstay.FieldID, ids)).Exec(ctx)
				return err
			}},
			{alerts, func(ids []int) error {
				return c.Alert.Update().Where(idIn[predicate.Alert](alert.FieldID, ids)).ClearStudentIds().ClearStaffIds().Exec(ctx)
			}},
		} {
			if len(step.ids) == 0 {
				continue
			}
			if err := step.del(step.ids); err != nil {
				return e, err
			}
		}
		for typ, ids := range map[string][]int{"CheckEntry": lines, "StaffCheckEntry": staffLines, "FollowUp": followUps,
			"FollowUpStep": steps, "StaffFollowUp": staffFollowUps, "ObservationStay": stays, "Alert": alerts} {
			if err := redactAudit(ctx, c, typ, ids); err != nil {
				return e, err
			}
		}
		e = Erased{CheckLines: len(lines), StaffCheckLines: len(staffLines), FollowUps: len(followUps),
			StaffFollowUps: len(staffFollowUps), Stays: len(stays), AlertsUnnamed: len(alerts)}
		e.Pupils, e.Staff, err = eraseLeavers(ctx, c, tenantID, before)
		return e, err
	})
}

// eraseLeavers removes, after the health records, the pupils who graduated or transferred and the staff
// who left before the local date before, once no record kept names them (a line, a follow-up, a stay, an
// alert): a pupil with her guardians and class history, a member of staff with his group memberships (the
// join rows cascade). A staff member's user account, switched off as she left (rule.LeavingEndsAccess),
// stays: the audit names its actions.
func eraseLeavers(ctx context.Context, c *ent.Client, tenantID int, before string) (pupils, staffs int, err error) {
	t, err := c.Tenant.Get(ctx, tenantID)
	if err != nil {
		return 0, 0, err
	}
	cut, err := time.ParseInLocation(time.DateOnly, before, Location(t))
	if err != nil {
		return 0, 0, err
	}
	gone, err := c.Student.Query().Where(student.TenantID(tenantID), student.StatusIn(student.StatusGraduated, student.StatusTransferred),
		student.LeftOnLT(cut), unnamedIn[predicate.Student](checkentry.FieldStudentID, checkentry.Table, followup.Table, observationstay.Table)).
		IDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	left, err := c.Staff.Query().Where(staff.TenantID(tenantID), staff.StatusEQ(staff.StatusLeft), staff.LeftOnLT(cut),
		unnamedIn[predicate.Staff](staffcheckentry.FieldStaffID, staffcheckentry.Table, stafffollowup.Table, observationstay.Table)).
		IDs(ctx)
	if err != nil || len(gone)+len(left) == 0 {
		return 0, 0, err
	}
	// Nor whom a kept alert names (one dated on the cutoff may name a case from the days before it).
	named, err := c.Alert.Query().Where(alert.TenantID(tenantID), alert.Or(alert.StudentIdsNotNil(), alert.StaffIdsNotNil())).
		Select(alert.FieldStudentIds, alert.FieldStaffIds).All(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, a := range named {
		gone = slices.DeleteFunc(gone, func(id int) bool { return slices.Contains(a.StudentIds, id) })
		left = slices.DeleteFunc(left, func(id int) bool { return slices.Contains(a.StaffIds, id) })
	}
	if len(gone)+len(left) == 0 {
		return 0, 0, nil
	}
	guardians, err := c.Guardian.Query().Where(idIn[predicate.Guardian](guardian.FieldStudentID, gone)).IDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	enrollments, err := c.Enrollment.Query().Where(idIn[predicate.Enrollment](enrollment.FieldStudentID, gone)).IDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, del := range []func() error{
		func() error {
			_, err := c.Guardian.Delete().Where(idIn[predicate.Guardian](guardian.FieldID, guardians)).Exec(ctx)
			return err
		},
		func() error {
			_, err := c.Enrollment.Delete().Where(idIn[predicate.Enrollment](enrollment.FieldID, enrollments)).Exec(ctx)
			return err
		},
		func() error {
			_, err := c.Student.Delete().Where(idIn[predicate.Student](student.FieldID, gone)).Exec(ctx)
			return err
		},
		func() error {
			_, err := c.Staff.Delete().Where(idIn[predicate.Staff](staff.FieldID, left)).Exec(ctx)
			return err
		},
	} {
		if err := del(); err != nil {
			return 0, 0, err
		}
	}
	for typ, ids := range map[string][]int{"Guardian": guardians, "Enrollment": enrollments, "Student": gone, "Staff": left} {
		if err := redactAudit(ctx, c, typ, ids); err != nil {
			return 0, 0, err
		}
	}
	return len(gone), len(left), nil
}

// unnamedIn is a predicate on a pupil or a member of staff: no row of tables names them in column col.
func unnamedIn[P ~func(*entsql.Selector)](col string, tables ...string) P {
	return func(s *entsql.Selector) {
		for _, t := range tables {
			s.Where(textP(`NOT EXISTS (SELECT 1 FROM "`+t+`" "r" WHERE "r"."`+col+`" = ?)`, column(s.C("id"))))
		}
	}
}

// redactAudit replaces the changes recorded in the audit entries about the records ids of type typ. The
// erasure's own entries are written at its commit, after this, and record no values.
func redactAudit(ctx context.Context, c *ent.Client, typ string, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	query, args := entsql.Dialect(c.Dialect()).Update(auditlog.Table).Set(auditlog.FieldChanges, string(erasedChanges)).
		Where(entsql.And(entsql.EQ(auditlog.FieldEntityType, typ), idsIn(auditlog.FieldEntityID, ids),
			entsql.NEQ(auditlog.FieldOperation, auditlog.OperationDelete))).Query()
	if _, err := c.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("redact the audit of erased %s: %w", typ, err)
	}
	return nil
}
