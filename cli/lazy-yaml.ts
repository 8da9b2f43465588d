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

/** `yaml`'s function `key`, loading the library on its first call (overloads kept by the cast). */
const lazy = <K extends 'stringify' | 'parse' | 'parseDocument'>(key: K): Yaml[K] => ((...args: unknown[]) => (load()[key] as (...a: unknown[]) => unknown)(...args)) as Yaml[K];

export const stringify = lazy('stringify');
export const parse = lazy('parse');
export const parseDocument = lazy('parseDocument');

export default { stringify, parse, parseDocument };
