/** `kaas clusters events NAME [--operation ID] [--follow]`: an operation's event log. */
import type { Operation } from '../../api-types.ts';
import type { StoredEvent } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { watchOperation, type WatchHandlers } from '../../watch.ts';

export interface EventLog {
  operation: Operation;
  events: StoredEvent[];
  interrupted: boolean;
}

/**
 * Without `follow`: every event stored so far. With `follow`: also each new one as it comes,
 * through `onEvent`, until the operation ends or the signal aborts.
 */
export async function clusterEvents(api: Api, opts: { team?: string | undefined; name: string; operationId?: string | undefined; follow?: boolean }, handlers: Partial<WatchHandlers> = {}): Promise<EventLog> {
  const events: StoredEvent[] = [];
  const { operation, interrupted } = await watchOperation(api, { team: opts.team, name: opts.name, operationId: opts.operationId }, {
    ...handlers,
    follow: opts.follow ?? false,
    onEvent: (event, operation) => {
      events.push(event);
      handlers.onEvent?.(event, operation);
    },
  });
  return { operation, events, interrupted };
}
