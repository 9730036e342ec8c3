// Bundles the workbench's front end (src/) with uPlot into one script and one style sheet, written where the
// web module's jar picks them up (target/frontend/convlab/web/static, a Maven resource folder). No CDN: the
// page loads only what the server serves.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const out = process.argv[2] ?? '../target/frontend/convlab/web/static';
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: ['src/main.js'], bundle: true, minify: true, format: 'iife', target: 'es2020',
  outfile: `${out}/app.js`, legalComments: 'eof', logLevel: 'warning',
});
await esbuild.build({
  entryPoints: ['src/style.css'], bundle: true, minify: true, outfile: `${out}/app.css`, logLevel: 'warning',
});
copyFileSync('src/index.html', `${out}/index.html`);
