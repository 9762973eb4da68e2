package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/campushealth/campushealth/api/auth"
	"github.com/campushealth/campushealth/ent"
	"github.com/campushealth/campushealth/ent/audit"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/types"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/graph"
	"github.com/campushealth/campushealth/graph/generated"
)

// Limits protect the GraphQL endpoint from expensive or oversized requests.
type Limits struct {
	MaxDepth       int   // selection depth (default 10)
	MaxComplexity  int   // fields, with connections multiplied by their page size (default 5000)
	DefaultPage    int   // page size when a connection names neither first nor last (default 50)
	MaxPage        int   // largest first/last accepted (default 500)
	MaxTokens      int   // parser token limit (default 15000)
	MaxBodyBytes   int64 // request body (default 1 MiB; uploads have their own limit)
	MaxUploadBytes int64 // multipart uploads (default 32 MiB)
}

func (l *Limits) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxDepth, 10)
	def(&l.MaxComplexity, 5000)
	def(&l.DefaultPage, 50)
	def(&l.MaxPage, 500)
	def(&l.MaxTokens, 15000)
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = 1 << 20
	}
	if l.MaxUploadBytes <= 0 {
		l.MaxUploadBytes = 32 << 20
	}
}

// newGraphQL builds the hardened gqlgen server: explicit transports, limits, one transaction per mutation,
// and errors that tell users what they did wrong without leaking internals.
func newGraphQL(res *graph.Resolver, cfg Config) *handler.Server {
	lim, client, authn := cfg.Limits, res.Client, res.Auth
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: res})
	srv := handler.New(pageCost{ExecutableSchema: schema, defaultPage: lim.DefaultPage})

	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		InitFunc:              websocketAuth(authn),
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: coderws.AcceptOptions{OriginPatterns: cfg.AllowedOrigins},
		},
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{}) // queries only: gqlgen refuses mutations over GET
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: lim.MaxUploadBytes, MaxMemory: 4 << 20})

	srv.SetQueryCache(pagedQueries{Cache: lru.New[*ast.QueryDocument](1000), first: lim.DefaultPage})
	srv.SetParserTokenLimit(lim.MaxTokens)
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(extension.FixedComplexityLimit(lim.MaxComplexity))
	srv.Use(depthLimit{max: lim.MaxDepth})
	srv.Use(noNUL{})
	srv.Use(pageSize{def: lim.DefaultPage, max: lim.MaxPage})
	srv.Use(nullPages{first: lim.DefaultPage})
	srv.Use(passwordGate{})
	srv.Use(transactioner{entgql.Transactioner{TxOpener: client}})
	srv.Use(auditedReads{client})
	srv.Use(graph.Loaders{Client: client})
	srv.Use(graphqlMetrics{})
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		slog.ErrorContext(ctx, "panic in resolver", "panic", p, "request_id", viewer.RequestID(ctx))
		return errors.New("internal error")
	})
	return srv
}

// websocketAuth authenticates a websocket from its init payload ({"authToken": "..."}) or the upgrade
// request's cookie or Authorization header (already in ctx from the HTTP middleware).
func websocketAuth(authn *auth.Service) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		if tok := p.GetString("authToken"); tok != "" {
			v, _, err := authn.Authenticate(ctx, tok)
			if err != nil {
				return ctx, nil, err
			}
			ctx = viewer.NewContext(ctx, v)
		}
		if viewer.FromContext(ctx) == nil {
			return ctx, nil, auth.ErrUnauthenticated
		}
		return ctx, nil, nil
	}
}

// pageCost makes complexity count connections by their page size: a field with first/last costs its
// children times the page size (the default page size when neither is given). gqlgen ignores "first"
// unless told (STACK.md §8).
type pageCost struct {
	graphql.ExecutableSchema
	defaultPage int
}

func (p pageCost) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if c, ok := p.ExecutableSchema.Complexity(ctx, typeName, field, child, args); ok {
		return c, ok
	}
	n, paged := pageArg(args)
	if !paged {
		return 0, false // gqlgen's default: 1 + children
	}
	if n <= 0 {
		n = p.defaultPage
	}
	return 1 + child*n, true
}

// pageArg returns first or last from a field's arguments (as the query holds them: an int64 literal, or a
// variable's json.Number), and whether the field names either. pagedQueries gives every connection a first.
func pageArg(args map[string]any) (int, bool) {
	_, hasFirst := args["first"]
	_, hasLast := args["last"]
	if !hasFirst && !hasLast {
		return 0, false
	}
	for _, k := range []string{"first", "last"} {
		if v := args[k]; v != nil {
			if p, ok := v.(*int); ok {
				if p == nil {
					continue
				}
				v = *p
			}
			if n, err := graphql.UnmarshalInt(v); err == nil {
				return n, true
			}
		}
	}
	return 0, true
}

