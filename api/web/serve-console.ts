/**
 * Serves the built console (`dist/web/`, made by `node scripts/build-web.ts`) at `/`: files as
 * they are, content-hashed `/assets/*` with a long immutable cache, and index.html (no-store)
 * for every other path so the console's client-side routes load. Every answer carries the
 * console's security headers. A path that leaves the directory is refused.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { setSecurityHeaders } from './security-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The file under `root` a URL path names, or undefined when it is not a plain path inside it. */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file.startsWith(root + path.sep) ? file : undefined;
}

function send(res: ServerResponse, status: number, type: string, cache: string, body: Buffer | string, head: boolean): void {
  setSecurityHeaders(res);
  res.writeHead(status, { 'content-type': type, 'cache-control': cache, 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

/** A request handler for the console built into `dir`. */
export function consoleHandler(dir: string): (req: IncomingMessage, res: ServerResponse) => void {
  const root = path.resolve(dir);
  return (req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, TYPES['.txt']!, 'no-store', `method ${req.method} not allowed: the console is static files (the API is under /trpc)\n`, false);
    }
    const urlPath = (req.url ?? '/').split('?')[0]!;
    const file = urlPath === '/' ? undefined : fileFor(root, urlPath);
    const stat = file ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
    if (file && stat?.isFile()) {
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const hashed = file.startsWith(path.join(root, 'assets') + path.sep);
      return send(res, 200, type, hashed ? IMMUTABLE : path.basename(file) === 'index.html' ? 'no-store' : 'no-cache', fs.readFileSync(file), head);
    }
    // a missing script or stylesheet is an error, not the page (that would hide a broken build)
    if (urlPath.startsWith('/assets/') || path.posix.extname(urlPath) !== '') return send(res, 404, TYPES['.txt']!, 'no-store', `not found: ${urlPath.slice(0, 200)}\n`, head);
    const index = path.join(root, 'index.html');
    if (!fs.existsSync(index)) {
      return send(res, 503, TYPES['.txt']!, 'no-store', `the web console is not built (no ${index}): run \`node scripts/build-web.ts\` (the prepare step does it); the API is under /trpc\n`, head);
    }
    return send(res, 200, TYPES['.html']!, 'no-store', fs.readFileSync(index), head);
  };
}
