package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/viewer"
)

// exportPersons serves GET /exports/persons.{csv,xlsx}?date=YYYY-MM-DD: the absent and symptomatic
// students of the date that the caller may see. The data layer decides what that is.
func (s *Server) exportPersons(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if viewer.FromContext(ctx) == nil {
			writeGraphQLError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "sign in first")
			return
		}
		date := r.URL.Query().Get("date")
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			writeGraphQLError(w, http.StatusBadRequest, "BAD_USER_INPUT", "date: use YYYY-MM-DD")
			return
		}
		sheet, err := checks.PersonsSheet(ctx, s.deps.Client, date)
		if errors.Is(err, privacy.Deny) {
			writeGraphQLError(w, http.StatusForbidden, "FORBIDDEN", "forbidden")
			return
		}
		if err != nil {
			writeGraphQLError(w, http.StatusInternalServerError, "INTERNAL", "internal error (request "+viewer.RequestID(ctx)+")")
			return
		}
		name := fmt.Sprintf("persons-%s.%s", date, format)
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			err = checks.WriteCSV(w, sheet)
		} else {
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			err = checks.WriteXLSX(w, sheet)
		}
		if err != nil {
			panic(http.ErrAbortHandler) // the response is half written: cut the connection
		}
	}
}
