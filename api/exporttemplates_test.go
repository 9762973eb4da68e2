package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/exporttemplate"
	"github.com/campushealth/campushealth/ent/types"
)

const createTemplate = `mutation($t: ID, $i: ExportTemplateInput!) { createExportTemplate(tenantID: $t, input: $i) { id name sheet columns { source header value } } }`

// TestExportTemplates: District One writes the shape its province wants of the school daily report (some
// columns, renamed and reordered, a fixed 类别 and a blank 备注); School A exports with it, in CSV and XLSX,
// and gets the same figures under the province's headers. A column the sheet lacks, a header twice, a
// column with both a source and fixed text, or no column at all is refused naming the column, and nothing
// is written; another district neither sees the template nor exports with it; a class teacher reads
// templates but keeps none; a template shapes only its own sheet.
func TestExportTemplates(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := e.boardFixture()
		w := f.w
		d1 := w.tok["d1.admin"]
		col := func(source, header, value string) map[string]any {
			return map[string]any{"source": source, "header": header, "value": value}
		}
		input := func(name, sheet string, cols ...map[string]any) map[string]any {
			return map[string]any{"i": map[string]any{"name": name, "sheet": sheet, "columns": cols}}
		}
		for _, x := range []struct {
			cols  []map[string]any
			field string
		}{
			{[]map[string]any{col("学校", "单位名称", ""), col("班主任姓名", "班主任", "")}, "columns[1].source"},
			{[]map[string]any{col("学校", "单位", ""), col("班级", "单位", "")}, "columns[1].header"},
			{[]map[string]any{col("学校", "单位", "某某区")}, "columns[0].value"},
			{[]map[string]any{col("学校", " ", "")}, "columns[0].header"},
			{[]map[string]any{}, "columns"},
		} {
			r := e.gql(d1, createTemplate, input("省晨午检日报", "school_daily", x.cols...))
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != x.field {
				t.Errorf("columns %v: %+v, want BAD_USER_INPUT on %s", x.cols, r.Errors, x.field)
			}
		}
		if n := must(e.client.ExportTemplate.Query().Count(system())); n != 0 {
			t.Fatalf("%d templates written by refused requests", n)
		}

		province := []map[string]any{col("学校", "单位名称", ""), col("班级", "班级名称", ""), col("", "类别", "晨午检"),
			col("实到人数", "实到", ""), col("上报状态", "状态", ""), col("", "备注", "")}
		var tpl struct {
			ID      string
			Sheet   string
			Columns []types.ExportColumn
		}
		e.gql(d1, createTemplate, input("省晨午检日报", "school_daily", province...)).ok(t).decode(t, "createExportTemplate", &tpl)
		if tpl.Sheet != "school_daily" || len(tpl.Columns) != 6 || tpl.Columns[2] != (types.ExportColumn{Header: "类别", Value: "晨午检"}) {
			t.Fatalf("created %+v", tpl)
		}
		if r := e.gql(d1, createTemplate, input("省晨午检日报", "school_daily", province...)); r.Code() != "CONFLICT" || r.Errors[0].Extensions["field"] != "name" {
			t.Errorf("the same name twice: %+v", r.Errors)
		}

		// School A exports with its district's template: the same rows, in the province's columns.
		plain := e.sheets(w.tok["a.principal"], "/exports/school-daily.{}?date=2026-11-23")
		shaped := e.sheets(w.tok["a.principal"], "/exports/school-daily.{}?date=2026-11-23&template="+tpl.ID)
		if want := []string{"单位名称", "班级名称", "类别", "实到", "状态", "备注"}; !slices.Equal(shaped[0], want) {
			t.Fatalf("shaped header %q, want %q", shaped[0], want)
		}
		if len(shaped) != len(plain) {
			t.Fatalf("%d shaped rows, %d plain", len(shaped), len(plain))
		}
		for i, row := range plain[1:] {
			c := cells(plain[0], row, "学校", "班级", "实到人数", "上报状态")
			if want := []string{c[0], c[1], "晨午检", c[2], c[3], ""}; !slices.Equal(shaped[i+1], want) {
				t.Errorf("row %d: %q, want %q", i, shaped[i+1], want)
			}
		}

		// Who sees it: School A (the district's institution) does; District Two and its school do not.
		listed := func(token string) []string {
			var ts []struct{ Name string }
			e.gql(token, `{ exportTemplates(sheet: school_daily) { name } }`, nil).ok(t).decode(t, "exportTemplates", &ts)
			var names []string
			for _, x := range ts {
				names = append(names, x.Name)
			}
			return names
		}
		if got := listed(w.tok["a.teacher"]); !slices.Equal(got, []string{"省晨午检日报"}) {
			t.Errorf("School A's teacher lists %q", got)
		}
		if got := listed(w.tok["b.principal"]); len(got) != 0 {
			t.Errorf("School B (District Two) lists %q", got)
		}
		if code, body := e.download(w.tok["b.principal"], "/exports/school-daily.csv?date=2026-11-23&template="+tpl.ID); code != http.StatusNotFound {
			t.Errorf("District Two's school with District One's template: %d %s", code, body)
		}
		// A template shapes its own sheet only; a template that is not an ID is refused on its name.
		for _, path := range []string{"/exports/persons.csv?date=2026-11-23&template=" + tpl.ID, "/exports/school-daily.csv?date=2026-11-23&template=x"} {
			if code, body := e.download(w.tok["a.principal"], path); code != http.StatusBadRequest || !strings.Contains(string(body), `"field":"template"`) {
				t.Errorf("%s: %d %s", path, code, body)
			}
		}

		// Keeping templates: the principal keeps her school's, a class teacher none; nobody changes another's.
		if r := e.gql(w.tok["a.teacher"], createTemplate, input("班级明细", "persons", col("姓名", "学生", ""))); r.Code() != "FORBIDDEN" {
			t.Errorf("a class teacher creates a template: %+v", r.Errors)
		}
		var own struct{ ID string }
		e.gql(w.tok["a.principal"], createTemplate, input("市疾控明细", "persons", col("姓名", "学生姓名", ""), col("症状", "症状", ""))).
			ok(t).decode(t, "createExportTemplate", &own)
		update := `mutation($id: ID!, $n: String, $c: [ExportColumnInput!]) { updateExportTemplate(id: $id, name: $n, columns: $c) { name columns { header } } }`
		if r := e.gql(w.tok["a.principal"], update, map[string]any{"id": tpl.ID, "n": "改名"}); r.Code() != "FORBIDDEN" {
			t.Errorf("School A's principal renames the district's template: %+v", r.Errors)
		}
		if r := e.gql(w.tok["d2.admin"], `mutation($id: ID!) { deleteExportTemplate(id: $id) }`, map[string]any{"id": tpl.ID}); r.Code() != "NOT_FOUND" {
			t.Errorf("District Two deletes District One's template: %+v", r.Errors)
		}
		r := e.gql(w.tok["a.principal"], update, map[string]any{"id": own.ID, "c": []map[string]any{col("体温", "体温", ""), col("学号", "学号", "")}})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "columns[1].source" {
			t.Errorf("an update naming a column the sheet lacks: %+v", r.Errors)
		}
		e.gql(w.tok["a.principal"], update, map[string]any{"id": own.ID, "c": []map[string]any{col("体温", "体温", ""), col("学籍号", "学号", "")}}).ok(t)
		kept := must(e.client.ExportTemplate.Query().Where(exporttemplate.Name("市疾控明细")).Only(system()))
		if len(kept.Columns) != 2 || kept.Columns[1] != (types.ExportColumn{Source: "学籍号", Header: "学号"}) {
			t.Errorf("after the update: %+v", kept.Columns)
		}
		if got := e.sheets(w.tok["a.principal"], "/exports/persons.{}?date=2026-11-23&template="+own.ID)[0]; !slices.Equal(got, []string{"体温", "学号"}) {
			t.Errorf("persons with the school's template: header %q", got)
		}
		e.gql(w.tok["a.principal"], `mutation($id: ID!) { deleteExportTemplate(id: $id) }`, map[string]any{"id": own.ID}).ok(t)
		if got := listed(w.tok["a.principal"]); !slices.Equal(got, []string{"省晨午检日报"}) {
			t.Errorf("after the school's delete School A lists %q", got)
		}

		// The catalog a template picks from is the sheet's own header.
		var sources []string
		e.gql(w.tok["a.teacher"], `{ exportColumns(sheet: school_daily) }`, nil).ok(t).decode(t, "exportColumns", &sources)
		if !slices.Equal(sources, checks.SchoolDailyHeader) {
			t.Errorf("exportColumns = %q", sources)
		}
	})
}
