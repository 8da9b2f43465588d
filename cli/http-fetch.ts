/**
 * The `fetch` the API client gives tRPC's `httpLink`: one request over node:http(s), answering
 * with what httpLink reads (`ok`, `status`, `headers.get`, `json()`, `text()`). Node's global
 * fetch loads undici on first use, about 100 ms of every CLI call's start; node:http is in the
 * Node binary's snapshot. Errors keep node's `code` (ECONNREFUSED, ENOTFOUND, …), which
 * cli/errors.ts turns into the unreachable-API error.
 */
import http from 'node:http';
import https from 'node:https';

/** The part of a fetch Response that tRPC's httpLink uses. */
export interface MinimalResponse {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

interface MinimalInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | null;
  signal?: AbortSignal | null;
}

/** `fetch(url, init)` over node:http(s); one connection per request (nothing keeps the CLI alive). */
export function httpFetch(input: string | URL, init: MinimalInit = {}): Promise<MinimalResponse> {
  const url = new URL(String(input));
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent: false, ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          statusText: res.statusMessage ?? '',
          headers: { get: (name) => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v; } },
          text: async () => body,
          json: async () => JSON.parse(body) as unknown,
        });
      });
    });
    req.once('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}
