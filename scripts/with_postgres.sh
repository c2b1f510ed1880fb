#!/usr/bin/env bash
# Runs a command with the project's local PostgreSQL server up (scripts/postgres.sh), and stops the
# server afterwards, whatever the command's outcome, unless it was already running before.
#   scripts/with_postgres.sh make dbt-test-postgres
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
was_running=false
if "$here/postgres.sh" status; then
    was_running=true
fi
"$here/postgres.sh" start
if [ "$was_running" = false ]; then
    trap '"$here/postgres.sh" stop' EXIT
fi
"$@"
