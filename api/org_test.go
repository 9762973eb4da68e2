package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/assignment"
	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/enrollment"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/student"
)

// orgWorld is school A's organisation tree on top of the world fixture:
//
//	School A ── 一年级 (g1) ── 一年级(1)班 (c1): s1     ── 二年级 (g2) ── 二年级(1)班 (c3): s3
//	                       └─ 一年级(2)班 (c2): s2 (guardian guard2)
//
// and staff accounts with no assignment yet: a grade leader, a leading-group member and a subject teacher who
// stands in for others. a.teacher (class teacher) comes from the world.
type orgWorld struct {
	*world
	g1, g2       int
	c1, c2, c3   int
	s1, s2, s3   int
	guard2       int
	gl, lg, sub  *ent.User
	tokP, tokTA  string // session tokens
	tokGL, tokLG string
	tokSub       string
}

func (e *env) newOrgWorld() *orgWorld {
	t := e.t
	ctx := system()
	c := e.client
	w := &orgWorld{world: e.newWorld()}
	A := w.A.ID
	w.g1 = must(c.Grade.Create().SetTenantID(A).SetName("一年级").SetSortOrder(1).Save(ctx)).ID
	w.g2 = must(c.Grade.Create().SetTenantID(A).SetName("二年级").SetSortOrder(2).Save(ctx)).ID
	class := func(name string, grade int) int {
		return must(c.Class.Create().SetTenantID(A).SetName(name).SetGradeID(grade).Save(ctx)).ID
	}
	w.c1, w.c2, w.c3 = class("一年级(1)班", w.g1), class("一年级(2)班", w.g1), class("二年级(1)班", w.g2)
	pupil := func(name, number string, class int) int {
		return must(c.Student.Create().SetTenantID(A).SetName(name).SetStudentNumber(number).
			SetGender(student.GenderFemale).SetClassID(class).Save(ctx)).ID
	}
	w.s1, w.s2, w.s3 = pupil("李一", "A0001", w.c1), pupil("王二", "A0002", w.c2), pupil("赵三", "A0003", w.c3)
	w.guard2 = must(c.Guardian.Create().SetTenantID(A).SetStudentID(w.s2).SetName("王父").
		SetRelation("father").SetPhone("13800000002").SetPrimaryContact(true).Save(ctx)).ID
	w.gl = e.staffUser(w.world, "a.gradeleader", authz.GradeLeader)
	w.lg = e.staffUser(w.world, "a.leading", authz.LeadingGroup)
	w.sub = e.staffUser(w.world, "a.substitute", authz.SubjectTeacher)
	w.tokP, w.tokTA = w.tok["a.principal"], w.tok["a.teacher"]
	w.tokGL, w.tokLG, w.tokSub = w.tok["a.gradeleader"], w.tok["a.leading"], w.tok["a.substitute"]
	if t.Failed() {
		t.FailNow()
	}
	return w
}

// staffUser creates an account of school A and signs it in.
func (e *env) staffUser(w *world, login string, role authz.Role) *ent.User {
	u := must(e.client.User.Create().SetTenantID(w.A.ID).SetLogin(login).SetDisplayName(login).SetRole(role).
		SetPasswordHash(testHash(e.t)).Save(system()))
	res, err := e.auth.Login(context.Background(), login, testPassword)
	if err != nil {
		e.t.Fatalf("login %s: %v", login, err)
	}
	w.tok[login] = res.Token
	return u
}

const assignRoleMutation = `mutation($i: AssignRoleInput!) { assignRole(input: $i) { id tenantID role nodeType nodeID validFrom validTo user { id } } }`

// assign gives a user a role at a node through GraphQL, as the caller with token tok, and returns the
// assignment's ID.
func (e *env) assign(t *testing.T, tok string, userID int, role authz.Role, nodeType authz.NodeType, nodeID int) int {
	t.Helper()
	r := e.gql(tok, assignRoleMutation, map[string]any{"i": map[string]any{
		"userID": userID, "role": role, "nodeType": nodeType, "nodeID": nodeID,
	}}).ok(t)
	var a struct{ ID string }
	r.decode(t, "assignRole", &a)
	return atoi(t, a.ID)
}

// studentsSeen lists the students a caller reads through the students connection, with the error code of a
// refusal ("" when the list came back).
func (e *env) studentsSeen(t *testing.T, tok string) ([]int, string) {
	t.Helper()
	r := e.gql(tok, `{ students(first: 100) { totalCount edges { node { id } } } }`, nil)
	if r.Code() != "" {
		if raw := r.Data["students"]; len(raw) > 0 && string(raw) != "null" {
			t.Fatalf("refused, yet data came back: %s", r.Data["students"])
		}
		return nil, r.Code()
	}
	got := ids(t, r, "students")
	slices.Sort(got)
	return got, ""
}

func gqlTime(tm time.Time) string { return tm.UTC().Format(time.RFC3339Nano) }

