package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs/notify"
)

// TypeStay reminds those who run the observation room of a pupil or a staff member who has been in it too long.
const TypeStay = "stay"

// A stay is for watching a pupil, not for keeping one: after the school's stay limit (checks.Rules.StayLimit,
// two hours unless set) the health teacher and the epidemic reporter are reminded, once, to release the
// pupil (back to class, home or to hospital) — DOMAIN.md §3.6, release on time. A stay open longer than
// StayLookback is a record left open, not a child in the room, and is no longer looked for. No school sets
// a limit under MinStayLimit, so younger stays are not read.
const (
	StayLookback = 24 * time.Hour
	MinStayLimit = 30 * time.Minute
)

// StayReminder finds the stays open too long and reminds the room.
type StayReminder struct {
	Client *ent.Client
	Notify *notify.Service
	Now    Clock // nil: the wall clock
}

// Due is the dispatcher's finder: the stays still open that began within StayLookback and longer ago than
// their school's stay limit. The open stays of a day are few: read with their schools, then judged by each
// school's rules (one more query for all of them).
func (s *StayReminder) Due(ctx context.Context, now time.Time) ([]Due, error) {
	ctx = privacy.DecisionContext(viewer.NewContext(ctx, viewer.System("dispatch")), privacy.Allow)
	stays, err := s.Client.ObservationStay.Query().Where(observationstay.StatusEQ(observationstay.StatusOpen),
		observationstay.InAtLTE(now.Add(-MinStayLimit)), observationstay.InAtGT(now.Add(-StayLookback))).
		Select(observationstay.FieldID, observationstay.FieldTenantID, observationstay.FieldInAt).WithTenant().All(ctx)
	if err != nil || len(stays) == 0 {
		return nil, err
	}
	var schools []*ent.Tenant
	for _, st := range stays {
		if !slices.ContainsFunc(schools, func(t *ent.Tenant) bool { return t.ID == st.TenantID }) {
			schools = append(schools, st.Edges.Tenant)
		}
	}
	rules, err := checks.RulesOf(ctx, s.Client, schools)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, st := range stays {
		if !st.InAt.After(now.Add(-rules[st.TenantID].StayLimit)) {
			ids = append(ids, st.ID)
		}
	}
	return rowTasks(TypeStay, ids, asynq.Retention(StayLookback+2*time.Hour), asynq.MaxRetry(10), asynq.Timeout(time.Minute)), nil
}

// ProcessTask reminds the room of one stay, unless it has ended meanwhile. The message's dedupe key sends
// it once, however often the stay is found.
func (s *StayReminder) ProcessTask(ctx context.Context, t *asynq.Task) error {
	ctx, id, err := rowOf(ctx, t)
	if err != nil {
		return err
	}
	st, err := s.Client.ObservationStay.Query().Where(observationstay.ID(id)).
		WithTenant().WithStudent().WithClass().WithStaff().WithStaffGroup().Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Status != observationstay.StatusOpen {
		return nil
	}
	school := st.Edges.Tenant
	users, err := recipients(ctx, s.Client, school.ID, []authz.Role{authz.HealthTeacher, authz.EpidemicReporter}, nil, s.Now.orWall()())
	if err != nil || len(users) == 0 {
		return err
	}
	// A pupil with her class, or a staff member with the group whose check sent her (none if brought in).
	data := map[string]any{"Since": st.InAt.In(checks.Location(school)).Format("15:04"), "Staff": st.Edges.Staff != nil}
	switch e := st.Edges; {
	case e.Student != nil:
		data["Person"], data["Unit"] = e.Student.Name, e.Class.Name
	case e.Staff != nil:
		data["Person"], data["Unit"] = e.Staff.Name, ""
		if e.StaffGroup != nil {
			data["Unit"] = e.StaffGroup.Name
		}
	}
	_, err = s.Notify.Send(ctx, notify.Message{TenantID: school.ID, UserIDs: users, Template: "observation.long", Data: data,
		DedupeKey: fmt.Sprintf("stay:%d:long", st.ID), Ref: fmt.Sprintf("stay:%d", st.ID)})
	return err
}

// HandleStays lets the worker remind the observation room.
func (w *Worker) HandleStays(s *StayReminder) { w.mux.Handle(TypeStay, s) }
