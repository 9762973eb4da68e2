package roster_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/jobs/roster"
)

// goodCSV is a small roster in the school's template: Chinese headers, mixed date formats, a full-width
// class name, a phone with spaces, a landline, English values, an ignored 备注 column.
var goodCSV = csvFile(
	"姓名,学籍号,性别,出生日期,班级,住校,宿舍,监护人,关系,监护人电话,备注",
	"张三,S001,男,2008-03-05,高三(1)班,是,301,张父,父亲,13800000001,",
	"李四,S002,女,2008/4/6,高三（2）班,否,,李母,母亲,138 0000 0002,转入",
	"王五,S003,male,,高二(1)班,,,王奶奶,祖父母,010-12345678,",
)

// checkGood checks what goodCSV (or its XLSX and GBK versions) leaves in the database.
func checkGood(t *testing.T, f *fixture) {
	t.Helper()
	date := func(y int, m time.Month, d int) string {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	day := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.UTC().Format(time.DateOnly)
	}
	want := []struct {
		number, name string
		gender       student.Gender
		birth        string
		class        *ent.Class
		boarder      bool
		dorm         string
		guardian     string
		relation     guardian.Relation
		phone        string
	}{
		{"S001", "张三", student.GenderMale, date(2008, 3, 5), f.c31, true, "301", "张父", guardian.RelationFather, "13800000001"},
		{"S002", "李四", student.GenderFemale, date(2008, 4, 6), f.c32, false, "", "李母", guardian.RelationMother, "13800000002"},
		{"S003", "王五", student.GenderMale, "", f.c21, false, "", "王奶奶", guardian.RelationGrandparent, "010-12345678"},
	}
	for _, w := range want {
		s := f.student(t, w.number)
		if s.Name != w.name || s.Gender != w.gender || day(s.BirthDate) != w.birth || s.ClassID == nil ||
			*s.ClassID != w.class.ID || s.Boarder != w.boarder || s.DormRoom != w.dorm {
			t.Errorf("%s: got %s %s %s class %v boarder %v dorm %q", w.number, s.Name, s.Gender, day(s.BirthDate),
				s.ClassID, s.Boarder, s.DormRoom)
		}
		if len(s.Edges.Guardians) != 1 {
			t.Fatalf("%s: %d guardians", w.number, len(s.Edges.Guardians))
		}
		if g := s.Edges.Guardians[0]; g.Name != w.guardian || g.Relation != w.relation || g.Phone != w.phone || !g.PrimaryContact {
			t.Errorf("%s: guardian %+v", w.number, g)
		}
		if len(s.Edges.Enrollments) != 1 || s.Edges.Enrollments[0].ClassID != w.class.ID || s.Edges.Enrollments[0].EndOn != nil {
			t.Errorf("%s: enrollments %+v", w.number, s.Edges.Enrollments)
		}
	}
}

func TestImportCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		res := f.importFile(t, f.asPrincipal(), goodCSV)
		if len(res.Errors) > 0 || res.Total != 3 || res.Created != 3 || res.GuardiansCreated != 3 {
			t.Fatalf("first import: %+v", res)
		}
		checkGood(t, f)

		t.Run("the same file again changes nothing", func(t *testing.T) {
			before := f.counts(t)
			res := f.importFile(t, f.asPrincipal(), goodCSV)
			if res.Created != 0 || res.Updated != 0 || res.Unchanged != 3 || res.GuardiansCreated+res.GuardiansUpdated != 0 {
				t.Errorf("re-import: %+v", res)
			}
			if after := f.counts(t); after != before {
				t.Errorf("re-import wrote: %+v → %+v (the audit log counts every change)", before, after)
			}
			checkGood(t, f)
		})

		t.Run("changes are applied, blank optional cells keep what is stored", func(t *testing.T) {
			res := f.importFile(t, f.asPrincipal(), csvFile(
				"name,student_number,gender,birth_date,class,boarder,dorm_room,guardian_name,relation,guardian_phone",
				"张三丰,S001,male,,高三(1)班,,,张父,,13800000001",                        // renamed; blank birth date/boarder/dorm/relation kept
				"李四,S002,female,2008-04-06,高三(2)班,yes,502,李父,father,13900000002", // boards now; a second guardian
				"王五,S003,m,,高二(1)班,no,,王奶奶,grandparent,010-12345678",
			))
			if res.Created != 0 || res.Updated != 2 || res.Unchanged != 1 || res.GuardiansCreated != 1 {
				t.Errorf("update: %+v", res)
			}
			s1, s2 := f.student(t, "S001"), f.student(t, "S002")
			if s1.Name != "张三丰" || s1.BirthDate == nil || !s1.Boarder || s1.DormRoom != "301" ||
				s1.Edges.Guardians[0].Relation != guardian.RelationFather {
				t.Errorf("S001: %+v", s1)
			}
			if !s2.Boarder || s2.DormRoom != "502" || len(s2.Edges.Guardians) != 2 {
				t.Errorf("S002: %+v, %d guardians", s2, len(s2.Edges.Guardians))
			}
			// The second guardian is not the primary contact: 李母 stays the one (a pupil has one).
			for _, g := range s2.Edges.Guardians {
				if g.Phone == "13900000002" && (g.PrimaryContact || g.Relation != guardian.RelationFather) {
					t.Errorf("second guardian: %+v", g)
				}
				if g.Phone == "13800000002" && !g.PrimaryContact {
					t.Errorf("the first guardian is no longer the primary contact: %+v", g)
				}
			}
		})
	})
}