func sortedInts(xs ...int) []int {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// TestOrganisationCRUD: the principal builds and maintains the school's organisation through GraphQL:
// campus, grade, classes (opened, then one closed), a student who moves class and then graduates (with the
// enrollment history a school must be able to show), a guardian, staff (one leaves) and a staff group.
func TestOrganisationCRUD(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		p := w.tok["a.principal"]
		do := func(field, query string, vars map[string]any, out any) {
			t.Helper()
			e.gql(p, query, vars).ok(t).decode(t, field, out)
		}
		type node struct{ ID string }

		// Campus.
		var campus struct{ ID, Name string }
		do("createCampus", `mutation($i: CreateCampusInput!) { createCampus(input: $i) { id name } }`,
			map[string]any{"i": map[string]any{"name": "东校区"}}, &campus)
		do("updateCampus", `mutation($id: ID!) { updateCampus(id: $id, input: {name: "东校区(本部)"}) { id name } }`,
			map[string]any{"id": campus.ID}, &campus)
		if campus.Name != "东校区(本部)" {
			t.Errorf("campus = %+v", campus)
		}

		// Grade on that campus.
		var grade struct {
			ID, Name  string
			SortOrder int
			Campus    node
		}
		do("createGrade", `mutation($i: CreateGradeInput!) { createGrade(input: $i) { id name sortOrder campus { id } } }`,
			map[string]any{"i": map[string]any{"name": "七年级", "campusID": campus.ID}}, &grade)
		do("updateGrade", `mutation($id: ID!) { updateGrade(id: $id, input: {sortOrder: 7}) { id name sortOrder campus { id } } }`,
			map[string]any{"id": grade.ID}, &grade)
		if grade.Name != "七年级" || grade.SortOrder != 7 || grade.Campus.ID != campus.ID {
			t.Errorf("grade = %+v", grade)
		}
		// The same grade name twice in one school is refused.
		if r := e.gql(p, `mutation($i: CreateGradeInput!) { createGrade(input: $i) { id } }`,
			map[string]any{"i": map[string]any{"name": "七年级"}}); r.Code() != "CONFLICT" {
			t.Errorf("duplicate grade: %+v", r.Errors)
		}

		// Two classes in the grade.
		opened := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
		class := func(name string) string {
			var c struct {
				ID       string
				Grade    node
				OpenedOn time.Time
			}
			do("createClass", `mutation($i: CreateClassInput!) { createClass(input: $i) { id grade { id } openedOn } }`,
				map[string]any{"i": map[string]any{"name": name, "gradeID": grade.ID, "openedOn": gqlTime(opened)}}, &c)
			if c.Grade.ID != grade.ID || !c.OpenedOn.Equal(opened) {
				t.Errorf("class %s = %+v", name, c)
			}
			return c.ID
		}
		c1, c2 := class("七年级(1)班"), class("七年级(2)班")
		var gradeClasses struct {
			Classes struct{ TotalCount int }
		}
		e.gql(p, `query($id: ID!) { node(id: $id) { ... on Grade { classes { totalCount } } } }`, map[string]any{"id": grade.ID}).
			ok(t).decode(t, "node", &gradeClasses)
		if gradeClasses.Classes.TotalCount != 2 {
			t.Errorf("grade has %d classes, want 2", gradeClasses.Classes.TotalCount)
		}

		// A student enrolled in class 1 ...
		type enroll struct {
			ClassID string
			StartOn time.Time
			EndOn   *time.Time
		}
		var st struct {
			ID, Status, DormRoom string
			ClassID              *string
			Boarder              bool
			Enrollments          []enroll
		}
		const stFields = `id status dormRoom classID boarder enrollments { classID startOn endOn }`
		do("createStudent", `mutation($i: CreateStudentInput!) { createStudent(input: $i) { `+stFields+` } }`,
			map[string]any{"i": map[string]any{"name": "张小明", "studentNumber": "G2026001", "gender": "male",
				"classID": c1, "boarder": true, "dormRoom": "3-201"}}, &st)
		if st.Status != "attending" || st.ClassID == nil || *st.ClassID != c1 || !st.Boarder ||
			len(st.Enrollments) != 1 || st.Enrollments[0].ClassID != c1 || st.Enrollments[0].EndOn != nil {
			t.Fatalf("new student = %+v", st)
		}
		// ... moves to class 2: the stay in class 1 ends, one in class 2 begins; nothing is deleted.
		do("updateStudent", `mutation($id: ID!, $c: ID!) { updateStudent(id: $id, input: {classID: $c}) { `+stFields+` } }`,
			map[string]any{"id": st.ID, "c": c2}, &st)
		if st.ClassID == nil || *st.ClassID != c2 || len(st.Enrollments) != 2 {
			t.Fatalf("moved student = %+v", st)
		}
		var closed, open int
		for _, en := range st.Enrollments {
			switch {
			case en.ClassID == c1 && en.EndOn != nil && !en.EndOn.Before(en.StartOn):
				closed++
			case en.ClassID == c2 && en.EndOn == nil:
				open++
			}
		}
		if closed != 1 || open != 1 {
			t.Errorf("enrollments after the move = %+v, want one closed in class 1 and one open in class 2", st.Enrollments)
		}
		// The new class lists the student, the old one no longer does.
		for cls, want := range map[string]int{c1: 0, c2: 1} {
			var n struct{ Students struct{ TotalCount int } }
			e.gql(p, `query($id: ID!) { node(id: $id) { ... on Class { students { totalCount } } } }`, map[string]any{"id": cls}).
				ok(t).decode(t, "node", &n)
			if n.Students.TotalCount != want {
				t.Errorf("class %s lists %d students, want %d", cls, n.Students.TotalCount, want)
			}
		}

		// A guardian; a wrong phone number is refused with the field named.
		var g struct{ ID, Phone, Relation string }
		do("createGuardian", `mutation($i: CreateGuardianInput!) { createGuardian(input: $i) { id phone relation } }`,
			map[string]any{"i": map[string]any{"name": "张父", "relation": "father", "phone": "13800138000",
				"primaryContact": true, "studentID": st.ID}}, &g)
		do("updateGuardian", `mutation($id: ID!) { updateGuardian(id: $id, input: {phone: "13900139000"}) { id phone relation } }`,
			map[string]any{"id": g.ID}, &g)
		if g.Phone != "13900139000" || g.Relation != "father" {
			t.Errorf("guardian = %+v", g)
		}
		if r := e.gql(p, `mutation($id: ID!) { updateGuardian(id: $id, input: {phone: "12345"}) { id } }`,
			map[string]any{"id": g.ID}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "phone" {
			t.Errorf("bad phone: %+v", r.Errors)
		}
		var withGuardians struct {
			Guardians []struct{ Phone string }
		}
		e.gql(p, `query($id: ID!) { node(id: $id) { ... on Student { guardians { phone } } } }`, map[string]any{"id": st.ID}).
			ok(t).decode(t, "node", &withGuardians)
		if len(withGuardians.Guardians) != 1 || withGuardians.Guardians[0].Phone != "13900139000" {
			t.Errorf("student's guardians = %+v", withGuardians)
		}

		// Graduation: no class any more, and the last stay ends.
		do("updateStudent", `mutation($id: ID!) { updateStudent(id: $id, input: {status: graduated, clearClass: true}) { `+stFields+` } }`,
			map[string]any{"id": st.ID}, &st)
		if st.Status != "graduated" || st.ClassID != nil || len(st.Enrollments) != 2 {
			t.Fatalf("graduated student = %+v", st)
		}
		for _, en := range st.Enrollments {
			if en.EndOn == nil {
				t.Errorf("enrollment in %s still open after graduation", en.ClassID)
			}
		}

		// Closing class 1 keeps it, with its closing day.
		closedOn := time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)
		var cl struct {
			ID       string
			ClosedOn *time.Time
		}
		do("updateClass", `mutation($id: ID!, $d: Time!) { updateClass(id: $id, input: {closedOn: $d}) { id closedOn } }`,
			map[string]any{"id": c1, "d": gqlTime(closedOn)}, &cl)
		if cl.ClosedOn == nil || !cl.ClosedOn.Equal(closedOn) {
			t.Errorf("closed class = %+v", cl)
		}

		// Staff, one of whom leaves; a staff group whose membership changes.
		staff := func(name, typ string) string {
			var s node
			do("createStaff", `mutation($i: CreateStaffInput!) { createStaff(input: $i) { id } }`,
				map[string]any{"i": map[string]any{"name": name, "staffType": typ, "phone": "13700000000"}}, &s)
			return s.ID
		}
		st1, st2 := staff("陈老师", "teacher"), staff("退休的周老师", "retired_teacher")
		left := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		var gone struct {
			Status string
			LeftOn *time.Time
		}
		do("updateStaff", `mutation($id: ID!, $d: Time!) { updateStaff(id: $id, input: {status: left, leftOn: $d}) { status leftOn } }`,
			map[string]any{"id": st1, "d": gqlTime(left)}, &gone)
		if gone.Status != "left" || gone.LeftOn == nil || !gone.LeftOn.Equal(left) {
			t.Errorf("staff who left = %+v", gone)
		}
		var grp struct {
			ID, Name string
			Members  []node
		}
		do("createStaffGroup", `mutation($i: CreateStaffGroupInput!) { createStaffGroup(input: $i) { id name members { id } } }`,
			map[string]any{"i": map[string]any{"name": "第一包保组", "memberIDs": []string{st1}}}, &grp)
		if len(grp.Members) != 1 || grp.Members[0].ID != st1 {
			t.Errorf("new group = %+v", grp)
		}
		do("updateStaffGroup", `mutation($id: ID!, $add: [ID!], $rm: [ID!]) { updateStaffGroup(id: $id, input: {name: "第一组", addMemberIDs: $add, removeMemberIDs: $rm}) { id name members { id } } }`,
			map[string]any{"id": grp.ID, "add": []string{st2}, "rm": []string{st1}}, &grp)
		if grp.Name != "第一组" || len(grp.Members) != 1 || grp.Members[0].ID != st2 {
			t.Errorf("group after the change = %+v", grp)
		}

		// Every list shows what was made; the departed staff member is still on record.
		lists := map[string][]string{
			`{ campuses { edges { node { id } } } }`:                             {campus.ID},
			`{ grades { edges { node { id } } } }`:                               {grade.ID},
			`{ classes(orderBy: {field: NAME}) { edges { node { id } } } }`:      {c1, c2},
			`{ students(where: {status: graduated}) { edges { node { id } } } }`: {st.ID},
			`{ guardians { edges { node { id } } } }`:                            {g.ID},
			`{ staff(where: {status: left}) { edges { node { id } } } }`:         {st1},
			`{ staff(orderBy: {field: NAME}) { edges { node { id } } } }`:        {st1, st2},
			`{ staffGroups { edges { node { id members { id } } } } }`:           {grp.ID, st2},
		}
		for q, want := range lists {
			r := e.gql(p, q, nil).ok(t)
			for _, id := range want {
				if !containsID(r, id) {
					t.Errorf("%s misses %s: %s", q, id, r.Data)
				}
			}
		}
		// The database agrees with what GraphQL said.
		sid := atoi(t, st.ID)
		if n := must(e.client.Enrollment.Query().Where(enrollment.StudentID(sid)).Count(system())); n != 2 {
			t.Errorf("%d enrollments stored, want 2", n)
		}
	})
}

