package checks

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/types"
)

// openStays opens a stay in the observation room (留观) for each pupil today's check sends there, unless the
// pupil is in the room already (a correction that names the pupil again joins the open stay). A check of a
// day gone by is history: the pupil is not in the room now. It runs in the check's transaction with the
// submitter's rights: whoever may do the class's check may open its stays.
func openStays(ctx context.Context, c *ent.Client, chk *ent.ClassCheck, entries []Entry, fever Fever, today string, now time.Time) error {
	if chk.Date != today {
		return nil
	}
	var sent []Entry
	for _, e := range entries {
		if e.Disposition != nil && *e.Disposition == checkentry.DispositionObservationRoom {
			sent = append(sent, e)
		}
	}
	if len(sent) == 0 {
		return nil
	}
	keys := make([]string, len(sent))
	for i, e := range sent {
		keys[i] = stayKey(e.PersonID)
	}
	open, err := c.ObservationStay.Query().Where(observationstay.OpenKeyIn(keys...)).
		Select(observationstay.FieldStudentID).Ints(internal(ctx)) // whatever the caller sees: the key is unique
	if err != nil {
		return err
	}
	var create []*ent.ObservationStayCreate
	for _, e := range sent {
		if !slices.Contains(open, e.PersonID) {
			create = append(create, c.ObservationStay.Create().SetTenantID(chk.TenantID).SetStudentID(e.PersonID).
				SetClassID(chk.ClassID).SetDate(chk.Date).SetCheckID(chk.ID).SetSymptoms(e.Symptoms).
				SetNillableTemperature(e.Temperature).SetReason(stayReason(e.Symptoms, e.Temperature, fever)).
				SetNillableOpenedByID(chk.SubmittedByID).SetInAt(now).SetOpenKey(stayKey(e.PersonID)))
		}
	}
	return c.ObservationStay.CreateBulk(create...).Exec(ctx)
}

func stayKey(studentID int) string { return "student:" + strconv.Itoa(studentID) }

// stayReason: a pupil sent in with a fever (ticked, or read at or above the threshold) is there for the
// fever, any other for the symptoms.
func stayReason(symptoms []string, temperature *float64, fever Fever) observationstay.Reason {
	if hasFever(symptoms, temperature, fever) {
		return observationstay.ReasonFever
	}
	return observationstay.ReasonSymptoms
}

// Admission is a pupil the health teacher brings into the observation room herself, outside a check.
type Admission struct {
	StudentID   int
	Reason      observationstay.Reason
	Symptoms    []string
	Temperature *float64
	Note        string // where and how the pupil was found
}

// Admit opens a stay for a pupil brought in at now without a check (DOMAIN.md §3.5: a fever read at the
// gate, a pupil found ill in class, a close contact). The pupil is read with the caller's rights (one it
// cannot see is not found), and only those who run the room may open a stay; a pupil in the room already
// is refused, naming since when.
func Admit(ctx context.Context, c *ent.Client, a Admission, now time.Time) (*ent.ObservationStay, error) {
	if err := observationstay.ReasonValidator(a.Reason); err != nil {
		return nil, types.Invalid("reason", "%v", err)
	}
	if a.Temperature != nil && (*a.Temperature < MinTemperature || *a.Temperature > MaxTemperature) {
		return nil, types.Invalid("temperature", "%.1f °C is outside %.1f–%.1f °C", *a.Temperature, MinTemperature, MaxTemperature)
	}
	for _, sym := range a.Symptoms {
		if !slices.Contains(Symptoms, sym) {
			return nil, types.Invalid("symptoms", "unknown symptom %q", sym)
		}
	}
	if len([]rune(a.Note)) > 256 {
		return nil, types.Invalid("note", "at most 256 characters")
	}
	p, err := c.Student.Query().Where(student.ID(a.StudentID)).WithTenant().Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return nil, types.Invalid("studentID", "no such pupil in your scope")
	case err != nil:
		return nil, err
	case p.Status != student.StatusAttending || p.ClassID == nil:
		return nil, types.Invalid("studentID", "%s is not attending", p.Name)
	}
	rules, err := RulesFor(ctx, c, p.Edges.Tenant)
	if err != nil {
		return nil, err
	}
	in, err := c.ObservationStay.Query().Where(observationstay.OpenKey(stayKey(p.ID))).Only(internal(ctx))
	switch {
	case err == nil:
		return nil, types.Invalid("studentID", "%s is in the observation room since %s", p.Name, in.InAt.In(rules.Location).Format("15:04"))
	case !ent.IsNotFound(err):
		return nil, err
	}
	create := c.ObservationStay.Create().SetTenantID(p.TenantID).SetStudentID(p.ID).SetClassID(*p.ClassID).
		SetDate(rules.Today(now)).SetReason(a.Reason).SetSymptoms(a.Symptoms).SetNillableTemperature(a.Temperature).
		SetNote(a.Note).SetInAt(now).SetOpenKey(stayKey(p.ID))
	return create.SetNillableOpenedByID(actor(ctx)).Save(ctx)
}

