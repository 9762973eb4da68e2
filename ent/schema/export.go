package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/rule"
	"github.com/campushealth/campushealth/ent/types"
)

// ExportTemplate is an export's shape for one recipient (a city or provincial system, the bureau's own
// form): which of a sheet's columns, in what order, under which headers, with columns of fixed text
// between them (DOMAIN.md §5: enter once, export many). A district's templates serve its institutions too;
// an institution's serve itself.
type ExportTemplate struct{ ent.Schema }

func (ExportTemplate) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Validate(maxChars(50)).
			Comment("the recipient or form, e.g. 省教育厅晨午检日报"),
		field.Enum("sheet").Values(types.Sheets...).Immutable().
			Comment("the sheet it shapes; its columns are the sources a column may name (exportColumns)"),
		field.JSON("columns", []types.ExportColumn{}).
			Comment("the columns in order: a sheet's column under a header of its own, or fixed text").
			Annotations(entgql.Type("[ExportColumn!]"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

func (ExportTemplate) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "name").Unique()}
}

func (ExportTemplate) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, TenantMixin{}} }

// Templates are kept by those who send the reports: the principal and the epidemic reporter for their
// school, the district admin for the district and its institutions.
func (ExportTemplate) Policy() ent.Policy { return schoolWide(authz.ObjExportTemplate) }

func (ExportTemplate) Hooks() []ent.Hook { return []ent.Hook{rule.ValidateExportTemplate()} }
