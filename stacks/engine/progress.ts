/**
 * Engine progress as the platform records it: a small, stable event shape derived from Pulumi's
 * engine events, with no property values (they may hold secrets).
 */
import type { EngineEvent } from '@pulumi/pulumi/automation/index.js';
import { urnName } from './urn.ts';

export interface ProgressEvent {
  kind: 'step-started' | 'step-done' | 'step-failed' | 'diagnostic' | 'summary';
  /** Resource type, e.g. `kaas-sim:index:SimNodePool`. */
  resourceType?: string;
  /** The resource's logical name (last part of its URN). */
  resource?: string;
  /** Engine step: create, update, delete, replace, refresh, read, same… */
  op?: string;
  /** Properties that changed (names only). */
  diffs?: string[];
  message?: string;
  severity?: string;
  /** Summary counts by op, on `summary`. */
  changes?: Record<string, number>;
  /** Set on the events of a run that changed nothing (a preview, a drift check): steps it would take or found, not took. */
  preview?: boolean;
}

const QUIET_OPS = new Set(['same']);

/** Dotted paths whose values differ between two output objects (names only, never values). */
export function changedPaths(before: unknown, after: unknown, prefix = '', depth = 0): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(before) || !isObject(after) || depth >= 4) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix || '(all)'];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k, depth + 1));
}

type StateWithInputs = { inputs?: Record<string, unknown> } | undefined;


/** Changed property paths of a step: the provider's, else computed from old and new inputs. */
function diffsOf(step: { op: string; diffs?: string[]; old?: unknown; new?: unknown }): { diffs?: string[] } {
  if (step.diffs && step.diffs.length > 0) return { diffs: step.diffs };
  if (step.op !== 'update' && step.op !== 'replace') return {};
  const paths = changedPaths((step.old as StateWithInputs)?.inputs, (step.new as StateWithInputs)?.inputs).filter((p) => !p.startsWith('__'));
  return paths.length > 0 ? { diffs: paths } : {};
}

/** Maps one Pulumi engine event to a progress event, or undefined for noise. */
export function toProgressEvent(event: EngineEvent): ProgressEvent | undefined {
  const step = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata;
  if (step) {
    if (QUIET_OPS.has(step.op) || step.type === 'pulumi:pulumi:Stack' || step.type.startsWith('pulumi:providers:')) return undefined;
    const kind = event.resourcePreEvent ? 'step-started' : event.resOutputsEvent ? 'step-done' : 'step-failed';
    return {
      kind,
      resourceType: step.type,
      resource: urnName(step.urn),
      op: step.op,
      ...diffsOf(step),
    };
  }
  const diag = event.diagnosticEvent;
  if (diag && (diag.severity === 'error' || diag.severity === 'warning') && !diag.ephemeral) {
    return { kind: 'diagnostic', severity: diag.severity, message: diag.message.trim(), ...(diag.urn ? { resource: urnName(diag.urn) } : {}) };
  }
  if (event.summaryEvent) {
    return { kind: 'summary', changes: { ...event.summaryEvent.resourceChanges } as Record<string, number> };
  }
  return undefined;
}
