#!/usr/bin/env bash
# Installs the AWS API emulator the leak-check tests run against (moto's server, from PyPI) into a
# Python venv cached outside the repo: $KAAS_TOOLS_DIR/moto-<version> (default ~/.kaas/tools).
# Pinned version; a no-op when that venv already has it. Needs python3 with the venv module.
# tests/support/moto.ts finds it there (or KAAS_MOTO_PYTHON); under CI=true the tests fail without it.
set -eo pipefail
kaas_moto_version="5.2.1"
kaas_tools="${KAAS_TOOLS_DIR:-$HOME/.kaas/tools}"
kaas_moto_venv="$kaas_tools/moto-$kaas_moto_version"
if [ -x "$kaas_moto_venv/bin/python" ] && [ "$(cat "$kaas_moto_venv/.kaas-installed" 2>/dev/null)" = "$kaas_moto_version" ]; then
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "setup:moto: python3 is required to run the AWS emulator for the leak-check tests" >&2
  exit 1
fi
echo "setup:moto: installing moto[server]==$kaas_moto_version into $kaas_moto_venv" >&2
rm -rf "$kaas_moto_venv"
mkdir -p "$kaas_tools"
python3 -m venv "$kaas_moto_venv"
"$kaas_moto_venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$kaas_moto_version" >&2
"$kaas_moto_venv/bin/python" -c "import moto.server, flask, boto3, sys; sys.exit(0 if moto.__version__ == '$kaas_moto_version' else 1)"
echo "$kaas_moto_version" > "$kaas_moto_venv/.kaas-installed"