// pagedQueries is the parsed-query cache. As a freshly parsed and validated query is stored (before it
// runs, and before any other request can hold it) every connection field written without first or last
// gets "first: <default page>". The resolvers would page it anyway (pageSize), but entgql eager-loads
// nested connections (a tenant's users, a class's pupils) with the arguments written in the query: without
// a first, every row of every parent would be read to show the first page.
type pagedQueries struct {
	graphql.Cache[*ast.QueryDocument]
	first int
}

func (c pagedQueries) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	for _, op := range doc.Operations {
		defaultFirst(op.SelectionSet, c.first)
	}
	for _, f := range doc.Fragments {
		defaultFirst(f.SelectionSet, c.first)
	}
	c.Cache.Add(ctx, query, doc)
}

// defaultFirst adds "first: n" to the connection fields of set that name neither first nor last (fragment
// spreads are rewritten where their fragments are defined).
func defaultFirst(set ast.SelectionSet, n int) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if d := s.Definition; d != nil && d.Arguments.ForName("first") != nil &&
				s.Arguments.ForName("first") == nil && s.Arguments.ForName("last") == nil {
				s.Arguments = append(s.Arguments, &ast.Argument{Name: "first", Position: s.Position,
					Value: &ast.Value{Kind: ast.IntValue, Raw: strconv.Itoa(n), Position: s.Position}})
			}
			defaultFirst(s.SelectionSet, n)
		case *ast.InlineFragment:
			defaultFirst(s.SelectionSet, n)
		}
	}
}

// nullPages gives a connection whose first is a variable left out or null (and no last) the default page,
// in the request's variables: the parsed query is shared (pagedQueries rewrites only literal omissions),
// and entgql's eager loading reads the variables as they are.
type nullPages struct{ first int }

func (nullPages) ExtensionName() string                   { return "NullPages" }
func (nullPages) Validate(graphql.ExecutableSchema) error { return nil }
func (p nullPages) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if oc.Variables == nil {
		oc.Variables = map[string]any{}
	}
	isNull := func(a *ast.Argument) bool {
		return a == nil || a.Value.Kind == ast.Variable && oc.Variables[a.Value.Raw] == nil
	}
	seen := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if first := s.Arguments.ForName("first"); first != nil && first.Value.Kind == ast.Variable &&
					isNull(first) && isNull(s.Arguments.ForName("last")) {
					oc.Variables[first.Value.Raw] = int64(p.first)
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if !seen[s.Name] { // fragment cycles are refused by validation; this only bounds the walk
					seen[s.Name] = true
					if f := oc.Doc.Fragments.ForName(s.Name); f != nil {
						walk(f.SelectionSet)
					}
				}
			}
		}
	}
	walk(oc.Operation.SelectionSet)
	return nil
}

// pageSize gives every connection a default page size and refuses pages above the maximum, because
// entgql returns every row when neither first nor last is given.
type pageSize struct{ def, max int }

func (pageSize) ExtensionName() string                   { return "PageSize" }
func (pageSize) Validate(graphql.ExecutableSchema) error { return nil }
func (p pageSize) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Definition == nil || fc.Field.Definition.Arguments.ForName("first") == nil {
		return next(ctx)
	}
	for _, k := range []string{"first", "last"} {
		if n, ok := fc.Args[k].(*int); ok && n != nil {
			if *n < 0 || *n > p.max {
				return nil, types.Invalid(k, "must be between 0 and %d", p.max)
			}
		}
	}
	if f, _ := fc.Args["first"].(*int); f == nil {
		if l, _ := fc.Args["last"].(*int); l == nil {
			def := p.def
			fc.Args["first"] = &def
		}
	}
	return next(ctx)
}

// depthLimit rejects operations nested deeper than max (gqlgen has no built-in limit).
type depthLimit struct{ max int }

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if depth := selectionDepth(oc.Operation.SelectionSet, oc.Doc.Fragments, 0); depth > d.max {
		err := gqlerror.Errorf("query depth %d exceeds the limit of %d", depth, d.max)
		err.Extensions = map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

// noNUL refuses a request whose variables or query text carry a NUL character (\u0000) in a string:
// PostgreSQL refuses it in text, so a read or a write naming it would fail inside the database, and SQLite
// would store it. Refused whole, before anything runs, naming the variable.
type noNUL struct{}

func (noNUL) ExtensionName() string                   { return "NoNUL" }
func (noNUL) Validate(graphql.ExecutableSchema) error { return nil }
func (noNUL) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	var where string
	if strings.Contains(oc.RawQuery, `\u0000`) || strings.ContainsRune(oc.RawQuery, 0) {
		where = "query"
	}
	for name, v := range oc.Variables {
		if where != "" {
			break
		}
		if types.HoldsNUL(v) {
			where = name
		}
	}
	if where == "" {
		return nil
	}
	err := gqlerror.Errorf("%s: text may not contain a NUL character (\\u0000)", where)
	err.Extensions = map[string]any{"code": "BAD_USER_INPUT", "field": where}
	return err
}

