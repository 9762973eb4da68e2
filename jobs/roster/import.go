package roster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/privacy"
	_ "github.com/campushealth/campushealth/ent/runtime" // the schema's validators used below, and its hooks
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// RowError is one problem in one row. Field is the column's canonical name ("class", "guardian_phone", …).
type RowError struct {
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (e RowError) String() string { return fmt.Sprintf("line %d, %s: %s", e.Line, e.Field, e.Reason) }

// Result is what an import did. When Errors is not empty, nothing was written.
type Result struct {
	Total     int `json:"total"`     // student rows in the file
	Created   int `json:"created"`   // new students
	Updated   int `json:"updated"`   // existing students whose row changed them or their guardian
	Unchanged int `json:"unchanged"` // existing students the row matched exactly

	GuardiansCreated int `json:"guardiansCreated"`
	GuardiansUpdated int `json:"guardiansUpdated"`

	Errors []RowError `json:"errors,omitempty"`
}

// Phases reported through Options.OnProgress.
const (
	PhaseValidating = "validating"
	PhaseWriting    = "writing"
)

// Options tune an import.
type Options struct {
	// ChunkSize is how many rows are written per step (one bulk insert each); 0 means 500. It also
	// bounds the IN lists of the lookups.
	ChunkSize int
	// OnProgress, when set, is told the phase, the rows processed so far and the counts so far (which
	// are only final once Import returns: a later error rolls everything back).
	OnProgress func(phase string, processed int, sofar Result)
	// Now is the import's clock: what is today for a closed class or a birth date, and in a queued import
	// also whose rights the uploader holds (assignments in force) and the progress stamps; nil means time.Now.
	Now func() time.Time
}

const defaultChunk = 500

// now is Options.Now, else the wall clock: it decides the import's today, and in a queued import the
// uploader's rights (assignments in force) and the progress stamps.
func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Import checks every row, then writes all of them in one transaction, or, when any row is bad, writes
// nothing and returns the rows' errors in Result.Errors (err is nil then). err reports what is not the
// file's fault: no viewer, a permission denied by ent privacy (errors.Is(err, privacy.Deny)), the database.
//
// Students are matched on (tenant, student number): new ones are created, existing ones updated only where
// the row differs, so importing the same file twice changes nothing the second time. A guardian is matched
// on (student, phone). It runs as the viewer in ctx, and inside the transaction in ctx if there is one
// (a GraphQL mutation's), else in its own. Imports of one school run one at a time: each takes the school's
// import lock (lockImports) before it reads the stored roster, and reads and writes in that transaction, so
// two files imported at once end as they would one after the other.
func Import(ctx context.Context, client *ent.Client, tenantID int, rows []Row, opts Options) (*Result, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, privacy.Denyf("roster import needs a viewer")
	}
	if !v.Sees(tenantID) {
		return nil, privacy.Denyf("tenant %d is not yours", tenantID)
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = defaultChunk
	}
	now := opts.now()
	progress := func(phase string, n int, r Result) {
		if opts.OnProgress != nil {
			opts.OnProgress(phase, n, r)
		}
	}
	res := &Result{Total: len(rows)}
	progress(PhaseValidating, 0, *res)

	items, errs := checkRows(rows, now)

	// The stored roster is read in the transaction that writes (the caller's, which sees its own writes, or
	// the import's own), after the school's import lock: two imports of one school at once would otherwise both read
	// it before either wrote, both write the pupils they share (the second refused on a student number, or
	// updating them again), and on PostgreSQL lock them in each file's order, so deadlock.
	tx, own := ent.TxFromContext(ctx), false
	if tx == nil {
		var err error
		if tx, err = client.Tx(ctx); err != nil {
			return nil, err
		}
		own, ctx = true, ent.NewTxContext(ctx, tx) // hooks that defer work to the commit find it here
		defer func() {
			if own {
				_ = tx.Rollback() // bad rows, an error, a panic or an ended context: nothing is written
			}
		}()
	}
	client = tx.Client()
	if err := lockImports(ctx, client, tenantID); err != nil {
		return nil, fmt.Errorf("lock the school's imports: %w", err)
	}
	if err := resolve(ctx, client, tenantID, items, &errs, opts.ChunkSize, now); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
		res.Errors = errs
		return res, nil
	}
	progress(PhaseWriting, 0, *res)

	w := writer{c: client, tenantID: tenantID, res: res}
	for start := 0; start < len(items); start += opts.ChunkSize {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := min(start+opts.ChunkSize, len(items))
		if err := w.chunk(ctx, items[start:end]); err != nil {
			return nil, err
		}
		progress(PhaseWriting, end, *res)
	}
	if own {
		own = false // committed or not, the deferred rollback has nothing left to do
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// item is a row that passed the checks of its own cells, with typed values.
type item struct {
	line     int
	name     string
	number   string
	gender   student.Gender
	birth    *time.Time
	boarder  *bool
	dorm     *string
	classKey string
	classRaw string
	guardian *guardianIn

	class    *ent.Class
	existing *ent.Student    // the stored student with this number, if any
	known    []*ent.Guardian // its stored guardians, read in the import's transaction (knownGuardians)
	id       int             // the student's ID once written
	bad      bool            // some check failed
}

type guardianIn struct {
	name     string
	phone    string
	relation *guardian.Relation // nil: not given (new guardians become "other")
}

// checkRows checks each row on its own (required cells, formats, lengths, duplicates in the file).
// Lengths and the phone format are checked with the schema's own validators, so that nothing valid here
// fails inside the transaction. now is the import's clock (a birth date may not be later).
func checkRows(rows []Row, now time.Time) ([]*item, []RowError) {
	var errs []RowError
	items := make([]*item, 0, len(rows))
	firstLine := map[string]int{}
	for _, r := range rows {
		it := &item{line: r.Line, name: r.Name, number: r.StudentNumber, classRaw: r.Class, classKey: classKey(r.Class)}
		bad := func(field, format string, args ...any) {
			errs = append(errs, RowError{Line: r.Line, Field: field, Reason: fmt.Sprintf(format, args...)})
			it.bad = true
		}
		switch {
		case r.Name == "":
			bad(colName, "missing name")
		case student.NameValidator(r.Name) != nil:
			bad(colName, "name is too long (at most 64 bytes, about 21 Chinese characters)")
		}
		switch first, dup := firstLine[r.StudentNumber]; {
		case r.StudentNumber == "":
			bad(colStudentNumber, "missing student number")
		case student.StudentNumberValidator(r.StudentNumber) != nil:
			bad(colStudentNumber, "student number is too long (at most 32 characters)")
		case dup:
			bad(colStudentNumber, "duplicate student number %s (also on line %d)", r.StudentNumber, first)
		default:
			firstLine[r.StudentNumber] = r.Line
		}
		if g, err := parseGender(r.Gender); err != nil {
			bad(colGender, "%v", err)
		} else {
			it.gender = g
		}
		if r.BirthDate != "" {
			if d, err := parseDate(r.BirthDate, now); err != nil {
				bad(colBirthDate, "%v", err)
			} else {
				it.birth = &d
			}
		}
		if r.Class == "" {
			bad(colClass, "missing class")
		}
		if r.Boarder != "" {
			if b, err := parseBool(r.Boarder); err != nil {
				bad(colBoarder, "%v", err)
			} else {
				it.boarder = &b
			}
		}
		if r.DormRoom != "" {
			switch {
			case student.DormRoomValidator(r.DormRoom) != nil:
				bad(colDormRoom, "dorm room is too long (at most 32 characters)")
			case it.boarder != nil && !*it.boarder:
				bad(colDormRoom, "a dorm room is given but the student does not board")
			default:
				it.dorm = &r.DormRoom
			}
		}
		if r.GuardianName != "" || r.GuardianPhone != "" || r.Relation != "" {
			g := &guardianIn{name: r.GuardianName, phone: normalizePhone(r.GuardianPhone)}
			switch {
			case g.name == "":
				bad(colGuardianName, "missing guardian name")
			case guardian.NameValidator(g.name) != nil:
				bad(colGuardianName, "guardian name is too long (at most 64 bytes)")
			}
			switch {
			case g.phone == "":
				bad(colGuardianPhone, "missing guardian phone")
			case guardian.PhoneValidator(g.phone) != nil:
				bad(colGuardianPhone, "bad phone: want an 11-digit mobile or a landline with area code")
			}
			if r.Relation != "" {
				if rel, err := parseRelation(r.Relation); err != nil {
					bad(colRelation, "%v", err)
				} else {
					g.relation = &rel
				}
			}
			it.guardian = g
		}
		items = append(items, it)
	}
	return items, errs
}

// resolve finds each row's class and stored student, as the viewer sees them, adding row errors for
// classes and students the viewer may not use (a class closed by now, the import's clock, takes no pupils).
// A few batched queries, whatever the file's size.
func resolve(ctx context.Context, c *ent.Client, tenantID int, items []*item, errs *[]RowError, chunk int, now time.Time) error {
	bad := func(it *item, field, format string, args ...any) {
		*errs = append(*errs, RowError{Line: it.line, Field: field, Reason: fmt.Sprintf(format, args...)})
		it.bad = true
	}
	// Classes the viewer sees. A class teacher sees only their own class, so a class that exists but is
	// not visible is reported as out of scope rather than unknown (looked up without privacy, names only).
	visible, err := c.Class.Query().Where(class.TenantID(tenantID)).All(ctx)
	if err != nil {
		return fmt.Errorf("classes: %w", err)
	}
	classes := map[string]*ent.Class{}
	for _, cl := range visible {
		classes[classKey(cl.Name)] = cl
	}
	var hidden map[string]bool
	var loc *time.Location // the school's zone, read when a closed class is named (its day, as the school says it)
	for _, it := range items {
		if it.classKey == "" {
			continue
		}
		cl, ok := classes[it.classKey]
		if !ok {
			if hidden == nil {
				names, err := c.Class.Query().Where(class.TenantID(tenantID)).Select(class.FieldName).
					Strings(privacy.DecisionContext(ctx, privacy.Allow))
				if err != nil {
					return fmt.Errorf("classes: %w", err)
				}
				hidden = map[string]bool{}
				for _, n := range names {
					hidden[classKey(n)] = true
				}
			}
			if hidden[it.classKey] {
				bad(it, colClass, "class %s is outside your scope", it.classRaw)
			} else {
				bad(it, colClass, "unknown class %s", it.classRaw)
			}
			continue
		}
		if cl.ClosedOn != nil && !cl.ClosedOn.After(now) {
			if loc == nil {
				school, err := c.Tenant.Query().Where(tenant.ID(tenantID)).Select(tenant.FieldTimezone).
					Only(privacy.DecisionContext(ctx, privacy.Allow))
				if err != nil {
					return fmt.Errorf("school: %w", err)
				}
				loc = checks.Location(school)
			}
			bad(it, colClass, "class %s was closed on %s", cl.Name, cl.ClosedOn.In(loc).Format(time.DateOnly))
			continue
		}
		it.class = cl
	}

	// Stored students with the file's numbers, as the viewer sees them.
	byNumber := map[string]*item{}
	var numbers []string
	for _, it := range items {
		if it.number != "" && byNumber[it.number] == nil {
			byNumber[it.number] = it
			numbers = append(numbers, it.number)
		}
	}
	var unseen []string
	for part := range slices.Chunk(numbers, chunk) {
		found, err := c.Student.Query().Where(student.TenantID(tenantID), student.StudentNumberIn(part...)).All(ctx)
		if err != nil {
			return fmt.Errorf("students: %w", err)
		}
		seen := map[string]bool{}
		for _, s := range found {
			byNumber[s.StudentNumber].existing = s
			seen[s.StudentNumber] = true
		}
		for _, n := range part {
			if !seen[n] {
				unseen = append(unseen, n)
			}
		}
	}
	// A number the viewer does not see may still be taken by a student outside their scope: creating it
	// would break the unique index, so say so now (numbers only, without privacy).
	for part := range slices.Chunk(unseen, chunk) {
		taken, err := c.Student.Query().Where(student.TenantID(tenantID), student.StudentNumberIn(part...)).
			Select(student.FieldStudentNumber).Strings(privacy.DecisionContext(ctx, privacy.Allow))
		if err != nil {
			return fmt.Errorf("students: %w", err)
		}
		for _, n := range taken {
			bad(byNumber[n], colStudentNumber, "student number %s belongs to a student outside your scope", n)
		}
	}
	for _, it := range items {
		s := it.existing
		if s == nil || byNumber[it.number] != it {
			continue // new, or a duplicate line (already an error)
		}
		if s.Status == student.StatusGraduated || s.Status == student.StatusTransferred {
			bad(it, colStudentNumber, "student %s has %s; re-admit them in the console first", s.StudentNumber, s.Status)
		}
	}
	return nil
}

// writer writes checked rows in the import's transaction.
type writer struct {
	c        *ent.Client
	tenantID int
	res      *Result
}

// chunk writes a slice of rows: new students in one bulk insert, changed ones one by one (the update hooks
// keep the enrollment history on a class move), then their guardians.
func (w *writer) chunk(ctx context.Context, items []*item) error {
	var (
		creates []*ent.StudentCreate
		fresh   []*item
		changed = map[*item]bool{}
	)
	for _, it := range items {
		if it.existing != nil {
			continue
		}
		b := w.c.Student.Create().SetTenantID(w.tenantID).SetName(it.name).SetStudentNumber(it.number).
			SetGender(it.gender).SetClassID(it.class.ID).SetNillableBirthDate(it.birth).
			SetNillableBoarder(it.boarder).SetNillableDormRoom(it.dorm)
		creates, fresh = append(creates, b), append(fresh, it)
	}
	if len(creates) > 0 {
		// Bulk creates run every hook per row (privacy, tenant stamp, audit, enrollment history);
		// only the INSERT is shared.
		made, err := w.c.Student.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return fmt.Errorf("line %d…%d: create students: %w", fresh[0].line, fresh[len(fresh)-1].line, err)
		}
		for i, s := range made {
			fresh[i].id = s.ID
		}
		w.res.Created += len(made)
	}
	for _, it := range items {
		if it.existing == nil {
			continue
		}
		it.id = it.existing.ID
		if upd, ok := studentChanges(w.c, it); ok {
			if err := upd.Exec(ctx); err != nil {
				return fmt.Errorf("line %d: update student %s: %w", it.line, it.number, err)
			}
			changed[it] = true
		}
	}

	if err := w.knownGuardians(ctx, items); err != nil {
		return err
	}
	var gcreates []*ent.GuardianCreate
	for _, it := range items {
		g := it.guardian
		if g == nil {
			continue
		}
		// The primary contact (DOMAIN §2.1: the guardian the school calls first): a pupil the file names a
		// guardian for has exactly one after the import. The file names one guardian per pupil (a pupil on two
		// lines is refused, student_number), and it becomes the primary contact when the pupil has none —
		// new, without guardians, or with guardians none of whom is primary (added earlier without it) — and
		// never takes it from the one she has: the file does not say who is called first, the console does
		// (OnePrimaryContact keeps its edits to one).
		primary := !slices.ContainsFunc(it.known, func(k *ent.Guardian) bool { return k.PrimaryContact })
		i := slices.IndexFunc(it.known, func(k *ent.Guardian) bool { return phoneKey(k.Phone) == phoneKey(g.phone) })
		if i < 0 {
			rel := guardian.RelationOther
			if g.relation != nil {
				rel = *g.relation
			}
			gcreates = append(gcreates, w.c.Guardian.Create().SetTenantID(w.tenantID).SetStudentID(it.id).
				SetName(g.name).SetRelation(rel).SetPhone(g.phone).SetPrimaryContact(primary))
			if it.existing != nil {
				changed[it] = true
			}
			continue
		}
		k, upd, dirty := it.known[i], w.c.Guardian.UpdateOneID(it.known[i].ID), false
		if k.Name != g.name {
			upd.SetName(g.name)
			dirty = true
		}
		if g.relation != nil && k.Relation != *g.relation {
			upd.SetRelation(*g.relation)
			dirty = true
		}
		if primary {
			upd.SetPrimaryContact(true)
			dirty = true
		}
		if dirty {
			if err := upd.Exec(ctx); err != nil {
				return fmt.Errorf("line %d: update guardian: %w", it.line, err)
			}
			w.res.GuardiansUpdated++
			changed[it] = true
		}
	}
	if len(gcreates) > 0 {
		if err := w.c.Guardian.CreateBulk(gcreates...).Exec(ctx); err != nil {
			return fmt.Errorf("line %d…%d: create guardians: %w", items[0].line, items[len(items)-1].line, err)
		}
		w.res.GuardiansCreated += len(gcreates)
	}
	for _, it := range items {
		switch {
		case it.existing == nil:
		case changed[it]:
			w.res.Updated++
		default:
			w.res.Unchanged++
		}
	}
	return nil
}

