#!/usr/bin/env bash
# Runs the test suite on a fresh clone: prepares the toolchain, then `npm test`.
set -eo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
cd "$kaas_root"
exec npm test -- "$@"