// xlsxOf builds the workbook equivalent of goodCSV: a real date cell, a text date, numeric phones.
func xlsxOf(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	sh := x.GetSheetName(0)
	rows := [][]any{
		{"姓名", "学籍号", "性别", "出生日期", "班级", "住校", "宿舍", "监护人", "关系", "监护人电话"},
		{"张三", "S001", "男", time.Date(2008, 3, 5, 0, 0, 0, 0, time.UTC), "高三(1)班", "是", 301, "张父", "父亲", 13800000001},
		{"李四", "S002", "女", "2008/4/6", "高三（2）班", "否", nil, "李母", "母亲", 13800000002},
		nil, // an empty row between students is skipped; line numbers stay the sheet's
		{"王五", "S003", "male", nil, "高二(1)班", nil, nil, "王奶奶", "祖父母", "010-12345678"},
	}
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := x.NewStyle(&excelize.Style{NumFmt: 14}) // a date cell as Excel shows it
	x.SetCellStyle(sh, "D2", "D2", style)
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportXLSX(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		data := xlsxOf(t)
		rows, err := roster.Parse("roster.xlsx", data)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[2].Line != 5 || rows[0].BirthDate != "2008-03-05" || rows[0].GuardianPhone != "13800000001" {
			t.Fatalf("rows: %+v", rows)
		}
		res := f.importFile(t, f.asPrincipal(), data)
		if len(res.Errors) > 0 || res.Created != 3 {
			t.Fatalf("import: %+v", res)
		}
		checkGood(t, f)
		// The CSV says the same, so importing it changes nothing.
		if res := f.importFile(t, f.asPrincipal(), goodCSV); res.Unchanged != 3 {
			t.Errorf("CSV after XLSX: %+v", res)
		}
	})
}

func TestImportGBK(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(goodCSV)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(gbk, goodCSV) {
			t.Fatal("the GBK file is the UTF-8 file")
		}
		res := f.importFile(t, f.asPrincipal(), gbk)
		if len(res.Errors) > 0 || res.Created != 3 {
			t.Fatalf("import: %+v", res)
		}
		checkGood(t, f)
	})
}

func TestImportBadRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		before := f.counts(t)
		res := f.importFile(t, f.asPrincipal(), csvFile(
			"姓名,学籍号,性别,出生日期,班级,监护人,关系,监护人电话,备注",                  // line 1
			"张三,S001,男,2008-03-05,高三(1)班,张父,父亲,13800000001,",     // 2: good
			"李四,S002,女,2008-04-06,高三(9)班,李母,母亲,13800000002,\"转入", // 3: unknown class …
			"（多行备注）\"", // 4: … and a remark over two lines
			"王五,S001,男,2008-05-07,高三(1)班,王父,父亲,13800000003,", // 5: duplicate number (and a second first guardian)
			"赵六,S004,女,2008-06-08,高三(2)班,赵母,母亲,12345,",       // 6: bad phone
			",S005,男,2008-07-09,高三(2)班,某父,父亲,13800000005,",   // 7: missing name
			"钱七,S006,男,2099-01-01,高一(9)班,钱父,父亲,13800000006,", // 8: future birth date, closed class
			"孙八,S007,女,2008-09-10,高三(1)班,孙母,母亲,13800000007,", // 9: good
			"周九,S008,x,2008-02-30,高三(1)班,周母,母亲,",             // 10: bad gender, no such day, no phone
		))
		want := []struct {
			line          int
			field, reason string
		}{
			{3, "class", "unknown class 高三(9)班"},
			{5, "student_number", "duplicate student number S001 (also on line 2)"},
			{6, "guardian_phone", "bad phone"},
			{7, "name", "missing name"},
			{8, "birth_date", "in the future"},
			{8, "class", "closed"},
			{10, "gender", "unknown gender"},
			{10, "birth_date", "no such day"},
			{10, "guardian_phone", "missing guardian phone"},
		}
		if len(res.Errors) != len(want) {
			t.Fatalf("errors:\n%s", errorList(res.Errors))
		}
		for i, w := range want {
			if e := res.Errors[i]; e.Line != w.line || e.Field != w.field || !strings.Contains(e.Reason, w.reason) {
				t.Errorf("error %d: got %s, want line %d, %s: …%s…", i, e, w.line, w.field, w.reason)
			}
		}
		if res.Created+res.Updated+res.Unchanged != 0 {
			t.Errorf("counts of a refused file: %+v", res)
		}
		if after := f.counts(t); after != before {
			t.Errorf("a file with bad rows wrote: %+v → %+v", before, after)
		}
	})
}

