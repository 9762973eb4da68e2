// Package roster imports a school's student roster (学生花名册) from CSV or XLSX: every row is checked
// first, then either every row is written in one transaction or nothing is and each bad row is reported
// with its line number and reason. Large files run as an asynq job whose progress the console polls.
//
// The import runs as whoever asked (the viewer in the context), so ent privacy decides what they may
// write; it is idempotent on the student number (学籍号).
package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"

	"github.com/campushealth/campushealth/ent/types"
)

// Limits on uploads. A county's largest senior high has a few thousand students; these leave room
// while keeping a hostile file from exhausting memory.
const (
	MaxFileBytes = 20 << 20
	MaxRows      = 50_000
	// xlsx is a zip: cap what it may unpack to (excelize's default is 16 GB, a zip bomb's dream).
	maxUnzipBytes = 200 << 20
)

// Row is one student line of the file, as written (trimmed, full-width forms folded to half-width).
// Blank optional cells are "not given": they never erase what is stored.
type Row struct {
	Line          int // the file's line (the header is line 1); for XLSX the sheet's row number
	Name          string
	StudentNumber string
	Gender        string
	BirthDate     string // YYYY-MM-DD, YYYY/M/D, … ; Excel date cells are converted to YYYY-MM-DD
	Class         string
	Boarder       string
	DormRoom      string
	GuardianName  string
	Relation      string
	GuardianPhone string
}

// Columns of the file, by their canonical (English) names.
const (
	colName          = "name"
	colStudentNumber = "student_number"
	colGender        = "gender"
	colBirthDate     = "birth_date"
	colClass         = "class"
	colBoarder       = "boarder"
	colDormRoom      = "dorm_room"
	colGuardianName  = "guardian_name"
	colRelation      = "relation"
	colGuardianPhone = "guardian_phone"
)

var requiredColumns = []string{colName, colStudentNumber, colGender, colClass}

// headerAliases maps a normalised header (see headerKey) to its column.
var headerAliases = map[string]string{
	"姓名": colName, "学生姓名": colName, "name": colName,
	"学籍号": colStudentNumber, "studentnumber": colStudentNumber, "studentno": colStudentNumber,
	"性别": colGender, "gender": colGender,
	"出生日期": colBirthDate, "birthdate": colBirthDate,
	"班级": colClass, "class": colClass,
	"住校": colBoarder, "是否住校": colBoarder, "boarder": colBoarder,
	"宿舍": colDormRoom, "宿舍号": colDormRoom, "dormroom": colDormRoom,
	"监护人": colGuardianName, "监护人姓名": colGuardianName, "guardianname": colGuardianName,
	"关系": colRelation, "监护人关系": colRelation, "与学生关系": colRelation, "relation": colRelation,
	"监护人电话": colGuardianPhone, "监护人手机": colGuardianPhone, "guardianphone": colGuardianPhone,
}

// fileError is a problem with the whole file; the API shows it as BAD_USER_INPUT on the "file" field.
func fileError(format string, args ...any) error { return types.Invalid("file", format, args...) }

// Parse reads a roster from an XLSX workbook (its first sheet) or a CSV file in UTF-8 (with or without
// BOM) or GB18030/GBK, as Excel saves "CSV" on Chinese Windows. The format is recognised from the
// content; filename only helps the messages. Rows with every cell blank are skipped.
func Parse(filename string, data []byte) ([]Row, error) {
	if len(data) > MaxFileBytes {
		return nil, fileError("%s is larger than %d MB", filename, MaxFileBytes>>20)
	}
	var (
		records [][]string
		lines   []int
		err     error
	)
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		records, lines, err = readXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fileError("%s is an old Excel 97-2003 (.xls) workbook: save it as .xlsx or CSV", filename)
	default:
		records, lines, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	return toRows(filename, records, lines)
}

func readCSV(data []byte) ([][]string, []int, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case !utf8.Valid(data):
		// Not UTF-8: Excel on Chinese Windows writes CSV in the ANSI code page, GBK. GB18030 is its
		// superset, so decoding as GB18030 reads both.
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, nil, fileError("the file is neither UTF-8 nor GBK text")
		}
		data = dec
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		// Text never holds one (and PostgreSQL stores none); a file full of them is UTF-16, Excel's
		// "Unicode text".
		return nil, nil, fileError("line %d holds a NUL character: not a text file (save it as CSV UTF-8 or XLSX; "+
			"Excel's \"Unicode text\" is UTF-16)", 1+bytes.Count(data[:i], []byte("\n")))
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffDelimiter(data)
	r.FieldsPerRecord = -1 // trailing empty cells are often dropped
	r.LazyQuotes = true
	var (
		records [][]string
		lines   []int
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, fileError("line %d: %v", pe.StartLine, pe.Err)
			}
			return nil, nil, fileError("%v", err)
		}
		line, _ := r.FieldPos(0) // where the record starts, even after a quoted multi-line cell
		records = append(records, rec)
		lines = append(lines, line)
		if len(records) > MaxRows+1 {
			return nil, nil, fileError("more than %d rows", MaxRows)
		}
	}
	return records, lines, nil
}

