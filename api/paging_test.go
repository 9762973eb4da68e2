package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
)

// TestNestedConnectionsArePaged: classes listed with their pupils, the pupils' connection written without
// first: each class shows the default page of 50 of its 60 pupils and says there are more, and the
// database is asked for a page per class (a limit in the statement), never for every pupil of every class.
func TestNestedConnectionsArePaged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		rdb := dbtest.MiniRedis(t)
		rec, r := recorded(db)
		e := newEnv(t, rec, rdb)
		w := e.newWorld()
		sys := system()
		for c := range 2 {
			cl := must(e.client.Class.Create().SetTenantID(w.A.ID).SetName(fmt.Sprintf("P%d", c)).Save(sys))
			pupils := make([]*ent.StudentCreate, 60)
			for i := range pupils {
				pupils[i] = e.client.Student.Create().SetTenantID(w.A.ID).SetClassID(cl.ID).SetName(fmt.Sprintf("S%d", i)).
					SetStudentNumber(fmt.Sprintf("P%d-%02d", c, i)).SetGender("female")
			}
			must(e.client.Student.CreateBulk(pupils...).Save(sys))
		}
		type page struct {
			Edges []struct {
				Node struct {
					Name     string
					Students struct {
						Edges    []struct{ Node struct{ ID string } }
						PageInfo struct{ HasNextPage bool }
					}
				}
			}
		}
		r.on.Store(true)
		for _, q := range []string{
			`{ classes(first: 2, where: {nameHasPrefix: "P"}) { edges { node { name
				students { edges { node { id } } pageInfo { hasNextPage } } } } } }`,
			// The page size as a variable left out: the same page.
			`query($n: Int) { classes(first: 2, where: {nameHasPrefix: "P"}) { edges { node { name
				students(first: $n) { edges { node { id } } pageInfo { hasNextPage } } } } } }`,
		} {
			var got page
			e.gql(w.tok["a.principal"], q, map[string]any{}).ok(t).decode(t, "classes", &got)
			if len(got.Edges) != 2 {
				t.Fatalf("%d classes", len(got.Edges))
			}
			for _, c := range got.Edges {
				if n := len(c.Node.Students.Edges); n != 50 || !c.Node.Students.PageInfo.HasNextPage {
					t.Errorf("%s: %d pupils, more: %v; want the default page of 50 and more", c.Node.Name, n, c.Node.Students.PageInfo.HasNextPage)
				}
			}
		}
		r.on.Store(false)
		var pupilReads []string
		for _, s := range r.take() {
			isCount := strings.Contains(s, "COUNT(*)") // hasNextPage: counted per class, not read
			if !isCount && (strings.Contains(s, `FROM "students"`) || strings.Contains(s, "FROM `students`")) {
				pupilReads = append(pupilReads, s)
			}
		}
		if len(pupilReads) != 2 || !strings.Contains(strings.ToUpper(pupilReads[0]), "ROW_NUMBER") ||
			!strings.Contains(strings.ToUpper(pupilReads[1]), "ROW_NUMBER") {
			t.Errorf("pupils read without a page per class:\n%s", strings.Join(pupilReads, "\n"))
		}
	})
}