// TestClassTeacherSeesOnlyHerClass: a class teacher reads and changes the students of the class she is
// assigned to (包班), and nothing of the class next door.
func TestClassTeacherSeesOnlyHerClass(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()

		// Before any assignment a class teacher reads no student.
		if got, code := e.studentsSeen(t, w.tokTA); code != "FORBIDDEN" || len(got) != 0 {
			t.Errorf("unassigned teacher: students %v, code %q", got, code)
		}

		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)

		if got, code := e.studentsSeen(t, w.tokTA); code != "" || !slices.Equal(got, []int{w.s1}) {
			t.Errorf("students = %v (%s), want exactly [%d] of class 1", got, code, w.s1)
		}
		var classes struct {
			Edges []struct{ Node struct{ ID string } }
		}
		e.gql(w.tokTA, `{ classes { edges { node { id } } } }`, nil).ok(t).decode(t, "classes", &classes)
		if len(classes.Edges) != 1 || classes.Edges[0].Node.ID != strconv.Itoa(w.c1) {
			t.Errorf("classes = %+v, want only class 1", classes)
		}

		// Class 2's student and guardian: not readable by ID, not by filter, not through the class.
		s2 := strconv.Itoa(w.s2)
		for name, q := range map[string]string{
			"node":             `query($id: ID!) { node(id: $id) { id } }`,
			"nodes":            `query($id: ID!) { nodes(ids: [$id]) { id } }`,
			"students by id":   `query($id: ID!) { students(where: {id: $id}) { edges { node { id } } } }`,
			"guardians of s2":  `query($id: ID!) { guardians(where: {hasStudentWith: {id: $id}}) { edges { node { id phone } } } }`,
			"class 2 students": `query($id: ID!) { students(where: {hasClassWith: {nameContains: "(2)"}}) { edges { node { id } } } x: node(id: $id) { id } }`,
		} {
			r := e.gql(w.tokTA, q, map[string]any{"id": s2})
			if containsID(r, s2) || containsID(r, strconv.Itoa(w.guard2)) {
				t.Errorf("%s: class 2's student or guardian leaked: %s", name, r.Data)
			}
		}
		if r := e.gql(w.tokTA, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": s2}); r.Code() != "NOT_FOUND" {
			t.Errorf("node(class 2 student): code %q, want NOT_FOUND", r.Code())
		}

		// Changing class 2's student or guardian fails and changes nothing.
		for name, q := range map[string]string{
			"rename student": `mutation($id: ID!) { updateStudent(id: $id, input: {name: "hacked"}) { id } }`,
			"graduate":       `mutation($id: ID!) { updateStudent(id: $id, input: {status: graduated, clearClass: true}) { id } }`,
			"guardian phone": `mutation($g: ID!) { updateGuardian(id: $g, input: {phone: "13999999999"}) { id } }`,
			"new guardian":   `mutation($id: ID!) { createGuardian(input: {studentID: $id, name: "x", relation: other, phone: "13999999999"}) { id } }`,
		} {
			r := e.gql(w.tokTA, q, map[string]any{"id": s2, "g": w.guard2})
			if c := r.Code(); c != "FORBIDDEN" && c != "NOT_FOUND" {
				t.Errorf("%s on class 2: code %q (%s)", name, c, r.Data)
			}
		}
		// Moving her own student into another class needs a right at that class too.
		if r := e.gql(w.tokTA, `mutation($id: ID!, $c: ID!) { updateStudent(id: $id, input: {classID: $c}) { id } }`,
			map[string]any{"id": w.s1, "c": w.c3}); r.Code() != "FORBIDDEN" {
			t.Errorf("move to class 3: code %q", r.Code())
		}
		ctx := system()
		if s := must(e.client.Student.Get(ctx, w.s2)); s.Name != "王二" || s.Status != student.StatusAttending || s.ClassID == nil || *s.ClassID != w.c2 {
			t.Errorf("class 2's student changed: %+v", s)
		}
		if g := must(e.client.Guardian.Get(ctx, w.guard2)); g.Phone != "13800000002" {
			t.Errorf("class 2's guardian changed: %+v", g)
		}
		if n := must(e.client.Guardian.Query().Count(ctx)); n != 1 {
			t.Errorf("%d guardians, want 1", n)
		}
		if s := must(e.client.Student.Get(ctx, w.s1)); *s.ClassID != w.c1 {
			t.Errorf("own student moved to %d", *s.ClassID)
		}

		// Her own student: she keeps the record and adds a guardian.
		var s struct {
			DormRoom  string
			Boarder   bool
			Guardians []struct{ Phone string }
		}
		e.gql(w.tokTA, `mutation($id: ID!) { updateStudent(id: $id, input: {boarder: true, dormRoom: "5-302"}) { dormRoom boarder } }`,
			map[string]any{"id": w.s1}).ok(t).decode(t, "updateStudent", &s)
		e.gql(w.tokTA, `mutation($id: ID!) { createGuardian(input: {studentID: $id, name: "李母", relation: mother, phone: "13600000001"}) { id } }`,
			map[string]any{"id": w.s1}).ok(t)
		e.gql(w.tokTA, `query($id: ID!) { node(id: $id) { ... on Student { dormRoom boarder guardians { phone } } } }`,
			map[string]any{"id": w.s1}).ok(t).decode(t, "node", &s)
		if s.DormRoom != "5-302" || !s.Boarder || len(s.Guardians) != 1 || s.Guardians[0].Phone != "13600000001" {
			t.Errorf("own student = %+v", s)
		}
	})
}

// TestGradeLeaderSeesHerGrade: a grade leader assigned to grade 1 (包年级) sees and runs the classes of
// grade 1, not those of grade 2.
func TestGradeLeaderSeesHerGrade(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.gl.ID, authz.GradeLeader, authz.NodeGrade, w.g1)

		r := e.gql(w.tokGL, `{ classes(first: 100) { totalCount edges { node { id } } } }`, nil).ok(t)
		if got := sortedInts(ids(t, r, "classes")...); !slices.Equal(got, sortedInts(w.c1, w.c2)) {
			t.Errorf("classes = %v, want grade 1's %v", got, sortedInts(w.c1, w.c2))
		}
		if got, code := e.studentsSeen(t, w.tokGL); code != "" || !slices.Equal(got, sortedInts(w.s1, w.s2)) {
			t.Errorf("students = %v (%s), want grade 1's", got, code)
		}
		// A class opened later in grade 1 is hers on the next request.
		c4 := must(e.client.Class.Create().SetTenantID(w.A.ID).SetName("一年级(3)班").SetGradeID(w.g1).Save(system())).ID
		r = e.gql(w.tokGL, `{ classes(first: 100) { edges { node { id } } } }`, nil).ok(t)
		if got := sortedInts(ids(t, r, "classes")...); !slices.Equal(got, sortedInts(w.c1, w.c2, c4)) {
			t.Errorf("classes after a new one = %v", got)
		}

		// She renames a class of her grade, not one of grade 2, and enrols students only into hers.
		e.gql(w.tokGL, `mutation($id: ID!) { updateClass(id: $id, input: {sortOrder: 3}) { id } }`, map[string]any{"id": w.c2}).ok(t)
		if r := e.gql(w.tokGL, `mutation($id: ID!) { updateClass(id: $id, input: {name: "hacked"}) { id } }`,
			map[string]any{"id": w.c3}); r.Code() != "FORBIDDEN" && r.Code() != "NOT_FOUND" {
			t.Errorf("renamed a class of grade 2: %q", r.Code())
		}
		// Nor can she move her class into grade 2.
		if r := e.gql(w.tokGL, `mutation($id: ID!, $g: ID!) { updateClass(id: $id, input: {gradeID: $g}) { id } }`,
			map[string]any{"id": w.c1, "g": w.g2}); r.Code() != "FORBIDDEN" {
			t.Errorf("moved class 1 to grade 2: %q", r.Code())
		}
		newStudent := `mutation($c: ID!, $n: String!) { createStudent(input: {name: "新生", studentNumber: $n, gender: male, classID: $c}) { id } }`
		e.gql(w.tokGL, newStudent, map[string]any{"c": w.c1, "n": "A0100"}).ok(t)
		if r := e.gql(w.tokGL, newStudent, map[string]any{"c": w.c3, "n": "A0101"}); r.Code() != "FORBIDDEN" {
			t.Errorf("enrolled into grade 2: %q", r.Code())
		}
		ctx := system()
		if c := must(e.client.Class.Get(ctx, w.c3)); c.Name != "二年级(1)班" {
			t.Errorf("grade 2's class changed: %+v", c)
		}
		if c := must(e.client.Class.Get(ctx, w.c1)); *c.GradeID != w.g1 {
			t.Errorf("class 1 moved to grade %d", *c.GradeID)
		}
		if n := must(e.client.Student.Query().Where(student.StudentNumber("A0101")).Count(ctx)); n != 0 {
			t.Error("a student was enrolled into grade 2")
		}
	})
}

