/**
 * The EventSource that tRPC's `httpSubscriptionLink` needs, over node:http(s): Node has no
 * global EventSource (it is behind --experimental-eventsource), and a browser's cannot send an
 * `Authorization` header, which the CLI authenticates with. Parsing follows
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation.
 * Unlike a browser's, it never reconnects: any failure closes it, and `--wait` falls back to polling.
 */
import http from 'node:http';
import https from 'node:https';

/** A received event, as listeners get it. */
export interface SseMessage {
  type: string;
  data: string;
  lastEventId: string;
}

type Listener = (event: SseMessage) => void;

/** A minimal EventSource: `headers` are sent with the request (`init` is the constructor's second argument). */
export class NodeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readonly url: string;
  readonly withCredentials = false;
  readyState = 0;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #request: http.ClientRequest;

  constructor(url: string | URL, init: { headers?: Record<string, string> } = {}) {
    this.url = String(url);
    const target = new URL(this.url);
    const request = target.protocol === 'https:' ? https.request : http.request;
    this.#request = request(target, { method: 'GET', agent: false, headers: { accept: 'text/event-stream', 'cache-control': 'no-store', ...init.headers } }, (res) => {
      if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.resume();
        return this.#fail({ type: 'error', data: `HTTP ${res.statusCode}`, lastEventId: '' });
      }
      this.readyState = this.OPEN;
      this.#emit({ type: 'open', data: '', lastEventId: '' });
      res.setEncoding('utf8');
      let buffer = '';
      let type = '';
      let data: string[] = [];
      let lastEventId = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.search(/\r\n|\n|\r/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
          if (line === '') {
            if (data.length) this.#emit({ type: type || 'message', data: data.join('\n'), lastEventId });
            type = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') type = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id' && !value.includes('\0')) lastEventId = value;
        }
      });
      res.once('end', () => this.#fail({ type: 'error', data: 'stream ended', lastEventId }));
      res.once('error', () => this.#fail({ type: 'error', data: 'stream failed', lastEventId }));
    });
    this.#request.once('error', (err) => this.#fail({ type: 'error', data: err.message, lastEventId: '' }));
    this.#request.end();
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  close(): void {
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CLOSED;
    this.#request.destroy();
  }

  #emit(event: SseMessage): void {
    if (this.readyState === this.CLOSED) return;
    for (const listener of this.#listeners.get(event.type) ?? []) listener(event);
  }

  #fail(event: SseMessage): void {
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CLOSED; // closed before listeners hear it: tRPC ends the stream instead of waiting for a reconnect
    this.#request.destroy();
    for (const listener of this.#listeners.get('error') ?? []) listener(event);
  }
}
