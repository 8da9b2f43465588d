#!/usr/bin/env bash
# Puts Node.js 24 on PATH. Source it (`. scripts/bootstrap-node.sh`) so the PATH change sticks.
# When the node on PATH is older than 24, installs the npm registry's `node@24` package into a
# cache outside the repo ($KAAS_TOOLS_DIR, default ~/.kaas/tools) once, and prepends its bin dir.
kaas_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(kaas_node_major)" -lt 24 ]; then
  kaas_tools="${KAAS_TOOLS_DIR:-$HOME/.kaas/tools}"
  kaas_node_prefix="$kaas_tools/node-24"
  if [ ! -x "$kaas_node_prefix/bin/node" ]; then
    echo "bootstrap: installing Node.js 24 from the npm registry into $kaas_node_prefix" >&2
    mkdir -p "$kaas_node_prefix"
    (cd "$kaas_node_prefix" && npm install --global --prefix "$kaas_node_prefix" --no-audit --no-fund node@24 >&2) || {
      echo "bootstrap: could not install node@24 from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$kaas_node_prefix/bin:$PATH"
  hash -r
fi
if [ "$(kaas_node_major)" -lt 24 ]; then
  echo "bootstrap: Node.js 24 is required, found $(node --version 2>/dev/null || echo none)" >&2
  return 1 2>/dev/null || exit 1
fi