// TestRevokeTakesEffectOnNextRequest: ending an assignment removes the access on the holder's very next
// request; the assignment stays on record with its end.
func TestRevokeTakesEffectOnNextRequest(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		id := e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		if got, _ := e.studentsSeen(t, w.tokTA); !slices.Equal(got, []int{w.s1}) {
			t.Fatalf("assigned teacher sees %v", got)
		}
		e.advance(time.Hour)
		var a struct {
			ID      string
			ValidTo *time.Time
		}
		e.gql(w.tokP, `mutation($id: ID!) { revokeAssignment(id: $id) { id validTo } }`, map[string]any{"id": id}).
			ok(t).decode(t, "revokeAssignment", &a)
		if a.ValidTo == nil || a.ValidTo.Sub(e.clock()).Abs() > time.Millisecond {
			t.Errorf("validTo = %v, want now (%v)", a.ValidTo, e.clock())
		}
		if got, code := e.studentsSeen(t, w.tokTA); len(got) != 0 || code != "FORBIDDEN" {
			t.Errorf("after the revocation the teacher sees %v (%q)", got, code)
		}
		if r := e.gql(w.tokTA, `mutation($id: ID!) { updateStudent(id: $id, input: {name: "x"}) { id } }`, map[string]any{"id": w.s1}); r.Code() == "" {
			t.Error("a revoked teacher changed a student")
		}
		// History is kept: the row is there, with its end; revoking again changes nothing.
		e.advance(time.Hour)
		var again struct{ ValidTo *time.Time }
		e.gql(w.tokP, `mutation($id: ID!) { revokeAssignment(id: $id) { validTo } }`, map[string]any{"id": id}).
			ok(t).decode(t, "revokeAssignment", &again)
		if again.ValidTo == nil || !again.ValidTo.Equal(*a.ValidTo) {
			t.Errorf("second revocation moved the end to %v", again.ValidTo)
		}
		r := e.gql(w.tokP, `query($u: ID!) { assignments(where: {userID: $u}) { totalCount edges { node { id validTo } } } }`,
			map[string]any{"u": w.ta.ID}).ok(t)
		if got := ids(t, r, "assignments"); !slices.Equal(got, []int{id}) {
			t.Errorf("assignments on record = %v", got)
		}
		if s := must(e.client.Student.Get(system(), w.s1)); s.Name != "李一" {
			t.Errorf("student changed: %+v", s)
		}
	})
}

// TestSubstituteForAPeriod: a class teacher hands her class to a substitute for a period (代班). He has the
// class while it lasts and not after; the audit log names her as the one who did it.
func TestSubstituteForAPeriod(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		e.assign(t, w.tokP, w.gl.ID, authz.GradeLeader, authz.NodeGrade, w.g1)

		// She finds her assignment in me (a class teacher does not read the school's assignments).
		var me struct {
			Scopes []struct {
				AssignmentID *string
				NodeType     string
				NodeID       string
			}
		}
		e.gql(w.tokTA, `{ me { scopes { assignmentID nodeType nodeID } } }`, nil).ok(t).decode(t, "me", &me)
		if len(me.Scopes) != 1 || me.Scopes[0].AssignmentID == nil || me.Scopes[0].NodeID != strconv.Itoa(w.c1) {
			t.Fatalf("teacher's scopes = %+v", me.Scopes)
		}
		own := *me.Scopes[0].AssignmentID

		if got, code := e.studentsSeen(t, w.tokSub); code != "FORBIDDEN" || len(got) != 0 {
			t.Fatalf("substitute before: %v %q", got, code)
		}
		now := e.clock()
		delegate := `mutation($i: DelegateAssignmentInput!) { delegateAssignment(input: $i) { id role nodeType nodeID delegatedFromID validTo user { id } } }`
		period := func(from string, sub int) map[string]any {
			return map[string]any{"i": map[string]any{"assignmentID": from, "substituteUserID": sub,
				"validFrom": gqlTime(now), "validTo": gqlTime(now.Add(time.Hour))}}
		}
		var d struct {
			ID, Role, NodeType, DelegatedFromID string
			NodeID                              int // Assignment.nodeID is an Int in the generated SDL
			ValidTo                             time.Time
		}
		e.gql(w.tokTA, `mutation($i: DelegateAssignmentInput!) { delegateAssignment(input: $i) { id role nodeType nodeID delegatedFromID validTo } }`,
			period(own, w.sub.ID)).ok(t).decode(t, "delegateAssignment", &d)
		if d.Role != "class_teacher" || d.NodeType != "class" || d.NodeID != w.c1 || d.DelegatedFromID != own {
			t.Errorf("substitute's assignment = %+v", d)
		}

		// She cannot hand out what is not hers: the grade leader's grade, or her class to another school's teacher.
		gradeAssignment := must(e.client.Assignment.Query().Where(assignment.UserID(w.gl.ID)).Only(system())).ID
		if r := e.gql(w.tokTA, delegate, period(strconv.Itoa(gradeAssignment), w.ta.ID)); r.Code() != "FORBIDDEN" && r.Code() != "NOT_FOUND" {
			t.Errorf("teacher took the grade leader's grade: %q %s", r.Code(), r.Data)
		}
		if r := e.gql(w.tokTA, delegate, period(own, w.tb.ID)); r.Code() == "" {
			t.Errorf("teacher handed her class to school B: %s", r.Data)
		}
		// Nor can the substitute extend his stand-in by delegating the original to himself.
		if r := e.gql(w.tokSub, delegate, period(own, w.sub.ID)); r.Code() != "FORBIDDEN" && r.Code() != "NOT_FOUND" {
			t.Errorf("substitute delegated the original: %q", r.Code())
		}

		// During the period the substitute has the class, and his me says for whom he stands in.
		if got, code := e.studentsSeen(t, w.tokSub); code != "" || !slices.Equal(got, []int{w.s1}) {
			t.Errorf("substitute during the period: %v %q", got, code)
		}
		var subMe struct {
			Roles  []string
			Scopes []struct {
				Role, NodeType, Name string
				SubstituteFor        *string
				ValidTo              *time.Time
			}
		}
		e.gql(w.tokSub, `{ me { roles scopes { role nodeType name substituteFor validTo } } }`, nil).ok(t).decode(t, "me", &subMe)
		if !slices.Equal(subMe.Roles, []string{"class_teacher", "subject_teacher"}) || len(subMe.Scopes) != 1 ||
			subMe.Scopes[0].Name != "一年级(1)班" || subMe.Scopes[0].SubstituteFor == nil || *subMe.Scopes[0].SubstituteFor != own ||
			subMe.Scopes[0].ValidTo == nil || subMe.Scopes[0].ValidTo.Sub(d.ValidTo).Abs() > time.Microsecond { // PostgreSQL keeps µs
			t.Errorf("substitute's me = %+v", subMe)
		}
		e.gql(w.tokSub, `mutation($id: ID!) { updateStudent(id: $id, input: {dormRoom: "代班登记"}) { id } }`, map[string]any{"id": w.s1}).ok(t)
		// The teacher keeps her class meanwhile.
		if got, _ := e.studentsSeen(t, w.tokTA); !slices.Equal(got, []int{w.s1}) {
			t.Errorf("teacher during the substitution: %v", got)
		}

		// After the period he no longer has it; she still does.
		e.advance(time.Hour + time.Second)
		if got, code := e.studentsSeen(t, w.tokSub); len(got) != 0 || code != "FORBIDDEN" {
			t.Errorf("substitute after the period: %v %q", got, code)
		}
		if r := e.gql(w.tokSub, `mutation($id: ID!) { updateStudent(id: $id, input: {dormRoom: "late"}) { id } }`, map[string]any{"id": w.s1}); r.Code() == "" {
			t.Error("substitute changed a student after the period")
		}
		if got, _ := e.studentsSeen(t, w.tokTA); !slices.Equal(got, []int{w.s1}) {
			t.Errorf("teacher after the substitution: %v", got)
		}

		// The audit log shows who handed the class over, and to whom.
		var logs struct {
			Edges []struct {
				Node struct {
					Actor       string
					ActorUserID *int
					Operation   string
					Changes     []struct {
						Field string
						New   json.RawMessage
					}
				}
			}
		}
		e.gql(w.tokP, `query($id: Int!) { auditLogs(where: {entityType: "Assignment", entityID: $id}) { edges { node { actor actorUserID operation changes { field new } } } } }`,
			map[string]any{"id": atoi(t, d.ID)}).ok(t).decode(t, "auditLogs", &logs)
		if len(logs.Edges) != 1 {
			t.Fatalf("audit entries for the substitute's assignment: %+v", logs)
		}
		entry := logs.Edges[0].Node
		if entry.Operation != "create" || entry.Actor != "user:a.teacher" || entry.ActorUserID == nil || *entry.ActorUserID != w.ta.ID {
			t.Errorf("audit entry = %+v", entry)
		}
		changed := map[string]string{}
		for _, c := range entry.Changes {
			changed[c.Field] = string(c.New)
		}
		if changed["delegated_from_id"] != own || changed["user_id"] != strconv.Itoa(w.sub.ID) {
			t.Errorf("audit changes = %v, want delegated_from_id %s and user_id %d", changed, own, w.sub.ID)
		}
	})
}

