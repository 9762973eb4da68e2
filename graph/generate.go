// Package graph is the GraphQL contract (SDL in *.graphql) and its thin resolvers.
package graph

//go:generate go tool gqlgen generate --config ../gqlgen.yml
