package types

// Export shapes (DOMAIN.md §5: "enter once, export many"). Each city or provincial system wants the same data
// in columns of its own, named in its own words: a template picks a sheet's columns, orders and renames them,
// and adds columns of fixed text (the reporting unit's name, a blank 备注). The sheets' own headers are the
// catalog a template picks from, so they live here, beside the template's type, where the schema's
// validation and the sheets' builders (ent/checks) both read them.

// The sheets a template can shape.
const (
	SheetPersons         = "persons"          // one row per absent or symptomatic pupil (明细)
	SheetSchoolDaily     = "school_daily"     // one row per class and session (学校日报)
	SheetDistrictSummary = "district_summary" // one row per school and day (区县汇总)
	SheetSchoolTotals    = "school_totals"    // one row per school over a period (学校汇总)
)

// Sheets lists the sheets in the order the console offers them.
var Sheets = []string{SheetPersons, SheetSchoolDaily, SheetDistrictSummary, SheetSchoolTotals}

// SheetColumns are each sheet's columns, as its header names them: what a template's source may be.
var SheetColumns = map[string][]string{
	SheetPersons: {"日期", "学校", "班级", "时段", "姓名", "学籍号", "类别",
		"缺勤类型", "症状", "体温", "初测体温", "是否就诊", "处置", "上报人", "上报时间"},
	SheetSchoolDaily: {"日期", "学校", "年级", "班级", "班主任", "时段", "上报状态", "应到人数", "实到人数",
		"病假", "事假", "旷课", "早退", "有症状人数", "体温异常人数", "上报时间"},
	SheetDistrictSummary: {"日期", "学校", "类型", "上报情况", "应报", "已报", "按时", "迟报", "未报", "待报", "免报",
		"完整率", "及时率", "病假", "事假", "旷课", "早退", "有症状人数", "因病缺勤率", "未关闭预警"},
	// Absences and symptoms over a period add up each day's pupils: person-days (人次).
	SheetSchoolTotals: {"学校", "类型", "开始日期", "结束日期", "上报日数", "应报", "已报", "按时", "迟报", "未报", "待报", "免报",
		"完整率", "及时率", "病假人次", "事假人次", "旷课人次", "早退人次", "有症状人次", "因病缺勤率"},
}

// ExportColumn is one column of an export template: the sheet's column named Source under Header, or, with
// no Source, Value (fixed text, possibly empty) in every row.
type ExportColumn struct {
	Source string `json:"source,omitempty"`
	Header string `json:"header"`
	Value  string `json:"value,omitempty"`
}

// Limits of a template: enough for any provincial form seen, small enough to read at a glance.
const (
	MaxExportColumns     = 60
	MaxExportHeaderChars = 40
	MaxExportValueChars  = 100
)
