package checks

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/types"
)

// ReportDiff is what changed from one version of a daily report to another.
type ReportDiff struct {
	From, To *ent.DailyReport
	Rows     []RowChange
	Totals   []TotalChange
	Added    []types.LineageItem
	Removed  []types.LineageItem
}

// RowChange is a row whose state or figures changed; Before is nil for a new row, After for a removed one.
type RowChange struct {
	Key           string
	Before, After *types.ReportRow
}

// TotalChange is a session total that changed. Group is "class" or "staff".
type TotalChange struct {
	Group, Session, Field string
	Before, After         *float64
}

// Diff compares two versions of the same report (tenant, kind and date).
func Diff(from, to *ent.DailyReport) (*ReportDiff, error) {
	if from.TenantID != to.TenantID || from.Kind != to.Kind || from.Date != to.Date {
		return nil, types.Invalid("against", "not a version of the same report")
	}
	d := &ReportDiff{From: from, To: to, Rows: []RowChange{}, Totals: []TotalChange{}, Added: []types.LineageItem{}, Removed: []types.LineageItem{}}
	rowKey := func(r types.ReportRow) string {
		if r.ClassID != 0 {
			return fmt.Sprintf("class:%d:%s", r.ClassID, r.Session)
		}
		return fmt.Sprintf("school:%d:%s", r.TenantID, r.Session)
	}
	before := map[string]types.ReportRow{}
	for _, r := range from.Rows {
		before[rowKey(r)] = r
	}
	seen := map[string]bool{}
	for _, r := range to.Rows {
		k := rowKey(r)
		seen[k] = true
		b, ok := before[k]
		switch {
		case !ok:
			d.Rows = append(d.Rows, RowChange{Key: k, After: &r})
		case !reflect.DeepEqual(b, r):
			d.Rows = append(d.Rows, RowChange{Key: k, Before: &b, After: &r})
		}
	}
	for _, r := range from.Rows {
		if k := rowKey(r); !seen[k] {
			d.Rows = append(d.Rows, RowChange{Key: k, Before: &r})
		}
	}
	d.Totals = append(totalChanges("class", from.Figures.Sessions, to.Figures.Sessions),
		totalChanges("staff", from.Figures.Staff, to.Figures.Staff)...)
	if from.Figures.OpenAlerts != to.Figures.OpenAlerts {
		b, a := float64(from.Figures.OpenAlerts), float64(to.Figures.OpenAlerts)
		d.Totals = append(d.Totals, TotalChange{Group: "alerts", Field: "openAlerts", Before: &b, After: &a})
	}
	lkey := func(l types.LineageItem) string { return fmt.Sprintf("%s:%d:%d", l.Kind, l.ID, l.Version) }
	had, has := map[string]bool{}, map[string]bool{}
	for _, l := range from.Lineage {
		had[lkey(l)] = true
	}
	for _, l := range to.Lineage {
		has[lkey(l)] = true
		if !had[lkey(l)] {
			d.Added = append(d.Added, l)
		}
	}
	for _, l := range from.Lineage {
		if !has[lkey(l)] {
			d.Removed = append(d.Removed, l)
		}
	}
	return d, nil
}

// totalChanges lists the session figures that differ.
func totalChanges(group string, from, to []types.SessionFigures) []TotalChange {
	var out []TotalChange
	index := func(fs []types.SessionFigures) map[string]map[string]*float64 {
		m := map[string]map[string]*float64{}
		for _, f := range fs {
			m[f.Session] = figureFields(f)
		}
		return m
	}
	a, b := index(from), index(to)
	for _, s := range sessionOrder {
		fa, fb := a[string(s)], b[string(s)]
		if fa == nil && fb == nil {
			continue
		}
		for _, name := range figureNames {
			var x, y *float64
			if fa != nil {
				x = fa[name]
			}
			if fb != nil {
				y = fb[name]
			}
			if (x == nil) != (y == nil) || (x != nil && *x != *y) {
				out = append(out, TotalChange{Group: group, Session: string(s), Field: name, Before: x, After: y})
			}
		}
	}
	return out
}

var figureNames = []string{"expected", "submitted", "onTime", "late", "missing", "exempted", "completeness", "timeliness",
	"zeroReports", "enrolled", "present", "absentIllness", "absentOther", "sickLeave", "personalLeave", "unexcused",
	"earlyLeave", "symptomatic", "abnormalTemperature"}

