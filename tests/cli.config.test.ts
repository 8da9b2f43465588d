/** The CLI config file: location, mode 0600 in a 0700 directory, and env/flag overrides. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath, DEFAULT_URL, readConfig, removeConfig, resolveConnection, writeConfig } from '../cli/config.ts';
import { CliError } from '../cli/errors.ts';
import { setContext } from '../cli/commands/config/contexts.ts';
import { run } from '../cli/program.ts';

/** A config of one context, "main", current. */
const one = (url: string, token: string) => ({ currentContext: 'main', contexts: Object.assign(Object.create(null) as Record<string, { url: string; token: string }>, { main: { url, token } }) });

describe('config file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lives at $KAAS_CONFIG, else under ~/.config/kaas', () => {
    expect(configPath({ KAAS_CONFIG: path.join(dir, 'c.json') })).toBe(path.join(dir, 'c.json'));
    expect(configPath({ HOME: '/home/ann' })).toBe('/home/ann/.config/kaas/config.json');
  });

  it('is written with mode 0600 in a 0700 directory, also over an existing wider file', () => {
    const file = path.join(dir, 'nested', 'kaas', 'config.json');
    writeConfig(file, one('http://a', 'secret'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    fs.chmodSync(file, 0o644);
    writeConfig(file, one('http://b', 'secret2'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readConfig(file)).toEqual({ currentContext: 'main', contexts: { main: { url: 'http://b', token: 'secret2' } } });
    expect(removeConfig(file)).toBe(true);
    expect(removeConfig(file)).toBe(false);
    expect(readConfig(file)).toBeUndefined();
  });

  it('KAAS_URL / KAAS_TOKEN override the file, flags override both', () => {
    const file = path.join(dir, 'config.json');
    writeConfig(file, one('http://file:1', 'file-token'));
    expect(resolveConnection({}, { KAAS_CONFIG: file })).toEqual({ url: 'http://file:1', token: 'file-token', context: 'main' });
    expect(resolveConnection({}, { KAAS_CONFIG: file, KAAS_URL: 'http://env:2/', KAAS_TOKEN: 'env-token' })).toEqual({ url: 'http://env:2', token: 'env-token', context: 'main' });
    expect(resolveConnection({ url: 'http://flag:3/trpc', token: 'flag-token' }, { KAAS_CONFIG: file, KAAS_URL: 'http://env:2', KAAS_TOKEN: 'env-token' })).toEqual({ url: 'http://flag:3', token: 'flag-token' });
    expect(resolveConnection({}, { KAAS_CONFIG: file, KAAS_URL: '', KAAS_TOKEN: '' })).toEqual({ url: 'http://file:1', token: 'file-token', context: 'main' });
    expect(resolveConnection({}, { KAAS_CONFIG: path.join(dir, 'none.json') })).toEqual({ url: DEFAULT_URL, token: undefined });
  });

  it('names a broken file and a bad URL as usage errors', () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, '{"url": 1}');
    expect(() => readConfig(file)).toThrow(CliError);
    expect(() => readConfig(file)).toThrow(/config file .* is not valid/);
    expect(() => resolveConnection({ url: 'ftp://x', token: 't' }, {})).toThrow(/must be an http/);
  });
});

describe('contexts in the config file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-contexts-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function kaas(argv: string[], env: Record<string, string>) {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, stdinIsTTY: false });
    return { code, stdout, stderr };
  }

  it("the default team comes with the context's URL only; KAAS_CONTEXT / --context pick another", () => {
    const file = path.join(dir, 'c.json');
    setContext(file, 'a', { url: 'http://a:1', token: 'ta', team: 'alpha' });
    setContext(file, 'b', { url: 'http://b:2', token: 'tb' });
    expect(resolveConnection({}, { KAAS_CONFIG: file })).toEqual({ url: 'http://a:1', token: 'ta', context: 'a', team: 'alpha' });
    expect(resolveConnection({}, { KAAS_CONFIG: file, KAAS_URL: 'http://other:3' })).toEqual({ url: 'http://other:3', token: 'ta', context: 'a' });
    expect(resolveConnection({}, { KAAS_CONFIG: file, KAAS_CONTEXT: 'b' })).toEqual({ url: 'http://b:2', token: 'tb', context: 'b' });
    expect(resolveConnection({ context: 'a' }, { KAAS_CONFIG: file, KAAS_CONTEXT: 'b' })).toMatchObject({ context: 'a', team: 'alpha' });
    expect(() => resolveConnection({ context: 'zz' }, { KAAS_CONFIG: file })).toThrow(/context "zz" does not exist/);
  });

  it('refuses context names that are not names, and keeps odd-but-valid ones off the prototype', () => {
    const file = path.join(dir, 'c.json');
    for (const bad of ['__proto__', '', '-x', 'a b', 'x/y']) expect(() => setContext(file, bad, { url: 'http://a:1' })).toThrow(/context name .* is not valid/);
    setContext(file, 'constructor', { url: 'http://a:1', token: 't' });
    expect(readConfig(file)?.contexts.constructor).toEqual({ url: 'http://a:1', token: 't' });
    expect(() => setContext(file, 'new', { token: 't' })).toThrow(/needs --url/);
  });

  it('logout forgets only the selected context; the file goes with the last one', async () => {
    const file = path.join(dir, 'c.json');
    setContext(file, 'a', { url: 'http://a:1', token: 'ta' });
    setContext(file, 'b', { url: 'http://b:2', token: 'tb' });
    const first = await kaas(['logout'], { KAAS_CONFIG: file });
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('forgot context "a"') });
    expect(Object.keys(readConfig(file)!.contexts)).toEqual(['b']);
    expect(readConfig(file)!.currentContext).toBeUndefined();
    expect((await kaas(['logout', '--context', 'b'], { KAAS_CONFIG: file })).code).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });
});