// TestWhoMayAssignRoles: teachers assign nothing; the leading group assigns roles below its own, never
// principal or leading group; a district admin assigns in its schools, in the school's tenant.
func TestWhoMayAssignRoles(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		count := func() int { return must(e.client.Assignment.Query().Count(system())) }
		before := count()
		in := func(user int, role authz.Role, typ authz.NodeType, node int) map[string]any {
			return map[string]any{"i": map[string]any{"userID": user, "role": role, "nodeType": typ, "nodeID": node}}
		}

		// A class teacher cannot assign, not even in her own class.
		for _, v := range []map[string]any{
			in(w.sub.ID, authz.ClassTeacher, authz.NodeClass, w.c1),
			in(w.sub.ID, authz.SubjectTeacher, authz.NodeClass, w.c1),
			in(w.ta.ID, authz.GradeLeader, authz.NodeGrade, w.g1),
		} {
			if r := e.gql(w.tokTA, assignRoleMutation, v); r.Code() != "FORBIDDEN" {
				t.Errorf("teacher assigned %v: %q", v, r.Code())
			}
		}
		if n := count(); n != before {
			t.Fatalf("assignments %d → %d after refused attempts", before, n)
		}

		// A leading-group member assigns a class teacher ...
		e.assign(t, w.tokLG, w.sub.ID, authz.ClassTeacher, authz.NodeClass, w.c2)
		if got, _ := e.studentsSeen(t, w.tokSub); !slices.Equal(got, []int{w.s2}) {
			t.Errorf("new class teacher sees %v", got)
		}
		// ... but no one at or above the leading group.
		for _, v := range []map[string]any{
			in(w.sub.ID, authz.Principal, authz.NodeSchool, w.A.ID),
			in(w.sub.ID, authz.LeadingGroup, authz.NodeSchool, w.A.ID),
			in(w.lg.ID, authz.Principal, authz.NodeSchool, w.A.ID),
		} {
			if r := e.gql(w.tokLG, assignRoleMutation, v); r.Code() != "FORBIDDEN" {
				t.Errorf("leading group assigned %v: %q", v, r.Code())
			}
		}
		// Nor at a node of another school, nor a user of another school.
		if r := e.gql(w.tokLG, assignRoleMutation, in(w.tb.ID, authz.ClassTeacher, authz.NodeClass, w.c2)); r.Code() == "" {
			t.Error("leading group assigned school B's teacher")
		}
		if r := e.gql(w.tokLG, assignRoleMutation, in(w.sub.ID, authz.ClassTeacher, authz.NodeSchool, w.B.ID)); r.Code() == "" {
			t.Error("leading group assigned at school B")
		}
		if n := count(); n != before+1 {
			t.Errorf("assignments %d, want %d", n, before+1)
		}

		// The district admin assigns in one of its schools: the assignment belongs to the school.
		var a struct{ ID, TenantID, Role string }
		e.gql(w.tok["d1.admin"], assignRoleMutation, in(w.gl.ID, authz.GradeLeader, authz.NodeGrade, w.g2)).
			ok(t).decode(t, "assignRole", &a)
		if a.TenantID != strconv.Itoa(w.A.ID) || a.Role != "grade_leader" {
			t.Errorf("district admin's assignment = %+v", a)
		}
		if got, _ := e.studentsSeen(t, w.tokGL); !slices.Equal(got, []int{w.s3}) {
			t.Errorf("grade leader of grade 2 sees %v", got)
		}
		if r := e.gql(w.tok["d2.admin"], assignRoleMutation, in(w.gl.ID, authz.GradeLeader, authz.NodeGrade, w.g1)); r.Code() == "" {
			t.Error("another district's admin assigned in school A")
		}
	})
}

