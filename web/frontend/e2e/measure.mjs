// Measures the workbench's goals (issue 19): page load under 1 s, an edit in the convolution explorer answered in
// under 100 ms at the course's sizes, the dashboard redrawn at least twice a second while a run trains. Usage:
// node e2e/measure.mjs BASE_URL OUT_DIR   (web/measure.sh starts the server and adds the training-cost measurement)
// Writes OUT_DIR/measure.json. Headless Debian Chromium through playwright-core, as the end-to-end test.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';

const [base, out = 'measure-out'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const m = {};
const median = a => { const s = a.slice().sort((x, y) => x - y); return s[s.length >> 1]; };
const slider = (id, v) => page.locator('#' + id).evaluate((e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }, v);

// 1. Page load: a fresh navigation (the server sends no-store: nothing cached) until the page shows its first result.
await page.goto('about:blank');
const ready = { conv: '#out-table', net: '#summary-table', train: '#loss-chart .u-over', exp: '#exp-list table' };
for (const [hash, sel] of Object.entries(ready)) {
  const times = [];
  for (let k = 0; k < (hash === 'conv' ? 7 : 3); k++) {
    await page.goto('about:blank');
    const t0 = Date.now();
    await page.goto(`${base}?m=${k}#${hash}`, { waitUntil: 'load' });
    await page.waitForSelector(sel);
    times.push(Date.now() - t0);
  }
  m[`page_ready_ms_${hash}`] = times;
  m[`page_ready_ms_${hash}_median`] = median(times);
}

// 2. Explorer edits at the course's size (8×8 input, 3×3 kernel): request sent to the page redrawn, as the page
// measures it (its 40 ms typing debounce comes before and is reported apart), forward and gradient mode.
await page.goto(base + '#conv');
await page.waitForSelector('#out-table');
const rows = n => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i * 7 + j * 3) % 10).join(' ')).join('; ');
await page.fill('#conv-kernel-text', '1 0 -1; 2 0 -2; 1 0 -1');
await page.fill('#conv-input-text', rows(8));
await page.waitForFunction(() => document.getElementById('out-title').textContent.includes('6×6'));
for (const mode of ['forward', 'conv']) {
  if (mode !== 'forward') { await page.selectOption('#conv-mode', mode); await page.waitForSelector('#dk-table'); }
  const lat = [], wall = [];
  for (let k = 0; k < 20; k++) {
    const before = Number(await page.locator('#page').getAttribute('data-updates'));
    const t = Date.now();
    await slider('padding', (k % 3) + (mode === 'forward' ? 0 : 0));
    await page.waitForFunction(b => Number(document.getElementById('page').dataset.updates) > b, before);
    wall.push(Date.now() - t);
    lat.push(Number(await page.locator('#page').getAttribute('data-last-ms')));
  }
  m[`edit_ms_${mode}`] = lat;
  m[`edit_ms_${mode}_median`] = median(lat);
  m[`edit_wall_ms_${mode}_median_with_debounce_and_polling`] = median(wall);
}

// 3. Dashboard: redraws per second while the course CNN trains 3 epochs on the embedded sample.
await page.goto(base + '#train');
await page.waitForSelector('#loss-chart .u-over');
await page.fill('#model', 'course-cnn');
await page.fill('#epochs', '3');
await page.click('#start');
await page.waitForFunction(() => Number(document.getElementById('page').dataset.steps) > 5, null, { timeout: 60000 });
const r1 = Number(await page.locator('#page').getAttribute('data-redraws')), t1 = Date.now();
await page.waitForFunction(() => document.getElementById('run-status')?.textContent === 'done', null, { timeout: 180000 });
m.dashboard_redraws_per_s = Number(((Number(await page.locator('#page').getAttribute('data-redraws')) - r1) / ((Date.now() - t1) / 1000)).toFixed(2));
await browser.close();
writeFileSync(`${out}/measure.json`, JSON.stringify(m, null, 2));
console.log(JSON.stringify(m));
