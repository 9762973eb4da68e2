package checks

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/exporttemplate"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Sheet is a table to export: a header and rows of text.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]string
}

// PersonsSheet is the one-row-per-person part of the school daily report (缺勤及症状学生明细): every absent
// or symptomatic student in the current check versions of the date, read with the caller's rights (health
// data of minors: the district does not get names).
func PersonsSheet(ctx context.Context, c *ent.Client, date string) (*Sheet, error) {
	lines, err := c.CheckEntry.Query().
		Where(checkentry.HasCheckWith(classcheck.Date(date), classcheck.Current(true))).
		WithCheck(func(q *ent.ClassCheckQuery) { q.WithClass(func(q *ent.ClassQuery) { q.WithTenant() }) }).
		WithStudent().All(ctx)
	if err != nil {
		return nil, err
	}
	s := &Sheet{Name: "明细", Header: types.SheetColumns[types.SheetPersons]}
	for _, l := range lines {
		chk, st := l.Edges.Check, l.Edges.Student
		cl := chk.Edges.Class
		// 体温 is the reading that counts (the re-check, when made); 初测体温 the first one it re-read.
		temp, first := celsius(l.Temperature), celsius(l.FirstTemperature)
		symptoms := make([]string, len(l.Symptoms))
		for i, sym := range l.Symptoms {
			symptoms[i] = cmp.Or(SymptomLabels[sym], sym)
		}
		s.Rows = append(s.Rows, []string{
			date, cl.Edges.Tenant.Name, cl.Name, sessionLabels[Session(chk.Session)], st.Name, st.StudentNumber, lineKindLabels[l.Kind],
			label(absenceLabels, l.AbsenceType), strings.Join(symptoms, "、"), temp, first, yesNo(l.DoctorSeen), label(dispositionLabels, l.Disposition),
			chk.SubmittedBy, chk.SubmittedAt.In(Location(cl.Edges.Tenant)).Format("2006-01-02 15:04"),
		})
	}
	return s, nil
}

// The sheet's words for a line, as the forms provincial systems ask for are written (DOMAIN.md §2.2).
var (
	// SymptomLabels name Symptoms.
	SymptomLabels = map[string]string{"fever": "发热", "cough": "咳嗽", "sore_throat": "咽痛", "headache": "头痛", "fatigue": "乏力",
		"vomiting": "呕吐", "diarrhoea": "腹泻", "abdominal_pain": "腹痛", "rash": "皮疹", "conjunctivitis": "结膜充血",
		"parotid_swelling": "腮腺肿大", "runny_nose": "流涕", "short_breath": "呼吸不畅", "phlegm": "咳痰", "dizziness": "头晕",
		"jaundice": "黄疸", "other": "其他"}
	lineKindLabels = map[checkentry.Kind]string{checkentry.KindAbsent: "缺勤", checkentry.KindSymptomatic: "在校有症状"}
	absenceLabels  = map[checkentry.AbsenceType]string{checkentry.AbsenceTypeSickLeave: "病假", checkentry.AbsenceTypePersonalLeave: "事假",
		checkentry.AbsenceTypeUnexcused: "旷课", checkentry.AbsenceTypeEarlyLeave: "早退"}
	dispositionLabels = map[checkentry.Disposition]string{checkentry.DispositionStaysInClass: "留班观察",
		checkentry.DispositionObservationRoom: "送观察室", checkentry.DispositionSentHome: "送回家", checkentry.DispositionHospital: "送医"}
)

// celsius is a reading as the forms write it, or "" when there is none.
func celsius(t *float64) string {
	if t == nil {
		return ""
	}
	return fmt.Sprintf("%.1f", *t)
}

