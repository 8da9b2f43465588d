/** Progress lines read as what happened: applied (past tense), previewed ("would …"), or found by a drift check ("differs: …"). */
import { describe, expect, it } from 'vitest';
import { describeEvent, isLiveEvent } from '../cli/render/progress.ts';

const step = (kind: 'step-started' | 'step-done', op: string, extra: Record<string, unknown> = {}) =>
  ({ kind, op, resource: 'pool-general', resourceType: 'kaas-sim:index:SimNodePool', ...extra }) as Parameters<typeof describeEvent>[0];

describe('describeEvent', () => {
  it('an applied step: present while it runs, past tense when done', () => {
    expect(describeEvent(step('step-started', 'replace'), { kind: 'reconcile' })).toBe('+- replace pool-general (SimNodePool)');
    expect(describeEvent(step('step-done', 'replace'), { kind: 'reconcile' })).toBe('✓ replaced pool-general (SimNodePool)');
    expect(describeEvent(step('step-done', 'update', { diffs: ['properties.desiredSize'] }), { kind: 'update' })).toBe('✓ updated pool-general (SimNodePool) [properties.desiredSize]');
  });

  it('a preview says what it would do, once per resource, and never ✓', () => {
    expect(describeEvent(step('step-started', 'replace', { preview: true }), { kind: 'reconcile' })).toBe('would replace pool-general (SimNodePool)');
    expect(describeEvent(step('step-done', 'replace', { preview: true }), { kind: 'reconcile' })).toBeUndefined();
    expect(describeEvent(step('step-started', 'create-replacement', { preview: true }), { kind: 'reconcile' })).toBeUndefined();
    expect(describeEvent(step('step-started', 'update'), { kind: 'preview' })).toBe('would update pool-general (SimNodePool)');
    expect(describeEvent({ kind: 'summary', changes: { same: 6, replace: 1 }, preview: true } as never, { kind: 'reconcile' })).toBe('preview (nothing applied): 6 same, 1 replace');
  });

  it('a drift check says what differs', () => {
    expect(describeEvent(step('step-done', 'update', { diffs: ['properties.machineType'], preview: true }), { kind: 'refresh' })).toBe('differs: pool-general (properties.machineType)');
    expect(describeEvent(step('step-done', 'delete', { preview: true }), { kind: 'refresh' })).toBe('gone from the cloud: pool-general');
    expect(describeEvent({ kind: 'summary', changes: { same: 6, update: 1 } } as never, { kind: 'refresh' })).toBe('checked: 6 same, 1 differs');
  });

  it('while watching, the engine dump and the stack\'s generic "update failed" are left to `events`', () => {
    const at = '2026-01-01T00:00:00Z';
    expect(isLiveEvent({ seq: 1, at, event: { kind: 'message', message: 'engine output: …', severity: 'detail' } })).toBe(false);
    expect(isLiveEvent({ seq: 2, at, event: { kind: 'diagnostic', severity: 'error', message: 'update failed' } })).toBe(false);
    expect(isLiveEvent({ seq: 3, at, event: { kind: 'diagnostic', severity: 'error', resource: 'pool-general', message: 'sim: quota' } })).toBe(true);
  });
});
