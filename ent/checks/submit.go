package checks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/exemption"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/rule"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Symptoms is the checklist (DOMAIN.md §2.2).
var Symptoms = []string{
	"fever", "cough", "sore_throat", "headache", "fatigue", "vomiting", "diarrhoea", "abdominal_pain",
	"rash", "conjunctivitis", "parotid_swelling", "runny_nose", "other",
}

// FeverThreshold: a temperature at or above it is abnormal.
const FeverThreshold = 37.3

// Entry is one exception line: an absent student, or a present one with symptoms.
type Entry struct {
	StudentID   int
	Kind        checkentry.Kind
	AbsenceType *checkentry.AbsenceType
	Symptoms    []string
	Temperature *float64
	DoctorSeen  bool
	Disposition *checkentry.Disposition
	Note        string
}

// Report is what a teacher submits for a class, date and session. A zero report has no entries and
// everyone present; Enrolled 0 means "the class roster".
type Report struct {
	ClassID        int
	Date           string
	Session        Session
	Enrolled       int
	Present        int
	Zero           bool
	Entries        []Entry
	AmendReason    string
	IdempotencyKey string
}

// Submit validates a report and records it as the class's current check for the date and session. The
// same report sent again (a phone on a weak network) returns the stored check and writes nothing; a
// different one becomes a new version, the old one kept, flagged as an amendment after the deadline.
// It runs in the caller's transaction when there is one (a GraphQL mutation), else in its own.
func Submit(ctx context.Context, client *ent.Client, r Report, now time.Time) (*ent.ClassCheck, error) {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return submit(ctx, tx.Client(), r, now)
	}
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	chk, err := submit(ent.NewTxContext(ctx, tx), tx.Client(), r, now)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return chk, tx.Commit()
}

func submit(ctx context.Context, c *ent.Client, r Report, now time.Time) (*ent.ClassCheck, error) {
	// The class, read with the caller's rights (a class outside the caller's scope is "not found"), with its
	// school, the date's calendar and the class's exemptions: one statement.
	var rows []school
	err := c.Class.Query().Where(class.ID(r.ClassID)).
		Modify(withSchool, withCalendar(r.Date, schoolID), withExemption(r.ClassID, r.Date, r.Session)).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, types.Invalid("classID", "no such class in your scope")
	}
	sc := &rows[0]
	t := &sc.Tenant
	if err := validateWhen(sc, r, now); err != nil {
		return nil, err
	}
	cl := struct{ ID, TenantID int }{sc.ClassID, t.ID}
	// The class was read above, and a row's tenant never changes: the tenant rule on the edges of the new
	// check, its lines, follow-ups and alerts to the class need not read it again.
	ctx = rule.WithKnown(ctx, cl.ID, rule.Known{TenantID: cl.TenantID})
	pupils, err := c.Student.Query().Where(student.ClassID(cl.ID), student.StatusEQ(student.StatusAttending)).
		Select(student.FieldID, student.FieldTenantID).All(ctx)
	if err != nil {
		return nil, err
	}
	roster := make([]int, len(pupils))
	for i, p := range pupils {
		roster[i] = p.ID
	}
	if r.Enrolled == 0 {
		r.Enrolled = len(roster)
	}
	if r.Zero {
		if len(r.Entries) > 0 {
			return nil, types.Invalid("entries", "a zero report has no absences or symptoms")
		}
		r.Present = r.Enrolled
	}
	counts, err := validateEntries(r, roster)
	if err != nil {
		return nil, err
	}
	hash := contentHash(r)

	prev, err := c.ClassCheck.Query().
		Where(classcheck.ClassID(cl.ID), classcheck.Date(r.Date), classcheck.SessionEQ(r.Session), classcheck.Current(true)).
		Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	if prev != nil && (prev.ContentHash == hash || (r.IdempotencyKey != "" && prev.IdempotencyKey == r.IdempotencyKey)) {
		return prev, nil // the same report again: nothing changes
	}
	deadline, err := Deadline(t, r.Date, r.Session)
	if err != nil {
		return nil, types.Invalid("session", "%v", err)
	}
	onTime := !now.After(deadline)
	version := 1
	if prev != nil {
		version = prev.Version + 1
		if !onTime && r.AmendReason == "" {
			return nil, types.Invalid("amendReason", "say why the report is corrected after the deadline")
		}
		if err := c.ClassCheck.UpdateOne(prev).SetCurrent(false).Exec(ctx); err != nil {
			return nil, err
		}
	}
	v := viewer.FromContext(ctx)
	name := v.Label
	switch {
	case v.DisplayName != "":
		name = v.DisplayName // the user's name, read when the request was authenticated (actor)
	case v.UserID != 0: // a viewer made by hand, without the name
		if u, err := c.User.Get(privacy.DecisionContext(ctx, privacy.Allow), v.UserID); err == nil {
			name = u.DisplayName
		}
	}
	create := c.ClassCheck.Create().SetTenantID(t.ID).SetClassID(cl.ID).SetDate(r.Date).SetSession(r.Session).
		SetVersion(version).SetZeroReport(r.Zero).SetEnrolled(r.Enrolled).SetPresent(r.Present).
		SetAbsentIllness(counts.illness).SetAbsentOther(counts.other).SetSymptomatic(counts.symptomatic).
		SetAbnormalTemperature(counts.fever).SetSubmittedBy(name).SetSubmittedAt(now).SetOnTime(onTime).
		SetAmendment(prev != nil && !onTime).SetContentHash(hash)
	if v.UserID != 0 {
		create.SetSubmittedByID(v.UserID)
	}
	if r.AmendReason != "" {
		create.SetAmendReason(r.AmendReason)
	}
	if r.IdempotencyKey != "" {
		create.SetIdempotencyKey(r.IdempotencyKey)
	}
	chk, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	if len(r.Entries) > 0 {
		// The lines' edges point at the check just written and at pupils just read from the roster.
		ctx = rule.WithKnown(ctx, chk.ID, rule.Known{TenantID: chk.TenantID, ClassID: chk.ClassID})
		for _, p := range pupils {
			if slices.ContainsFunc(r.Entries, func(e Entry) bool { return e.StudentID == p.ID }) {
				ctx = rule.WithKnown(ctx, p.ID, rule.Known{TenantID: p.TenantID})
			}
		}
		lines := make([]*ent.CheckEntryCreate, len(r.Entries))
		for i, e := range r.Entries {
			lines[i] = c.CheckEntry.Create().SetTenantID(t.ID).SetCheckID(chk.ID).SetStudentID(e.StudentID).
				SetKind(e.Kind).SetNillableAbsenceType(e.AbsenceType).SetSymptoms(e.Symptoms).
				SetNillableTemperature(e.Temperature).SetDoctorSeen(e.DoctorSeen).
				SetNillableDisposition(e.Disposition).SetNote(e.Note)
		}
		if err := c.CheckEntry.CreateBulk(lines...).Exec(ctx); err != nil {
			return nil, err
		}
	}
	if err := afterSubmit(ctx, c, t, cl.ID, r.Date, r.Entries, now); err != nil {
		return nil, err
	}
	return chk, nil
}

