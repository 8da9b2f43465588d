/**
 * One operation's event log. A finished operation's events are read once (`clusters.events`); a
 * running one streams over SSE (`operations.events` from the last seq seen) until it ends.
 * Event lines are the CLI's own wording (cli/render/progress.ts `describeEvent`), one rule for both.
 * If the stream cannot be opened (not signed out, just unavailable) it falls back to reading
 * `clusters.events` every two seconds, and says so (`data-live`).
 */
import { useEffect, useRef, useState } from 'react';
import { clock, describeEvent } from '../../../cli/render/progress.ts';
import type { OperationEvent } from '../../../cli/api-types.ts';
import { subscribe, trpc, type Operation } from '../api.ts';
import { Status } from './ui.tsx';

interface Line {
  seq: number;
  at: string;
  text: string;
}

const ENDED = new Set(['succeeded', 'failed', 'cancelled', 'needs_approval']);

/** Whether an operation status is final. */
export function operationEnded(status: string): boolean {
  return ENDED.has(status);
}

export function OperationLog({ team, cluster, operation, onEnd }: { team: string; cluster: string; operation: Operation; onEnd?: (status: string) => void }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState(operation.status);
  const [step, setStep] = useState(operation.step);
  const [live, setLive] = useState<'sse' | 'polling' | 'done'>(operationEnded(operation.status) ? 'done' : 'sse');
  const last = useRef(0);
  const endRef = useRef(onEnd);
  endRef.current = onEnd;

  useEffect(() => {
    let stopped = false;
    let stop: () => void = () => {};
    const add = (items: { seq: number; at: string; event: unknown }[]) => {
      const fresh = items.filter((i) => i.seq > last.current);
      if (!fresh.length) return;
      last.current = fresh[fresh.length - 1]!.seq;
      const more = fresh.flatMap((i) => {
        const text = describeEvent(i.event as OperationEvent, { kind: operation.kind });
        return text === undefined ? [] : [{ seq: i.seq, at: i.at, text }];
      });
      setLines((old) => [...old, ...more]);
    };
    const ended = (s: string) => {
      setStatus(s);
      setLive('done');
      endRef.current?.(s);
    };
    const poll = async () => {
      while (!stopped) {
        const page = await trpc.clusters.events.query({ team, name: cluster, operationId: operation.id, after: last.current, limit: 1000 }).catch(() => null);
        if (stopped) return;
        if (page) {
          add(page.events);
          setStep(page.operation.step);
          if (operationEnded(page.operation.status) && page.events.length < 1000) return ended(page.operation.status);
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
    };
    if (operationEnded(operation.status)) {
      void poll();
    } else {
      stop = subscribe('operations.events', { operationId: operation.id, after: last.current }, {
        onData: (item) => {
          add([item]);
          setStatus(item.operation.status);
          setStep(item.operation.step);
        },
        onComplete: () => {
          // the stream ends once the operation has; its final status is read once
          void trpc.clusters.events.query({ team, name: cluster, operationId: operation.id, after: last.current, limit: 1000 }).then((p) => { add(p.events); ended(p.operation.status); }, () => ended(status));
        },
        onError: () => {
          if (stopped) return;
          stop();
          setLive('polling');
          void poll();
        },
      });
    }
    return () => {
      stopped = true;
      stop();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [operation.id]);

  return (
    <section className="op-log" aria-label={`operation ${operation.id} events`} data-operation={operation.id} data-live={live} data-status={status}>
      <p>
        <code>{operation.id}</code> {operation.kind} <Status value={status} />
        {step && <span className="muted"> — {step}</span>}
        {live === 'sse' && <span className="badge live">live</span>}
        {live === 'polling' && <span className="badge warn">live stream unavailable: refreshing every 2 s</span>}
      </p>
      {operation.error && <p className="error">{operation.error}</p>}
      <ol className="events" aria-live={live === 'done' ? 'off' : 'polite'}>
        {lines.map((l) => <li key={l.seq}><time dateTime={l.at}>{clock(l.at)}</time> {l.text}</li>)}
      </ol>
    </section>
  );
}
