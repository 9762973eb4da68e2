package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/campushealth/campushealth/graph/generated"
)

// TestNoInternalErrors sweeps every mutation and every query that takes arguments with values of the
// right type but chosen to hurt — empty and overlong strings, impossible dates and times, a NUL byte,
// negative and huge numbers, IDs of the caller's school, of another school and of nothing — as a class
// teacher, a principal and a district admin. Whatever the server refuses must be refused as the user's
// mistake (a code the client can act on), never as an internal error or a 5xx.
func TestNoInternalErrors(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:00")
		w := e.newWorld()
		ids := append(e.liveRecords(w), w.A.ID, w.B.ID, w.D1.ID, w.ta.ID, w.pb.ID, 0, 987654321)
		schema := generated.NewExecutableSchema(generated.Config{}).Schema()
		// Mutations that end the caller's session or close the school would leave the rest of the sweep
		// answering "sign in first"; each is covered by tests of its own.
		skip := []string{"logout", "changePassword", "deactivateInstitution", "setUserActive", "importRoster", "login"}
		var fields []*ast.FieldDefinition
		for _, f := range schema.Mutation.Fields {
			if !slices.Contains(skip, f.Name) {
				fields = append(fields, f)
			}
		}
		for _, f := range schema.Query.Fields {
			if len(f.Arguments) > 0 && !strings.HasPrefix(f.Name, "__") {
				fields = append(fields, f)
			}
		}
		rnd := rand.New(rand.NewPCG(7, 9)) // the same sweep every run: a failure can be replayed
		v := valuer{schema: schema, rnd: rnd, ids: ids}
		const rounds = 6
		for _, f := range fields {
			q, opName := operation(schema, f)
			failed := 0
			for _, login := range []string{"a.teacher", "a.principal", "d1.admin"} {
				for range rounds {
					vars := map[string]any{}
					for _, a := range f.Arguments {
						if a.Type.NonNull || rnd.IntN(3) > 0 {
							vars[a.Name] = v.value(a.Type, 0)
						}
					}
					r := e.gql(w.tok[login], q, vars)
					internal := r.Status >= 500 || slices.ContainsFunc(r.Errors, func(er gqlError) bool { return er.Extensions["code"] == "INTERNAL" })
					if internal && failed < 2 { // two examples of a field's failure are enough to find it
						failed++
						body, _ := json.Marshal(vars)
						t.Errorf("%s %s as %s: status %d, %+v, with %.400s", opName, f.Name, login, r.Status, r.Errors, body)
					}
				}
			}
		}
	})
}

