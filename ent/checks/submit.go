package checks

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/followup"
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
	"rash", "conjunctivitis", "parotid_swelling", "runny_nose", "short_breath", "phlegm", "dizziness", "jaundice", "other",
}

// Entry is one exception line: an absent student, or a present one with symptoms.
type Entry struct {
	PersonID    int // the pupil (class check) or the staff member (staff check)
	Kind        checkentry.Kind
	AbsenceType *checkentry.AbsenceType
	Symptoms    []string
	Temperature *float64
	// Recheck is the re-read of a fever reading with a mercury thermometer (DOMAIN.md §4); once the report is
	// prepared it is the Temperature that counts, and FirstTemperature the reading it re-read.
	Recheck          *float64 `json:",omitempty"`
	FirstTemperature *float64 `json:",omitempty"`
	DoctorSeen       bool
	Disposition      *checkentry.Disposition
	Note             string
}

// sickLeave: the line is an absence for illness (病假), which opens a follow-up.
func (e Entry) sickLeave() bool {
	return e.Kind == checkentry.KindAbsent && e.AbsenceType != nil && *e.AbsenceType == checkentry.AbsenceTypeSickLeave
}

// actor is the signed-in user acting in ctx, for the columns that record who did something; nil for the
// system (a job) or an API token.
func actor(ctx context.Context) *int {
	if v := viewer.FromContext(ctx); v != nil && v.UserID != 0 {
		return &v.UserID
	}
	return nil
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
	return inTx(ctx, client, func(ctx context.Context, c *ent.Client) (*ent.ClassCheck, error) { return submit(ctx, c, r, now) })
}

// recompileKey carries the function a submission calls when its school's daily report is already compiled.
type recompileKey struct{}

// Recompile is called, inside the submission's transaction, for a check (or an exemption) that reaches a
// school whose daily report for its date is already compiled: the report must be compiled again as a new
// version. sourceID names the row that changed it.
type Recompile func(ctx context.Context, tenantID int, date string, sourceID int)

// OnCompiledReport returns a context under which Submit and SubmitStaff call fn for a check that arrives
// after the school's daily report for its date was compiled (a late or corrected report). Submit learns
// it in the statement that reads the class, so asking costs nothing.
func OnCompiledReport(ctx context.Context, fn Recompile) context.Context {
	return context.WithValue(ctx, recompileKey{}, fn)
}

// recompile calls the context's Recompile, if any.
func recompile(ctx context.Context, tenantID int, date string, sourceID int) {
	if fn, _ := ctx.Value(recompileKey{}).(Recompile); fn != nil {
		fn(ctx, tenantID, date, sourceID)
	}
}

// recompileIfCompiled asks for the recompile (recompile) when the school's daily report for date exists:
// for a source that learns it by a query of its own (Submit reads it with the class instead).
func recompileIfCompiled(ctx context.Context, c *ent.Client, tenantID int, date string, sourceID int) error {
	if ctx.Value(recompileKey{}) == nil {
		return nil // nobody asked: save the query
	}
	compiled, err := c.DailyReport.Query().Where(dailyreport.TenantID(tenantID), dailyreport.KindEQ(dailyreport.KindSchool),
		dailyreport.Date(date)).Exist(internal(ctx))
	if err == nil && compiled {
		recompile(ctx, tenantID, date, sourceID)
	}
	return err
}

