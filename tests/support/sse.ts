/** Reads a tRPC SSE subscription over real HTTP (fetch), event by event, for stream tests. */

export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

export interface SseReader {
  status: number;
  /** The first response body when it is not an event stream (an error answered as JSON). */
  body: string | undefined;
  /** The next event that is not a ping or `connected`; throws when the stream ends first. */
  next(): Promise<SseEvent>;
  close(): void;
}

/** Opens `GET <base>/trpc/<path>?input=…` as an event stream. */
export async function openSse(base: string, path: string, input: unknown, headers: Record<string, string> = {}): Promise<SseReader> {
  const controller = new AbortController();
  const res = await fetch(`${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const body = await res.text();
    return { status: res.status, body, next: () => Promise.reject(new Error(`not a stream: ${res.status} ${body}`)), close: () => controller.abort() };
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const queue: SseEvent[] = [];
  return {
    status: res.status,
    body: undefined,
    async next() {
      for (;;) {
        const ready = queue.shift();
        if (ready) return ready;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const ev: SseEvent = { event: 'message', id: undefined, data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('data: ')) ev.data += line.slice(6);
          }
          if (block.trim() === '' || ev.event === 'ping' || ev.event === 'connected') continue;
          queue.push(ev);
        }
        if (queue.length) continue;
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += value;
      }
    },
    close: () => controller.abort(),
  };
}