func figureFields(f types.SessionFigures) map[string]*float64 {
	n := func(v int) *float64 { x := float64(v); return &x }
	return map[string]*float64{
		"expected": n(f.Expected), "submitted": n(f.Submitted), "onTime": n(f.OnTime), "late": n(f.Late),
		"missing": n(f.Missing), "exempted": n(f.Exempted), "completeness": f.Completeness, "timeliness": f.Timeliness,
		"zeroReports": n(f.ZeroReports), "enrolled": n(f.Enrolled), "present": n(f.Present),
		"absentIllness": n(f.AbsentIllness), "absentOther": n(f.AbsentOther), "sickLeave": n(f.Absences.SickLeave),
		"personalLeave": n(f.Absences.PersonalLeave), "unexcused": n(f.Absences.Unexcused),
		"earlyLeave": n(f.Absences.EarlyLeave), "symptomatic": n(f.Symptomatic), "abnormalTemperature": n(f.AbnormalTemperature),
	}
}

// SymptomGroupLabels name SymptomGroups in exports.
var SymptomGroupLabels = map[string]string{"ili": "流感样", "fever": "发热", "gastro": "胃肠道", "rash": "皮疹",
	"conjunctivitis": "结膜炎", "parotid": "腮腺肿大", "other": "其他"}

// healthLine is a report's pupils' health as cells: illness absences by symptom group, new notifiable
// cases, returns and the observation room (none for a report compiled before they were counted).
func healthLine(f types.ReportFigures) []string {
	var out []string
	if h := f.Health; h != nil {
		out = illnessCells(h, "复课")
	}
	if o := f.Observation; o != nil {
		out = append(out, fmt.Sprintf("新增留观 %d（仍在 %d，转诊 %d，其中教职工 %d）", o.Opened, o.StillIn, o.Referred, o.Staff))
	}
	if len(out) > 0 {
		out = append([]string{"健康情况"}, out...)
	}
	return out
}

// staffHealthLine is a report's staff's health as cells, as healthLine is the pupils' (none for a report
// compiled before they were counted).
func staffHealthLine(f types.ReportFigures) []string {
	if f.StaffHealth == nil {
		return nil
	}
	return append([]string{"教职工健康情况"}, illnessCells(f.StaffHealth, "复工")...)
}

// illnessCells are illness figures as cells: absences by symptom group, new notifiable cases and returns
// (复课 to class, 复工 to work).
func illnessCells(h *types.HealthFigures, returns string) []string {
	groups := make([]string, len(h.ByGroup))
	for i, g := range h.ByGroup {
		groups[i] = fmt.Sprintf("%s %d", SymptomGroupLabels[g.Group], g.Count)
	}
	absent := fmt.Sprintf("因病缺勤 %d 人", h.IllnessAbsent)
	if len(groups) > 0 {
		absent += "（" + strings.Join(groups, "、") + "）"
	}
	return []string{absent, fmt.Sprintf("新增传染病病例 %d", h.NewCases), fmt.Sprintf("%s %d", returns, h.Returns)}
}

// rowStateLabels are the export's labels of row states.
var rowStateLabels = map[string]string{
	types.RowOnTime: StateOnTime, types.RowLate: StateLate, types.RowMissing: StateMissing, types.RowExempted: StateExempted,
	types.RowNotExpected: StateNotExpected, types.RowComplete: StateComplete, types.RowPartial: StatePartial,
}

// DailyReportHeader is the header of an exported school report; DistrictReportHeader of a district's.
var (
	DailyReportHeader = []string{"日期", "学校", "版本", "年级", "班级", "班主任", "时段", "上报状态", "应到人数", "实到人数",
		"病假", "事假", "旷课", "早退", "有症状人数", "体温异常人数", "上报时间"}
	DistrictReportHeader = []string{"日期", "区县", "版本", "学校", "时段", "上报情况", "应报", "已报", "实到人数",
		"病假", "事假", "旷课", "早退", "有症状人数", "体温异常人数"}
)

