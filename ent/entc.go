//go:build ignore

// entc generates the ent client and, through entgql, the GraphQL schema graph/ent.graphql.
// Run through `make generate` (ent first, then gqlgen).
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"

	"github.com/campushealth/campushealth/ent/authz"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("../graph/ent.graphql"),
		entgql.WithConfigPath("../gqlgen.yml"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(true),
	)
	if err != nil {
		log.Fatalf("entgql: %v", err)
	}
	err = entc.Generate("./schema", &gen.Config{
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
			gen.FeatureSnapshot,
			gen.FeatureVersionedMigration,
			gen.FeatureIntercept,
			gen.FeatureModifier,
			gen.FeatureGlobalID,
			gen.FeatureExecQuery,
		},
	},
		entc.Extensions(ex),
		entc.TemplateDir("./template"),
		// Each client carries its database's enforcer, so hooks and rules reach it through the mutation.
		entc.Dependency(entc.DependencyName("Authz"), entc.DependencyType(&authz.Enforcer{})),
	)
	if err != nil {
		log.Fatalf("entc: %v", err)
	}
}