func errorList(errs []roster.RowError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.String() + "\n")
	}
	return b.String()
}

func TestImportClassMove(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		header := "姓名,学籍号,性别,班级,监护人,关系,监护人电话"
		f.importFile(t, f.asPrincipal(), csvFile(header, "张三,S001,男,高三(1)班,张父,父亲,13800000001"))
		res := f.importFile(t, f.asPrincipal(), csvFile(header, "张三,S001,男,高三(2)班,张父,父亲,13800000001"))
		if res.Updated != 1 {
			t.Fatalf("move: %+v", res)
		}
		s := f.student(t, "S001")
		if *s.ClassID != f.c32.ID || len(s.Edges.Enrollments) != 2 {
			t.Fatalf("after the move: class %d, enrollments %+v", *s.ClassID, s.Edges.Enrollments)
		}
		for _, e := range s.Edges.Enrollments {
			switch e.ClassID {
			case f.c31.ID:
				if e.EndOn == nil {
					t.Error("the enrollment in 高三(1)班 is still open")
				}
			case f.c32.ID:
				if e.EndOn != nil {
					t.Error("the enrollment in 高三(2)班 is closed")
				}
			default:
				t.Errorf("enrollment in class %d", e.ClassID)
			}
		}
	})
}

// A class teacher of 高三(1)班 may update their own students and guardians, nothing else; a file that
// reaches further is refused whole.
func TestImportClassTeacher(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		header := "姓名,学籍号,性别,班级,监护人,关系,监护人电话"
		f.importFile(t, f.asPrincipal(), csvFile(header,
			"张三,S001,男,高三(1)班,张父,父亲,13800000001",
			"李四,S002,女,高三(2)班,李母,母亲,13800000002"))
		teacher := f.asClassTeacher()
		before := f.counts(t)

		t.Run("students in another class", func(t *testing.T) {
			res := f.importFile(t, teacher, csvFile(header,
				"张三,S001,男,高三(1)班,张爸爸,父亲,13800000001", // allowed on its own
				"王五,S003,男,高三(2)班,王父,父亲,13800000003"))
			if len(res.Errors) != 1 || res.Errors[0].Line != 3 || !strings.Contains(res.Errors[0].Reason, "outside your scope") {
				t.Errorf("errors:\n%s", errorList(res.Errors))
			}
		})
		t.Run("a student number of another class", func(t *testing.T) {
			res := f.importFile(t, teacher, csvFile(header, "李四,S002,女,高三(1)班,李母,母亲,13800000002"))
			if len(res.Errors) != 1 || res.Errors[0].Field != "student_number" {
				t.Errorf("errors:\n%s", errorList(res.Errors))
			}
		})
		t.Run("a new student in their class: class teachers may not create students", func(t *testing.T) {
			rows, _ := roster.Parse("r.csv", csvFile(header,
				"张三,S001,男,高三(1)班,张爸爸,父亲,13800000001",
				"赵六,S004,女,高三(1)班,赵母,母亲,13800000004"))
			_, err := roster.Import(teacher, f.c, f.school.ID, rows, roster.Options{})
			if !errors.Is(err, privacy.Deny) {
				t.Errorf("got %v, want a privacy denial", err)
			}
		})
		if after := f.counts(t); after != before {
			t.Errorf("refused imports wrote: %+v → %+v", before, after)
		}
		if g := f.student(t, "S001").Edges.Guardians[0]; g.Name != "张父" {
			t.Errorf("guardian renamed by a refused import: %s", g.Name)
		}

		t.Run("their own student's guardian", func(t *testing.T) {
			res := f.importFile(t, teacher, csvFile(header, "张三,S001,男,高三(1)班,张爸爸,父亲,13800000001"))
			if res.Updated != 1 || res.GuardiansUpdated != 1 {
				t.Errorf("got %+v", res)
			}
		})
	})
}