// TestMeShowsRolesAndScopes: a grade leader's me lists her role and the grade she answers for, by name;
// a principal's, the whole school.
func TestMeShowsRolesAndScopes(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		type scope struct{ Role, NodeType, NodeID, Name string }
		var me struct {
			Roles  []string
			Scopes []scope
		}
		const q = `{ me { roles scopes { role nodeType nodeID name } } }`
		e.gql(w.tokGL, q, nil).ok(t).decode(t, "me", &me)
		if !slices.Equal(me.Roles, []string{"grade_leader"}) || len(me.Scopes) != 0 {
			t.Errorf("unassigned grade leader: %+v", me)
		}

		e.assign(t, w.tokP, w.gl.ID, authz.GradeLeader, authz.NodeGrade, w.g1)
		me.Scopes = nil
		e.gql(w.tokGL, q, nil).ok(t).decode(t, "me", &me)
		want := []scope{{"grade_leader", "grade", strconv.Itoa(w.g1), "一年级"}}
		if !slices.Equal(me.Roles, []string{"grade_leader"}) || !slices.Equal(me.Scopes, want) {
			t.Errorf("grade leader's me = %+v, want scopes %+v", me, want)
		}

		// She also teaches class 3 as its class teacher (a person may hold several).
		e.assign(t, w.tokP, w.gl.ID, authz.ClassTeacher, authz.NodeClass, w.c3)
		me.Scopes = nil
		e.gql(w.tokGL, q, nil).ok(t).decode(t, "me", &me)
		want = append(want, scope{"class_teacher", "class", strconv.Itoa(w.c3), "二年级(1)班"})
		if !slices.Equal(me.Roles, []string{"grade_leader", "class_teacher"}) || !slices.Equal(me.Scopes, want) {
			t.Errorf("grade leader with a class: %+v", me)
		}

		me.Scopes = nil
		e.gql(w.tokP, q, nil).ok(t).decode(t, "me", &me)
		want = []scope{{"principal", "school", strconv.Itoa(w.A.ID), "School A"}}
		if !slices.Equal(me.Roles, []string{"principal"}) || !slices.Equal(me.Scopes, want) {
			t.Errorf("principal's me = %+v", me)
		}
	})
}

// TestScopeCan: a scope says what its role may do, as the server decides it, so the console offers a grade
// leader the exemption of her grade's classes and the principal the attestation of the school's report, and
// offers neither to a class teacher; a misspelt object is an error, not a quiet "no".
func TestScopeCan(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.gl.ID, authz.GradeLeader, authz.NodeGrade, w.g1)
		e.assign(t, w.tokP, w.gl.ID, authz.ClassTeacher, authz.NodeClass, w.c3)
		type scope struct {
			Role           string
			Exempt, Attest bool
		}
		const q = `{ me { scopes { role exempt: can(object: "exemption", action: "create") attest: can(object: "daily_report", action: "update") } } }`
		var me struct{ Scopes []scope }
		e.gql(w.tokGL, q, nil).ok(t).decode(t, "me", &me)
		if want := []scope{{"grade_leader", true, false}, {"class_teacher", false, false}}; !slices.Equal(me.Scopes, want) {
			t.Errorf("grade leader's scopes = %+v, want %+v", me.Scopes, want)
		}
		me.Scopes = nil
		e.gql(w.tokP, q, nil).ok(t).decode(t, "me", &me)
		if want := []scope{{"principal", true, true}}; !slices.Equal(me.Scopes, want) {
			t.Errorf("principal's scopes = %+v, want %+v", me.Scopes, want)
		}
		// What the scope says is what the server does: the class teacher's exemption is refused.
		r := e.gql(w.tokGL, `mutation($i: ExemptClassInput!) { exemptClass(input: $i) { id } }`, map[string]any{"i": map[string]any{
			"classID": w.c3, "date": e.now.Format(time.DateOnly), "session": "morning", "reason": "field_trip"}})
		if r.Code() != "FORBIDDEN" && r.Code() != "NOT_FOUND" {
			t.Errorf("class teacher exempting her class: %+v", r.Errors)
		}
		r = e.gql(w.tokP, `{ me { scopes { can(object: "exemptions", action: "create") } } }`, nil)
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "object" {
			t.Errorf("misspelt object: %+v", r.Errors)
		}
	})
}

// TestOrganisationStaysInItsSchool: another school's principal and the district admin do not reach school A's
// organisation: no row in any list, nothing by ID, no change; the district sees the structure (grades,
// classes, staff) but not the children (no student or guardian).
func TestOrganisationStaysInItsSchool(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		aid := e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		ours := []int{w.g1, w.g2, w.c1, w.c2, w.c3, w.s1, w.s2, w.s3, w.guard2, aid}
		lists := []string{
			`{ grades { edges { node { id } } } }`, `{ classes { edges { node { id } } } }`,
			`{ students { edges { node { id } } } }`, `{ guardians { edges { node { id } } } }`,
			`{ staff { edges { node { id } } } }`, `{ staffGroups { edges { node { id } } } }`,
			`{ assignments { edges { node { id } } } }`, `{ campuses { edges { node { id } } } }`,
		}
		for who, tok := range map[string]string{"principal of B": w.tok["b.principal"], "API token of B": w.apiB} {
			for _, q := range lists {
				r := e.gql(tok, q, nil)
				for _, id := range ours {
					if containsID(r, strconv.Itoa(id)) {
						t.Errorf("%s saw %d in %s", who, id, q)
					}
				}
			}
			for _, id := range ours {
				if r := e.gql(tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); r.Code() != "NOT_FOUND" {
					t.Errorf("%s: node(%d) = %q %s", who, id, r.Code(), r.Data)
				}
			}
			for name, m := range map[string]string{
				"rename class":   `mutation($c: ID!) { updateClass(id: $c, input: {name: "x"}) { id } }`,
				"move student":   `mutation($s: ID!, $c: ID!) { updateStudent(id: $s, input: {classID: $c}) { id } }`,
				"revoke":         `mutation($a: ID!) { revokeAssignment(id: $a) { id } }`,
				"assign A's":     `mutation($u: ID!, $c: ID!) { assignRole(input: {userID: $u, role: class_teacher, nodeType: class, nodeID: $c}) { id } }`,
				"student into A": `mutation($c: ID!) { createStudent(input: {name: "x", studentNumber: "B-1", gender: male, classID: $c}) { id } }`,
			} {
				r := e.gql(tok, m, map[string]any{"c": w.c1, "s": w.s1, "a": aid, "u": w.ta.ID})
				if c := r.Code(); c != "FORBIDDEN" && c != "NOT_FOUND" {
					t.Errorf("%s: %s: code %q %s %+v", who, name, c, r.Data, r.Errors)
				}
			}
		}
		// The district sees its school's structure, not its children.
		r := e.gql(w.tok["d1.admin"], `{ classes { edges { node { id } } } }`, nil).ok(t)
		if got := sortedInts(ids(t, r, "classes")...); !slices.Equal(got, sortedInts(w.c1, w.c2, w.c3)) {
			t.Errorf("district admin's classes = %v", got)
		}
		for _, q := range []string{`{ students { totalCount } }`, `{ guardians { totalCount } }`} {
			if r := e.gql(w.tok["d1.admin"], q, nil); r.Code() != "FORBIDDEN" {
				t.Errorf("district admin read %s: %q %s", q, r.Code(), r.Data)
			}
		}
		ctx := system()
		if c := must(e.client.Class.Get(ctx, w.c1)); c.Name != "一年级(1)班" {
			t.Errorf("class changed: %+v", c)
		}
		if s := must(e.client.Student.Get(ctx, w.s1)); *s.ClassID != w.c1 {
			t.Errorf("student moved: %+v", s)
		}
		if a := must(e.client.Assignment.Get(ctx, aid)); a.ValidTo != nil {
			t.Errorf("assignment ended: %+v", a)
		}
		if n := must(e.client.Student.Query().Count(ctx)); n != 3 {
			t.Errorf("%d students, want 3", n)
		}
		if n := must(e.client.Assignment.Query().Count(ctx)); n != 1 {
			t.Errorf("%d assignments, want 1", n)
		}
	})
}

