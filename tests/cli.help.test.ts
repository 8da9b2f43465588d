/**
 * Every command's `--help` as a kubectl user expects it: examples, required flags marked, the
 * global flags shown; `-v` is not `--version`; and the README's CLI reference names exactly the
 * commands of the commander tree, with flags that exist. Also the `-o jsonpath` subset.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { completeWords, type NameSource } from '../cli/commands/completion/complete.ts';
import { evaluateJsonPath, parseJsonPath } from '../cli/jsonpath.ts';
import { buildProgram, run } from '../cli/program.ts';
import { Runtime } from '../cli/runtime.ts';

const silentIo = { stdout: () => {}, stderr: () => {}, env: { KAAS_CONFIG: '/nonexistent/kaas.json' }, stdinIsTTY: false };

async function runOffline(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: { KAAS_CONFIG: '/nonexistent/kaas.json', KAAS_URL: 'http://127.0.0.1:9' }, stdinIsTTY: false });
  return { code, stdout, stderr };
}

/** Every command path of the tree, e.g. ['clusters', 'create'] (topics too), hidden ones left out. */
function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands
    .filter((c) => !(c as Command & { _hidden?: boolean })._hidden)
    .flatMap((c) => {
      const p = [...prefix, c.name()];
      return [p, ...commandPaths(c, p)];
    });
}
const program = buildProgram(new Runtime(silentIo));
const paths = commandPaths(program);
const leaves = paths.filter((p) => {
  let c: Command = program;
  for (const name of p) c = c.commands.find((x) => x.name() === name)!;
  return c.commands.length === 0;
});
const commandAt = (p: string[]) => p.reduce<Command>((c, name) => c.commands.find((x) => x.name() === name)!, program);

