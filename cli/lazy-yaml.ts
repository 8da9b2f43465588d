/**
 * `yaml` for the CLI bundle, loaded on first use: scripts/build-cli.ts aliases the `yaml` import
 * to this module, so the ~115 kB library is read only by commands that print or parse YAML
 * (`-o yaml`, `templates get`), not at every start. The sources (cli/main.ts) import `yaml` itself.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

let loaded: Yaml | undefined;
/** The real `yaml`, resolved from node_modules next to the bundle. */
const load = (): Yaml => (loaded ??= createRequire(import.meta.url)('yaml') as Yaml);

export const stringify: Yaml['stringify'] = (...args: Parameters<Yaml['stringify']>) => load().stringify(...args);
export const parse: Yaml['parse'] = (...args: Parameters<Yaml['parse']>) => load().parse(...args);
export const parseDocument: Yaml['parseDocument'] = ((...args: Parameters<Yaml['parseDocument']>) => load().parseDocument(...args)) as Yaml['parseDocument'];

export default { stringify, parse, parseDocument };
