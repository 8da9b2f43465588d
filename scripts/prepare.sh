#!/usr/bin/env bash
# Gets a fresh clone ready: Node.js 24 on PATH, dependencies installed (again only when
# package-lock.json changed), the Pulumi CLI matching @pulumi/pulumi, and the CLI bundle
# (dist/kaas.mjs, scripts/build-cli.ts). Source it so the PATH
# change sticks: `. scripts/prepare.sh`. Idempotent; a warm run takes a second or two.
set -eo pipefail
kaas_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$kaas_root/scripts/bootstrap-node.sh"
kaas_lock_sum="$(sha256sum "$kaas_root/package-lock.json" | cut -d' ' -f1)-$(node --version)"
if [ "$(cat "$kaas_root/node_modules/.kaas-installed" 2>/dev/null)" != "$kaas_lock_sum" ]; then
  echo "prepare: installing dependencies (npm ci)" >&2
  (cd "$kaas_root" && npm ci --no-audit --no-fund >&2)
  echo "$kaas_lock_sum" > "$kaas_root/node_modules/.kaas-installed"
fi
(cd "$kaas_root" && node scripts/setup-pulumi.ts)
"$kaas_root/scripts/setup-moto.sh"
"$kaas_root/scripts/setup-helm.sh" # helm, kubeconform and Kubernetes schemas for tests/helm-chart.test.ts
# the shipped CLI: one bundle (dist/kaas.mjs) instead of ~100 TypeScript modules at every start
(cd "$kaas_root" && node scripts/build-cli.ts)
# the web console (dist/web, scripts/build-web.ts); its browser tests need Debian's chromium (installed here when root and absent)
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then echo "prepare: installing chromium (browser tests)" >&2; apt-get install -y chromium >&2 || echo "prepare: could not install chromium; tests/web fail under CI=true" >&2; fi
(cd "$kaas_root" && node scripts/build-web.ts)
