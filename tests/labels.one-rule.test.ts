/**
 * One label rule: the CLI's `--label` parser, the API's input schema (cluster labels) and the
 * platform's spec validation (node pool labels) and fleet selectors give the same verdict on the
 * same keys and values. https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
import { describe, expect, it } from 'vitest';
import { labelMap } from '../api/routers/inputs.ts';
import { parseLabels } from '../cli/flags.ts';
import { clusterSpecSchema } from '../platform/cluster-spec-schema.ts';
import { fleetSelectorSchema } from '../platform/fleet-selector.ts';
import { labelProblem } from '../platform/label-syntax.ts';
import { simSpec } from './support/specs.ts';

const n = (count: number) => 'a'.repeat(count);

/** [key, value, valid] */
const TABLE: [string, string, boolean][] = [
  ['env', 'dev', true],
  ['env', '', true],
  ['app.kubernetes.io/name', 'web', true],
  [`example.com/${n(63)}`, 'x', true], // longer than 63 in total: only the name part is bounded by 63
  [`${n(200)}.io/${n(63)}`, 'x', true],
  [n(63), n(63), true],
  ['A_b.c-d', 'v1.2_3-x', true],
  [n(64), 'x', false],
  ['env', n(64), false],
  ['a/b/c', 'x', false],
  ['/name', 'x', false],
  ['Example.com/name', 'x', false],
  ['kaas.io/', 'x', false],
  ['-app', 'x', false],
  ['app-', 'x', false],
  ['app name', 'x', false],
  ['env', '-dev', false],
  ['env', 'dev.', false],
  ['env', 'a b', false],
  ['env', 'ü', false],
];

function cliVerdict(key: string, value: string): boolean {
  try {
    parseLabels([`${key}=${value}`]);
    return true;
  } catch {
    return false;
  }
}
const apiVerdict = (key: string, value: string) => labelMap.safeParse({ [key]: value }).success;
const specVerdict = (key: string, value: string) => {
  const spec = simSpec();
  const pools = spec.nodePools.map((p, i) => (i === 0 ? { ...p, labels: { [key]: value } } : p));
  return clusterSpecSchema().safeParse({ ...spec, nodePools: pools }).success;
};
const selectorVerdict = (key: string, value: string) => fleetSelectorSchema.safeParse({ labels: { [key]: value } }).success;

describe('one label rule', () => {
  it('the spec fixture is valid without extra labels', () => {
    expect(clusterSpecSchema().safeParse(simSpec()).success).toBe(true);
  });

  it.each(TABLE)('%j = %j: valid %s everywhere', (key, value, valid) => {
    expect({ rule: labelProblem(key, value) === undefined, cli: cliVerdict(key, value), api: apiVerdict(key, value), spec: specVerdict(key, value), selector: selectorVerdict(key, value) }).toEqual({
      rule: valid,
      cli: valid,
      api: valid,
      spec: valid,
      selector: valid,
    });
  });

  it('names the same problem in the CLI as in the rule', () => {
    const problem = labelProblem('a/b/c', 'x');
    expect(problem).toBeDefined();
    expect(() => parseLabels(['a/b/c=x'])).toThrow(problem!);
  });
});
