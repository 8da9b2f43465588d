#!/usr/bin/env bash
# Runs the test suite on a fresh clone: prepares the toolchain, type-checks, runs vitest, and
# ends with one line `N passed, N failed[, N skipped]` taken from vitest's JSON report. Exits
# non-zero when the type check, any test or any test file fails. Extra arguments go to vitest.
set -eo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
cd "$kaas_root"
npx tsc --noEmit
# the console (web/) has its own tsconfig: the DOM library and JSX
npx tsc -p web --noEmit
report="$(mktemp -t kaas-vitest-XXXXXX.json)"
trap 'rm -f "$report"' EXIT
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
runner_exit=$?
set -e
node scripts/test-summary.ts "$report" "$runner_exit"
