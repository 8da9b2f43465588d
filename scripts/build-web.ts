/**
 * Builds the web console: one esbuild bundle of web/src/main.tsx (React 19) into
 * `dist/web/assets/main-<hash>.js` and `main-<hash>.css`, plus `dist/web/index.html` that loads
 * them with external `<script>`/`<link>` tags only (the console's CSP forbids inline scripts and
 * styles). `dist/web/meta.json` is esbuild's metafile (sizes for the bench). Files are written to
 * a private directory and swapped in, so a running platform never serves half a build.
 * `node scripts/build-web.ts`; scripts/prepare.sh runs it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** The built console's files, relative to dist/web. */
export interface WebBuild {
  dir: string;
  script: string;
  stylesheet: string;
}

/** The index.html that loads `script` and `stylesheet`; no inline code, so CSP `script-src 'self'` holds. */
export function indexHtml(script: string, stylesheet: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kaas console</title>
<link rel="stylesheet" href="/${stylesheet}">
<script type="module" src="/${script}"></script>
</head>
<body>
<div id="root"></div>
</body>
</html>
`;
}

/** Builds dist/web under `root`. */
export async function buildWeb(root: string): Promise<WebBuild> {
  const dist = path.join(root, 'dist');
  const out = path.join(dist, 'web');
  const tmp = path.join(dist, `.web-build-${process.pid}-${Date.now()}`);
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [path.join(root, 'web', 'src', 'main.tsx')],
      outdir: path.join(tmp, 'assets'),
      entryNames: '[name]-[hash]',
      assetNames: '[name]-[hash]',
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: ['chrome120', 'firefox120', 'safari17'],
      jsx: 'automatic',
      minify: true,
      sourcemap: 'linked',
      legalComments: 'none',
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'warning',
    });
    const outputs = Object.keys(result.metafile.outputs).map((f) => path.relative(tmp, path.join(root, f)).split(path.sep).join('/'));
    const script = outputs.find((f) => f.endsWith('.js'));
    const stylesheet = outputs.find((f) => f.endsWith('.css'));
    if (!script || !stylesheet) throw new Error(`build-web: esbuild wrote no ${script ? 'stylesheet' : 'script'} (outputs: ${outputs.join(', ')})`);
    fs.writeFileSync(path.join(tmp, 'index.html'), indexHtml(script, stylesheet));
    fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(result.metafile));
    const old = `${out}.old-${process.pid}`;
    if (fs.existsSync(out)) fs.renameSync(out, old);
    fs.renameSync(tmp, out);
    fs.rmSync(old, { recursive: true, force: true });
    return { dir: out, script, stylesheet };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const built = await buildWeb(root);
  process.stderr.write(`build-web: wrote ${path.join(built.dir, 'index.html')} (${built.script}, ${built.stylesheet})\n`);
}
