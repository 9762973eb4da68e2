package checks

import (
	"strconv"
	"strings"

	"entgo.io/ent/dialect"
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

// idsIn is col IN ids with the IDs sent as one parameter: an array on PostgreSQL (col = ANY($1)), a JSON
// array on SQLite (col IN (SELECT value FROM json_each(?))). The statement's text is then the same for any
// number of IDs: PostgreSQL's driver prepares each new text on each connection and keeps a bounded cache
// of them, and an IN list of n placeholders is a new text for every n (a district board names its
// non-reporting classes, a different number each time). Nor is there a bound on the IDs, where the
// placeholders of one statement are bounded (SQLite 32,766, PostgreSQL 65,535).
func idsIn(col string, ids []int) *entsql.Predicate {
	return entsql.P(func(b *entsql.Builder) {
		b.Ident(col)
		if b.Dialect() == dialect.Postgres {
			b.WriteString(" = ANY(").Arg(ids).WriteString(")")
			return
		}
		list := make([]byte, 0, 1+8*len(ids))
		list = append(list, '[')
		for i, id := range ids {
			if i > 0 {
				list = append(list, ',')
			}
			list = strconv.AppendInt(list, int64(id), 10)
		}
		b.WriteString(" IN (SELECT value FROM json_each(").Arg(string(append(list, ']'))).WriteString("))")
	})
}

// idIn is idsIn as a predicate of an ent query, update or delete (predicate.Class and the like) on the
// field named.
func idIn[P ~func(*entsql.Selector)](field string, ids []int) P {
	return func(s *entsql.Selector) { s.Where(idsIn(s.C(field), ids)) }
}