// Exempt records an exemption of a class (read with the caller's rights: the data layer decides who may)
// and, when the school's daily report for the date is already compiled, asks for it to be compiled again
// (OnCompiledReport): the class turns from missing to exempted in a new version. A date past the school's
// edit window is closed to exemptions as to reports: it would change the date's denominators after the fact.
func Exempt(ctx context.Context, c *ent.Client, create *ent.ExemptionCreate, now time.Time) (*ent.Exemption, error) {
	m := create.Mutation()
	classID, okClass := m.ClassID()
	date, okDate := m.Date()
	if okClass && okDate {
		// Read with the caller's rights: another school's class is the create's to refuse, not a window to tell.
		t, err := c.Class.Query().Where(class.ID(classID)).QueryTenant().Only(ctx)
		if err != nil && !ent.IsNotFound(err) { // an unknown class is the create's to refuse
			return nil, err
		}
		if t != nil {
			rules, err := RulesFor(ctx, c, t)
			if err != nil {
				return nil, err
			}
			if err := rules.Editable(date, now); err != nil {
				return nil, err
			}
		}
	}
	ex, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	return ex, recompileIfCompiled(ctx, c, ex.TenantID, ex.Date, ex.ID)
}

// inTx runs fn in the caller's transaction when there is one, else in its own: all or nothing.
func inTx[T any](ctx context.Context, client *ent.Client, fn func(context.Context, *ent.Client) (T, error)) (T, error) {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return fn(ctx, tx.Client())
	}
	var zero T
	tx, err := client.Tx(ctx)
	if err != nil {
		return zero, err
	}
	v, err := fn(ent.NewTxContext(ctx, tx), tx.Client())
	if err != nil {
		_ = tx.Rollback()
		return zero, err
	}
	return v, tx.Commit()
}

func submit(ctx context.Context, c *ent.Client, r Report, now time.Time) (*ent.ClassCheck, error) {
	// The class, read with the caller's rights (a class outside the caller's scope is "not found"), with its
	// school, the date's calendar, the class's exemptions, its current check for the session, the size of its
	// roster and whether the school's daily report is compiled: one statement.
	// Select(class.FieldID): ent builds its selection before withSchool replaces it, and one column is
	// cheaper to build than all of them.
	var rows []school
	err := c.Class.Query().Where(class.ID(r.ClassID)).Select(class.FieldID).
		Modify(withSchool, withCalendar(r.Date, schoolID), withExemption(r.ClassID, r.Date, r.Session), withCurrent(r),
			withSettingsStamp(schoolID, schoolParentID)).ScanRows(ctx, func(rs *entsql.Rows) (err error) {
		rows, err = scanSchools(rs)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, types.Invalid("classID", "no such class in your scope")
	}
	sc := &rows[0]
	t := &sc.Tenant
	rules, err := rulesStamped(ctx, c, t, sc.settingsStamp())
	if err != nil {
		return nil, err
	}
	if err := validateWhen(sc, rules, r, now); err != nil {
		return nil, err
	}
	cl := struct{ ID, TenantID int }{sc.ClassID, t.ID}
	// The class was read above, and a row's tenant never changes: the tenant rule on the edges of the new
	// check, its lines, follow-ups and alerts to the class need not read it again.
	ctx = rule.WithKnown(ctx, cl.ID, rule.Known{TenantID: cl.TenantID})
	// A report without lines needs only the roster's size, which the statement above counted.
	var pupils []*ent.Student
	if len(r.Entries) > 0 {
		pupils, err = c.Student.Query().Where(student.ClassID(cl.ID), student.StatusEQ(student.StatusAttending)).
			Select(student.FieldID, student.FieldTenantID, student.FieldBoarder, student.FieldDormRoom).All(ctx)
		if err != nil {
			return nil, err
		}
	}
	roster := make([]int, len(pupils))
	for i, p := range pupils {
		roster[i] = p.ID
	}
	counts, hash, err := prepare(&r, sc.Pupils, roster, rules, classSheet)
	if err != nil {
		return nil, err
	}
	next, err := decide(r, hash, sc.current(), rules, now)
	if err != nil {
		return nil, err
	}
	if next.same {
		return c.ClassCheck.Get(ctx, *sc.CurrentID) // the same report again: nothing changes
	}
	if sc.AwaitingClearance > 0 {
		if err := notCleared(ctx, c, sc.ClassID, r); err != nil {
			return nil, err
		}
	}
	onTime, version := next.onTime, next.version
	amends := sc.CurrentID != nil
	if amends {
		if err := c.ClassCheck.UpdateOneID(*sc.CurrentID).SetCurrent(false).Exec(ctx); err != nil {
			return nil, err
		}
	}
	name := submitter(ctx, c)
	create := c.ClassCheck.Create().SetTenantID(t.ID).SetClassID(cl.ID).SetDate(r.Date).SetSession(r.Session).
		SetVersion(version).SetZeroReport(r.Zero).SetEnrolled(r.Enrolled).SetPresent(r.Present).
		SetAbsentIllness(counts.illness).SetAbsentOther(counts.other).SetSymptomatic(counts.symptomatic).
		SetAbnormalTemperature(counts.fever).SetSubmittedBy(name).SetSubmittedAt(now).SetOnTime(onTime).
		SetAmendment(amends && !onTime).SetContentHash(hash).SetNillableSubmittedByID(actor(ctx))
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
			if slices.ContainsFunc(r.Entries, func(e Entry) bool { return e.PersonID == p.ID }) {
				ctx = rule.WithKnown(ctx, p.ID, rule.Known{TenantID: p.TenantID})
			}
		}
		lines := make([]*ent.CheckEntryCreate, len(r.Entries))
		for i, e := range r.Entries {
			lines[i] = c.CheckEntry.Create().SetTenantID(t.ID).SetCheckID(chk.ID).SetStudentID(e.PersonID).
				SetKind(e.Kind).SetNillableAbsenceType(e.AbsenceType).SetSymptoms(e.Symptoms).
				SetNillableTemperature(e.Temperature).SetNillableFirstTemperature(e.FirstTemperature).SetDoctorSeen(e.DoctorSeen).
				SetNillableDisposition(e.Disposition).SetNote(e.Note)
		}
		if err := c.CheckEntry.CreateBulk(lines...).Exec(ctx); err != nil {
			return nil, err
		}
	}
	if err := afterSubmit(ctx, c, t, rules, cl.ID, r.Date, r.Entries, dormsOf(pupils, r.Entries), now); err != nil {
		return nil, err
	}
	if err := openStays(ctx, c, classSent(chk), r.Entries, rules.Fever(), rules.Today(now), now); err != nil {
		return nil, err
	}
	if sc.Compiled > 0 {
		recompile(ctx, chk.TenantID, chk.Date, chk.ID)
	}
	return chk, nil
}