// school is what submit reads of a class: its tenant (all of it), the class's closing day, the calendar of the
// date (withCalendar) and the number of exemptions excusing the class from the session (withExemption).
type school struct {
	ent.Tenant
	ClassID       int        `sql:"class_id"`
	ClassClosedOn *time.Time `sql:"class_closed_on"`
	CalendarKind  *string    `sql:"calendar_kind"`
	Terms         int        `sql:"calendar_terms"`
	Covering      int        `sql:"calendar_covering"`
	Exemptions    int        `sql:"exemptions"`
}

// schoolTable is the alias of the class's tenant in withSchool.
const schoolTable = "school"

// withSchool makes a query of classes return the class's tenant, every column of it, with the class's ID
// and closing day (see school). The class's privacy filter still applies: only a class the caller may read
// comes back, and with it its school.
func withSchool(s *entsql.Selector) {
	t := entsql.Table(tenant.Table).As(schoolTable)
	s.Join(t).On(s.C(class.FieldTenantID), t.C(tenant.FieldID))
	cols := make([]string, len(tenant.Columns))
	for i, c := range tenant.Columns {
		cols[i] = t.C(c)
	}
	s.Select(cols...)
	s.AppendSelectAs(s.C(class.FieldID), "class_id").AppendSelectAs(s.C(class.FieldClosedOn), "class_closed_on")
}

// schoolID is the tenant ID column of withSchool's join, for withCalendar.
func schoolID(*entsql.Selector) string {
	return entsql.Table(tenant.Table).As(schoolTable).C(tenant.FieldID)
}

