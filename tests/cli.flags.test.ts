/** Parsing of --set, --label and the quota and time flags, before any request is sent. */
import { describe, expect, it } from 'vitest';
import { parseTime } from '../cli/commands/audit/list.ts';
import { quotaFromFlags } from '../cli/commands/teams/quota-flags.ts';
import { CliError } from '../cli/errors.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { collect, parseLabels, parseSetFlags } from '../cli/flags.ts';

function usageFailure(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.USAGE);
    return err as CliError;
  }
  throw new Error('expected a usage error');
}

describe('--set', () => {
  it('accepts path=value flags, values with "=" and empty values, unchanged', () => {
    expect(parseSetFlags(['nodePools.0.desiredSize=3', 'tags.a=b=c', 'description='])).toEqual(['nodePools.0.desiredSize=3', 'tags.a=b=c', 'description=']);
  });

  it('refuses a flag without "=", an empty path, a bad path and a path given twice', () => {
    expect(usageFailure(() => parseSetFlags(['nodeCount'])).message).toMatch(/must look like path=value/);
    expect(usageFailure(() => parseSetFlags(['=3'])).message).toMatch(/path before "=" is empty/);
    expect(usageFailure(() => parseSetFlags(['a..b=1'])).message).toMatch(/dot-separated/);
    expect(usageFailure(() => parseSetFlags(['nodeCount=1', 'nodeCount=2'])).message).toMatch(/more than once/);
  });

  it('collects repeated flags in order', () => {
    expect(collect('b=2', collect('a=1', []))).toEqual(['a=1', 'b=2']);
  });
});

describe('--label', () => {
  it('parses key=value pairs into a record', () => {
    expect(parseLabels(['env=dev', 'owner=team-a', 'example.com/tier='])).toEqual({ env: 'dev', owner: 'team-a', 'example.com/tier': '' });
    expect(parseLabels([])).toEqual({});
  });

  it('refuses a label without "=", a bad key, a long value and a repeated key', () => {
    expect(usageFailure(() => parseLabels(['env'])).message).toMatch(/must look like key=value/);
    expect(usageFailure(() => parseLabels(['-env=dev'])).message).toMatch(/label key name "-env"/);
    // "=" is not allowed in a label value: the API and the spec refuse it too
    expect(usageFailure(() => parseLabels(['x=a=b'])).message).toMatch(/label value "a=b"/);
    expect(usageFailure(() => parseLabels([`a=${'x'.repeat(64)}`])).message).toMatch(/at most 63/);
    expect(usageFailure(() => parseLabels(['env=a', 'env=b'])).message).toMatch(/more than once/);
  });
});

describe('quota and time flags', () => {
  it('builds a quota from the flags given, "any" meaning no restriction ("*" to the API) and "none" nothing', () => {
    expect(quotaFromFlags({})).toBeUndefined();
    expect(quotaFromFlags({ maxClusters: '5', maxNodes: '40', allowedTargets: 'sim-local, aws-prod', allowedTemplates: 'any' })).toEqual({ maxClusters: 5, maxTotalNodes: 40, allowedTargets: ['sim-local', 'aws-prod'], allowedTemplates: '*' });
    expect(quotaFromFlags({ allowedTargets: 'none', allowedTemplates: '*' })).toEqual({ allowedTargets: [], allowedTemplates: '*' });
    expect(usageFailure(() => quotaFromFlags({ maxClusters: 'ten' })).message).toMatch(/whole number/);
  });

  it('reads durations ago and dates', () => {
    const now = Date.parse('2025-01-31T12:00:00Z');
    expect(parseTime('--since', '2h', now)).toBe('2025-01-31T10:00:00.000Z');
    expect(parseTime('--since', '7d', now)).toBe('2025-01-24T12:00:00.000Z');
    expect(parseTime('--until', '2025-01-01T00:00:00Z', now)).toBe('2025-01-01T00:00:00.000Z');
    expect(usageFailure(() => parseTime('--since', 'yesterday', now)).message).toMatch(/neither a date nor a duration/);
  });
});
