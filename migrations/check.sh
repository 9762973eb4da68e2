#!/usr/bin/env bash
# Fails when migrations/ is out of date with the ent schema (run in CI after `go generate ./ent`).
#
# It regenerates the migrations into the working tree: if the schema has no changes the generator writes
# nothing; otherwise new *_check.{up,down}.sql files and an updated atlas.sum appear. Either way, anything that
# `git status` then reports under migrations/ (new, modified or uncommitted files) means the committed
# migrations do not match the schema.
#
# Needs PostgreSQL for the dev database: MIGRATE_DEV_URL, or the local server on 127.0.0.1:5432.
set -euo pipefail

cd "$(git rev-parse --show-toplevel)"

go run -mod=mod ./migrations/generate.go check

changes="$(git status --porcelain -- migrations/)"
if [[ -n "$changes" ]]; then
	echo "migrations/ is out of date with the ent schema (or has uncommitted changes):" >&2
	echo "$changes" >&2
	echo >&2
	echo "Regenerate with:  go run -mod=mod ./migrations/generate.go <descriptive_name>" >&2
	echo "then review and commit the new files (and delete any *_check.*.sql this script wrote)." >&2
	exit 1
fi
echo "migrations/ is up to date with the ent schema."
