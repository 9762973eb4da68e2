package checks

import (
	"strings"

	entsql "entgo.io/ent/dialect/sql"
)

// scalar is a subquery written as SQL text (see sqlText).
func scalar(query string, args ...any) entsql.Querier {
	return entsql.ExprFunc(func(b *entsql.Builder) { sqlText(b, query, args) })
}

// textP is a predicate written as SQL text (see sqlText), for join conditions.
func textP(query string, args ...any) *entsql.Predicate {
	return entsql.P(func(b *entsql.Builder) { sqlText(b, query, args) })
}

// sqlText writes query to b: SQL written as text rather than with ent's builder, which costs more to build
// than the database takes to run submit's class read. Identifiers are in standard double quotes, which
// both dialects accept. Each ? is one of args: a column of the outer query (a column, quoted for the
// dialect by the builder), or a value (a placeholder numbered for the dialect).
func sqlText(b *entsql.Builder, query string, args []any) {
	for _, a := range args {
		i := strings.IndexByte(query, '?')
		b.WriteString(query[:i])
		if c, ok := a.(column); ok {
			b.Ident(string(c))
		} else {
			b.Arg(a)
		}
		query = query[i+1:]
	}
	b.WriteString(query)
}

// column is an argument of sqlText that names a column of the outer query, as Selector.C gives it.
type column string
