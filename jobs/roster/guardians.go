package roster

import (
	"context"
	"slices"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/student"
	"github.com/campushealth/campushealth/ent/types"
)

// OnePrimaryContact keeps a pupil with guardians to exactly one primary contact (DOMAIN.md §2.1: the
// guardian the school calls first). g is the guardian just written, was the same guardian as it stood
// before an update (nil for a create). Call it after every write of a guardian by hand (createGuardian,
// updateGuardian), in the same transaction and with the same rights: the others are the same pupil's, in
// the same class. It returns g as it ends.
//
// The rule, as a class teacher keeps her pupils' contacts:
//   - Marking a guardian primary means "make this one the primary contact", never an error: her other
//     guardians stop being one.
//   - A guardian saved while his pupil has no primary contact becomes it, whatever the input said: her
//     first guardian, added without the mark, is the one the school calls first.
//   - The primary contact is moved, never dropped: un-marking him is refused on primaryContact (nothing
//     saved) — she would have nobody to call first. To change who is called first, mark the other
//     guardian instead (which un-marks him); a pupil with only him keeps him.
//   - Likewise moving him to another pupil (studentID) is refused while the pupil he leaves has other
//     guardians: mark one of them first. A pupil he leaves with no guardian needs no primary contact.
//   - A guardian moved to another pupil arrives as one of her contacts, not as her primary one, unless the
//     same update marks him: updateGuardian saves a move that does not say so un-marked (he still becomes
//     it if she has none), so that the mark he had for the pupil he leaves does not take hers.
//
// The roster import needs no call: it marks a guardian primary only for a pupil with no primary contact
// (one row per pupil), having read her guardians under the same lock, and never un-marks one.
func OnePrimaryContact(ctx context.Context, c *ent.Client, g, was *ent.Guardian) (*ent.Guardian, error) {
	pupils := []int{g.StudentID}
	moved := was != nil && was.StudentID != g.StudentID
	if moved {
		pupils = append(pupils, was.StudentID)
	}
	// Two writes to one pupil's guardians at once, in two transactions: each would miss the other's, not yet
	// committed (both stay primary, or neither). The pupils' rows, locked until commit (in ID order, so two
	// moves cannot wait on each other), line them up: the second sees the first (PostgreSQL; SQLite has one
	// writer at a time).
	if c.Dialect() == dialect.Postgres {
		slices.Sort(pupils)
		for _, id := range pupils {
			if _, err := c.Student.Query().Where(student.ID(id)).Modify(func(s *entsql.Selector) {
				s.Select(s.C(student.FieldID)).For(entsql.LockNoKeyUpdate)
			}).Ints(ctx); err != nil {
				return nil, err
			}
		}
	}
	if moved && was.PrimaryContact {
		others, err := c.Guardian.Query().Where(guardian.StudentID(was.StudentID), guardian.IDNEQ(g.ID)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if others {
			name, err := pupilName(ctx, c, was.StudentID)
			if err != nil {
				return nil, err
			}
			return nil, types.Invalid("studentID", "%s is %s's primary contact, the guardian the school calls first: "+
				"mark another of her guardians as the primary contact before moving him", was.Name, name)
		}
	}
	if g.PrimaryContact {
		if err := c.Guardian.Update().Where(guardian.StudentID(g.StudentID), guardian.IDNEQ(g.ID), guardian.PrimaryContact(true)).
			SetPrimaryContact(false).Exec(ctx); err != nil {
			return nil, err
		}
		return g, nil
	}
	has, err := c.Guardian.Query().Where(guardian.StudentID(g.StudentID), guardian.PrimaryContact(true)).Exist(ctx)
	if err != nil || has {
		return g, err
	}
	if was != nil && !moved && was.PrimaryContact {
		name, err := pupilName(ctx, c, g.StudentID)
		if err != nil {
			return nil, err
		}
		others, err := c.Guardian.Query().Where(guardian.StudentID(g.StudentID), guardian.IDNEQ(g.ID)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if !others {
			return nil, types.Invalid("primaryContact", "%s is %s's only guardian, so the one the school calls first: "+
				"add another guardian as the primary contact instead", g.Name, name)
		}
		return nil, types.Invalid("primaryContact", "%s is %s's primary contact, the guardian the school calls first: "+
			"mark another of her guardians as the primary contact instead", g.Name, name)
	}
	return c.Guardian.UpdateOne(g).SetPrimaryContact(true).Save(ctx)
}

// pupilName is a pupil's name for a message, read with the caller's rights.
func pupilName(ctx context.Context, c *ent.Client, id int) (string, error) {
	s, err := c.Student.Query().Where(student.ID(id)).Only(ctx)
	if err != nil {
		return "", err
	}
	return s.Name, nil
}