func selectionDepth(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen int) int {
	if seen > 100 { // fragment cycles are rejected by validation; this only bounds the walk
		return seen
	}
	deepest := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.SelectionSet) > 0 {
				d = 1 + selectionDepth(s.SelectionSet, frags, seen+1)
			} else {
				d = 1
			}
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, frags, seen+1)
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil {
				d = selectionDepth(f.SelectionSet, frags, seen+1)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// passwordGate lets a user who signed in with an initial password do nothing but change it (or sign out).
type passwordGate struct{}

func (passwordGate) ExtensionName() string                   { return "PasswordGate" }
func (passwordGate) Validate(graphql.ExecutableSchema) error { return nil }
func (passwordGate) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	v := viewer.FromContext(ctx)
	if v == nil || !v.MustChangePassword {
		return next(ctx)
	}
	switch graphql.GetRootFieldContext(ctx).Field.Name {
	case "changePassword", "logout", "me", "__typename", "__schema", "__type":
		return next(ctx)
	}
	graphql.AddError(ctx, auth.ErrPasswordChangeRequired)
	return graphql.Null
}

// transactioner runs each mutation in one transaction (entgql.Transactioner), and stays out of the way of
// responses to requests that never became an operation (a body that is not JSON), where entgql would panic.
type transactioner struct{ entgql.Transactioner }

func (t transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	return t.Transactioner.InterceptResponse(ctx, next)
}

// auditedReads logs the sensitive reads of a request (audit.NoteRead: the pupils behind a health alert, read
// by a district or the platform) in one write after the answer is built; if the write fails, the answer
// is withheld rather than given unlogged.
type auditedReads struct{ client *ent.Client }

func (auditedReads) ExtensionName() string                   { return "AuditedReads" }
func (auditedReads) Validate(graphql.ExecutableSchema) error { return nil }
func (a auditedReads) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) || !audit.ReadIsAudited(viewer.FromContext(ctx)) {
		return next(ctx)
	}
	ctx, reads := audit.WithReads(ctx)
	resp := next(ctx)
	if err := reads.Flush(ctx, a.client); err != nil {
		slog.ErrorContext(ctx, "audit: sensitive reads not logged; answer withheld", "err", err, "request_id", viewer.RequestID(ctx))
		return graphql.ErrorResponse(ctx, "internal error (request %s)", viewer.RequestID(ctx))
	}
	return resp
}

// presentError maps errors to stable codes. Users get what they can act on; internals are logged, masked.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	code, msg, field := classify(err)
	if code == "" {
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Extensions != nil && ge.Extensions["code"] != nil {
			return gerr // parser, validation and limit errors already carry a code
		}
		if errors.As(err, &ge) && ge.Unwrap() == nil {
			// gqlgen's own request errors (a body that is not JSON, a missing query) wrap nothing.
			gerr.Extensions = map[string]any{"code": "BAD_REQUEST"}
			return gerr
		}
		if fc := graphql.GetFieldContext(ctx); fc != nil && errors.As(err, &ge) && len(ge.Path) > len(fc.Path()) {
			// The error's path goes below the field into its arguments: a value the schema's types let through
			// that would not turn into one (a Time that is not RFC 3339, a cursor that is not one). The
			// caller's, before any resolver ran.
			field = fieldName(err)
			code, msg = "BAD_USER_INPUT", field+": "+ge.Message
		}
	}
	if code == "" {
		slog.ErrorContext(ctx, "internal error", "err", err, "path", gerr.Path.String(), "request_id", viewer.RequestID(ctx))
		code, msg = "INTERNAL", "internal error (request "+viewer.RequestID(ctx)+")"
	}
	if code == "FORBIDDEN" && viewer.FromContext(ctx) == nil {
		code, msg = "UNAUTHENTICATED", "sign in first (session cookie or 'Authorization: Bearer <token>')"
	}
	gerr.Message = msg
	gerr.Extensions = map[string]any{"code": code}
	if field != "" {
		gerr.Extensions["field"] = field
	}
	return gerr
}

