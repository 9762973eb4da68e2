package model

import "github.com/campushealth/campushealth/ent/checks"

// CheckRules are the rules an institution works by, with those it would inherit without its own settings.
// Written by hand (bound in gqlgen.yml): the rules' fields are checks.Rules' own.
type CheckRules struct {
	checks.Rules
	// Inherited: its district's over the built-in defaults; nil on these inherited rules themselves.
	Inherited *CheckRules
}
