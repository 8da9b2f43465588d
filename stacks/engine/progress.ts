/**
 * Engine progress as the platform records it: a small, stable event shape derived from Pulumi's
 * engine events, with no property values (they may hold secrets).
 */
import type { EngineEvent } from '@pulumi/pulumi/automation/index.js';

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
}

const QUIET_OPS = new Set(['same']);

function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
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
      resource: resourceName(step.urn),
      op: step.op,
      ...(step.diffs && step.diffs.length > 0 ? { diffs: step.diffs } : {}),
    };
  }
  const diag = event.diagnosticEvent;
  if (diag && (diag.severity === 'error' || diag.severity === 'warning') && !diag.ephemeral) {
    return { kind: 'diagnostic', severity: diag.severity, message: diag.message.trim(), ...(diag.urn ? { resource: resourceName(diag.urn) } : {}) };
  }
  if (event.summaryEvent) {
    return { kind: 'summary', changes: { ...event.summaryEvent.resourceChanges } as Record<string, number> };
  }
  return undefined;
}