describe('help', () => {
  it('walks at least the known topics', () => {
    for (const topic of ['clusters', 'templates', 'fleet', 'config', 'completion', 'version']) expect(paths.map((p) => p[0])).toContain(topic);
    expect(leaves.length).toBeGreaterThan(40);
  });

  it.each(leaves.map((p) => [p.join(' '), p] as const))('`kaas %s --help` has examples, marks required flags, shows the global flags', async (_name, p) => {
    const r = await runOffline([...p, '--help']);
    expect(r.code).toBe(0);
    const examples = r.stdout.split(/^Examples:$/m)[1];
    expect(examples, r.stdout).toBeDefined();
    expect(examples).toMatch(new RegExp(`^  kaas ${p.join(' ')}\\b`, 'm'));
    // the option's help entry, up to the next option (long descriptions wrap)
    for (const opt of commandAt(p).options) {
      if (!opt.mandatory) continue;
      const entry = r.stdout.match(new RegExp(`^ +(?:-\\w, )?${opt.long} [\\s\\S]*?(?=\\n +-|\\n\\n|(?![\\s\\S]))`, 'm'));
      expect(entry?.[0], opt.long).toMatch(/\(required\)/);
    }
    expect(r.stdout).toMatch(/Global Options:[\s\S]*--output[\s\S]*--context/);
  });

  it('-v is verbose, not the version', async () => {
    const r = await runOffline(['-v', '--help']);
    expect(r.stdout).toMatch(/-v, --verbose/);
    expect(r.stdout).not.toMatch(/-v, --version/);
    expect((await runOffline(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('README CLI reference', () => {
  const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## CLI reference$/m)[1]!.split(/^## /m)[0]!;
  /** `kaas a b`, `kaas a b|c|d` and `kaas a b c|d` mentions in backticks or in code lines. */
  const mentioned = new Set<string>();
  for (const m of section.matchAll(/(?:`|^)kaas ([a-z][a-z-]*)(?: ([a-z][a-z|-]*))?(?: ([a-z][a-z|-]*))?/gm)) {
    const [, topic, rest, sub] = m;
    mentioned.add(topic!);
    if (rest) for (const verb of rest.split('|')) mentioned.add(`${topic} ${verb}`);
    // three-level commands (`kaas fleet proposals start|dismiss`)
    if (rest && sub && !rest.includes('|')) for (const leaf of sub.split('|')) mentioned.add(`${topic} ${rest} ${leaf}`);
  }
  const known = new Set(paths.map((p) => p.join(' ')));

  it('names every command of the tree', () => {
    const missing = leaves.map((p) => p.join(' ')).filter((p) => !mentioned.has(p));
    expect(missing).toEqual([]);
  });

  it('names no command that does not exist', () => {
    const unknown = [...mentioned].filter((m) => !known.has(m) && !known.has(m.split(' ')[0]!) );
    expect(unknown).toEqual([]);
  });

  it("lists every flag of every command: in the command's row, its example lines (or the fleet flags table)", () => {
    const lines = section.split('\n');
    const missing: string[] = [];
    for (const p of leaves) {
      const name = `kaas ${p.join(' ')}`;
      const text = [
        ...lines.filter((l) => l.startsWith('| `kaas ') && l.split(/(?<!\\)\|/)[1]!.includes(`\`${name}`)),
        ...lines.filter((l) => l.startsWith(`${name} `) || l === name),
        ...(p[0] === 'fleet' ? lines.filter((l) => l.startsWith('| `--')) : []),
      ].join('\n');
      for (const o of commandAt(p).options) if (!new RegExp(`${o.long}(?![a-z-])`).test(text)) missing.push(`${name} ${o.long}`);
    }
    expect(missing).toEqual([]);
  });

  it('lists, in each table row, only flags the row\'s commands (or the program) have', () => {
    const globals = program.options.map((o) => o.long);
    for (const row of section.split('\n').filter((l) => l.startsWith('| `kaas '))) {
      const [cmds = '', flags = ''] = row.split(/(?<!\\)\|/).slice(1, 3);
      const rowCommands = [...cmds.matchAll(/kaas ([a-z-]+)(?: ([a-z-]+))?/g)].map((m) => (m[2] && known.has(`${m[1]} ${m[2]}`) ? [m[1]!, m[2]] : [m[1]!]));
      const allowed = new Set([...globals, ...rowCommands.flatMap((p) => commandAt(p).options.map((o) => o.long))]);
      for (const flag of flags.matchAll(/--[a-z][a-z-]*/g)) expect(allowed.has(flag[0]), `${row}: ${flag[0]}`).toBe(true);
    }
  });
});

describe('-o jsonpath subset', () => {
  const data = { items: [{ name: 'a', team: 't1', n: 1 }, { name: 'b', team: 't2', n: 2 }], cluster: { id: 'x', labels: { env: 'dev' } } };
  const out = (template: string) => evaluateJsonPath(parseJsonPath(template), data);

  it('selects fields, indexes and wildcards like kubectl', () => {
    expect(out('{.items[*].name}')).toBe('a b');
    expect(out('{.items[1].team}')).toBe('t2');
    expect(out('{.items[-1].name}')).toBe('b');
    expect(out('{.cluster.id}')).toBe('x');
    expect(out(".cluster.labels['env']")).toBe('dev');
    expect(out('{.cluster.labels}')).toBe('{"env":"dev"}');
    expect(out('id={.cluster.id}!')).toBe('id=x!');
    expect(out('{range .items[*]}{.name}={.n}{"\\n"}{end}')).toBe('a=1\nb=2\n');
    expect(out('{.missing}')).toBe('');
  });

  it('never walks into the prototype', () => {
    expect(out('{.items.constructor}')).toBe('');
    expect(out('{.__proto__}')).toBe('');
    expect(out('{.cluster.toString}')).toBe('');
  });

  it('refuses malformed templates, naming the problem', () => {
    expect(() => parseJsonPath('{.items[')).toThrow(/jsonpath/);
    expect(() => parseJsonPath('{range .items[*]}{.name}')).toThrow(/\{end\}/);
    expect(() => parseJsonPath('{.a')).toThrow(/unclosed/);
  });
});

describe('completion candidates (the tree walk behind `kaas __complete`)', () => {
  const seen: (string | undefined)[] = [];
  const names: NameSource = {
    clusters: async (team) => (seen.push(team), team === 'b' ? ['api'] : ['web', 'worker']),
    templates: async () => ['sim-dev', 'eks-standard'],
    campaigns: async () => ['q3-upgrade', 'q4'],
    teams: async () => ['a', 'b'],
    contexts: () => ['prod'],
  };
  const complete = (words: string[]) => completeWords(program, words, names);

  it('names campaigns, clusters (of the --team typed), templates, teams, choices and shells', async () => {
    expect(await complete(['fleet', 'status', 'q'])).toEqual(['q3-upgrade', 'q4']);
    expect(await complete(['fleet', 'pause', ''])).toEqual(['q3-upgrade', 'q4']);
    expect(await complete(['fleet', 'window', '--team', 'b', ''])).toEqual(['api']);
    expect(seen).toContain('b');
    expect(await complete(['cluster', 'get', 'w'])).toEqual(['web', 'worker']);
    expect(await complete(['fleet', 'start', 'x', '--template', 'e'])).toEqual(['eks-standard']);
    expect(await complete(['clusters', 'list', '--team', ''])).toEqual(['a', 'b']);
    expect(await complete(['clusters', 'list', '--status', 'fa'])).toEqual(['failed']);
    expect(await complete(['completion', ''])).toEqual(['bash', 'fish', 'zsh']);
    expect(await complete(['--context', '', 'whoami'].slice(0, 2))).toEqual(['prod']);
  });

  it('completes nothing after the last positional, and nothing when the API fails', async () => {
    expect(await complete(['clusters', 'get', 'web', ''])).toEqual([]);
    const failing = { ...names, clusters: async () => Promise.reject(new Error('no login')) };
    expect(await completeWords(program, ['clusters', 'get', ''], failing)).toEqual([]);
  });
});
