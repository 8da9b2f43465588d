/**
 * Database change notifications for live streams. The `kaas_notify_*` triggers
 * (migration 20261202T0450) send a JSON payload on channel `kaas_changes` when operation events
 * are appended, an operation, cluster or campaign changes, or a token or session ends. Each API
 * process holds one LISTEN connection and hands each change to the streams (inboxes) that want
 * it, so a change committed by any process reaches the streams of every replica. A lost
 * connection is re-opened with backoff; every inbox is then told to resync (re-read its state),
 * since changes may have been missed meanwhile.
 */
import pg from 'pg';
import type { Logger } from '../logger.ts';

export const CHANGES_CHANNEL = 'kaas_changes';

/** One change, as the triggers describe it. */
export type Change =
  | { t: 'op'; id: string; cluster?: string; team?: string | null }
  | { t: 'cluster'; id: string; team: string }
  | { t: 'campaign'; id: string }
  | { t: 'token'; id: string }
  | { t: 'session'; id: string };

/** What an inbox's wait returns: the changes since the last wait, and whether to resync. */
export interface Wake {
  changes: Change[];
  /** The feed reconnected: changes may have been missed. */
  resync: boolean;
  /** The wait ran out with nothing new. */
  idle: boolean;
}

/** The changes one stream wants, queued until it reads them. */
export class Inbox {
  #changes: Change[] = [];
  #resync = false;
  #wake: (() => void) | undefined;
  readonly wants: (change: Change) => boolean;
  readonly #onClose: () => void;

  constructor(wants: (change: Change) => boolean, onClose: () => void) {
    this.wants = wants;
    this.#onClose = onClose;
  }

  push(change: Change): void {
    this.#changes.push(change);
    this.#wake?.();
  }

  resync(): void {
    this.#resync = true;
    this.#wake?.();
  }

  /** Waits for changes (or a resync), at most `timeoutMs`, or until `signal` aborts. */
  async next(signal: AbortSignal | undefined, timeoutMs: number): Promise<Wake> {
    if (this.#changes.length === 0 && !this.#resync && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
        this.#wake = done;
      });
      this.#wake = undefined;
    }
    const wake = { changes: this.#changes.splice(0), resync: this.#resync, idle: false };
    wake.idle = wake.changes.length === 0 && !wake.resync;
    this.#resync = false;
    return wake;
  }

  close(): void {
    this.#onClose();
  }
}

function parseChange(payload: string | undefined): Change | undefined {
  try {
    const value = JSON.parse(payload ?? '') as Change;
    return typeof value?.t === 'string' && typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** One LISTEN connection per process, fanning `kaas_changes` out to inboxes. */
export class ChangeFeed {
  readonly #url: string;
  readonly #logger: Logger;
  readonly #inboxes = new Set<Inbox>();
  #client: pg.Client | undefined;
  #stopped = false;
  #retryMs = 250;
  #timer: NodeJS.Timeout | undefined;

  private constructor(url: string, logger: Logger) {
    this.#url = url;
    this.#logger = logger;
  }

  /** Connects and listens; rejects when the first connection fails. */
  static async start(url: string, logger: Logger): Promise<ChangeFeed> {
    const feed = new ChangeFeed(url, logger);
    await feed.#connect();
    return feed;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url, application_name: 'kaas-change-feed' });
    client.on('notification', (msg) => {
      const change = msg.channel === CHANGES_CHANNEL ? parseChange(msg.payload) : undefined;
      if (!change) return;
      for (const inbox of this.#inboxes) if (inbox.wants(change)) inbox.push(change);
    });
    const lost = (err?: unknown) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      client.end().catch(() => undefined);
      if (this.#stopped) return;
      this.#logger.warn({ err }, 'change feed connection lost; reconnecting (live streams resync)');
      this.#schedule();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`listen ${CHANGES_CHANNEL}`);
    this.#client = client;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#connect().then(
        () => {
          this.#retryMs = 250;
          for (const inbox of this.#inboxes) inbox.resync();
        },
        () => {
          this.#retryMs = Math.min(this.#retryMs * 2, 10_000);
          if (!this.#stopped) this.#schedule();
        },
      );
    }, this.#retryMs);
  }

  /** True once `stop` was called: streams end so clients reconnect to another replica. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** An inbox for the changes `wants` selects; close it when the stream ends. */
  subscribe(wants: (change: Change) => boolean): Inbox {
    const inbox: Inbox = new Inbox(wants, () => this.#inboxes.delete(inbox));
    this.#inboxes.add(inbox);
    return inbox;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const inbox of this.#inboxes) inbox.resync(); // wakes the streams: they end as the server closes
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}
