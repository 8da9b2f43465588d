/** One line of live progress per operation event, e.g. `[12:01:03] + create  pool-general (SimNodePool)`. */
import type { OperationEvent, StoredEvent } from '../api-types.ts';

const OP_SYMBOL: Record<string, string> = { create: '+', update: '~', delete: '-', replace: '+-', 'create-replacement': '+-', 'delete-replaced': '-', read: '>', refresh: '↻', import: '=' };

/** `kaas-sim:index:SimNodePool` → `SimNodePool`. */
export function shortType(type: string | undefined): string {
  if (!type) return '';
  return type.slice(type.lastIndexOf(':') + 1);
}

/** HH:MM:SS in local time. */
export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** An applied step, in the past tense: what was done. */
const DONE: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  replace: 'replaced',
  'create-replacement': 'created replacement',
  'delete-replaced': 'deleted replaced',
  read: 'read',
  refresh: 'refreshed',
  import: 'imported',
};

/** The steps of a replace that the replace itself already names (a preview shows only "would replace"). */
const REPLACE_PARTS = new Set(['create-replacement', 'delete-replaced']);

/** What a step found or would do, where it changed nothing: a drift check (operation kind `refresh`) or a preview. */
const DRIFT: Record<string, string> = { update: 'differs', delete: 'gone from the cloud', create: 'appeared in the cloud' };

type StepEvent = OperationEvent & { op?: string; resource?: string; resourceType?: string; diffs?: string[]; preview?: boolean };

function step(symbol: string, verb: string, event: StepEvent): string {
  const type = shortType(event.resourceType);
  const diffs = event.diffs && event.diffs.length ? ` [${event.diffs.join(', ')}]` : '';
  return `${symbol} ${verb.padEnd(7)} ${event.resource ?? ''}${type ? ` (${type})` : ''}${diffs}`;
}

/** Where the events come from: the operation's kind (`preview`, `refresh`, `reconcile`, …). */
export interface EventContext {
  kind?: string | undefined;
}

/** Whether an event belongs to a run that changes nothing: a plan, a drift check, a reconcile's preview. */
function isPreview(event: StepEvent, ctx: EventContext): boolean {
  return event.preview === true || ctx.kind === 'preview' || ctx.kind === 'refresh';
}

/**
 * The text of an event, without the time; undefined for an event not worth a line of its own (a
 * preview's step results, which repeat its "would …" lines). Applied changes read in the past
 * tense (`✓ replaced`); previews as what they would do (`would replace`); a drift check as what
 * it found (`differs: pool-general (properties.desiredSize)`).
 */
export function describeEvent(event: OperationEvent, ctx: EventContext = {}): string | undefined {
  const e = event as StepEvent;
  const op = e.op ?? '';
  const preview = isPreview(e, ctx);
  switch (event.kind) {
    case 'step-started':
      if (!preview) return step(OP_SYMBOL[op] ?? '*', op, e);
      if (op === 'refresh' || op === 'read') return step(OP_SYMBOL[op] ?? '*', op === 'refresh' ? 'read' : op, e);
      if (REPLACE_PARTS.has(op)) return undefined;
      return `would ${op} ${e.resource ?? ''}${shortType(e.resourceType) ? ` (${shortType(e.resourceType)})` : ''}${e.diffs?.length ? ` [${e.diffs.join(', ')}]` : ''}`;
    case 'step-done':
      if (!preview) return step('✓', DONE[op] ?? op, e);
      if (ctx.kind === 'refresh' && DRIFT[op]) return `${DRIFT[op]}: ${e.resource ?? ''}${e.diffs?.length ? ` (${e.diffs.join(', ')})` : ''}`;
      return undefined;
    case 'step-failed':
      return step('✗', op, e) + ' failed';
    case 'diagnostic':
      return `${event.severity === 'error' ? 'error' : 'warning'}: ${event.resource ? `${event.resource}: ` : ''}${event.message ?? ''}`;
    case 'summary':
      if (ctx.kind === 'refresh') return `checked: ${formatDrift(event.changes ?? {})}`;
      return `${preview ? 'preview (nothing applied)' : 'summary'}: ${formatChanges(event.changes ?? {})}`;
    case 'message':
      return event.severity === 'error' || event.severity === 'warning' ? `${event.severity}: ${event.message}` : event.message;
    default:
      return JSON.stringify(event);
  }
}

/** A drift check's counts: `1 differs, 6 same`. */
function formatDrift(changes: Record<string, number>): string {
  const parts = Object.entries(changes)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${n} ${op === 'update' ? 'differ' + (n === 1 ? 's' : '') : op === 'delete' ? 'gone' : op}`);
  return parts.length ? parts.join(', ') : 'nothing to compare';
}

/** `{create: 3, same: 2}` → `3 create, 2 same`; empty → `no changes`. */
export function formatChanges(changes: Record<string, number>): string {
  const parts = Object.entries(changes)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${n} ${op}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

/** One progress line for a stored event, or undefined when it is not worth one (see `describeEvent`). */
export function formatEventLine(stored: StoredEvent, ctx: EventContext = {}): string | undefined {
  const text = describeEvent(stored.event, ctx);
  return text === undefined ? undefined : `[${clock(stored.at)}] ${text}`;
}

/**
 * Whether an event is shown while watching: the engine's full failure text (`detail`) and the
 * stack's generic "update failed" are only in `kaas clusters events`.
 */
export function isLiveEvent(stored: StoredEvent): boolean {
  const e = stored.event;
  if (e.kind === 'message' && e.severity === 'detail') return false;
  // the stack's own "update failed" after the resource's error says nothing new
  return !(e.kind === 'diagnostic' && !e.resource && GENERIC_FAILURE.test((e.message ?? '').trim()));
}

const GENERIC_FAILURE = /^(?:update|preview|refresh|destroy) failed$/i;

/** A status line: `[12:01:05] operation o123 (create): running — step`; `needs_approval` reads as words. */
export function formatStatusLine(op: { id: string; kind: string; status: string; step: string | null }, at = new Date().toISOString()): string {
  return `[${clock(at)}] operation ${op.id} (${op.kind}): ${op.status.replace('_', ' ')}${op.step ? ` — ${op.step}` : ''}`;
}