// TestImportPrimaryContact: a pupil the file names a guardian for has exactly one primary contact (DOMAIN
// §2.1: the guardian the school calls first) after the import. The file's guardian becomes it when she has
// none: a new pupil; 张 and 李, whose guardians were added earlier and none as the primary contact (a new
// guardian for 张, a stored one, matched on the phone, for 李). A primary contact she has is never taken
// by an import, which does not say who is called first: 王's mother stays it when the file names her
// father, 赵's when it names a new guardian. 钱's row names no guardian, and her guardians are left as they
// are. A file with a bad row writes none of it, and the same file again changes nothing.
func TestImportPrimaryContact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		sys := bypass()
		pupil := func(number, name string, guardians ...*ent.GuardianCreate) {
			s := f.c.Student.Create().SetTenantID(f.school.ID).SetName(name).SetStudentNumber(number).
				SetGender(student.GenderFemale).SetClass(f.c31).SaveX(sys)
			for _, g := range guardians {
				g.SetTenantID(f.school.ID).SetStudentID(s.ID).ExecX(sys)
			}
		}
		guardianOf := func(name, phone string, rel guardian.Relation, primary bool) *ent.GuardianCreate {
			return f.c.Guardian.Create().SetName(name).SetPhone(phone).SetRelation(rel).SetPrimaryContact(primary)
		}
		pupil("P01", "张一", guardianOf("张父", "13800000101", guardian.RelationFather, false),
			guardianOf("张母", "13800000102", guardian.RelationMother, false))
		pupil("P02", "李二", guardianOf("李母", "13800000201", guardian.RelationMother, false))
		pupil("P03", "王三", guardianOf("王母", "13800000301", guardian.RelationMother, true),
			guardianOf("王父", "13800000302", guardian.RelationFather, false))
		pupil("P04", "赵四", guardianOf("赵母", "13800000401", guardian.RelationMother, true))
		pupil("P05", "钱五", guardianOf("钱母", "13800000501", guardian.RelationMother, false))
		header := "姓名,学籍号,性别,班级,监护人,关系,监护人电话"
		rows := []string{
			"张一,P01,女,高三(1)班,张奶奶,祖母,13800000103", // a new guardian, her first primary contact
			"李二,P02,女,高三(1)班,李母,母亲,13800000201",  // the stored one becomes it
			"王三,P03,女,高三(1)班,王父,父亲,13800000302",  // 王母 stays it
			"赵四,P04,女,高三(1)班,赵父,父亲,13800000402",  // a new one, not it: 赵母 stays it
			"钱五,P05,女,高三(1)班,,,",                 // no guardian named: hers are left alone
			"孙六,P06,女,高三(1)班,孙母,母亲,13800000601",  // a new pupil
		}
		// primaries: each pupil's primary contacts by phone, and how many guardians she has.
		primaries := func(number string) ([]string, int) {
			var out []string
			gs := f.student(t, number).Edges.Guardians
			for _, g := range gs {
				if g.PrimaryContact {
					out = append(out, g.Phone)
				}
			}
			return out, len(gs)
		}

		// One bad row (an unknown class) and nothing is written: 张 and 李 still have no primary contact.
		before := f.counts(t)
		res := f.importFile(t, f.asPrincipal(), csvFile(append([]string{header}, append(rows, "周七,P07,男,高三(9)班,周父,父亲,13800000701")...)...))
		if len(res.Errors) != 1 {
			t.Fatalf("errors:\n%s", errorList(res.Errors))
		}
		if after := f.counts(t); after != before {
			t.Errorf("a file with a bad row wrote: %+v → %+v", before, after)
		}
		for _, n := range []string{"P01", "P02"} {
			if p, _ := primaries(n); len(p) != 0 {
				t.Errorf("%s: primary contacts %v after a refused file", n, p)
			}
		}

		res = f.importFile(t, f.asPrincipal(), csvFile(append([]string{header}, rows...)...))
		if len(res.Errors) > 0 || res.Created != 1 || res.Updated != 3 || res.Unchanged != 2 || res.GuardiansCreated != 3 || res.GuardiansUpdated != 1 {
			t.Errorf("import: %+v", res)
		}
		for _, w := range []struct {
			number  string
			primary []string // nil: none
			n       int
		}{
			{"P01", []string{"13800000103"}, 3},
			{"P02", []string{"13800000201"}, 1},
			{"P03", []string{"13800000301"}, 2},
			{"P04", []string{"13800000401"}, 2},
			{"P05", nil, 1},
			{"P06", []string{"13800000601"}, 1},
		} {
			if p, n := primaries(w.number); !slices.Equal(p, w.primary) || n != w.n {
				t.Errorf("%s: primary contacts %v of %d guardians, want %v of %d", w.number, p, n, w.primary, w.n)
			}
		}

		// The same file again: nothing to do.
		before = f.counts(t)
		res = f.importFile(t, f.asPrincipal(), csvFile(append([]string{header}, rows...)...))
		if res.Created+res.Updated+res.GuardiansCreated+res.GuardiansUpdated != 0 || res.Unchanged != 6 {
			t.Errorf("re-import: %+v", res)
		}
		if after := f.counts(t); after != before {
			t.Errorf("re-import wrote: %+v → %+v", before, after)
		}
	})
}