// notCleared refuses a report that counts present and well a pupil of the class who still awaits the
// health teacher's return-to-class clearance after an illness absence of an earlier day (DOMAIN.md §3.7:
// nobody returns before the certificate and the isolation period are checked). The report must name her:
// absent, or present with symptoms (sent to the health teacher).
func notCleared(ctx context.Context, c *ent.Client, classID int, r Report) error {
	fus, err := c.FollowUp.Query().Where(followup.StatusEQ(followup.StatusOpen), followup.ClearanceEQ(followup.ClearanceRequired),
		followup.DateLT(r.Date), followup.HasStudentWith(student.ClassID(classID), student.StatusEQ(student.StatusAttending))).
		Order(ent.Asc(followup.FieldDate)).WithStudent(func(q *ent.StudentQuery) { q.Select(student.FieldID, student.FieldName) }).
		All(internal(ctx)) // the pupils of a class the caller reports for, whichever class the absence was in
	if err != nil {
		return err
	}
	var unnamed []string
	for _, f := range fus {
		if !slices.ContainsFunc(r.Entries, func(e Entry) bool { return e.PersonID == f.StudentID }) {
			unnamed = append(unnamed, fmt.Sprintf("%s (%s)", f.Edges.Student.Name, f.Date))
		}
	}
	if len(unnamed) > 0 {
		return types.Invalid("entries", "not yet cleared to return to class after an illness absence: %s; report them absent "+
			"(or with symptoms, sent to the health teacher), or the health teacher clears their return first", strings.Join(unnamed, "、"))
	}
	return nil
}