// knownGuardians reads the stored guardians of the chunk's stored pupils that the file names a guardian for
// (new ones have none), inside the import's transaction, one query a chunk. On PostgreSQL it first locks those
// pupils' rows, as OnePrimaryContact does: a guardian marked primary in the console meanwhile is either seen
// here or waits for the import, so no pupil is left with two primary contacts (SQLite has one writer at a time).
func (w *writer) knownGuardians(ctx context.Context, items []*item) error {
	byID := map[int]*item{}
	var ids []int
	for _, it := range items {
		if it.existing != nil && it.guardian != nil {
			it.known = nil
			byID[it.id] = it
			ids = append(ids, it.id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if w.c.Dialect() == dialect.Postgres { // locked in the order of their IDs, whatever the file's
		if _, err := w.c.Student.Query().Where(student.IDIn(ids...)).Order(student.ByID()).Modify(func(s *entsql.Selector) {
			s.Select(s.C(student.FieldID)).For(entsql.LockNoKeyUpdate)
		}).Ints(ctx); err != nil {
			return fmt.Errorf("lock students: %w", err)
		}
	}
	gs, err := w.c.Guardian.Query().Where(guardian.StudentIDIn(ids...)).Order(guardian.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("guardians: %w", err)
	}
	for _, g := range gs {
		byID[g.StudentID].known = append(byID[g.StudentID].known, g)
	}
	return nil
}

// studentChanges builds the update of a stored student to match its row, and whether anything differs.
// Blank optional cells were not given, so they change nothing; "does not board" clears the dorm room.
func studentChanges(c *ent.Client, it *item) (*ent.StudentUpdateOne, bool) {
	s, upd, dirty := it.existing, c.Student.UpdateOneID(it.existing.ID), false
	set := func(differs bool, apply func()) {
		if differs {
			apply()
			dirty = true
		}
	}
	set(s.Name != it.name, func() { upd.SetName(it.name) })
	set(s.Gender != it.gender, func() { upd.SetGender(it.gender) })
	set(it.birth != nil && (s.BirthDate == nil || !sameDay(*s.BirthDate, *it.birth)), func() { upd.SetBirthDate(*it.birth) })
	set(it.boarder != nil && s.Boarder != *it.boarder, func() { upd.SetBoarder(*it.boarder) })
	set(it.dorm != nil && s.DormRoom != *it.dorm, func() { upd.SetDormRoom(*it.dorm) })
	set(it.dorm == nil && it.boarder != nil && !*it.boarder && s.DormRoom != "", func() { upd.SetDormRoom("") })
	// A class move goes through the update so that KeepEnrollmentHistory closes the old enrollment.
	set(s.ClassID == nil || *s.ClassID != it.class.ID, func() { upd.SetClassID(it.class.ID) })
	return upd, dirty
}

// Birth dates are stored as midnight UTC of the day; compare days, whatever zone the driver returns.
func sameDay(a, b time.Time) bool {
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

// classKey is how a class name in the file is matched to a stored one: width-folded, spaces removed,
// so 高三（1）班, 高三(1)班 and 高三 (1) 班 are the same class.
func classKey(name string) string {
	return strings.Join(strings.Fields(cell(name)), "")
}

func normalizePhone(p string) string { return strings.Join(strings.Fields(p), "") }

// phoneKey matches a guardian's phone however it was written: 010-12345678 is 01012345678, and
// +8613800000001 is 13800000001.
func phoneKey(p string) string { return strings.TrimPrefix(strings.ReplaceAll(p, "-", ""), "+86") }

func parseGender(s string) (student.Gender, error) {
	switch strings.ToLower(s) {
	case "男", "male", "m":
		return student.GenderMale, nil
	case "女", "female", "f":
		return student.GenderFemale, nil
	case "":
		return "", errors.New("missing gender")
	}
	return "", fmt.Errorf("unknown gender %q: want 男/女 or male/female", s)
}

var relations = map[string]guardian.Relation{
	"父亲": guardian.RelationFather, "父": guardian.RelationFather, "爸爸": guardian.RelationFather, "father": guardian.RelationFather,
	"母亲": guardian.RelationMother, "母": guardian.RelationMother, "妈妈": guardian.RelationMother, "mother": guardian.RelationMother,
	"祖父母": guardian.RelationGrandparent, "外祖父母": guardian.RelationGrandparent, "祖父": guardian.RelationGrandparent,
	"祖母": guardian.RelationGrandparent, "外祖父": guardian.RelationGrandparent, "外祖母": guardian.RelationGrandparent,
	"爷爷": guardian.RelationGrandparent, "奶奶": guardian.RelationGrandparent, "外公": guardian.RelationGrandparent,
	"外婆": guardian.RelationGrandparent, "姥姥": guardian.RelationGrandparent, "姥爷": guardian.RelationGrandparent,
	"grandparent": guardian.RelationGrandparent,
	"其他":          guardian.RelationOther, "其它": guardian.RelationOther, "other": guardian.RelationOther,
}

func parseRelation(s string) (guardian.Relation, error) {
	if r, ok := relations[strings.ToLower(s)]; ok {
		return r, nil
	}
	return "", fmt.Errorf("unknown relation %q: want 父亲/母亲/祖父母/其他 or father/mother/grandparent/other", s)
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "是", "住校", "yes", "y", "true", "1":
		return true, nil
	case "否", "走读", "no", "n", "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("unknown boarder value %q: want 是/否, yes/no or 1/0", s)
}

// dateRE accepts 2010-03-05, 2010/3/5, 2010.3.5, 2010年3月5日 and 20100305.
var dateRE = regexp.MustCompile(`^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$`)

// parseDate reads a birth date as midnight UTC of that day. A date later than tomorrow (UTC) of now, the
// import's clock, is in the future in every time zone; the one day of slack avoids loading the tenant's zone
// for this check.
func parseDate(s string, now time.Time) (time.Time, error) {
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("bad birth date %q: want YYYY-MM-DD or YYYY/M/D", s)
	}
	if m[2] == "" {
		m[2], m[3] = m[4], m[5] // YYYYMMDD
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
		return time.Time{}, fmt.Errorf("bad birth date %q: no such day", s)
	}
	switch {
	case t.After(now.UTC().AddDate(0, 0, 1)):
		return time.Time{}, fmt.Errorf("birth date %s is in the future", t.Format(time.DateOnly))
	case y < 1900:
		return time.Time{}, fmt.Errorf("birth date %s is before 1900", t.Format(time.DateOnly))
	}
	return t, nil
}

// lockImports lines up the roster imports of one school until the transaction (c's) ends. On PostgreSQL it
// is an advisory lock of their own, keyed by the school: an import may take a while, and nothing else (a
// report raising an alert, which locks the school's row) should wait for it. SQLite takes one writer at a
// time already.
func lockImports(ctx context.Context, c *ent.Client, tenantID int) error {
	if c.Dialect() != dialect.Postgres {
		return nil
	}
	_, err := c.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('roster import', $1))`, tenantID)
	return err
}
