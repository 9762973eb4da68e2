package checks

import (
	"context"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/alert"
	"github.com/campushealth/campushealth/ent/checkentry"
	"github.com/campushealth/campushealth/ent/classcheck"
	"github.com/campushealth/campushealth/ent/followup"
	"github.com/campushealth/campushealth/ent/predicate"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/tenant"
)

// SymptomGroup sorts one case into the group clusters are counted by, or "" when it fits none.
// ILI (流感样) = fever with cough or sore throat; gastro = vomiting, diarrhoea or abdominal pain. A
// temperature the institution's rule reads as fever (Fever) counts as fever.
func SymptomGroup(symptoms []string, temperature *float64, fever Fever) string {
	has := func(s ...string) bool {
		return slices.ContainsFunc(s, func(x string) bool { return slices.Contains(symptoms, x) })
	}
	feverish := hasFever(symptoms, temperature, fever)
	switch {
	case feverish && has("cough", "sore_throat"):
		return "ili"
	case has("vomiting", "diarrhoea", "abdominal_pain"):
		return "gastro"
	case has("rash"):
		return "rash"
	case has("conjunctivitis"):
		return "conjunctivitis"
	case has("parotid_swelling"):
		return "parotid"
	case feverish:
		return "fever"
	}
	return ""
}

