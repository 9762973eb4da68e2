package roster

import (
	"context"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/student"
)

// OnePrimaryContact keeps a pupil to one primary contact (DOMAIN.md §2.1: the guardian the school calls
// first): when g, just written, is her primary contact, her other guardians stop being one. Marking a
// guardian primary means "make this one the primary contact", never an error. Call it after every write
// that may mark a guardian primary (createGuardian, updateGuardian), in the same transaction and with the
// same rights: the others are the same pupil's, in the same class. The roster import needs no call: it
// marks a guardian primary only for a pupil with no primary contact (one row per pupil), having read her
// guardians under the same lock.
func OnePrimaryContact(ctx context.Context, c *ent.Client, g *ent.Guardian) error {
	if !g.PrimaryContact {
		return nil
	}
	// Two guardians of one pupil marked primary at once, in two transactions: each would miss the other's
	// mark, not yet committed, and both stay primary. The pupil's row, locked until commit, lines them up:
	// the second unmarks the first (PostgreSQL; SQLite has one writer at a time).
	if c.Dialect() == dialect.Postgres {
		if _, err := c.Student.Query().Where(student.ID(g.StudentID)).Modify(func(s *entsql.Selector) {
			s.Select(s.C(student.FieldID)).For(entsql.LockNoKeyUpdate)
		}).Ints(ctx); err != nil {
			return err
		}
	}
	return c.Guardian.Update().Where(guardian.StudentID(g.StudentID), guardian.IDNEQ(g.ID), guardian.PrimaryContact(true)).
		SetPrimaryContact(false).Exec(ctx)
}