func classify(err error) (code, msg, field string) {
	var (
		numErr  *strconv.NumError
		timeErr *time.ParseError
		inErr   *types.InputError
		valErr  *ent.ValidationError
		nfErr   *ent.NotFoundError
	)
	switch {
	case errors.As(err, &inErr):
		return "BAD_USER_INPUT", inErr.Error(), inErr.Field
	case errors.As(err, &numErr), errors.As(err, &timeErr):
		return "BAD_USER_INPUT", fmt.Sprintf("%s: not a valid value", fieldName(err)), fieldName(err)
	case badEnum(err):
		return "BAD_USER_INPUT", fmt.Sprintf("%s: %v", fieldName(err), errors.Unwrap(err)), fieldName(err)
	case errors.As(err, &valErr):
		// ent names the column (fever_threshold) and wraps the validator's own words in its own; the client
		// sent feverThreshold and wants the words.
		field, why := types.APIField(valErr.Name), errors.Unwrap(valErr)
		for inner := errors.Unwrap(why); inner != nil; inner = errors.Unwrap(why) {
			why = inner
		}
		return "BAD_USER_INPUT", fmt.Sprintf("%s: %v", field, why), field
	case errors.Is(err, privacy.Deny):
		return "FORBIDDEN", "forbidden", ""
	case errors.As(err, &nfErr), ent.IsNotSingular(err):
		return "NOT_FOUND", "not found", ""
	case ent.IsConstraintError(err):
		if field := takenField(err); field != "" {
			return "CONFLICT", field + ": already in use", field
		}
		return "CONFLICT", "conflicts with an existing record (a name, login or code already in use, or a missing reference)", ""
	case errors.Is(err, auth.ErrUnauthenticated), errors.Is(err, auth.ErrInvalidCredentials),
		errors.Is(err, auth.ErrAccountDisabled):
		return "UNAUTHENTICATED", err.Error(), ""
	case errors.Is(err, auth.ErrRateLimited):
		return "RATE_LIMITED", err.Error(), ""
	case errors.Is(err, auth.ErrPasswordChangeRequired):
		return "PASSWORD_CHANGE_REQUIRED", err.Error(), ""
	}
	return "", "", ""
}

// takenField is the input field of a value a unique index refused: the one column of the index that is
// neither a reference (tenant_id, parent_id) nor a key the server writes itself (open_key, dedupe_key), as
// PostgreSQL's detail ("Key (parent_id, name)=(…) already exists") or SQLite's message ("UNIQUE constraint
// failed: tenants.parent_id, tenants.name") names them; "" when the index has no such single column (a
// check's class, date and session: two reports racing), which stays a plain conflict.
func takenField(err error) string {
	var cols []string
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &pg):
		if m := pgUniqueRE.FindStringSubmatch(pg.Detail); pg.Code == pgerrcode.UniqueViolation && m != nil {
			cols = strings.Split(m[1], ", ")
		}
	default:
		if m := sqliteUniqueRE.FindStringSubmatch(err.Error()); m != nil {
			for _, c := range strings.Split(m[1], ", ") {
				_, col, _ := strings.Cut(c, ".")
				cols = append(cols, col)
			}
		}
	}
	var named []string
	for _, c := range cols {
		c = strings.Trim(c, `"`)
		if c != "id" && !strings.HasSuffix(c, "_id") && !strings.HasSuffix(c, "_key") {
			named = append(named, c)
		}
	}
	if len(named) != 1 {
		return ""
	}
	return types.APIField(named[0])
}

var (
	pgUniqueRE     = regexp.MustCompile(`^Key \(([^)]+)\)=`)
	sqliteUniqueRE = regexp.MustCompile(`UNIQUE constraint failed: ([^()]+?)(?: \(\d+\))?$`)
)

// enumRE is how ent's enums refuse a value in UnmarshalGQL ("DINGTALK is not a valid Kind"). gqlgen does
// not check enum values passed in variables against the schema; the enum's own unmarshaler does.
var enumRE = regexp.MustCompile(`^.* is not a valid [A-Za-z]+$`)

// badEnum: an argument or input field (a path below the operation's field) refused by its enum.
func badEnum(err error) bool {
	var ge *gqlerror.Error
	return errors.As(err, &ge) && len(ge.Path) > 1 && ge.Unwrap() != nil && enumRE.MatchString(ge.Unwrap().Error())
}

// fieldName is the argument or input field a gqlgen input error points at.
func fieldName(err error) string {
	var ge *gqlerror.Error
	if errors.As(err, &ge) && len(ge.Path) > 0 {
		if name, ok := ge.Path[len(ge.Path)-1].(ast.PathName); ok {
			return string(name)
		}
	}
	return ""
}