// joined is ids with those of more it lacks added at the end (a new slice): the people an open alert names
// once new cases join it.
func joined(ids, more []int) []int {
	out := slices.Clone(ids)
	for _, id := range more {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// hasFever: fever ticked, or a reading the rule calls fever.
func hasFever(symptoms []string, temperature *float64, fever Fever) bool {
	return slices.Contains(symptoms, "fever") || fever.Reads(temperature)
}

// afterSubmit opens follow-ups for illness absences and evaluates the alerts of the class, of the dorm
// rooms of the boarders its lines name (dorms, read with the roster) and, when it names a pupil off sick, the
// school's absence rate, in the submission's transaction, as the submitter.
func afterSubmit(ctx context.Context, c *ent.Client, t *ent.Tenant, rules Rules, classID int, date string, entries []Entry,
	dorms []string, now time.Time) error {
	due, err := rules.At(date, rules.FollowUpDue)
	if err != nil {
		return err
	}
	var sick []Entry
	for _, e := range entries {
		if e.sickLeave() {
			sick = append(sick, e)
		}
	}
	if len(sick) > 0 {
		// One follow-up per pupil and day, whichever report or correction named the absence first.
		ids := make([]int, len(sick))
		for i, e := range sick {
			ids[i] = e.PersonID
		}
		open, err := c.FollowUp.Query().Where(followup.StudentIDIn(ids...), followup.Date(date)).
			Select(followup.FieldStudentID).Ints(internal(ctx))
		if err != nil {
			return err
		}
		var create []*ent.FollowUpCreate
		for _, e := range sick {
			if !slices.Contains(open, e.PersonID) {
				create = append(create, c.FollowUp.Create().SetTenantID(t.ID).SetStudentID(e.PersonID).SetClassID(classID).
					SetDate(date).SetSymptoms(e.Symptoms).SetDueAt(due))
			}
		}
		if err := c.FollowUp.CreateBulk(create...).Exec(ctx); err != nil {
			return fmt.Errorf("follow-up: %w", err)
		}
	}
	if len(entries) == 0 {
		return nil // alerts only ever rise: a report without cases cannot raise one
	}
	if err := evaluateAlerts(ctx, c, t, rules, classID, date, dorms, now); err != nil {
		return err
	}
	if len(sick) == 0 || rules.AbsenceRate <= 0 {
		return nil // the day's share of pupils off sick grows only with a report naming one
	}
	return absenceRate(ctx, c, t, rules.AbsenceRate, date, now)
}

// place is where cases cluster: a class, or a dorm room whose boarders come from several classes
// (DOMAIN.md §4: "in the same class (or dorm)"); or the whole school, whose alert counts a share of all its
// pupils (the absence rate).
type place struct {
	classID int
	dorm    string
}

// wholeSchool is the place of an alert over all the school's pupils: neither a class nor a dorm room.
var wholeSchool = place{}

func (p place) String() string {
	switch {
	case p.dorm != "":
		return "dorm " + p.dorm
	case p == wholeSchool:
		return "school"
	}
	return fmt.Sprint(p.classID)
}

// alerts selects the place's alerts.
func (p place) alerts() predicate.Alert {
	switch {
	case p.dorm != "":
		return alert.DormRoom(p.dorm)
	case p == wholeSchool:
		return alert.And(alert.ClassIDIsNil(), alert.DormRoomIsNil())
	}
	return alert.ClassID(p.classID)
}

// lines selects the place's exception lines.
func (p place) lines(t *ent.Tenant) predicate.CheckEntry {
	switch {
	case p.dorm != "":
		return checkentry.And(checkentry.TenantID(t.ID), checkentry.HasStudentWith(student.DormRoom(p.dorm), student.Boarder(true)))
	case p == wholeSchool:
		return checkentry.TenantID(t.ID)
	}
	return checkentry.HasCheckWith(classcheck.ClassID(p.classID))
}

// cases are the place's current-version exception lines over window (whose first day is the report's), by
// symptom group: on the report's day (today) and over the whole window (recent), with the pupils a line of
// the day reads a fever for. One statement: the lines with their check's date.
func cases(ctx context.Context, c *ent.Client, t *ent.Tenant, p place, window []string, rule Fever) (
	today, recent map[string][]int, fever []int, err error) {
	var lines []struct {
		StudentID   int      `sql:"student_id"`
		Symptoms    []string `sql:"symptoms"`
		Temperature *float64 `sql:"temperature"`
		Date        string   `sql:"check_date"`
	}
	err = c.CheckEntry.Query().Where(p.lines(t)).Modify(func(s *entsql.Selector) {
		cc := entsql.Table(classcheck.Table)
		s.Join(cc).On(s.C(checkentry.FieldCheckID), cc.C(classcheck.FieldID)).
			Where(entsql.And(entsql.In(cc.C(classcheck.FieldDate), anys(window)...), entsql.EQ(cc.C(classcheck.FieldCurrent), true)))
		s.Select(s.C(checkentry.FieldStudentID), s.C(checkentry.FieldSymptoms), s.C(checkentry.FieldTemperature)).
			AppendSelectAs(cc.C(classcheck.FieldDate), "check_date")
	}).Scan(internal(ctx), &lines)
	if err != nil {
		return nil, nil, nil, err
	}
	today, recent = map[string][]int{}, map[string][]int{}
	add := func(groups map[string][]int, g string, student int) {
		if !slices.Contains(groups[g], student) {
			groups[g] = append(groups[g], student)
		}
	}
	for _, l := range lines {
		onDay := l.Date == window[0]
		if onDay && rule.Reads(l.Temperature) && !slices.Contains(fever, l.StudentID) {
			fever = append(fever, l.StudentID)
		}
		if g := SymptomGroup(l.Symptoms, l.Temperature, rule); g != "" {
			add(recent, g, l.StudentID)
			if onDay {
				add(today, g, l.StudentID)
			}
		}
	}
	return today, recent, fever, nil
}

// evaluateAlerts evaluates the class's rules, then those of the dorm rooms of the boarders it reported.
func evaluateAlerts(ctx context.Context, c *ent.Client, t *ent.Tenant, rules Rules, classID int, date string, dorms []string, now time.Time) error {
	window, err := previousSchoolDays(ctx, c, t, date, rules.WindowDays)
	if err != nil {
		return err
	}
	if err := evaluate(ctx, c, t, rules, place{classID: classID}, date, window, now); err != nil {
		return err
	}
	if len(dorms) > 0 {
		// A room's cases come from several classes' reports, sent around the same deadline: counted under
		// the school's lock, not only raised under it, or two reports each below the cluster size, each
		// counting without the other's uncommitted lines, would together make one and open nothing.
		if err := lockAlerts(ctx, c, t); err != nil {
			return err
		}
	}
	for _, room := range dorms {
		// A dorm spans classes: its alerts sit at the school, raised by the rules, not the teacher's rights.
		if err := evaluate(internal(ctx), c, t, rules, place{dorm: room}, date, window, now); err != nil {
			return err
		}
	}
	return nil
}

// absenceRate raises the school's absence_rate alert of the date when its pupils off sick (病假) that day
// reach threshold percent of its attending pupils (DOMAIN.md §3.9, optional absence rate), or adds those not
// named yet to the one open. The pupils off sick are those a current version of one of the school's class
// checks of the date names on sick leave, in any session, each once: a corrected report replaces its
// version and counts nobody twice. The share is the school's, not the reporting class's: read and raised by
// the rule, not with the submitter's rights. No reporting clock: the school assesses it first, as a cluster.
func absenceRate(ctx context.Context, c *ent.Client, t *ent.Tenant, threshold float64, date string, now time.Time) error {
	ictx := internal(ctx)
	// Locked before counting, not only before raising: classes report around the same deadline, and two
	// reports each below the rate, counting without the other's uncommitted pupils, would both find nothing
	// although together they reach it. The second waits, then counts the first's pupils.
	if err := lockAlerts(ctx, c, t); err != nil {
		return err
	}
	sick, err := c.CheckEntry.Query().Where(checkentry.KindEQ(checkentry.KindAbsent), checkentry.AbsenceTypeEQ(checkentry.AbsenceTypeSickLeave),
		checkentry.HasCheckWith(classcheck.TenantID(t.ID), classcheck.Date(date), classcheck.Current(true))).
		Unique(true).Select(checkentry.FieldStudentID).Ints(ictx)
	if err != nil {
		return fmt.Errorf("absence rate: pupils off sick: %w", err)
	}
	attending, err := c.Student.Query().Where(student.TenantID(t.ID), student.StatusEQ(student.StatusAttending), student.ClassIDNotNil()).
		Count(ictx)
	if err != nil {
		return fmt.Errorf("absence rate: pupils attending: %w", err)
	}
	// Multiplied out rather than divided, so a rate met exactly (3 of 30 at 10 %) counts.
	if attending == 0 || float64(len(sick)*100) < threshold*float64(attending) {
		return nil
	}
	slices.Sort(sick) // the database returns them in no particular order
	return raiseLocked(ictx, c, t, wholeSchool, date, []finding{{rule: alert.RuleAbsenceRate, students: sick}}, now)
}

// ClusterReportWithin is how soon a cluster must reach the CDC and the education authority (DOMAIN.md §4:
// the principal at once, the CDC and the authority within 24 hours): the cluster's reporting clock.
const ClusterReportWithin = 24 * time.Hour

// evaluate raises the place's alerts: a fever (classes only; a dorm's fevers are its classes'), a cluster
// on the day, an ILI outbreak, a cluster over the window of school days, each cluster and outbreak with
// its reporting clock.
func evaluate(ctx context.Context, c *ent.Client, t *ent.Tenant, rules Rules, p place, date string, window []string, now time.Time) error {
	today, recent, fever, err := cases(ctx, c, t, p, window, rules.Fever())
	if err != nil {
		return err
	}
	var found []finding
	if len(fever) > 0 && p.dorm == "" {
		found = append(found, finding{rule: alert.RuleFever, students: fever})
	}
	// A cluster is an episode: once assessed, its pupils still ill on the next school days are the same
	// cluster, not a new one with a new clock. A fever is the day's reading.
	clusterBy, outbreakBy := now.Add(ClusterReportWithin), now.Add(rules.ReportWithin)
	for g, students := range today {
		if len(students) < rules.ClusterDay || g == "fever" {
			continue
		}
		found = append(found, finding{alert.RuleClusterDay, g, students, &clusterBy, window})
		if g == "ili" {
			found = append(found, finding{alert.RuleIliOutbreak, g, students, &outbreakBy, window})
		}
	}
	for g, students := range recent {
		if len(students) >= rules.ClusterWindow && g != "fever" {
			found = append(found, finding{alert.RuleClusterWindow, g, students, &clusterBy, window})
		}
	}
	return raise(ctx, c, t, p, date, found, now)
}

// finding is an alert a place's cases call for: a rule, the symptom group it fired for, its cases, its
// reporting clock if it has one, and the days of its episode (nil: the report's day alone), over which an
// alert already closed for the same cases speaks for them.
type finding struct {
	rule     alert.Rule
	group    string
	students []int
	reportBy *time.Time
	episode  []string
}

// days are the finding's episode: the days an alert closed for its cases speaks for them.
func (f finding) days(date string) []string {
	if f.episode == nil {
		return []string{date}
	}
	return f.episode
}

// openKey names the one alert of a rule, place and group that may be open at a time. The whole school's
// are one a day, as a staff illness's: they count a share of the day's pupils, which starts again each day.
func openKey(t *ent.Tenant, p place, f finding, date string) string {
	switch {
	case p.dorm != "":
		return fmt.Sprintf("%s:%d:%s:%s", f.rule, t.ID, p, f.group) // room numbers repeat across schools
	case p == wholeSchool:
		return fmt.Sprintf("%s:%d:%s", f.rule, t.ID, date)
	}
	return fmt.Sprintf("%s:%s:%s", f.rule, p, f.group)
}

// raise opens the alerts found, or adds their cases to the ones already open for the same rule, place and
// group: one read for all of them. A finding without an open alert whose cases all have one closed
// (handled or dismissed) in its episode opens nothing: the noon check naming the morning's three coughing
// pupils again is the cluster the health teacher has assessed, not a new one. A new case opens a new
// alert, naming every case: the episode grew after it was assessed.
func raise(ctx context.Context, c *ent.Client, t *ent.Tenant, p place, date string, found []finding, now time.Time) error {
	if len(found) == 0 {
		return nil
	}
	if err := lockAlerts(ctx, c, t); err != nil { // classes sharing a dorm room, a pupil's two follow-ups
		return err
	}
	return raiseLocked(ctx, c, t, p, date, found, now)
}

// raiseLocked is raise for a caller that holds the school's alerts already (lockAlerts).
func raiseLocked(ctx context.Context, c *ent.Client, t *ent.Tenant, p place, date string, found []finding, now time.Time) error {
	keys := make([]string, len(found))
	for i, f := range found {
		keys[i] = openKey(t, p, f, date)
	}
	open, err := c.Alert.Query().Where(alert.OpenKeyIn(keys...)).All(internal(ctx))
	if err != nil {
		return err
	}
	var (
		closed     []*ent.Alert
		readClosed bool
	)
	for i, f := range found {
		at := slices.IndexFunc(open, func(a *ent.Alert) bool { return a.OpenKey != nil && *a.OpenKey == keys[i] })
		if at < 0 {
			if !readClosed { // most findings join an open alert: read the closed ones only for one that does not
				var (
					days  []string
					rules []alert.Rule
				)
				for _, f := range found {
					days, rules = append(days, f.days(date)...), append(rules, f.rule)
				}
				if closed, err = closedAlerts(ctx, c, t, p.alerts(), rules, days); err != nil {
					return err
				}
				readClosed = true
			}
			covered, earlier := episode(closed, f.rule, f.group, f.days(date), f.students, func(a *ent.Alert) []int { return a.StudentIds })
			if covered {
				continue
			}
			create := c.Alert.Create().SetTenantID(t.ID).SetRule(f.rule).SetSymptomGroup(f.group).
				SetOpenKey(keys[i]).SetOpenedAt(now).SetNillableReportBy(f.reportBy).
				SetCases(max(len(f.students), 1)).SetStudentIds(f.students).SetDate(date)
			if earlier != nil {
				create.SetFollowsID(earlier.ID)
			}
			switch {
			case p.dorm != "":
				create.SetDormRoom(p.dorm)
			case p != wholeSchool:
				create.SetClassID(p.classID)
			}
			if err := create.Exec(ctx); err != nil {
				return err
			}
			continue
		}
		if merged := joined(open[at].StudentIds, f.students); len(merged) > len(open[at].StudentIds) {
			if err := c.Alert.UpdateOne(open[at]).SetStudentIds(merged).SetCases(len(merged)).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// closedAlerts reads the school's alerts handled or dismissed, of the rules, at the place, dated on one of days.
func closedAlerts(ctx context.Context, c *ent.Client, t *ent.Tenant, at predicate.Alert, rules []alert.Rule, days []string) ([]*ent.Alert, error) {
	return c.Alert.Query().Where(alert.TenantID(t.ID), alert.StatusIn(alert.StatusHandled, alert.StatusFalseAlarm),
		alert.RuleIn(rules...), alert.DateIn(days...), at).All(internal(ctx))
}

// episode finds the closed alerts of the rule and group dated on one of days: whether together they name every
// one of ids (named reads whom an alert names), and the latest of them, which a new alert for a new case
// continues (nil if none).
func episode(closed []*ent.Alert, rule alert.Rule, group string, days []string, ids []int, named func(*ent.Alert) []int) (covered bool, latest *ent.Alert) {
	var seen []int
	for _, a := range closed {
		if a.Rule == rule && a.SymptomGroup == group && slices.Contains(days, a.Date) {
			seen = append(seen, named(a)...)
			if latest == nil || a.OpenedAt.After(latest.OpenedAt) {
				latest = a
			}
		}
	}
	return len(ids) > 0 && !slices.ContainsFunc(ids, func(id int) bool { return !slices.Contains(seen, id) }), latest
}

// lockAlerts holds the school's alerts until the caller's transaction ends, before it reads the open ones
// to join or open: two reports (or follow-ups) finding the same alert at once would otherwise both open it
// (the second refused on the open key, failing the whole report) or both add their cases to the names read
// before the other wrote (one's cases lost). On PostgreSQL it locks the school's row; the lock takes no key,
// so inserts naming the school go on. SQLite takes one writer at a time already. Only reports that raise an
// alert wait, those naming a boarder with a case (her room's count, evaluateAlerts), and where the school
// sets an absence rate those naming a pupil off sick (absenceRate): the routine ones find nothing.
func lockAlerts(ctx context.Context, c *ent.Client, t *ent.Tenant) error {
	if c.Dialect() != dialect.Postgres {
		return nil
	}
	_, err := c.Tenant.Query().Where(tenant.ID(t.ID)).Modify(func(s *entsql.Selector) {
		s.Select(s.C(tenant.FieldID)).For(entsql.LockNoKeyUpdate)
	}).Ints(internal(ctx))
	return err
}

// previousSchoolDays returns date and the n-1 school days before it (looking back at most three weeks).
func previousSchoolDays(ctx context.Context, c *ent.Client, t *ent.Tenant, date string, n int) ([]string, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil, err
	}
	const lookBack = 21
	cal, err := loadCalendar(ctx, c, t, d.AddDate(0, 0, -lookBack).Format(time.DateOnly), date)
	if err != nil {
		return nil, err
	}
	days := []string{date}
	for back := 1; len(days) < n && back <= lookBack; back++ {
		day := d.AddDate(0, 0, -back).Format(time.DateOnly)
		ok, err := cal.facts(day).schoolDay(day)
		if err != nil {
			return nil, err
		}
		if ok {
			days = append(days, day)
		}
	}
	return days, nil
}
