package checks

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/observationstay"
	"github.com/campushealth/campushealth/ent/staff"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/types"
)

// sentBy is the check that sends people to the observation room: a class's (its pupils) or a staff
// group's (its members). stay starts the stay of one of them, placed where the check sits.
type sentBy struct {
	tenantID, checkID int
	date              string
	submittedBy       *int
	key               func(personID int) string
	stay              func(*ent.ObservationStayCreate, int) *ent.ObservationStayCreate
}

func classSent(chk *ent.ClassCheck) sentBy {
	return sentBy{chk.TenantID, chk.ID, chk.Date, chk.SubmittedByID, stayKey,
		func(s *ent.ObservationStayCreate, id int) *ent.ObservationStayCreate {
			return s.SetStudentID(id).SetClassID(chk.ClassID)
		}}
}

func staffSent(chk *ent.StaffCheck) sentBy {
	return sentBy{chk.TenantID, chk.ID, chk.Date, chk.SubmittedByID, staffStayKey,
		func(s *ent.ObservationStayCreate, id int) *ent.ObservationStayCreate {
			return s.SetStaffID(id).SetStaffGroupID(chk.StaffGroupID)
		}}
}

// openStays opens a stay in the observation room (留观) for each person today's check sends there, unless
// she is in the room already (a correction that names her again joins the open stay). A check of a day
// gone by is history: nobody is in the room now. It runs in the check's transaction with the submitter's
// rights: whoever may do the check may open its stays.
func openStays(ctx context.Context, c *ent.Client, by sentBy, entries []Entry, fever Fever, today string, now time.Time) error {
	if by.date != today {
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
		keys[i] = by.key(e.PersonID)
	}
	open, err := c.ObservationStay.Query().Where(observationstay.OpenKeyIn(keys...)).
		Select(observationstay.FieldOpenKey).Strings(internal(ctx)) // whatever the caller sees: the key is unique
	if err != nil {
		return err
	}
	var create []*ent.ObservationStayCreate
	for i, e := range sent {
		if !slices.Contains(open, keys[i]) {
			create = append(create, by.stay(c.ObservationStay.Create(), e.PersonID).SetTenantID(by.tenantID).
				SetDate(by.date).SetCheckID(by.checkID).SetSymptoms(e.Symptoms).
				SetNillableTemperature(e.Temperature).SetReason(stayReason(e.Symptoms, e.Temperature, fever)).
				SetNillableOpenedByID(by.submittedBy).SetInAt(now).SetOpenKey(keys[i]))
		}
	}
	return c.ObservationStay.CreateBulk(create...).Exec(ctx)
}

func stayKey(studentID int) string    { return "student:" + strconv.Itoa(studentID) }
func staffStayKey(staffID int) string { return "staff:" + strconv.Itoa(staffID) }

// stayReason: a person sent in with a fever (ticked, or read at or above the threshold) is there for the
// fever, any other for the symptoms.
func stayReason(symptoms []string, temperature *float64, fever Fever) observationstay.Reason {
	if hasFever(symptoms, temperature, fever) {
		return observationstay.ReasonFever
	}
	return observationstay.ReasonSymptoms
}

// Admission is a person the health teacher brings into the observation room herself, outside a check: a
// pupil (StudentID) or a staff member (StaffID).
type Admission struct {
	StudentID   int
	StaffID     int
	Reason      observationstay.Reason
	Symptoms    []string
	Temperature *float64
	Note        string // where and how the person was found
}

// Admit opens a stay for a person brought in at now without a check (DOMAIN.md §3.5: a fever read at the
// gate, a pupil found ill in class, a close contact). The person is read with the caller's rights (one it
// cannot see is not found), and only those who run the room may open a stay (for a pupil, her class's
// teachers too); a person in the room already is refused, naming since when.
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
	p, err := admitted(ctx, c, a)
	if err != nil {
		return nil, err
	}
	rules, err := RulesFor(ctx, c, p.school)
	if err != nil {
		return nil, err
	}
	in, err := c.ObservationStay.Query().Where(observationstay.OpenKey(p.key)).Only(internal(ctx))
	switch {
	case err == nil:
		return nil, types.Invalid(p.field, "%s is in the observation room since %s", p.name, in.InAt.In(rules.Location).Format("15:04"))
	case !ent.IsNotFound(err):
		return nil, err
	}
	create := p.stay(c.ObservationStay.Create()).SetTenantID(p.school.ID).SetDate(rules.Today(now)).SetReason(a.Reason).
		SetSymptoms(a.Symptoms).SetNillableTemperature(a.Temperature).SetNote(a.Note).SetInAt(now).SetOpenKey(p.key)
	return create.SetNillableOpenedByID(actor(ctx)).Save(ctx)
}

