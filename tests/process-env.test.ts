/**
 * The environment is read in one place per program: api/config.ts for the platform (a zod-parsed
 * Config passed down) and cli/config.ts for the CLI. Entry points outside the product code
 * (tests, bench, scripts) may read it and pass values in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALLOWED = ['api/config.ts', 'cli/config.ts'];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

describe('process.env', () => {
  it('is read only in api/config.ts and cli/config.ts', () => {
    const readers = ['api', 'stacks', 'cli', 'platform'].flatMap(sources).filter((file) => /process\.env\b/.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));
    expect(readers.sort()).toEqual(ALLOWED.filter((f) => readers.includes(f)).sort());
    expect(readers).toContain('api/config.ts');
  });
});