// validateWhen: a date that has come, a session the school holds, a school day, and no exemption.
func validateWhen(sc *school, r Report, now time.Time) error {
	t := &sc.Tenant
	if _, err := time.Parse(time.DateOnly, r.Date); err != nil {
		return types.Invalid("date", "use a date as YYYY-MM-DD")
	}
	if r.Date > Today(t, now) {
		return types.Invalid("date", "%s is in the future", r.Date)
	}
	if !slices.Contains(Sessions(t), r.Session) {
		return types.Invalid("session", "%s holds no %s check", t.Name, r.Session)
	}
	if sc.ClassClosedOn != nil && r.Date >= sc.ClassClosedOn.In(Location(t)).Format(time.DateOnly) {
		return types.Invalid("classID", "the class was closed on %s", sc.ClassClosedOn.Format(time.DateOnly))
	}
	schoolDay, err := calendarOf(sc.CalendarKind, sc.Terms, sc.Covering).schoolDay(r.Date)
	if err != nil {
		return err
	}
	if !schoolDay {
		return types.Invalid("date", "%s is not a school day", r.Date)
	}
	if sc.Exemptions > 0 {
		return types.Invalid("session", "the class is exempted from the %s check on %s", r.Session, r.Date)
	}
	return nil
}

// withExemption adds to a query of tenants how many exemptions excuse the class from the session's check
// on date (column "exemptions"). Like the calendar, exemptions are read without the caller's rights: the
// caller was checked on the class.
func withExemption(classID int, date string, session Session) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		ex := entsql.Table(exemption.Table)
		s.AppendSelectExprAs(entsql.Select(entsql.Count("*")).From(ex).Where(entsql.And(
			entsql.EQ(ex.C(exemption.FieldClassID), classID), entsql.EQ(ex.C(exemption.FieldDate), date),
			entsql.Or(entsql.IsNull(ex.C(exemption.FieldSession)), entsql.EQ(ex.C(exemption.FieldSession), string(session))),
		)), "exemptions")
	}
}

type tally struct{ illness, other, symptomatic, fever int }

// validateEntries checks every line against the class roster and the counts against each other.
func validateEntries(r Report, roster []int) (tally, error) {
	var t tally
	seen := map[[2]any]bool{}
	absent := 0
	for i, e := range r.Entries {
		at := func(f string) string { return fmt.Sprintf("entries[%d].%s", i, f) }
		if !slices.Contains(roster, e.StudentID) {
			return t, types.Invalid(at("studentID"), "student %d is not in this class", e.StudentID)
		}
		key := [2]any{e.StudentID, e.Kind}
		if seen[key] {
			return t, types.Invalid(at("studentID"), "student %d is listed twice as %s", e.StudentID, e.Kind)
		}
		seen[key] = true
		for _, s := range e.Symptoms {
			if !slices.Contains(Symptoms, s) {
				return t, types.Invalid(at("symptoms"), "unknown symptom %q", s)
			}
		}
		if e.Temperature != nil {
			if *e.Temperature < 34.0 || *e.Temperature > 43.0 {
				return t, types.Invalid(at("temperature"), "%.1f °C is outside 34.0–43.0 °C", *e.Temperature)
			}
			if *e.Temperature >= FeverThreshold {
				t.fever++
			}
		}
		switch e.Kind {
		case checkentry.KindAbsent:
			absent++
			if e.AbsenceType == nil {
				return t, types.Invalid(at("absenceType"), "say why the student is absent")
			}
			if *e.AbsenceType == checkentry.AbsenceTypeSickLeave {
				t.illness++
			} else {
				t.other++
			}
		case checkentry.KindSymptomatic:
			t.symptomatic++
			if len(e.Symptoms) == 0 && e.Temperature == nil {
				return t, types.Invalid(at("symptoms"), "name the symptoms or the temperature")
			}
		}
	}
	switch {
	case r.Enrolled < 0 || r.Present < 0:
		return t, types.Invalid("present", "counts cannot be negative")
	case r.Present+absent != r.Enrolled:
		return t, types.Invalid("present", "present (%d) and absent (%d) do not add up to enrolled (%d)", r.Present, absent, r.Enrolled)
	}
	return t, nil
}

// contentHash identifies a report's content, so resending it is recognised.
func contentHash(r Report) string {
	r.IdempotencyKey, r.AmendReason, r.Entries = "", "", slices.Clone(r.Entries)
	slices.SortFunc(r.Entries, func(a, b Entry) int {
		if a.StudentID != b.StudentID {
			return a.StudentID - b.StudentID
		}
		return compare(string(a.Kind), string(b.Kind))
	})
	b, _ := json.Marshal(r)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
