#!/usr/bin/env bash
# Runs the platform on a fresh clone: prepares the toolchain, then replaces this shell with
# `node api/main.ts` (not `npm start`: npm would take a supervisor's SIGTERM and leave the
# platform and its embedded PostgreSQL running orphaned, so the graceful shutdown never ran).
set -eo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
cd "$kaas_root"
exec node api/main.ts "$@"
