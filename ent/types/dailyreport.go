package types

import "time"

// The figures, rows and lineage of a compiled daily report (ent DailyReport). They are frozen with the
// snapshot: a later correction makes a new version, it never rewrites these.
//
// "Not reported is never zero" (DOMAIN.md §6.2): in a row, a class that did not report has State
// "missing" and nil figures, never 0; in the figures, Missing counts it and the counts of people cover the
// submitted reports only.

// Report row states.
const (
	RowOnTime      = "on_time"
	RowLate        = "late"
	RowMissing     = "missing"
	RowExempted    = "exempted"
	RowNotExpected = "not_expected" // a district row: not a school day for the school
	RowPartial     = "partial"      // a district row: some classes reported, some not
	RowComplete    = "complete"     // a district row: every expected report in
)

// ReportFigures are a snapshot's totals.
type ReportFigures struct {
	// Sessions are the class checks per session, in the order of the day.
	Sessions []SessionFigures `json:"sessions"`
	// Staff are the staff checks (教职工晨午检) per session; Expected counts staff groups.
	Staff []SessionFigures `json:"staff,omitempty"`
	// OpenAlerts are the alerts open (or acknowledged) at compile time, by rule.
	OpenAlerts       int            `json:"openAlerts"`
	OpenAlertsByRule []RuleCount    `json:"openAlertsByRule,omitempty"`
	Schools          *SchoolSummary `json:"schools,omitempty"` // a district report only
	// Observation counts the pupils sent to the observation room (留观) on the day, as of compile time
	// (a district's: its schools' reports added up). Nil in reports compiled before it was counted.
	Observation *ObservationFigures `json:"observation,omitempty"`
	// Health are the pupils' illness figures of the day beyond the checks' counts (DOMAIN.md §2.4: illness
	// absences by symptom group, cases, returns). Nil in reports compiled before they were counted.
	Health *HealthFigures `json:"health,omitempty"`
	// StaffHealth are the staff's, as Health are the pupils' (the report covers students and staff). Nil
	// in reports compiled before they were counted.
	StaffHealth *HealthFigures `json:"staffHealth,omitempty"`
}

// HealthFigures are the day's illness among the pupils (or among the staff), as of compile time: the people
// absent for illness (each once, however many sessions named them) by the symptom group their symptoms
// fall in, the people first recorded with a notifiable disease that day, and the people the health
// teacher cleared to return (to class, or to work) that day.
type HealthFigures struct {
	IllnessAbsent int          `json:"illnessAbsent"`
	ByGroup       []GroupCount `json:"byGroup"` // in SymptomGroups' order, the groups with people only
	NewCases      int          `json:"newCases"`
	Returns       int          `json:"returns"`
	// Unverified are the day's illness absences (follow-ups) not yet verified by the epidemic reporter.
	Unverified int `json:"unverified"`
}

// GroupCount is how many people a symptom group has.
type GroupCount struct {
	Group string `json:"group"`
	Count int    `json:"count"`
}

// ObservationFigures are the day's stays in the observation room: those opened, those still open at
// compile time, and those referred on (to hospital, or by ambulance).
type ObservationFigures struct {
	Opened   int `json:"opened"`
	StillIn  int `json:"stillIn"`
	Referred int `json:"referred"`
	Staff    int `json:"staff"` // of the opened, staff members' stays (the rest are pupils')
}

// SessionFigures are one session's completeness, timeliness and what the submitted reports say.
type SessionFigures struct {
	Session   string `json:"session"`
	Expected  int    `json:"expected"` // due, exempted ones excluded
	Submitted int    `json:"submitted"`
	OnTime    int    `json:"onTime"`
	Late      int    `json:"late"`
	Missing   int    `json:"missing"`
	Exempted  int    `json:"exempted"`
	// Completeness is Submitted/Expected, Timeliness OnTime/Expected; nil when nothing is expected.
	Completeness        *float64 `json:"completeness"`
	Timeliness          *float64 `json:"timeliness"`
	ZeroReports         int      `json:"zeroReports"`
	Enrolled            int      `json:"enrolled"`
	Present             int      `json:"present"`
	AbsentIllness       int      `json:"absentIllness"`
	AbsentOther         int      `json:"absentOther"`
	Absences            Absences `json:"absences"`
	Symptomatic         int      `json:"symptomatic"`
	AbnormalTemperature int      `json:"abnormalTemperature"`
}