// TestImportConcurrent: two imports of one school at once, of rosters that share 500 stored pupils, listed in
// opposite orders (each would update the shared pupils and add their guardians in the other's reverse order),
// end as they would one after the other: both succeed, the first to run updates the shared pupils and the
// second finds them done, every pupil is there once with her guardian, her primary contact. Both start
// together (they wait for each other as they begin), three times over.
func TestImportConcurrent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db.Client)
		for round := range 3 {
			lines := strings.Split(strings.TrimSpace(string(bigRoster(1500, fmt.Sprintf("R%d-", round)))), "\n")
			header, pupils := lines[0], lines[1:]
			first := pupils[:1000]
			second := slices.Clone(pupils[500:])
			slices.Reverse(second)

			// The shared pupils are already stored under an older name and without a guardian: both files
			// update them and add their guardians.
			before := f.counts(t)
			older := []string{header}
			for _, line := range pupils[500:1000] {
				cells := strings.Split(line, ",")
				cells[0] += "旧"
				cells[7], cells[8], cells[9] = "", "", ""
				older = append(older, strings.Join(cells, ","))
			}
			if res := f.importFile(t, f.asPrincipal(), csvFile(older...)); res.Created != 500 {
				t.Fatalf("round %d: the older roster: %+v\n%s", round, res, errorList(res.Errors))
			}
			var started sync.WaitGroup
			started.Add(2)
			var (
				results [2]*roster.Result
				errs    [2]error
				done    sync.WaitGroup
			)
			for i, file := range [][]string{first, second} {
				rows, err := roster.Parse("roster.csv", csvFile(append([]string{header}, file...)...))
				if err != nil {
					t.Fatal(err)
				}
				once := sync.OnceFunc(func() {
					started.Done()
					wait := make(chan struct{})
					go func() { started.Wait(); close(wait) }()
					select { // both have begun; a lock taken before this point must not hang the test
					case <-wait:
					case <-time.After(5 * time.Second):
					}
				})
				done.Go(func() {
					results[i], errs[i] = roster.Import(f.asPrincipal(), f.c, f.school.ID, rows,
						roster.Options{OnProgress: func(string, int, roster.Result) { once() }})
				})
			}
			done.Wait()
			var sum roster.Result
			for i, res := range results {
				if errs[i] != nil {
					t.Fatalf("round %d, import %d: %v", round, i, errs[i])
				}
				if len(res.Errors) > 0 {
					t.Fatalf("round %d, import %d:\n%s", round, i, errorList(res.Errors))
				}
				sum.Created += res.Created
				sum.Updated += res.Updated
				sum.Unchanged += res.Unchanged
				sum.GuardiansCreated += res.GuardiansCreated
				sum.GuardiansUpdated += res.GuardiansUpdated
			}
			if want := (roster.Result{Created: 1000, Updated: 500, Unchanged: 500, GuardiansCreated: 1500}); !reflect.DeepEqual(sum, want) {
				t.Errorf("round %d: the two imports did %+v together, want %+v", round, sum, want)
			}
			after := f.counts(t)
			if after.students-before.students != 1500 || after.guardians-before.guardians != 1500 ||
				after.enrollments-before.enrollments != 1500 {
				t.Errorf("round %d: %+v → %+v, want 1,500 more pupils, guardians and enrollments", round, before, after)
			}
			primaries := f.c.Guardian.Query().Where(guardian.TenantID(f.school.ID), guardian.PrimaryContact(true)).CountX(bypass())
			if primaries != after.guardians {
				t.Errorf("round %d: %d primary contacts of %d guardians (one each)", round, primaries, after.guardians)
			}
		}
	})
}
