/** A sim template with upgrade health-gate settings: sim-dev.yaml renamed, with an `upgrade:` block in its spec. */
import fs from 'node:fs';

/** sim-dev renamed to `name`, whose gates give up after `gateTimeoutSeconds`. */
export function gatedSimTemplate(name: string, gateTimeoutSeconds: number, extra = ''): string {
  const yaml = fs.readFileSync(new URL('../../templates/sim-dev.yaml', import.meta.url), 'utf8');
  return yaml.replace(/^name: sim-dev$/m, `name: ${name}`).replace(/^spec:$/m, `spec:\n  upgrade:\n    gateTimeoutSeconds: ${gateTimeoutSeconds}${extra}`);
}