// TestRevokingEndsDelegations: revoking a class teacher's assignment ends her substitute's stand-in at
// once, and a stand-in planned for later never begins; an assignment revoked before it began is never
// held.
func TestRevokingEndsDelegations(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		own := e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		now := e.clock()
		delegate := func(from, to time.Time) string {
			var d struct{ ID string }
			e.gql(w.tokTA, `mutation($i: DelegateAssignmentInput!) { delegateAssignment(input: $i) { id } }`,
				map[string]any{"i": map[string]any{"assignmentID": own, "substituteUserID": w.sub.ID,
					"validFrom": gqlTime(from), "validTo": gqlTime(to)}}).ok(t).decode(t, "delegateAssignment", &d)
			return d.ID
		}
		delegate(now, now.Add(time.Hour))
		later := delegate(now.Add(2*time.Hour), now.Add(3*time.Hour))
		if got, _ := e.studentsSeen(t, w.tokSub); !slices.Equal(got, []int{w.s1}) {
			t.Fatalf("substitute before the revocation: %v", got)
		}
		revoke := `mutation($id: ID!) { revokeAssignment(id: $id) { id validFrom validTo } }`
		e.gql(w.tokP, revoke, map[string]any{"id": own}).ok(t)
		if got, code := e.studentsSeen(t, w.tokSub); len(got) != 0 || code != "FORBIDDEN" {
			t.Errorf("substitute after the teacher's revocation: %v %q", got, code)
		}
		planned := must(e.client.Assignment.Get(system(), atoi(t, later)))
		if planned.ValidTo == nil || !planned.ValidTo.Equal(planned.ValidFrom) {
			t.Errorf("the planned stand-in: %v – %v, want ended before it began", planned.ValidFrom, planned.ValidTo)
		}
		e.advance(150 * time.Minute)
		if got, code := e.studentsSeen(t, w.tokSub); len(got) != 0 || code != "FORBIDDEN" {
			t.Errorf("substitute during the planned stand-in: %v %q", got, code)
		}

		// An assignment that starts next week, revoked today, is never held (and revoking it is no error).
		var next struct{ ID string }
		e.gql(w.tokP, assignRoleMutation, map[string]any{"i": map[string]any{"userID": w.gl.ID, "role": authz.GradeLeader,
			"nodeType": authz.NodeGrade, "nodeID": w.g1, "validFrom": gqlTime(e.clock().Add(7 * 24 * time.Hour))}}).ok(t).decode(t, "assignRole", &next)
		var r struct{ ValidFrom, ValidTo time.Time }
		e.gql(w.tokP, revoke, map[string]any{"id": next.ID}).ok(t).decode(t, "revokeAssignment", &r)
		if !r.ValidTo.Equal(r.ValidFrom) {
			t.Errorf("future assignment revoked: %v – %v", r.ValidFrom, r.ValidTo)
		}
	})
}

// TestGuardianOnePrimaryContact: a pupil has one primary contact. 王二's class teacher adds 王母 as the primary
// contact: 王父 is no longer one; she marks 王父 again: 王母 is no longer one; a change of his name keeps him;
// unmarking him is refused (王二 would have nobody to call first), his name with it. A guardian refused (a
// wrong phone) takes nothing from 王父, and 李一's primary contact, another pupil's, stays through it all.
func TestGuardianOnePrimaryContact(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld() // 王二 (一年级(2)班): 王父, the primary contact
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c2)
		liMother := must(e.client.Guardian.Create().SetTenantID(w.A.ID).SetStudentID(w.s1).SetName("李母").SetRelation("mother").
			SetPhone("13600000001").SetPrimaryContact(true).Save(system()))
		primaries := func() []string {
			t.Helper()
			var names []string
			for _, g := range must(e.client.Guardian.Query().Where(guardian.StudentID(w.s2), guardian.PrimaryContact(true)).All(system())) {
				names = append(names, g.Name)
			}
			if !must(e.client.Guardian.Get(system(), liMother.ID)).PrimaryContact {
				t.Errorf("李一's primary contact was unmarked")
			}
			return names
		}
		create := `mutation($i: CreateGuardianInput!) { createGuardian(input: $i) { id primaryContact } }`
		update := `mutation($id: ID!, $i: UpdateGuardianInput!) { updateGuardian(id: $id, input: $i) { id primaryContact } }`
		if r := e.gql(w.tokTA, create, map[string]any{"i": map[string]any{"name": "王叔", "relation": "other", "phone": "12345",
			"primaryContact": true, "studentID": id(w.s2)}}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("a wrong phone: %+v", r.Errors)
		}
		if got := primaries(); !slices.Equal(got, []string{"王父"}) {
			t.Errorf("after a refused guardian the primary contacts are %q, want 王父", got)
		}
		var mother struct {
			ID             string
			PrimaryContact bool
		}
		e.gql(w.tokTA, create, map[string]any{"i": map[string]any{"name": "王母", "relation": "mother", "phone": "13700000002",
			"primaryContact": true, "studentID": id(w.s2)}}).ok(t).decode(t, "createGuardian", &mother)
		if got := primaries(); !mother.PrimaryContact || !slices.Equal(got, []string{"王母"}) {
			t.Errorf("after adding 王母 as the primary contact they are %q, want 王母", got)
		}
		for _, step := range []struct {
			input map[string]any
			want  []string
		}{
			{map[string]any{"primaryContact": true}, []string{"王父"}},
			{map[string]any{"name": "王大父"}, []string{"王大父"}},
		} {
			e.gql(w.tokTA, update, map[string]any{"id": id(w.guard2), "i": step.input}).ok(t)
			if got := primaries(); !slices.Equal(got, step.want) {
				t.Errorf("after updating 王父 with %v the primary contacts are %q, want %q", step.input, got, step.want)
			}
		}
		r := e.gql(w.tokTA, update, map[string]any{"id": id(w.guard2), "i": map[string]any{"name": "王老父", "primaryContact": false}})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "primaryContact" {
			t.Errorf("unmarking the primary contact: %+v", r.Errors)
		}
		if got := primaries(); !slices.Equal(got, []string{"王大父"}) {
			t.Errorf("after a refused unmarking the primary contacts are %q, want 王大父 (nothing saved)", got)
		}
	})
}