// admission is the person an Admission names, read with the caller's rights.
type admission struct {
	field, name, key string
	school           *ent.Tenant
	stay             func(*ent.ObservationStayCreate) *ent.ObservationStayCreate
}

func admitted(ctx context.Context, c *ent.Client, a Admission) (*admission, error) {
	switch {
	case (a.StudentID == 0) == (a.StaffID == 0):
		return nil, types.Invalid("studentID", "name a pupil (studentID) or a staff member (staffID)")
	case a.StaffID != 0:
		s, err := c.Staff.Query().Where(staff.ID(a.StaffID)).WithTenant().Only(ctx)
		switch {
		case ent.IsNotFound(err):
			return nil, types.Invalid("staffID", "no such staff member in your school")
		case err != nil:
			return nil, err
		case s.Status != staff.StatusInPost:
			return nil, types.Invalid("staffID", "%s is not in post", s.Name)
		}
		return &admission{"staffID", s.Name, staffStayKey(s.ID), s.Edges.Tenant,
			func(cr *ent.ObservationStayCreate) *ent.ObservationStayCreate { return cr.SetStaffID(s.ID) }}, nil
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
	return &admission{"studentID", p.Name, stayKey(p.ID), p.Edges.Tenant,
		func(cr *ent.ObservationStayCreate) *ent.ObservationStayCreate {
			return cr.SetStudentID(p.ID).SetClassID(*p.ClassID)
		}}, nil
}

// ObservationChange is what the health teacher records of a stay: a reading (temperature, what was seen),
// that the parents were told, and the outcome that ends the stay. Any of them, at least one.
type ObservationChange struct {
	Temperature    *float64
	Note           string
	ParentNotified bool
	Outcome        *observationstay.Outcome
	HandedOverTo   string // with the outcome: who took the person (交接)
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
		return nil, stayEnded(ctx, c, s)
	case ch.Temperature != nil && (*ch.Temperature < MinTemperature || *ch.Temperature > MaxTemperature):
		return nil, types.Invalid("temperature", "%.1f °C is outside %.1f–%.1f °C", *ch.Temperature, MinTemperature, MaxTemperature)
	case len([]rune(ch.Note)) > 512:
		return nil, types.Invalid("note", "at most 512 characters")
	case ch.HandedOverTo != "" && ch.Outcome == nil:
		return nil, types.Invalid("handedOverTo", "say how the stay ended with whom the person was handed over to")
	case len([]rune(ch.HandedOverTo)) > 128:
		return nil, types.Invalid("handedOverTo", "at most 128 characters")
	case ch.Temperature == nil && ch.Note == "" && !ch.ParentNotified && ch.Outcome == nil:
		return nil, types.Invalid("input", "record a reading, that the parents were told, or how the stay ended")
	}
	upd := c.ObservationStay.UpdateOne(s)
	if ch.Temperature != nil || ch.Note != "" {
		upd.AppendReadings([]types.ObservationReading{{At: now, Temperature: ch.Temperature, Note: ch.Note, By: submitter(ctx, c)}})
	}
	// A parent (the family) who takes the person home has been told, whether or not it was recorded before.
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

// stayEnded refuses a change to a closed stay, naming when it ended in the school's time.
func stayEnded(ctx context.Context, c *ent.Client, s *ent.ObservationStay) error {
	if s.OutAt == nil {
		return types.Invalid("id", "the stay has ended")
	}
	school, err := c.Tenant.Get(internal(ctx), s.TenantID)
	if err != nil {
		return err
	}
	return types.Invalid("id", "the stay ended at %s", Clock(*s.OutAt, Location(school)))
}

// observationFigures counts an institution's stays in the observation room opened on date (the day of the
// check that sent the person), as they stand now: still in, or referred on; and how many were staff.
func observationFigures(ictx context.Context, c *ent.Client, tenantID int, date string) (*types.ObservationFigures, error) {
	stays, err := c.ObservationStay.Query().Where(observationstay.TenantID(tenantID), observationstay.Date(date)).
		Select(observationstay.FieldStatus, observationstay.FieldOutcome, observationstay.FieldStaffID).All(ictx)
	if err != nil {
		return nil, err
	}
	f := &types.ObservationFigures{Opened: len(stays)}
	for _, s := range stays {
		if s.StaffID != nil {
			f.Staff++
		}
		switch {
		case s.Status == observationstay.StatusOpen:
			f.StillIn++
		case s.Outcome != nil && (*s.Outcome == observationstay.OutcomeHospital || *s.Outcome == observationstay.OutcomeAmbulance):
			f.Referred++
		}
	}
	return f, nil
}
