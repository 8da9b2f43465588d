#!/usr/bin/env bash
# Runs the platform on a fresh clone: prepares the toolchain, then `npm start`.
set -eo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
cd "$kaas_root"
exec npm start -- "$@"
