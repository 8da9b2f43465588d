/**
 * `failureCause`: the one line a failed operation is recorded with, from the failure text Pulumi
 * really produces (captured from the sim cloud through the real engine, 3.260.0).
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.ts';
import { EngineError, summarizeCliFailure } from '../stacks/engine/engine-error.ts';
import { failureCause } from '../api/worker/program-errors.ts';

// what toEngineError kept of a failed `pulumi up` (summarizeCliFailure of its stderr)
const UPDATE_FAILED =
  '~  pulumi-nodejs:dynamic/kaas-sim:SimNodePool pool-general updating (0s) [diff: ~properties]; error: sim: quota of machines exhausted; ~  pulumi-nodejs:dynamic/kaas-sim:SimNodePool pool-general **updating failed** [diff: ~properties]; error: sim: quota of machines exhausted; pulumi:pulumi:Stack kaas-kaas-c5rxwh4ejgk0q running error: update failed; sim: quota of machines exhausted; update failed';

// the shape of a create failure's stderr, as the CLI prints it
const CREATE_STDERR = [
  'Updating (kaas-c0123456789ab):',
  ' +  pulumi-nodejs:dynamic/kaas-sim:SimNodePool pool-general creating (0s) error: sim: injected',
  ' +  pulumi-nodejs:dynamic/kaas-sim:SimNodePool pool-general **creating failed** error: sim: injected',
  '    pulumi:pulumi:Stack kaas-kaas-c0123456789ab running error: update failed',
  'Diagnostics:',
  '  pulumi-nodejs:dynamic/kaas-sim:SimNodePool (pool-general):',
  '    error: sim: injected',
  '  pulumi:pulumi:Stack (kaas-kaas-c0123456789ab):',
  '    error: update failed',
].join('\n');

describe('failureCause', () => {
  it('a failed update: the resource and the first real cause, once', () => {
    expect(failureCause(new EngineError('failed', UPDATE_FAILED))).toBe('pool-general: sim: quota of machines exhausted');
  });

  it('a failed create, from the summarized stderr and from the raw stderr', () => {
    expect(failureCause(new EngineError('failed', summarizeCliFailure(CREATE_STDERR)))).toBe('pool-general: sim: injected');
    expect(failureCause(new Error(CREATE_STDERR))).toBe('pool-general: sim: injected');
  });

  it('the issue\'s shape: `+ type name creating (0s) error: …; update failed; update failed`', () => {
    expect(failureCause(new EngineError('failed', '+ pulumi-nodejs:dynamic/kaas-sim:SimCluster control-plane creating (0s) error: sim: region full; update failed; update failed'))).toBe('control-plane: sim: region full');
  });

  it('keeps the context a handler put before the engine text (an upgrade step)', () => {
    expect(failureCause(new EngineError('failed', `step 3/6 (node pool batch 1.31 → 1.32) failed: ${UPDATE_FAILED.replaceAll('pool-general', 'pool-batch')}`))).toBe('step 3/6 (node pool batch 1.31 → 1.32) failed: pool-batch: sim: quota of machines exhausted');
  });

  it('a diagnostic that already names the resource is not prefixed twice', () => {
    expect(failureCause(new EngineError('failed', 'pool-general: sim: injected; update failed'))).toBe('pool-general: sim: injected');
  });

  it('a refused program, a domain error, a cancellation and an unknown error keep their message (and hint)', () => {
    const refused = new EngineError('invalid', 'the program refused: no adminGroupObjectIds', 'set settings.adminGroupObjectIds', new DomainError('PRECONDITION_FAILED', 'x'));
    expect(failureCause(refused)).toBe('the program refused: no adminGroupObjectIds (set settings.adminGroupObjectIds)');
    expect(failureCause(new DomainError('PRECONDITION_FAILED', 'node pool "a" is newer than the control plane', { hint: 'fix the spec' }))).toBe('node pool "a" is newer than the control plane (fix the spec)');
    expect(failureCause(new EngineError('cancelled', 'the operation was cancelled'))).toBe('the operation was cancelled');
    expect(failureCause(new Error('boom\n  with detail'))).toBe('boom with detail');
  });

  it('nothing but generic lines: the text itself, on one line', () => {
    expect(failureCause(new EngineError('failed', 'update failed'))).toBe('update failed');
  });
});
