import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcStat } from '../../stacks/common/proc-stat.ts';

describe('parseProcStat', () => {
  it('reads state and parent pid after the command name', () => {
    expect(parseProcStat('4242 (node) S 17 4242 4242 0 -1 4194560 1 0')).toEqual({ state: 'S', ppid: 17 });
  });
  it('copes with spaces and ")" in the command name', () => {
    expect(parseProcStat('4242 (a) b (c)) Z 1 0 0')).toEqual({ state: 'Z', ppid: 1 });
  });
  it('refuses text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('4242 (node')).toBeUndefined();
    expect(parseProcStat('4242 (node) S x')).toBeUndefined();
  });
  it.runIf(fs.existsSync('/proc/self/stat'))('parses this process: running, with its real parent', () => {
    expect(parseProcStat(fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8'))).toEqual({ state: 'R', ppid: process.ppid });
  });
});