// Absences counts absence lines by cause.
type Absences struct {
	SickLeave     int `json:"sickLeave"`
	PersonalLeave int `json:"personalLeave"`
	Unexcused     int `json:"unexcused"`
	EarlyLeave    int `json:"earlyLeave"`
}

// RuleCount is how many open alerts a rule has.
type RuleCount struct {
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

// SchoolSummary is a district report's view of its institutions.
type SchoolSummary struct {
	Institutions int `json:"institutions"` // active institutions of the district
	InSession    int `json:"inSession"`    // for which the date is a school day
	Compiled     int `json:"compiled"`     // whose school report was compiled
	Attested     int `json:"attested"`     // whose current school report was attested by the district's compile
	// Unattested are the institutions whose compiled report nobody had attested by then.
	Unattested []NamedUnit `json:"unattested"`
	// NonReporting are the institutions in session with no class report in at all.
	NonReporting []NamedUnit `json:"nonReporting"`
	// MissingClasses are the classes (of every institution) that had not reported a session.
	MissingClasses []ReportRow `json:"missingClasses"`
}

// NamedUnit is an institution (or class) named in a report.
type NamedUnit struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// ReportRow is one line of a snapshot: a class and session (school report) or an institution and
// session (district report). Figures are nil unless a report is in.
type ReportRow struct {
	TenantID            int        `json:"tenantID"`
	SchoolName          string     `json:"schoolName"`
	ClassID             int        `json:"classID,omitempty"`
	ClassName           string     `json:"className,omitempty"`
	GradeName           string     `json:"gradeName,omitempty"`
	Teachers            []string   `json:"teachers,omitempty"`
	Session             string     `json:"session"`
	State               string     `json:"state"`
	CheckID             int        `json:"checkID,omitempty"`
	Version             int        `json:"version,omitempty"`
	Expected            *int       `json:"expected,omitempty"` // district rows: class reports
	Submitted           *int       `json:"submitted,omitempty"`
	Enrolled            *int       `json:"enrolled"`
	Present             *int       `json:"present"`
	SickLeave           *int       `json:"sickLeave"`
	Personal            *int       `json:"personalLeave"`
	Unexcused           *int       `json:"unexcused"`
	EarlyLeave          *int       `json:"earlyLeave"`
	Symptomatic         *int       `json:"symptomatic"`
	AbnormalTemperature *int       `json:"abnormalTemperature"`
	SubmittedAt         *time.Time `json:"submittedAt,omitempty"`
}

// Lineage kinds.
const (
	LineageClassCheck   = "class_check"
	LineageStaffCheck   = "staff_check"
	LineageSchoolReport = "school_report"
	LineageExemption    = "exemption"
	// LineageStaffIllness is a staff member's illness the principal reported upward (DOMAIN.md §4), still
	// open: the report counts it from the decision on (UnitID: the institution; ID: the alert).
	LineageStaffIllness = "staff_illness"
)

// LineageItem is one source a snapshot included, at the version it included: a class's (or staff
// group's) current check of a session, an exemption of a class (Session empty: the whole day; version
// 1, exemptions never change), or, for a district, a school's current snapshot.
type LineageItem struct {
	Kind    string `json:"kind"`
	UnitID  int    `json:"unitID"` // the class, staff group or institution
	Session string `json:"session,omitempty"`
	ID      int    `json:"id"` // the check's or the school report's ID
	Version int    `json:"version"`
}
