package checks

import (
	"context"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/dailyreport"
	"github.com/campushealth/campushealth/ent/types"
)

// Attest records the epidemic reporter's (or the principal's) attestation of a school's daily report
// (DOMAIN.md §3.3): the current version, reviewed and sent on to the district, on time when by the
// district's cut-off. The attester says whether it is a zero report, and must say what the report says: a
// zero report is an attestation, never a default (DOMAIN.md §6.8). A version amended afterwards is a new,
// unattested version; the attested one keeps its attestation. The report is read with the caller's rights
// (another school's is "not found"); who may attest is the data layer's rule (DailyReport.Policy).
func Attest(ctx context.Context, c *ent.Client, id int, zero bool, note string, now time.Time) (*ent.DailyReport, error) {
	r, err := c.DailyReport.Query().Where(dailyreport.ID(id)).WithTenant().Only(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case r.Kind != dailyreport.KindSchool:
		return nil, types.Invalid("id", "a district's report is compiled from its schools' attested reports; it is not attested")
	case !r.Current:
		return nil, types.Invalid("id", "version %d has been amended since: attest the current version", r.Version)
	case r.AttestedAt != nil:
		return nil, types.Invalid("id", "version %d was attested at %s by %s", r.Version, Clock(*r.AttestedAt, Location(r.Edges.Tenant)), r.AttestedBy)
	case zero != r.ZeroReport && r.ZeroReport:
		return nil, types.Invalid("zeroReport", "the report is a zero report: nobody absent for illness, with symptoms or a fever")
	case zero != r.ZeroReport:
		return nil, types.Invalid("zeroReport", "not a zero report: the report has reports missing, illness absences, symptoms or fevers")
	}
	// By the district's cut-off, from the district's own settings.
	owner := r.Edges.Tenant
	if owner.ParentID != nil {
		if owner, err = c.Tenant.Get(internal(ctx), *owner.ParentID); err != nil {
			return nil, err
		}
	}
	rules, err := RulesFor(ctx, c, owner)
	if err != nil {
		return nil, err
	}
	deadline, err := rules.At(r.Date, rules.DistrictCutoff)
	if err != nil {
		return nil, err
	}
	upd := c.DailyReport.UpdateOne(r).Where(dailyreport.Current(true), dailyreport.AttestedAtIsNil()).
		SetAttestedAt(now).SetAttestedBy(submitter(ctx, c)).SetAttestedOnTime(!now.After(deadline)).SetAttestNote(note).
		SetNillableAttestedByID(actor(ctx))
	out, err := upd.Save(ctx)
	if ent.IsNotFound(err) { // amended or attested by someone else in the meantime
		return nil, types.Invalid("id", "the report changed while you attested it: read it again")
	}
	return out, err
}