// dormsOf are the dorm rooms of the boarders among pupils that the report's lines name, each once.
func dormsOf(pupils []*ent.Student, entries []Entry) []string {
	var rooms []string
	for _, p := range pupils {
		if p.Boarder && p.DormRoom != "" && !slices.Contains(rooms, p.DormRoom) &&
			slices.ContainsFunc(entries, func(e Entry) bool { return e.PersonID == p.ID }) {
			rooms = append(rooms, p.DormRoom)
		}
	}
	return rooms
}

// prepare fills in a report's defaults (enrolled from the roster's size; a zero report has everyone
// present), validates its lines against the roster and returns their tally and the report's content hash.
func prepare(r *Report, size int, roster []int, rules Rules, sh sheet) (tally, string, error) {
	if r.Enrolled == 0 {
		r.Enrolled = size
	}
	if r.Zero {
		if len(r.Entries) > 0 {
			return tally{}, "", types.Invalid("entries", "a zero report has no absences or symptoms")
		}
		r.Present = r.Enrolled
	}
	counts, err := validateEntries(*r, roster, rules.Fever(), rules.RequireRecheck, sh)
	hash := contentHash(*r)
	for i, e := range r.Entries { // the re-check decides (DOMAIN.md §4)
		if e.Recheck != nil {
			r.Entries[i].FirstTemperature, r.Entries[i].Temperature, r.Entries[i].Recheck = e.Temperature, e.Recheck, nil
		}
	}
	return counts, hash, err
}

// versionOf is what decides between a resend and a new version: the current version's number and keys.
type versionOf struct {
	number    int
	hash, key string
}

type nextVersion struct {
	same    bool // a resend: return the stored version, write nothing
	version int
	onTime  bool
}

// decide: the same content (or idempotency key) again is a resend; otherwise the next version, on time
// or not by the session's deadline, and a correction after the deadline must say why. The edit window bars
// new versions, not resends: a phone replaying a report it sent in time gets the stored one (DOMAIN.md §6.4)
// whenever its retry comes.
func decide(r Report, hash string, prev *versionOf, rules Rules, now time.Time) (nextVersion, error) {
	if prev != nil && (prev.hash == hash || (r.IdempotencyKey != "" && prev.key == r.IdempotencyKey)) {
		return nextVersion{same: true}, nil
	}
	if err := rules.Editable(r.Date, now); err != nil {
		return nextVersion{}, err
	}
	deadline, err := rules.Deadline(r.Date, r.Session)
	if err != nil {
		return nextVersion{}, types.Invalid("session", "%v", err)
	}
	n := nextVersion{version: 1, onTime: !now.After(deadline)}
	if prev != nil {
		n.version = prev.number + 1
		if !n.onTime && r.AmendReason == "" {
			return nextVersion{}, types.Invalid("amendReason", "say why the report is corrected after the deadline")
		}
	}
	return n, nil
}

// submitter is the name the check sheet shows for the caller: the user's display name, else its label.
func submitter(ctx context.Context, c *ent.Client) string {
	v := viewer.FromContext(ctx)
	if v.DisplayName != "" {
		return v.DisplayName // read when the request was authenticated (actor)
	}
	if v.UserID != 0 { // a viewer made by hand, without the name
		if u, err := c.User.Get(privacy.DecisionContext(ctx, privacy.Allow), v.UserID); err == nil {
			return u.DisplayName
		}
	}
	return v.Label
}

// validateDay: a date that has come, a session the school holds, a school day (the edit window: decide).
func validateDay(ctx context.Context, c *ent.Client, t *ent.Tenant, rules Rules, date string, session Session, now time.Time) error {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return types.Invalid("date", "use a date as YYYY-MM-DD")
	}
	if date > rules.Today(now) {
		return types.Invalid("date", "%s is in the future", date)
	}
	if !rules.Holds(session) {
		return types.Invalid("session", "%s holds no %s check", t.Name, session)
	}
	school, err := SchoolDay(ctx, c, t, date)
	if err != nil {
		return err
	}
	if !school {
		return types.Invalid("date", "%s is not a school day", date)
	}
	return nil
}

