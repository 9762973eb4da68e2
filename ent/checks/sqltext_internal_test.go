package checks

import (
	"context"
	"slices"
	"testing"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent/class"
	"github.com/campushealth/campushealth/ent/database"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/predicate"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
)

// TestIDsInOneParameter: a list of IDs is one parameter whatever its length, so a board naming 3 classes and
// one naming 40,000 send the same SQL text (PostgreSQL's driver prepares each new text), and more IDs than
// a statement may have placeholders (SQLite: 32,766) still read exactly the rows named.
func TestIDsInOneParameter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		sys := privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.System("test")), privacy.Allow)
		sch := c.Tenant.Create().SetName("S").SetKind(tenant.KindPrimarySchool).SaveX(sys)
		var real []int
		for _, name := range []string{"一(1)班", "一(2)班", "一(3)班", "一(4)班"} {
			real = append(real, c.Class.Create().SetTenantID(sch.ID).SetName(name).SaveX(sys).ID)
		}
		// Three of the four classes among 40,000 IDs, the rest naming no class.
		ids := append([]int{}, real[:3]...)
		for id := real[3] + 1; len(ids) < 40_000; id++ {
			ids = append(ids, id)
		}
		got := c.Class.Query().Where(idIn[predicate.Class](class.FieldID, ids)).IDsX(sys)
		slices.Sort(got)
		if !slices.Equal(got, real[:3]) {
			t.Errorf("40,000 IDs read classes %v, want %v", got, real[:3])
		}

		text := func(ids []int) (string, int) {
			q, args := entsql.Dialect(c.Dialect()).Select("id").From(entsql.Table(class.Table)).
				Where(idsIn(class.FieldID, ids)).Query()
			return q, len(args)
		}
		few, fewArgs := text(real[:3])
		many, manyArgs := text(ids)
		if few != many || fewArgs != 1 || manyArgs != 1 {
			t.Errorf("3 IDs: %q with %d arguments; 40,000 IDs: %q with %d", few, fewArgs, many, manyArgs)
		}
	})
}