// TestGuardianPrimaryContactAlwaysOne: a pupil with guardians always has one primary contact. 王小 (一年级(2)
// 班, no guardian yet): her first guardian, 王小母, added without the mark, becomes it; a second, 王小父, added
// without it, does not. Un-marking 王小母 is refused on primaryContact, nothing saved; marking 王小父 instead
// moves it. Moving 王小父 (her primary contact) to 王小弟 is refused on studentID while 王小母 stays with her;
// moving 王小母 is not, and she does not take 王小弟's. 王小弟's only guardian cannot be un-marked either. A
// pupil left without one (guardians written before the rule) gets the next guardian saved.
func TestGuardianPrimaryContactAlwaysOne(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c2)
		pupil := func(name, number string) int {
			return must(e.client.Student.Create().SetTenantID(w.A.ID).SetName(name).SetStudentNumber(number).
				SetGender(student.GenderFemale).SetClassID(w.c2).Save(system())).ID
		}
		xiao, brother := pupil("王小", "A0101"), pupil("王小弟", "A0102")
		primaries := func(pupil int) []string {
			t.Helper()
			var names []string
			for _, g := range must(e.client.Guardian.Query().Where(guardian.StudentID(pupil), guardian.PrimaryContact(true)).
				Order(ent.Asc(guardian.FieldID)).All(system())) {
				names = append(names, g.Name)
			}
			return names
		}
		type saved struct {
			ID             string
			Name           string
			PrimaryContact bool
		}
		create := func(name, phone string, pupil int) saved {
			t.Helper()
			var g saved
			e.gql(w.tokTA, `mutation($i: CreateGuardianInput!) { createGuardian(input: $i) { id name primaryContact } }`,
				map[string]any{"i": map[string]any{"name": name, "relation": "other", "phone": phone, "primaryContact": false,
					"studentID": id(pupil)}}).ok(t).decode(t, "createGuardian", &g)
			return g
		}
		update := func(g saved, input map[string]any) *gqlResponse {
			return e.gql(w.tokTA, `mutation($id: ID!, $i: UpdateGuardianInput!) { updateGuardian(id: $id, input: $i) { id name primaryContact } }`,
				map[string]any{"id": g.ID, "i": input})
		}
		refused := func(r *gqlResponse, field, what string) {
			t.Helper()
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != field {
				t.Errorf("%s: %+v, want BAD_USER_INPUT on %s", what, r.Errors, field)
			}
		}

		mother := create("王小母", "13700000101", xiao)
		if got := primaries(xiao); !mother.PrimaryContact || !slices.Equal(got, []string{"王小母"}) {
			t.Errorf("王小's first guardian, added without the mark: %+v, primary contacts %q, want 王小母", mother, got)
		}
		father := create("王小父", "13700000102", xiao)
		if got := primaries(xiao); father.PrimaryContact || !slices.Equal(got, []string{"王小母"}) {
			t.Errorf("her second guardian, added without the mark: %+v, primary contacts %q, want 王小母", father, got)
		}
		refused(update(mother, map[string]any{"primaryContact": false, "phone": "13700000199"}), "primaryContact",
			"un-marking 王小's primary contact")
		if got := must(e.client.Guardian.Get(system(), atoi(t, mother.ID))); !got.PrimaryContact || got.Phone != "13700000101" {
			t.Errorf("a refused un-marking saved something: %+v", got)
		}
		update(father, map[string]any{"primaryContact": true}).ok(t)
		if got := primaries(xiao); !slices.Equal(got, []string{"王小父"}) {
			t.Errorf("marking 王小父 instead: primary contacts %q, want 王小父", got)
		}
		update(mother, map[string]any{"name": "王小妈"}).ok(t)
		if got := primaries(xiao); !slices.Equal(got, []string{"王小父"}) {
			t.Errorf("renaming 王小母, no longer the primary contact: primary contacts %q, want 王小父", got)
		}

		uncle := create("王小叔", "13700000103", brother)
		if !uncle.PrimaryContact {
			t.Errorf("王小弟's first guardian is not his primary contact: %+v", uncle)
		}
		refused(update(uncle, map[string]any{"primaryContact": false}), "primaryContact", "un-marking 王小弟's only guardian")
		refused(update(father, map[string]any{"studentID": id(brother)}), "studentID", "moving 王小's primary contact away from her")
		update(mother, map[string]any{"studentID": id(brother)}).ok(t)
		if a, b := primaries(xiao), primaries(brother); !slices.Equal(a, []string{"王小父"}) || !slices.Equal(b, []string{"王小叔"}) {
			t.Errorf("after moving 王小妈 to 王小弟: primary contacts %q and %q, want 王小父 and 王小叔", a, b)
		}

		// 李一's guardians written before the rule: none is her primary contact; the next one saved becomes it.
		for i, name := range []string{"李父", "李母"} {
			must(e.client.Guardian.Create().SetTenantID(w.A.ID).SetStudentID(w.s1).SetName(name).SetRelation("other").
				SetPhone(fmt.Sprint(13600000011 + i)).Save(system()))
		}
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c1)
		li := must(e.client.Guardian.Query().Where(guardian.StudentID(w.s1), guardian.Name("李母")).Only(system()))
		var got saved
		update(saved{ID: strconv.Itoa(li.ID)}, map[string]any{"phone": "13600000019"}).ok(t).decode(t, "updateGuardian", &got)
		if p := primaries(w.s1); !got.PrimaryContact || !slices.Equal(p, []string{"李母"}) {
			t.Errorf("a guardian saved while 李一 has no primary contact: %+v, primary contacts %q, want 李母", got, p)
		}
	})
}

// TestGuardianMovedArrivesUnmarked: a guardian moved to another pupil arrives as one of her contacts, not as
// her primary one, unless the same update marks him. 王小母, 王小's only guardian and so her primary contact,
// moved to 王小弟 does not take his from 王小叔; 王小父, moved with primaryContact true, does (王小叔 loses it). A
// pupil without guardians gets the one moved to her as her primary contact. Moving 王小妹's primary contact
// away while she has another guardian stays refused on studentID, marked or not, and writes nothing.
func TestGuardianMovedArrivesUnmarked(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld()
		e.assign(t, w.tokP, w.ta.ID, authz.ClassTeacher, authz.NodeClass, w.c2)
		pupil := func(name, number string) int {
			return must(e.client.Student.Create().SetTenantID(w.A.ID).SetName(name).SetStudentNumber(number).
				SetGender(student.GenderFemale).SetClassID(w.c2).Save(system())).ID
		}
		xiao, brother, sister, cousin := pupil("王小", "A0101"), pupil("王小弟", "A0102"), pupil("王小妹", "A0103"), pupil("王小表", "A0104")
		guardians := func(pupil int) (all, primary []string) {
			t.Helper()
			for _, g := range must(e.client.Guardian.Query().Where(guardian.StudentID(pupil)).Order(ent.Asc(guardian.FieldID)).All(system())) {
				all = append(all, g.Name)
				if g.PrimaryContact {
					primary = append(primary, g.Name)
				}
			}
			return all, primary
		}
		want := func(pupil int, name string, all, primary []string) {
			t.Helper()
			if a, p := guardians(pupil); !slices.Equal(a, all) || !slices.Equal(p, primary) {
				t.Errorf("%s: guardians %q, primary contacts %q; want %q, %q", name, a, p, all, primary)
			}
		}
		type saved struct {
			ID             string
			PrimaryContact bool
		}
		create := func(name, phone string, pupil int) saved {
			t.Helper()
			var g saved
			e.gql(w.tokTA, `mutation($i: CreateGuardianInput!) { createGuardian(input: $i) { id primaryContact } }`,
				map[string]any{"i": map[string]any{"name": name, "relation": "other", "phone": phone, "studentID": id(pupil)}}).
				ok(t).decode(t, "createGuardian", &g)
			return g
		}
		update := func(g saved, input map[string]any) *gqlResponse {
			return e.gql(w.tokTA, `mutation($id: ID!, $i: UpdateGuardianInput!) { updateGuardian(id: $id, input: $i) { id primaryContact } }`,
				map[string]any{"id": g.ID, "i": input})
		}
		mother, uncle := create("王小母", "13700000201", xiao), create("王小叔", "13700000202", brother)
		if !mother.PrimaryContact || !uncle.PrimaryContact {
			t.Fatalf("first guardians: %+v %+v, want both primary contacts", mother, uncle)
		}

		var moved saved
		update(mother, map[string]any{"studentID": id(brother)}).ok(t).decode(t, "updateGuardian", &moved)
		if moved.PrimaryContact {
			t.Errorf("王小母 moved to 王小弟 arrives as his primary contact")
		}
		want(xiao, "王小", nil, nil)
		want(brother, "王小弟", []string{"王小母", "王小叔"}, []string{"王小叔"})

		father := create("王小父", "13700000203", xiao)
		update(father, map[string]any{"studentID": id(brother), "primaryContact": true}).ok(t).decode(t, "updateGuardian", &moved)
		if !moved.PrimaryContact {
			t.Errorf("王小父 moved to 王小弟 and marked is not his primary contact")
		}
		want(brother, "王小弟", []string{"王小母", "王小叔", "王小父"}, []string{"王小父"})

		update(mother, map[string]any{"studentID": id(cousin)}).ok(t).decode(t, "updateGuardian", &moved)
		if !moved.PrimaryContact {
			t.Errorf("王小母 moved to 王小表, who had no guardian, is not her primary contact")
		}
		want(cousin, "王小表", []string{"王小母"}, []string{"王小母"})

		aunt := create("王小姨", "13700000204", sister)
		create("王小奶", "13700000205", sister)
		for _, input := range []map[string]any{
			{"studentID": id(brother)},
			{"studentID": id(brother), "primaryContact": true, "name": "王大姨"},
		} {
			if r := update(aunt, input); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "studentID" {
				t.Errorf("moving 王小妹's primary contact away with %v: %+v, want BAD_USER_INPUT on studentID", input, r.Errors)
			}
		}
		want(sister, "王小妹", []string{"王小姨", "王小奶"}, []string{"王小姨"})
		want(brother, "王小弟", []string{"王小叔", "王小父"}, []string{"王小父"})
	})
}