// ObservationChange is what the health teacher records of a stay: a reading (temperature, what was seen),
// that the parents were told, and the outcome that ends the stay. Any of them, at least one.
type ObservationChange struct {
	Temperature    *float64
	Note           string
	ParentNotified bool
	Outcome        *observationstay.Outcome
	HandedOverTo   string // with the outcome: who took the pupil (交接)
}

// UpdateObservation records ch on a stay at now. The stay is read and changed with the caller's rights:
// one it cannot see is not found, and only those who run the room (the health teacher, the epidemic
// reporter) may change it.
func UpdateObservation(ctx context.Context, c *ent.Client, id int, ch ObservationChange, now time.Time) (*ent.ObservationStay, error) {
	s, err := c.ObservationStay.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case s.Status == observationstay.StatusClosed:
		return nil, types.Invalid("id", "the stay ended at %s", s.OutAt.Format(time.RFC3339))
	case ch.Temperature != nil && (*ch.Temperature < MinTemperature || *ch.Temperature > MaxTemperature):
		return nil, types.Invalid("temperature", "%.1f °C is outside %.1f–%.1f °C", *ch.Temperature, MinTemperature, MaxTemperature)
	case len([]rune(ch.Note)) > 512:
		return nil, types.Invalid("note", "at most 512 characters")
	case ch.HandedOverTo != "" && ch.Outcome == nil:
		return nil, types.Invalid("handedOverTo", "say how the stay ended with whom the pupil was handed over to")
	case len([]rune(ch.HandedOverTo)) > 128:
		return nil, types.Invalid("handedOverTo", "at most 128 characters")
	case ch.Temperature == nil && ch.Note == "" && !ch.ParentNotified && ch.Outcome == nil:
		return nil, types.Invalid("input", "record a reading, that the parents were told, or how the stay ended")
	}
	upd := c.ObservationStay.UpdateOne(s)
	if ch.Temperature != nil || ch.Note != "" {
		upd.AppendReadings([]types.ObservationReading{{At: now, Temperature: ch.Temperature, Note: ch.Note, By: submitter(ctx, c)}})
	}
	// A parent who takes the pupil home has been told, whether or not it was recorded before.
	told := ch.ParentNotified || (ch.Outcome != nil && *ch.Outcome == observationstay.OutcomeCollectedByParent)
	if told && s.ParentNotifiedAt == nil {
		upd.SetParentNotifiedAt(now)
	}
	if ch.Outcome != nil {
		upd.SetOutcome(*ch.Outcome).SetOutAt(now).SetStatus(observationstay.StatusClosed).ClearOpenKey().
			SetNillableClosedByID(actor(ctx))
		if ch.HandedOverTo != "" {
			upd.SetHandedOverTo(ch.HandedOverTo)
		}
	}
	return upd.Save(ctx)
}

// observationFigures counts an institution's stays in the observation room opened on date (the day of the
// check that sent the pupil), as they stand now: still in, or referred on.
func observationFigures(ictx context.Context, c *ent.Client, tenantID int, date string) (*types.ObservationFigures, error) {
	stays, err := c.ObservationStay.Query().Where(observationstay.TenantID(tenantID), observationstay.Date(date)).
		Select(observationstay.FieldStatus, observationstay.FieldOutcome).All(ictx)
	if err != nil {
		return nil, err
	}
	f := &types.ObservationFigures{Opened: len(stays)}
	for _, s := range stays {
		switch {
		case s.Status == observationstay.StatusOpen:
			f.StillIn++
		case s.Outcome != nil && (*s.Outcome == observationstay.OutcomeHospital || *s.Outcome == observationstay.OutcomeAmbulance):
			f.Referred++
		}
	}
	return f, nil
}