// DailyReportSheet is a compiled report as a table, read with the caller's rights (a report it may not
// read is not found): the rows, then per session a totals row (合计) and the staff checks' (教职工), the
// pupils' and the staff's health, then the snapshot's cut-off, compile time, zero flag and amendment. A class that did not report says 未报
// and its figure cells stay empty, never 0.
func DailyReportSheet(ctx context.Context, c *ent.Client, id int) (*Sheet, string, error) {
	r, err := c.DailyReport.Query().Where(dailyreport.ID(id)).WithTenant().Only(ctx)
	if err != nil {
		return nil, "", err
	}
	t := r.Edges.Tenant
	loc := Location(t)
	version := fmt.Sprintf("v%d", r.Version)
	opt := func(p *int) string {
		if p == nil {
			return ""
		}
		return itoa(*p)
	}
	s := &Sheet{Name: "学校日报", Header: DailyReportHeader}
	if r.Kind == dailyreport.KindDistrict {
		s = &Sheet{Name: "区县日报", Header: DistrictReportHeader}
	}
	for _, row := range r.Rows {
		state := rowStateLabels[row.State]
		figures := []string{opt(row.Present), opt(row.SickLeave), opt(row.Personal), opt(row.Unexcused), opt(row.EarlyLeave),
			opt(row.Symptomatic), opt(row.AbnormalTemperature)}
		if r.Kind == dailyreport.KindDistrict {
			out := []string{r.Date, t.Name, version, row.SchoolName, sessionLabels[Session(row.Session)], state, opt(row.Expected), opt(row.Submitted)}
			s.Rows = append(s.Rows, pad(append(out, figures...), len(s.Header)))
			continue
		}
		at := ""
		if row.SubmittedAt != nil {
			at = row.SubmittedAt.In(loc).Format("15:04")
		}
		teachers := strings.Join(row.Teachers, "、")
		out := []string{r.Date, t.Name, version, row.GradeName, row.ClassName, teachers, sessionLabels[Session(row.Session)], state, opt(row.Enrolled)}
		out = append(out, figures...)
		s.Rows = append(s.Rows, pad(append(out, at), len(s.Header)))
	}
	totals := func(label string, fs []types.SessionFigures) {
		for _, f := range fs {
			state := fmt.Sprintf("已报 %d/%d（按时 %d，迟报 %d，未报 %d，免报 %d）", f.Submitted, f.Expected, f.OnTime, f.Late, f.Missing, f.Exempted)
			figures := []string{itoa(f.Present), itoa(f.Absences.SickLeave), itoa(f.Absences.PersonalLeave), itoa(f.Absences.Unexcused),
				itoa(f.Absences.EarlyLeave), itoa(f.Symptomatic), itoa(f.AbnormalTemperature)}
			if f.Submitted == 0 && f.Expected > 0 {
				for i := range figures {
					figures[i] = StateMissing
				}
			}
			var out []string
			if r.Kind == dailyreport.KindDistrict {
				out = append([]string{r.Date, t.Name, version, label, sessionLabels[Session(f.Session)], state, itoa(f.Expected), itoa(f.Submitted)}, figures...)
			} else {
				enrolled := itoa(f.Enrolled)
				if f.Submitted == 0 && f.Expected > 0 {
					enrolled = StateMissing
				}
				out = append([]string{r.Date, t.Name, version, label, "", "", sessionLabels[Session(f.Session)], state, enrolled}, figures...)
			}
			s.Rows = append(s.Rows, pad(out, len(s.Header)))
		}
	}
	totals("合计", r.Figures.Sessions)
	totals("教职工", r.Figures.Staff)
	for _, line := range [][]string{healthLine(r.Figures), staffHealthLine(r.Figures)} {
		if len(line) > 0 {
			s.Rows = append(s.Rows, pad(append([]string{r.Date, t.Name, version}, line...), len(s.Header)))
		}
	}
	note := []string{r.Date, t.Name, version, "截止 " + r.CutOff.In(loc).Format("2006-01-02 15:04"),
		"编制 " + r.CompiledAt.In(loc).Format("2006-01-02 15:04"), "零报告：" + yesNo(r.ZeroReport)}
	if r.Amended {
		note = append(note, "修订："+r.AmendReason)
	}
	s.Rows = append(s.Rows, pad(note, len(s.Header)))
	name := fmt.Sprintf("daily-report-%s-%d-%s-v%d", r.Kind, r.TenantID, r.Date, r.Version)
	return s, name, nil
}