// sniffDelimiter picks comma, tab or semicolon, whichever the first line has most of.
func sniffDelimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(first, []byte(","))
	for _, d := range []rune{'\t', ';'} {
		if c := bytes.Count(first, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

func readXLSX(data []byte) ([][]string, []int, error) {
	// Raw values: numbers as stored rather than formatted by the cell's locale-dependent number format,
	// so a phone stays 13800000000 and a date cell arrives as its serial number (converted in toRows).
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: maxUnzipBytes, UnzipXMLSizeLimit: maxUnzipBytes,
	})
	if err != nil {
		return nil, nil, fileError("cannot read the workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fileError("the workbook has no sheet")
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, nil, fileError("cannot read the workbook: %v", err)
	}
	date1904 := props.Date1904 != nil && *props.Date1904
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, nil, fileError("cannot read sheet %q: %v", sheets[0], err)
	}
	defer it.Close()
	var (
		records [][]string
		lines   []int
		dateCol = -1
	)
	for n := 1; it.Next(); n++ { // Next visits every row number, empty rows included
		rec, err := it.Columns()
		if err != nil {
			return nil, nil, fileError("sheet %q row %d: %v", sheets[0], n, err)
		}
		if n == 1 {
			for i, h := range rec {
				if headerAliases[headerKey(h)] == colBirthDate {
					dateCol = i
				}
			}
		} else if dateCol >= 0 && dateCol < len(rec) {
			rec[dateCol] = excelDate(rec[dateCol], date1904)
		}
		records = append(records, rec)
		lines = append(lines, n)
		if len(records) > MaxRows+1 {
			return nil, nil, fileError("more than %d rows", MaxRows)
		}
	}
	if err := it.Error(); err != nil {
		return nil, nil, fileError("sheet %q: %v", sheets[0], err)
	}
	return records, lines, nil
}

// excelDate turns a date cell's serial number into YYYY-MM-DD; text is left for parseDate.
func excelDate(raw string, date1904 bool) string {
	serial, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || serial < 1 || serial > 2958465 { // 2958465 is 9999-12-31
		return raw
	}
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return raw
	}
	return t.Format(time.DateOnly)
}

// toRows maps the header (the first record) to columns and the rest to Rows.
func toRows(filename string, records [][]string, lines []int) ([]Row, error) {
	if len(records) == 0 {
		return nil, fileError("%s is empty", filename)
	}
	index := map[string]int{}
	for i, h := range records[0] {
		col, ok := headerAliases[headerKey(h)]
		if !ok {
			continue // other columns (序号, 备注, …) are ignored
		}
		if _, dup := index[col]; dup {
			return nil, fileError("column %q appears twice in the header", strings.TrimSpace(h))
		}
		index[col] = i
	}
	var missing []string
	for _, col := range requiredColumns {
		if _, ok := index[col]; !ok {
			missing = append(missing, columnLabel[col])
		}
	}
	if len(missing) > 0 {
		return nil, fileError("the header (line 1) lacks the required column(s) %s", strings.Join(missing, ", "))
	}
	rows := make([]Row, 0, len(records)-1)
	for i, rec := range records[1:] {
		get := func(col string) string {
			if j, ok := index[col]; ok && j < len(rec) {
				return cell(rec[j])
			}
			return ""
		}
		r := Row{
			Line: lines[i+1], Name: get(colName), StudentNumber: get(colStudentNumber), Gender: get(colGender),
			BirthDate: get(colBirthDate), Class: get(colClass), Boarder: get(colBoarder), DormRoom: get(colDormRoom),
			GuardianName: get(colGuardianName), Relation: get(colRelation), GuardianPhone: get(colGuardianPhone),
		}
		if r != (Row{Line: r.Line}) {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil, fileError("%s has a header but no students", filename)
	}
	return rows, nil
}

// columnLabel names columns in messages the way the school's template does.
var columnLabel = map[string]string{
	colName: "姓名 (name)", colStudentNumber: "学籍号 (student_number)", colGender: "性别 (gender)",
	colBirthDate: "出生日期 (birth_date)", colClass: "班级 (class)", colBoarder: "住校 (boarder)",
	colDormRoom: "宿舍 (dorm_room)", colGuardianName: "监护人 (guardian_name)", colRelation: "关系 (relation)",
	colGuardianPhone: "监护人电话 (guardian_phone)",
}

// headerKey normalises a header cell: BOM, width, case, spaces, '_' and '-', and the '*' templates put
// on required columns are ignored.
func headerKey(h string) string {
	h = strings.ToLower(cell(strings.TrimPrefix(h, "\uFEFF")))
	return strings.NewReplacer(" ", "", "_", "", "-", "", "*", "").Replace(h)
}

// cell folds full-width letters, digits and punctuation (（１）, ideographic space) to their ASCII forms
// and trims. Fold, unlike Narrow, leaves characters with no ASCII form (・, Chinese) alone.
func cell(s string) string { return strings.TrimSpace(width.Fold.String(s)) }