// school is what submit reads of a class: its tenant (all of it), the class's closing day, the calendar of the
// date (withCalendar), the number of exemptions excusing the class from the session (withExemption), and
// the class's current check for the session, roster size and compiled daily reports (withCurrent).
type school struct {
	ent.Tenant
	ClassID        int
	ClassClosedOn  *time.Time
	CalendarKind   *string
	Terms          int
	Covering       int
	Exemptions     int
	CurrentID      *int
	CurrentVersion *int
	CurrentHash    *string
	CurrentKey     *string
	Pupils         int
	Compiled       int
	// AwaitingClearance counts the school's pupils not yet cleared to return after an earlier day's illness.
	AwaitingClearance int
	// The stamps of the school's settings rows and its district's (withSettingsStamp).
	OwnSettingsID      *int
	OwnSettingsAt      *time.Time
	DistrictSettingsID *int
	DistrictSettingsAt *time.Time
}

// scanSchools reads submit's rows by hand, by column name, where ent's reflective scan (sql.ScanSlice)
// allocated 40 % more for this one row (548 allocations against 391). A column it has no place for is an
// error: a field added to Tenant must be added here.
func scanSchools(rows *entsql.Rows) ([]school, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []school
	for rows.Next() {
		var (
			sc   school
			code sql.NullString
			dest = make([]any, len(cols))
		)
		t := &sc.Tenant
		for i, col := range cols {
			switch col {
			case tenant.FieldID:
				dest[i] = &t.ID
			case tenant.FieldName:
				dest[i] = &t.Name
			case tenant.FieldCode:
				dest[i] = &code
			case tenant.FieldKind:
				dest[i] = &t.Kind
			case tenant.FieldStatus:
				dest[i] = &t.Status
			case tenant.FieldTimezone:
				dest[i] = &t.Timezone
			case tenant.FieldParentID:
				dest[i] = &t.ParentID
			case tenant.FieldCreatedAt:
				dest[i] = &t.CreatedAt
			case tenant.FieldUpdatedAt:
				dest[i] = &t.UpdatedAt
			case tenant.FieldDeactivatedAt:
				dest[i] = &t.DeactivatedAt
			case "class_id":
				dest[i] = &sc.ClassID
			case "class_closed_on":
				dest[i] = &sc.ClassClosedOn
			case "calendar_kind":
				dest[i] = &sc.CalendarKind
			case "calendar_terms":
				dest[i] = &sc.Terms
			case "calendar_covering":
				dest[i] = &sc.Covering
			case "exemptions":
				dest[i] = &sc.Exemptions
			case "current_id":
				dest[i] = &sc.CurrentID
			case "current_version":
				dest[i] = &sc.CurrentVersion
			case "current_hash":
				dest[i] = &sc.CurrentHash
			case "current_key":
				dest[i] = &sc.CurrentKey
			case "pupils":
				dest[i] = &sc.Pupils
			case "compiled":
				dest[i] = &sc.Compiled
			case "awaiting_clearance":
				dest[i] = &sc.AwaitingClearance
			case "own_settings_id":
				dest[i] = &sc.OwnSettingsID
			case "own_settings_at":
				dest[i] = &sc.OwnSettingsAt
			case "district_settings_id":
				dest[i] = &sc.DistrictSettingsID
			case "district_settings_at":
				dest[i] = &sc.DistrictSettingsAt
			default:
				return nil, fmt.Errorf("submit: no place for column %q", col)
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		t.Code = code.String
		out = append(out, sc)
	}
	return out, rows.Err()
}

func (sc *school) settingsStamp() settingsStamp {
	row := func(id *int, at *time.Time) rowStamp {
		if id == nil || at == nil {
			return rowStamp{}
		}
		return rowStamp{*id, at.UnixNano()}
	}
	return settingsStamp{row(sc.OwnSettingsID, sc.OwnSettingsAt), row(sc.DistrictSettingsID, sc.DistrictSettingsAt)}
}

// current is the class's current check for the session, if it has one, as decide weighs it.
func (sc *school) current() *versionOf {
	if sc.CurrentID == nil {
		return nil
	}
	v := &versionOf{number: *sc.CurrentVersion, hash: *sc.CurrentHash}
	if sc.CurrentKey != nil {
		v.key = *sc.CurrentKey
	}
	return v
}

// withCurrent adds to submit's query of a class its current check for the report's date and session (a
// left join: columns current_*), the number of its pupils attending (pupils), and the number of the school's
// daily reports compiled for the date (compiled). Like the calendar they are read without the caller's
// rights, which were checked on the class: a class's checks and pupils are its school's.
func withCurrent(r Report) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		s.LeftJoin(entsql.Table(classcheck.Table).As("cur")).OnP(textP(
			`"cur"."class_id" = ? AND "cur"."date" = ? AND "cur"."session" = ? AND "cur"."current"`,
			column(s.C(class.FieldID)), r.Date, string(r.Session)))
		s.AppendSelectExpr(entsql.Raw(`"cur"."id" AS "current_id", "cur"."version" AS "current_version", ` +
			`"cur"."content_hash" AS "current_hash", "cur"."idempotency_key" AS "current_key"`))
		s.AppendSelectExprAs(scalar(`SELECT COUNT(*) FROM "students" WHERE "class_id" = ? AND "status" = ?`,
			column(s.C(class.FieldID)), string(student.StatusAttending)), "pupils")
		s.AppendSelectExprAs(scalar(`SELECT COUNT(*) FROM "daily_reports" WHERE "tenant_id" = ? AND "kind" = ? AND "date" = ?`,
			schoolID, string(dailyreport.KindSchool), r.Date), "compiled")
		// Whether anyone at the school still awaits clearance (few do, by the tenant and status index): only
		// then does submit look for them among the class's pupils.
		s.AppendSelectExprAs(scalar(`SELECT COUNT(*) FROM "follow_ups" WHERE "tenant_id" = ? AND "status" = ? AND "clearance" = ? AND "date" < ?`,
			schoolID, string(followup.StatusOpen), string(followup.ClearanceRequired), r.Date), "awaiting_clearance")
	}
}

