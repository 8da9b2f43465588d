#!/bin/sh
# The image's entrypoint (run under tini, which reaps the engine's orphans and forwards signals):
# links the provider plugins baked into the image into the Pulumi home the engine uses
# (<KAAS_HOME>/pulumi/plugins; Pulumi has no separate plugin-directory setting, see
# sdk/go/common/workspace/plugins.go GetPluginDir@v3.260.0), then replaces itself with the platform
# process, so SIGTERM reaches node directly and the graceful shutdown runs.
set -eu
home="${KAAS_HOME:-/var/lib/kaas}"
plugins="${KAAS_IMAGE_PLUGINS_DIR:-/opt/kaas/pulumi-plugins}"
app="${KAAS_APP_DIR:-/opt/kaas/app}"
mkdir -p "$home/pulumi"
if [ -L "$home/pulumi/plugins" ] || [ ! -e "$home/pulumi/plugins" ]; then
  ln -sfn "$plugins" "$home/pulumi/plugins"
else
  echo "kaas: $home/pulumi/plugins is a directory, not the image's plugins: using it as it is" >&2
fi
if [ "${1:-}" = "kaas" ]; then
  shift
  exec node "$app/cli/bin.mjs" "$@"
fi
exec node "$app/api/main.ts" "$@"
