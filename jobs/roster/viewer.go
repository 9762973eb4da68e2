package roster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/actor"
	"github.com/campushealth/campushealth/ent/viewer"
)

// ErrActorGone means the user or API token that started a job can no longer act: deactivated, revoked,
// expired, or its institution suspended. The job must not run with rights its author has lost.
var ErrActorGone = errors.New("the account that started this import can no longer act")

// LoadViewer rebuilds, in a job, the viewer of the user (userID) or API token (tokenID) that asked for the
// work, exactly as the API builds it for a request (ent/actor), with the assignments in force at now.
func LoadViewer(ctx context.Context, c *ent.Client, userID, tokenID int, now time.Time) (*viewer.Viewer, error) {
	var (
		v   *viewer.Viewer
		err error
	)
	switch {
	case userID != 0:
		var u *ent.User
		if u, err = actor.LoadUser(ctx, c, userID); err == nil {
			v, err = actor.ForUser(ctx, c, u, now)
		}
	case tokenID != 0:
		var t *ent.APIToken
		if t, err = actor.LoadToken(ctx, c, tokenID); err == nil {
			v, err = actor.ForToken(ctx, c, t, now)
		}
	default:
		return nil, errors.New("roster: a job needs the user or API token that started it")
	}
	if ent.IsNotFound(err) || errors.Is(err, actor.ErrCannotAct) {
		return nil, fmt.Errorf("%w: %v", ErrActorGone, err)
	}
	return v, err
}