// schoolTable is the alias of the class's tenant in withSchool.
const schoolTable = "school"

// withSchool makes a query of classes return the class's tenant, every column of it, with the class's ID
// and closing day (see school). The class's privacy filter still applies: only a class the caller may read
// comes back, and with it its school.
func withSchool(s *entsql.Selector) {
	s.Join(entsql.Table(tenant.Table).As(schoolTable)).OnP(textP(`? = "school"."id"`, column(s.C(class.FieldTenantID))))
	s.SelectExpr(entsql.Raw(schoolColumns))
}

// schoolColumns is withSchool's selection, written once: every column of the tenant (from tenant.Columns,
// so a field added later is read too), then the class's ID and closing day.
var schoolColumns = func() string {
	cols := make([]string, 0, len(tenant.Columns)+2)
	for _, c := range tenant.Columns {
		cols = append(cols, `"`+schoolTable+`"."`+c+`"`)
	}
	cols = append(cols, `"`+class.Table+`"."`+class.FieldID+`" AS "class_id"`,
		`"`+class.Table+`"."`+class.FieldClosedOn+`" AS "class_closed_on"`)
	return strings.Join(cols, ", ")
}()

// The school's ID and district columns of withSchool's join, for the subqueries and joins beside it:
// quoted once here, and for the dialect by sqlText.
var (
	schoolID       = column(entsql.Table(tenant.Table).As(schoolTable).C(tenant.FieldID))
	schoolParentID = column(entsql.Table(tenant.Table).As(schoolTable).C(tenant.FieldParentID))
)