// label is an optional value's word, or "" when there is none.
func label[T comparable](words map[T]string, v *T) string {
	if v == nil {
		return ""
	}
	return words[*v]
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// WriteCSV writes a sheet as UTF-8 CSV with a byte-order mark, which Excel in China opens correctly.
func WriteCSV(w io.Writer, s *Sheet) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(s.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(s.Rows); err != nil {
		return err
	}
	return cw.Error()
}

// WriteXLSX writes sheets as one workbook.
func WriteXLSX(w io.Writer, sheets ...*Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(s.Name)
		if err != nil {
			return err
		}
		for r, row := range append([][]string{s.Header}, s.Rows...) {
			cells := make([]any, len(row))
			for i, v := range row {
				cells[i] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := sw.SetRow(cell, cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// Shaped is the sheet in a template's columns: each a column of the sheet under the template's header, or
// the template's fixed text, in the template's order. A source the sheet lacks (a template written for
// another sheet) is an error, not an empty column: the recipient would take the blank for a figure.
func (s *Sheet) Shaped(columns []types.ExportColumn) (*Sheet, error) {
	from := make([]int, len(columns)) // the sheet's column each comes from, -1 for fixed text
	out := &Sheet{Name: s.Name, Header: make([]string, len(columns)), Rows: make([][]string, len(s.Rows))}
	for i, c := range columns {
		out.Header[i], from[i] = c.Header, -1
		if c.Source != "" {
			if from[i] = slices.Index(s.Header, c.Source); from[i] < 0 {
				return nil, types.Invalid("template", "the %s sheet has no column %q", s.Name, c.Source)
			}
		}
	}
	for r, row := range s.Rows {
		shaped := make([]string, len(columns))
		for i, c := range columns {
			if shaped[i] = c.Value; from[i] >= 0 && from[i] < len(row) {
				shaped[i] = row[from[i]]
			}
		}
		out.Rows[r] = shaped
	}
	return out, nil
}

// ExportTemplates are the templates the caller may export with, by name: those of the tenants it sees and
// of its institution's district, which keeps templates for all its institutions (a school reads them
// although the district's rows are not its own: a template is a form's shape, not the district's data).
// sheet, if not empty, keeps one sheet's.
func ExportTemplates(ctx context.Context, c *ent.Client, sheet string) ([]*ent.ExportTemplate, error) {
	owners, err := templateOwners(ctx, c)
	if err != nil || len(owners) == 0 {
		return nil, err
	}
	q := c.ExportTemplate.Query().Where(exporttemplate.TenantIDIn(owners...))
	if sheet != "" {
		q.Where(exporttemplate.SheetEQ(exporttemplate.Sheet(sheet)))
	}
	return q.Order(ent.Asc(exporttemplate.FieldName), ent.Asc(exporttemplate.FieldID)).Limit(500).All(internal(ctx))
}

// ExportTemplate is template id, to shape sheet with, if the caller may export with it (ExportTemplates);
// another tenant's is not found, and one of another sheet is refused on template.
func ExportTemplate(ctx context.Context, c *ent.Client, id int, sheet string) (*ent.ExportTemplate, error) {
	owners, err := templateOwners(ctx, c)
	if err != nil {
		return nil, err
	}
	t, err := c.ExportTemplate.Query().Where(exporttemplate.ID(id), exporttemplate.TenantIDIn(owners...)).Only(internal(ctx))
	if err != nil {
		return nil, err
	}
	if string(t.Sheet) != sheet {
		return nil, types.Invalid("template", "%q shapes the %s sheet, not %s", t.Name, t.Sheet, sheet)
	}
	return t, nil
}

// templateOwners are the tenants whose templates the caller may use: those it sees, and its district.
func templateOwners(ctx context.Context, c *ent.Client) ([]int, error) {
	v := viewer.FromContext(ctx)
	if v == nil || v.TenantID == 0 {
		return nil, nil // the platform keeps no reports to send
	}
	district, err := c.Tenant.Query().Where(tenant.ID(v.TenantID), tenant.ParentIDNotNil()).
		QueryParent().IDs(internal(ctx))
	if err != nil {
		return nil, err
	}
	return append(slices.Clone(v.TenantIDs), district...), nil
}