// liveRecords gives School A records of most kinds for the sweeps to name: a class with its pupils, a morning
// check naming one off sick with a fever (her follow-up) and one coughing at 38.5 °C sent to the observation
// room (his stay, the fever alert), a staff group whose check names a member off sick (his follow-up, the
// staff illness alert), an exemption. It returns their IDs.
func (e *env) liveRecords(w *world) []int {
	t := e.t
	cl, pupils := e.classOfThree(w)
	e.gql(w.tok["a.teacher"], `mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
		"classID": cl.ID, "date": "2026-11-23", "session": "morning", "present": 2, "entries": []map[string]any{
			{"studentID": pupils[0], "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}},
			{"studentID": pupils[1], "kind": "symptomatic", "symptoms": []string{"cough"}, "temperature": 38.5, "disposition": "observation_room"},
		}}}).ok(t)
	sys := system()
	zhao := must(e.client.Staff.Create().SetTenantID(w.A.ID).SetName("赵老师").SetStaffType("teacher").Save(sys))
	g := must(e.client.StaffGroup.Create().SetTenantID(w.A.ID).SetName("总务处").AddMembers(zhao).Save(sys))
	e.gql(w.tok["a.principal"], `mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }`, map[string]any{"i": map[string]any{
		"staffGroupID": g.ID, "date": "2026-11-23", "session": "morning", "present": 0, "entries": []map[string]any{
			{"staffID": zhao.ID, "kind": "absent", "absenceType": "sick_leave", "symptoms": []string{"fever"}}}}}).ok(t)
	e.gql(w.tok["a.principal"], `mutation($c: ID!) { exemptClass(input: { classID: $c, date: "2026-11-24", reason: field_trip }) { id } }`,
		map[string]any{"c": cl.ID}).ok(t)
	ids := append([]int{cl.ID, zhao.ID, g.ID}, pupils...)
	for _, more := range [][]int{
		e.client.FollowUp.Query().IDsX(sys), e.client.StaffFollowUp.Query().IDsX(sys), e.client.Alert.Query().IDsX(sys),
		e.client.ObservationStay.Query().IDsX(sys), e.client.ClassCheck.Query().IDsX(sys), e.client.StaffCheck.Query().IDsX(sys),
		e.client.Exemption.Query().IDsX(sys), e.client.Assignment.Query().IDsX(sys), e.client.Grade.Query().IDsX(sys),
	} {
		if len(more) == 0 {
			t.Fatal("the live records lack a kind")
		}
		ids = append(ids, more...)
	}
	return ids
}

// operation is the text of a request calling f with each argument as a variable of its type, selecting only
// __typename of what it returns.
func operation(schema *ast.Schema, f *ast.FieldDefinition) (text, kind string) {
	kind = "query"
	if schema.Mutation.Fields.ForName(f.Name) == f {
		kind = "mutation"
	}
	var decl, args []string
	for _, a := range f.Arguments {
		decl = append(decl, "$"+a.Name+": "+a.Type.String())
		args = append(args, a.Name+": $"+a.Name)
	}
	sel := ""
	if def := schema.Types[f.Type.Name()]; def.Kind != ast.Scalar && def.Kind != ast.Enum {
		sel = " { __typename }"
	}
	return fmt.Sprintf("%s(%s) { %s(%s)%s }", kind, strings.Join(decl, ", "), f.Name, strings.Join(args, ", "), sel), kind
}

// valuer makes values of a schema's input types that are well typed but chosen to hurt.
type valuer struct {
	schema *ast.Schema
	rnd    *rand.Rand
	ids    []int
}

var (
	hurtfulStrings = []string{"", " ", "x", strings.Repeat("长", 700), "2026-11-23", "2026-02-30", "1900-01-01", "9999-12-31",
		"09:00", "25:61", "morning", "not an e-mail", "13800000000", "a\x00b", "'; DROP TABLE users; --", "<script>alert(1)</script>"}
	hurtfulInts   = []int{0, 1, -1, 3, 500, 2147483647, -2147483648}
	hurtfulFloats = []float64{0, -1, 36.6, 37.3, 43.1, 1e308, -1e308}
	hurtfulTimes  = []string{"2026-11-23T08:00:00+08:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-11-23"}
)

func (v valuer) value(t *ast.Type, depth int) any {
	if t.Elem != nil {
		n := v.rnd.IntN(3)
		if depth > 3 {
			n = 0
		}
		list := make([]any, n)
		for i := range list {
			list[i] = v.value(t.Elem, depth+1)
		}
		return list
	}
	pick := func(n int) int { return v.rnd.IntN(n) }
	switch name := t.NamedType; name {
	case "String":
		return hurtfulStrings[pick(len(hurtfulStrings))]
	case "Int":
		return hurtfulInts[pick(len(hurtfulInts))]
	case "Float":
		return hurtfulFloats[pick(len(hurtfulFloats))]
	case "Boolean":
		return pick(2) == 0
	case "ID":
		if pick(8) == 0 {
			return "abc"
		}
		return strconv.Itoa(v.ids[pick(len(v.ids))])
	case "Time":
		return hurtfulTimes[pick(len(hurtfulTimes))]
	case "Any":
		return hurtfulStrings[pick(len(hurtfulStrings))]
	case "Cursor":
		return "bm90IGEgY3Vyc29y" // base64 of "not a cursor"
	}
	def := v.schema.Types[t.NamedType]
	switch def.Kind {
	case ast.Enum:
		return def.EnumValues[pick(len(def.EnumValues))].Name
	case ast.InputObject:
		obj := map[string]any{}
		for _, f := range def.Fields {
			if (f.Type.NonNull || pick(3) > 0) && depth < 6 {
				obj[f.Name] = v.value(f.Type, depth+1)
			}
		}
		return obj
	}
	return nil
}

// TestExportsNoInternalErrors: the export downloads answer any query string a user can type (a date that is
// not one, a NUL byte, an ID of nothing or of another school, a period backwards or centuries long) with a
// file or an error the user can act on, never a 5xx, as each role.
func TestExportsNoInternalErrors(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.now = mondayAt("08:00")
		w := e.newWorld()
		e.liveRecords(w)
		dates := []string{"", "2026-11-23", "2026-02-30", "1900-01-01", "9999-12-31", "a%00b", "%E9%95%BF", "2026-11-23T08:00"}
		ids := []string{"", "0", "-1", "abc", strconv.Itoa(w.A.ID), strconv.Itoa(w.B.ID), strconv.Itoa(w.D1.ID), "99999999999999999999"}
		rnd := rand.New(rand.NewPCG(3, 4))
		pick := func(from []string) string { return from[rnd.IntN(len(from))] }
		for _, path := range []string{"persons", "school-daily", "district-summary", "school-totals", "daily-report/"} {
			for _, format := range []string{"csv", "xlsx"} {
				for _, login := range []string{"a.teacher", "a.principal", "d1.admin", "root"} {
					for range 6 {
						url := fmt.Sprintf("%s/exports/%s.%s?date=%s&from=%s&to=%s&tenantID=%s&districtID=%s&template=%s", e.srv.URL,
							path, format, pick(dates), pick(dates), pick(dates), pick(ids), pick(ids), pick(ids))
						if path == "daily-report/" {
							url = fmt.Sprintf("%s/exports/daily-report/%s.%s?template=%s", e.srv.URL, pick(ids), format, pick(ids))
						}
						req, _ := http.NewRequest(http.MethodGet, url, nil)
						req.Header.Set("Authorization", "Bearer "+w.tok[login])
						res, err := e.srv.Client().Do(req)
						if err != nil {
							t.Fatal(err)
						}
						body, _ := io.ReadAll(res.Body)
						res.Body.Close()
						if res.StatusCode >= 500 {
							t.Errorf("GET %s as %s: %d %.300s", strings.TrimPrefix(url, e.srv.URL), login, res.StatusCode, body)
						}
					}
				}
			}
		}
	})
}
