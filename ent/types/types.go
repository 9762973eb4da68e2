// Package types holds Go types stored in ent fields. It lives outside ent/schema to avoid import cycles.
package types

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// FieldChange is one changed field in an audit log entry. Old is nil for creates, New is nil for clears.
type FieldChange struct {
	Field string `json:"field"`
	Old   any    `json:"old,omitempty"`
	New   any    `json:"new,omitempty"`
}

// InputError is a user's mistake in one field. The API shows it as BAD_USER_INPUT with the field name.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Message }

// APIField is a column's name as the API spells the field: fever_threshold → feverThreshold.
func APIField(column string) string {
	parts := strings.Split(column, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// HoldsNUL reports whether a value holds a NUL character, which PostgreSQL stores in neither text nor
// jsonb: in a string, a list of strings, a decoded JSON value (a request's variables), or the JSON of any
// other structured value (an ent field's). Times and numbers hold none.
func HoldsNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.ContainsRune(v, 0)
	case []string:
		return slices.ContainsFunc(v, func(s string) bool { return strings.ContainsRune(s, 0) })
	case []any:
		return slices.ContainsFunc(v, HoldsNUL)
	case map[string]any:
		for k, x := range v {
			if strings.ContainsRune(k, 0) || HoldsNUL(x) {
				return true
			}
		}
		return false
	case time.Time, nil:
		return false
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Map, reflect.Struct, reflect.Pointer:
		b, err := json.Marshal(v)
		return err == nil && strings.Contains(string(b), `\u0000`)
	}
	return false
}

// Invalid returns an InputError.
func Invalid(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// ChaseStep is one rung of the chase ladder (催报): OffsetMinutes from a session's deadline (negative is
// before it), who is told (class_teacher — with an active substitute —, grade_leader, principal,
// epidemic_reporter, district_admin).
type ChaseStep struct {
	OffsetMinutes int      `json:"offsetMinutes"`
	Notify        []string `json:"notify"`
}

// KindLadder is a district's chase ladder for one kind of institution.
type KindLadder struct {
	Kind  string      `json:"kind"`
	Steps []ChaseStep `json:"steps"`
}

// ChaseAudiences are the people a chase step may notify, in the order of the responsibility chain.
var ChaseAudiences = []string{"class_teacher", "grade_leader", "principal", "epidemic_reporter", "district_admin"}

// ObservationReading is one reading taken in the observation room: when, the temperature if taken, what was
// seen, and by whom.
type ObservationReading struct {
	At          time.Time `json:"at"`
	Temperature *float64  `json:"temperature,omitempty"`
	Note        string    `json:"note,omitempty"`
	By          string    `json:"by"`
}
