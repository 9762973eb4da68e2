package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/checks"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
)

// Exports (GET, CSV in UTF-8 with a byte-order mark, or XLSX). The data layer decides what the caller may
// see; a refusal is 403 FORBIDDEN, bad input 400 BAD_USER_INPUT naming the parameter.
//
//	/exports/persons.{csv,xlsx}?date=             absent and symptomatic pupils the caller may see
//	/exports/school-daily.{csv,xlsx}?date=&tenantID=          one row per class and session, totals per session
//	/exports/district-summary.{csv,xlsx}?from=&to=&districtID= one row per school and day
//	/exports/school-totals.{csv,xlsx}?from=&to=&districtID=    one row per school over the period, weakest first
//	/exports/daily-report/{id}.{csv,xlsx}                      a compiled daily report, any version
//
// tenantID and districtID default to the caller's own tenant. All but the compiled report take template=ID, an export
// template of the sheet (checks.ExportTemplate): its columns, headers and fixed text, in its order.

// exportPersons serves the absent and symptomatic students of the date that the caller may see.
func (s *Server) exportPersons(format string) http.HandlerFunc {
	return s.export(format, types.SheetPersons, func(ctx context.Context, r *http.Request) (*checks.Sheet, string, error) {
		date := r.URL.Query().Get("date")
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return nil, "", types.Invalid("date", "use YYYY-MM-DD")
		}
		sheet, err := checks.PersonsSheet(ctx, s.deps.Client, date)
		return sheet, "persons-" + date, err
	})
}

// exportSchoolDaily serves a school's daily check report (学校晨午检日报).
func (s *Server) exportSchoolDaily(format string) http.HandlerFunc {
	return s.export(format, types.SheetSchoolDaily, func(ctx context.Context, r *http.Request) (*checks.Sheet, string, error) {
		date := r.URL.Query().Get("date")
		tid, err := tenantParam(ctx, r, "tenantID")
		if err != nil {
			return nil, "", err
		}
		sheet, err := checks.SchoolDailySheet(ctx, s.deps.Client, tid, date, s.now())
		return sheet, fmt.Sprintf("school-daily-%d-%s", tid, date), err
	})
}

// exportDistrictSummary serves a district's completeness and timeliness per school and day.
func (s *Server) exportDistrictSummary(format string) http.HandlerFunc {
	return s.exportDistrictRange(format, types.SheetDistrictSummary, "district-summary", checks.DistrictSummarySheet)
}

// exportSchoolTotals serves a district's institutions over a period (a week, a term), weakest first.
func (s *Server) exportSchoolTotals(format string) http.HandlerFunc {
	return s.exportDistrictRange(format, types.SheetSchoolTotals, "school-totals", checks.SchoolTotalsSheet)
}

// exportDistrictRange serves a sheet of a district (districtID, by default the caller's) over from to to.
func (s *Server) exportDistrictRange(format, kind, file string,
	sheetOf func(ctx context.Context, c *ent.Client, districtID int, from, to string, now time.Time) (*checks.Sheet, error)) http.HandlerFunc {
	return s.export(format, kind, func(ctx context.Context, r *http.Request) (*checks.Sheet, string, error) {
		q := r.URL.Query()
		from, to := q.Get("from"), q.Get("to")
		did, err := tenantParam(ctx, r, "districtID")
		if err != nil {
			return nil, "", err
		}
		sheet, err := sheetOf(ctx, s.deps.Client, did, from, to, s.now())
		return sheet, fmt.Sprintf("%s-%d-%s-%s", file, did, from, to), err
	})
}

// exportDailyReport serves a compiled daily report (any version) the caller may read: a report it may not
// read is not found, a viewer who reads no report at all (a class teacher) is refused.
func (s *Server) exportDailyReport(w http.ResponseWriter, r *http.Request) {
	raw, format, _ := strings.Cut(r.PathValue("file"), ".")
	if format != "csv" && format != "xlsx" {
		writeGraphQLError(w, http.StatusNotFound, "NOT_FOUND", "use /exports/daily-report/{id}.csv or .xlsx")
		return
	}
	s.export(format, "", func(ctx context.Context, r *http.Request) (*checks.Sheet, string, error) {
		id, err := strconv.Atoi(raw)
		if err != nil || id <= 0 {
			return nil, "", types.Invalid("id", "not an ID")
		}
		return checks.DailyReportSheet(ctx, s.deps.Client, id)
	})(w, r)
}

// shape puts the sheet in the columns of the template the request names (template=ID), if it names one.
func (s *Server) shape(ctx context.Context, r *http.Request, kind string, sheet *checks.Sheet) (*checks.Sheet, error) {
	raw := r.URL.Query().Get("template")
	if raw == "" {
		return sheet, nil
	}
	id, err := strconv.Atoi(raw)
	if err != nil || id <= 0 {
		return nil, types.Invalid("template", "not an ID")
	}
	if kind == "" {
		return nil, types.Invalid("template", "a compiled report is exported as compiled; templates shape the live exports")
	}
	t, err := checks.ExportTemplate(ctx, s.deps.Client, id, kind)
	if err != nil {
		return nil, err
	}
	return sheet.Shaped(t.Columns)
}

// tenantParam is an ID parameter, by default the caller's own tenant.
func tenantParam(ctx context.Context, r *http.Request, name string) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		if v := viewer.FromContext(ctx); v.TenantID != 0 {
			return v.TenantID, nil
		}
		return 0, types.Invalid(name, "name one")
	}
	id, err := strconv.Atoi(raw)
	if err != nil || id <= 0 {
		return 0, types.Invalid(name, "not an ID")
	}
	return id, nil
}

// export answers a sheet as a download, or an error in the GraphQL error shape. kind names the sheet a
// template may shape ("" for one no template shapes).
func (s *Server) export(format, kind string, build func(ctx context.Context, r *http.Request) (*checks.Sheet, string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if viewer.FromContext(ctx) == nil {
			writeGraphQLError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "sign in first")
			return
		}
		sheet, name, err := build(ctx, r)
		if err == nil {
			sheet, err = s.shape(ctx, r, kind, sheet)
		}
		var in *types.InputError
		switch {
		case errors.As(err, &in):
			writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []map[string]any{{"message": in.Error(),
				"extensions": map[string]string{"code": "BAD_USER_INPUT", "field": in.Field}}}})
			return
		case errors.Is(err, privacy.Deny):
			writeGraphQLError(w, http.StatusForbidden, "FORBIDDEN", "forbidden")
			return
		case ent.IsNotFound(err):
			writeGraphQLError(w, http.StatusNotFound, "NOT_FOUND", "not found")
			return
		case err != nil:
			slog.ErrorContext(ctx, "export", "err", err, "path", r.URL.Path, "request_id", viewer.RequestID(ctx))
			writeGraphQLError(w, http.StatusInternalServerError, "INTERNAL", "internal error (request "+viewer.RequestID(ctx)+")")
			return
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
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

// now is the clock boards are judged by: the auth service's, as for GraphQL resolvers.
func (s *Server) now() time.Time {
	if s.deps.Auth != nil && s.deps.Auth.Now != nil {
		return s.deps.Auth.Now()
	}
	return time.Now()
}