// validateWhen: a date that has come (the edit window: decide), a session the school holds, a school
// day, a class still open, and no exemption — decided from what submit read in its one statement.
func validateWhen(sc *school, rules Rules, r Report, now time.Time) error {
	t := &sc.Tenant
	if _, err := time.Parse(time.DateOnly, r.Date); err != nil {
		return types.Invalid("date", "use a date as YYYY-MM-DD")
	}
	if r.Date > rules.Today(now) {
		return types.Invalid("date", "%s is in the future", r.Date)
	}
	if !rules.Holds(r.Session) {
		return types.Invalid("session", "%s holds no %s check", t.Name, r.Session)
	}
	if sc.ClassClosedOn != nil && r.Date >= sc.ClassClosedOn.In(rules.Location).Format(time.DateOnly) {
		return types.Invalid("classID", "the class was closed on %s", sc.ClassClosedOn.In(rules.Location).Format(time.DateOnly))
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
		s.AppendSelectExprAs(scalar(`SELECT COUNT(*) FROM "exemptions" WHERE "class_id" = ? AND "date" = ? AND ("session" IS NULL OR "session" = ?)`,
			classID, date, string(session)), "exemptions")
	}
}

// A temperature outside MinTemperature–MaxTemperature (°C) is a typing mistake, not a reading.
const MinTemperature, MaxTemperature = 34.0, 43.0

type tally struct{ illness, other, symptomatic, fever int }

// sheet names the people of a check in errors: pupils of a class, or staff of a staff group.
type sheet struct{ field, person, unit string }

var (
	classSheet = sheet{"studentID", "student", "this class"}
	staffSheet = sheet{"staffID", "staff member", "this staff group"}
)

// validateEntries checks every line against the roster and the counts against each other.
// A fever reading may be re-read (recheck: must be) with a mercury thermometer; the re-read counts.
func validateEntries(r Report, roster []int, fever Fever, recheck bool, sh sheet) (tally, error) {
	var t tally
	seen := map[[2]any]bool{}
	absent := 0
	for i, e := range r.Entries {
		at := func(f string) string { return fmt.Sprintf("entries[%d].%s", i, f) }
		if !slices.Contains(roster, e.PersonID) {
			return t, types.Invalid(at(sh.field), "%s %d is not in %s", sh.person, e.PersonID, sh.unit)
		}
		key := [2]any{e.PersonID, e.Kind}
		if seen[key] {
			return t, types.Invalid(at(sh.field), "%s %d is listed twice as %s", sh.person, e.PersonID, e.Kind)
		}
		seen[key] = true
		for _, s := range e.Symptoms {
			if !slices.Contains(Symptoms, s) {
				return t, types.Invalid(at("symptoms"), "unknown symptom %q", s)
			}
		}
		for _, reading := range []struct {
			field string
			v     *float64
		}{{"temperature", e.Temperature}, {"recheckTemperature", e.Recheck}} {
			if v := reading.v; v != nil && (*v < MinTemperature || *v > MaxTemperature) {
				return t, types.Invalid(at(reading.field), "%.1f °C is outside %.1f–%.1f °C", *v, MinTemperature, MaxTemperature)
			}
		}
		switch {
		case e.Recheck != nil && e.Temperature == nil:
			return t, types.Invalid(at("recheckTemperature"), "a re-check re-reads a temperature: give the first reading too")
		case recheck && e.Recheck == nil && fever.Reads(e.Temperature):
			return t, types.Invalid(at("recheckTemperature"), "%.1f °C is a fever reading: re-read it with a mercury thermometer "+
				"after 5 minutes and give the re-check (your school's rules)", *e.Temperature)
		}
		if fever.Reads(cmp.Or(e.Recheck, e.Temperature)) {
			t.fever++
		}
		switch e.Kind {
		case checkentry.KindAbsent:
			absent++
			if e.AbsenceType == nil {
				return t, types.Invalid(at("absenceType"), "say why the %s is absent", sh.person)
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
		if a.PersonID != b.PersonID {
			return a.PersonID - b.PersonID
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
