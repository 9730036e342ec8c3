// End-to-end test of the workbench in a real browser: Debian's Chromium driven by playwright-core (which never
// downloads a browser here). Usage: node e2e/run.mjs BASE_URL OUT_DIR [--shots]
// Opens each page, types matrices, moves sliders, checks the numbers shown, starts a short training on the
// embedded sample and watches its curve move, hovers a chart point, runs a quick experiment. Writes
// OUT_DIR/timings.json (page load, edit latency, dashboard update rate); a screenshot OUT_DIR/failure-*.png on
// failure; with --shots a screenshot of every page (the README's).
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const [base, out = 'e2e-out'] = process.argv.slice(2);
const shots = process.argv.includes('--shots');
// --sheets-only: the Sheets page alone (the CLI module's test, whose server has convlab sheet's renderer)
const sheetsOnly = process.argv.includes('--sheets-only');
mkdirSync(out, { recursive: true });
const exe = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath: exe, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: shots ? 0.75 : 1 });   // README shots: smaller files
const timings = {};
// The time limits of the issue (page ready < 1 s, an explorer edit answered < 100 ms) times a slack factor: 1 for a
// measurement on a quiet machine (E2E_SLACK=1), 4 by default so a loaded shared machine does not fail the build.
const slack = Number(process.env.E2E_SLACK || 4);
let step = 'start';
const consoleErrors = [];
page.on('pageerror', e => consoleErrors.push(String(e)));
page.on('console', m => { if (m.type() === 'error' && !/status of (400|501)/.test(m.text())) consoleErrors.push(m.text()); });   // 400s: the bad inputs typed on purpose

async function sheets() {
  step = 'sheets: type a block and see its result';
  const t0 = Date.now();
  await page.goto(base + '#net');
  await page.evaluate(() => localStorage.removeItem('convlab-sheet'));
  await page.goto(base + '#sheet');
  await page.waitForFunction(() => Number(document.getElementById('page').dataset.renders) >= 1, null, { timeout: 60000 });
  timings.sheet_first_render_ms = Date.now() - t0;
  await page.fill('#sheet-text', '# Test sheet\n\nThe size is $\\frac{n - k}{s} + 1$.\n\n```convlab\nconv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 -1" --check "-4 -4; -4 -5"\n```\n\n'
    + '```convlab\nconv --input "1 2" --kernel "1 2 3"\n```\n\n```convlab\ntrain --epochs 1\n```\n');
  const t1 = Date.now();
  await waitText('#sheet-status', '3 blocks, 2 failed, 1 not correct', 30000);
  timings.sheet_edit_render_ms = Date.now() - t1;
  await waitText('#sheet-blocks', 'line 5: ✗ not correct');
  await waitText('#sheet-blocks', 'line 9: error');
  await waitText('#sheet-blocks', "'train' runs with convlab sheet in a terminal");
  const body = page.frameLocator('#sheet-preview').locator('body');
  const preview = await body.textContent();
  check(preview.includes('y[1,1]: given -5, correct -4'), 'the preview shows the wrong entry of the checked block: ' + preview.slice(0, 400));
  check(/Error:.*kernel/.test(preview), 'the failing block shows its error in place');
  check((await body.locator('math').count()) > 0, 'the preview typesets math as MathML');
  check((await body.locator('.block.failed').count()) === 2, 'two failed blocks marked in the preview');
  await shot('sheet');
  step = 'sheets: download the PDF';
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('#sheet-pdf')]);
  const pdf = readFileSync(await dl.path());
  check(pdf.subarray(0, 5).toString() === '%PDF-', 'the download is a PDF');
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#sheet-md')]);
  check(readFileSync(await md.path(), 'utf8').includes('> **Error:**'), 'the Markdown download holds the block errors');
}

function check(cond, what) { if (!cond) throw new Error(`${step}: ${what}`); }
async function text(sel) { return (await page.locator(sel).first().textContent()).trim(); }
async function waitText(sel, want, timeout = 10000) {
  await page.waitForFunction(([s, w]) => { const e = document.querySelector(s); return e && e.textContent.includes(w); }, [sel, want], { timeout })
    .catch(async () => { throw new Error(`${step}: ${sel} should contain ${JSON.stringify(want)}, has ${JSON.stringify(await text(sel).catch(() => null))}`); });
}
async function shot(name) { if (shots) await page.screenshot({ path: `${out}/${name}.png`, fullPage: false }); }
async function slider(id, value) {
  await page.locator('#' + id).evaluate((e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }, value);
}

try {
  if (sheetsOnly) {
    await sheets();
    check(consoleErrors.length === 0, 'the pages logged errors: ' + consoleErrors.join(' | '));
    writeFileSync(`${out}/timings.json`, JSON.stringify(timings, null, 2));
    console.log('e2e (sheets) passed ' + JSON.stringify(timings));
    await browser.close();
    process.exit(0);
  }
  // 1. Convolution explorer.
  step = 'page load';
  await page.goto('about:blank');   // the browser's own start-up is not the page's load time
  const loads = [];
  for (let k = 0; k < 3; k++) {   // a fresh navigation each time (nothing is cached: the server says no-store)
    const t0 = Date.now();
    await page.goto(base + '?load=' + k + '#conv', { waitUntil: 'load' });
    await page.waitForSelector('#out-table');
    loads.push(Date.now() - t0);
  }
  timings.conv_page_ready_ms_each = loads.slice();
  timings.conv_page_ready_ms = loads.sort((a, b) => a - b)[1];
  timings.conv_page_load_event_ms = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0]; return Math.round(n.loadEventEnd - n.startTime); });
  check(timings.conv_page_ready_ms < 1000 * slack, `the convolution page took ${timings.conv_page_ready_ms} ms to show its first result (limit ${1000 * slack})`);

  step = 'convolution: type a matrix';
  await page.fill('#conv-input-text', '1 2 3; 4 5 6; 7 8 9');
  await page.fill('#conv-kernel-text', '1 0; 0 -1');
  await waitText('#out-title', 'Output 2×2');
  await waitText('#cur-sum', 'y[0,0] = 1·1 + 2·0 + 4·0 + 5·(-1) = -4');
  await page.check('#flip');
  await waitText('#cur-sum', 'y[0,0] = 1·(-1) + 2·0 + 4·0 + 5·1 = 4');
  const cells = await page.locator('#out-table td').allTextContents();
  check(cells.join(' ') === '4 4 4 4', `flipped output should be 4 4; 4 4, got ${cells.join(' ')}`);

  step = 'convolution: answer box gives the --check verdict';
  await page.fill('#answer', '4 4; 4 5');
  await page.click('#check');
  await waitText('#verdict', 'Check: not correct');
  await waitText('#verdict', 'y[1,1]: given 5, correct 4 (difference 1)');
  await page.fill('#answer', '-4 -4; -4 -4');
  await page.click('#check');
  await waitText('#verdict', 'kernel not flipped');
  await page.fill('#answer', '');

  step = 'convolution: sliders';
  await slider('padding', 1);
  await waitText('#out-title', 'Output 4×4');
  await waitText('#formulas', 'height: ⌊(3 + 2·1 − 1·(2−1) − 1)/1⌋ + 1 = 4');
  check((await page.locator('#pad-grid td.pad').count()) === 16, 'the padded 5×5 grid should have 16 padding cells');
  await slider('stride', 2);
  await waitText('#out-title', 'Output 2×2');
  await page.selectOption('#mode', 'reflect');
  await waitText('#pad-title', 'reflect');
  await page.click('#next');
  await waitText('#cur-sum', 'y[0,1] =');
  await slider('stride', 1); await slider('padding', 0); await page.selectOption('#mode', 'zeros'); await page.uncheck('#flip');

  step = 'convolution: grid cell edit';
  await page.waitForSelector('#in-grid input');
  await page.locator('#in-grid input').first().fill('10');
  await page.locator('#out-table td').first().click();
  await waitText('#cur-sum', 'y[0,0] = 10·1 + 2·0 + 4·0 + 5·(-1) = 5');

  step = 'convolution: 1-D';
  await page.fill('#conv-input-text', '1 2 3 4 5');
  await page.fill('#conv-kernel-text', '1 -1');
  await waitText('#out-title', 'Output 4');
  await waitText('#formulas', 'length:');
  await page.check('#transpose');
  await waitText('#out-title', 'Output 6');
  await waitText('#cur-sum', 'x[0] = 1 adds 1·kernel to the output at position 0');
  await waitText('#formulas', 'length: (5−1)·1 − 2·0 + 1·(2−1) + 0 + 1 = 6');
  await page.uncheck('#transpose');

  step = 'convolution: edit latency at course size';
  await page.fill('#conv-kernel-text', '1 0 -1; 2 0 -2; 1 0 -1');
  const rows = n => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i * 7 + j * 3) % 10).join(' ')).join('; ');
  await page.fill('#conv-input-text', rows(8));
  await waitText('#out-title', 'Output 6×6');
  const lat = [];
  for (let k = 0; k < 12; k++) {
    const before = Number(await page.locator('#page').getAttribute('data-updates'));
    const t = Date.now();
    await slider('padding', k % 3);
    await page.waitForFunction(b => Number(document.getElementById('page').dataset.updates) > b, before);
    timings.conv_edit_wall_ms = (timings.conv_edit_wall_ms || []).concat(Date.now() - t);   // with the debounce and the test's own polling
    lat.push(Number(await page.locator('#page').getAttribute('data-last-ms')));   // measured in the page: request to redrawn
  }
  lat.sort((a, b) => a - b);
  timings.conv_edit_ms_median = lat[lat.length >> 1];
  timings.conv_edit_ms_max = lat[lat.length - 1];
  check(timings.conv_edit_ms_median < 100 * slack, `an edit took ${timings.conv_edit_ms_median} ms (median) to answer (limit ${100 * slack})`);
  await page.fill('#conv-input-text', '1 2 3 0 1; 0 1 2 3 1; 1 0 1 2 0; 2 1 0 1 3; 0 2 1 1 0');
  await page.fill('#conv-kernel-text', '1 0 -1; 1 0 -1; 1 0 -1');
  await slider('padding', 1);
  await waitText('#out-title', 'Output 5×5');
  await page.click('#next'); await page.click('#next'); await page.click('#next'); await page.click('#next'); await page.click('#next'); await page.click('#next');
  await page.fill('#answer', '3 4 0 -3 -3; 3 4 2 -4 -5; 2 0 4 1 -6; 3 -1 1 1 -4; 3 -1 -1 2 -2');   // the flipped kernel's result
  await page.click('#check');
  await waitText('#verdict', 'diagnosis: kernel flipped (computed true convolution, but this is cross-correlation)');
  await page.evaluate(() => document.getElementById('formulas').scrollIntoView());
  await shot('conv');

  step = 'convolution: gradient mode (grad conv)';
  await page.fill('#answer', '');
  await slider('padding', 0);
  await page.fill('#conv-input-text', '1 2 3; 4 5 6; 7 8 9');
  await page.fill('#conv-kernel-text', '1 0; 0 -1');
  await waitText('#out-title', 'Output 2×2');
  await page.selectOption('#conv-mode', 'conv');
  await page.waitForSelector('#dk-table');
  await waitText('#db', 'db = Σ dY = 4');
  await page.locator('#dk-table td').first().click();
  await waitText('#cur-sum', 'dK[0,0] = x[0,0]·dY[0,0] + x[0,1]·dY[0,1] + x[1,0]·dY[1,0] + x[1,1]·dY[1,1] = 1·1 + 2·1 + 4·1 + 5·1 = 12');
  await page.locator('#dy-table input').first().fill('2');
  await waitText('#cur-sum', '= 1·2 + 2·1 + 4·1 + 5·1 = 13');
  await waitText('#db', 'db = Σ dY = 5');
  const dx = await page.locator('#dx-table td').allTextContents();
  check(dx.join(' ') === '2 1 0 1 -1 -1 0 -1 -1', `dX for dY = 2 1; 1 1 should be 2 1 0; 1 -1 -1; 0 -1 -1, got ${dx.join(' ')}`);
  await page.locator('#dx-table td[data-r="1"][data-c="1"]').click();
  await waitText('#cur-sum', 'dX[1,1] = dY[0,0]·w[1,1] + dY[0,1]·w[1,0] + dY[1,0]·w[0,1] + dY[1,1]·w[0,0] = 2·(-1) + 1·0 + 1·0 + 1·1 = -1');
  await page.fill('#answer', '-2 -1 0; -1 1 1; 0 1 1');
  await page.click('#check');
  await waitText('#verdict', 'sign error');
  await page.fill('#answer', '2 1 0; 1 -1 -1; 0 -1 -1');
  await page.click('#check');
  await waitText('#verdict', 'Check of dX: correct');
  await page.selectOption('#check-which', 'dK');
  await page.fill('#answer', '13 18; 28 33');
  await page.click('#check');
  await waitText('#verdict', 'Check of dK: correct');
  await page.fill('#answer', '');
  await page.evaluate(() => document.getElementById('conv-mode').scrollIntoView());
  await shot('grad');

  step = 'convolution: gradient mode (grad maxpool)';
  await page.selectOption('#conv-mode', 'maxpool');
  await page.fill('#conv-input-text', '1 2 3 4; 5 6 7 8; 9 1 2 3; 4 5 6 7');
  await waitText('#pool-out-title', 'Pooled output 2×2');
  await page.fill('#grad-dy-text', '1 2; 3 4');
  await waitText('#dx-table', '3');
  await page.locator('#dx-table td[data-r="1"][data-c="3"]').click();
  await waitText('#cur-sum', 'dX[1,3] = dY[0,1] = 2');
  const pooled = await page.locator('#pool-out-grid td').allTextContents();
  check(pooled.join(' ') === '6 8 9 7', `max pooling 2×2 should give 6 8; 9 7, got ${pooled.join(' ')}`);
  await page.selectOption('#conv-mode', 'avgpool');
  await page.locator('#dx-table td[data-r="0"][data-c="0"]').click();
  await waitText('#cur-sum', 'dX[0,0] = dY[0,0]/4 = 1/4');
  await page.selectOption('#conv-mode', 'forward');
  await page.waitForSelector('#out-table');

  // 2. Network explorer.
  step = 'network explorer';
  const t1 = Date.now();
  await page.goto(base + '#net');
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#summary-table');
  timings.net_page_ready_ms = Date.now() - t1;
  check(timings.net_page_ready_ms < 1000 * slack, `the network page took ${timings.net_page_ready_ms} ms (limit ${1000 * slack})`);
  await page.fill('#spec', 'CONV3-10 POOL2 FLATTEN FC-10');
  await waitText('#total-params', '19,710');
  await waitText('#summary-table', '= 3×3×1×10 + 10');
  await page.fill('#spec', 'CONV3-10 POOLX FC-10');
  await waitText('#spec-err', "unknown layer 'POOLX'");
  check((await text('#spec-underline mark')) === 'POOLX', 'the offending token should be underlined');
  await page.fill('#spec', 'course-cnn');
  await waitText('#total-params', '5,920');
  await page.hover('#summary-table tr[data-index="4"]');
  await waitText('#rf-text', 'size 8, jump 2, start 0.5');
  await shot('net');

  // 3. Training dashboard.
  step = 'training dashboard: start a run';
  await page.goto(base + '#train');
  await page.waitForSelector('#loss-chart .u-over');
  await page.fill('#model', 'course-cnn');
  await page.fill('#epochs', '2');
  await page.fill('#lr', '0.05');
  await page.click('#start');
  await page.waitForFunction(() => Number(document.getElementById('page').dataset.steps) > 5, null, { timeout: 60000 });
  const s1 = Number(await page.locator('#page').getAttribute('data-steps'));
  const r1 = Number(await page.locator('#page').getAttribute('data-redraws'));
  const tr = Date.now();
  await page.waitForFunction(s => Number(document.getElementById('page').dataset.steps) > s, s1, { timeout: 20000 });
  await page.waitForFunction(() => document.getElementById('run-status')?.textContent === 'done', null, { timeout: 60000 });
  const r2 = Number(await page.locator('#page').getAttribute('data-redraws'));
  timings.dashboard_redraws_per_s = Number(((r2 - r1) / ((Date.now() - tr) / 1000)).toFixed(2));
  check(Number(await page.locator('#page').getAttribute('data-steps')) === 188, 'two epochs of the sample at batch 64 are 188 steps');
  await waitText('#test-acc', '%');
  check((await page.locator('#confusion-table td').count()) === 100, 'a 10×10 confusion matrix');
  check((await page.locator('#filters canvas').count()) === 10, 'ten first-layer filters');

  step = 'training dashboard: hover a chart point';
  const box = await page.locator('#loss-chart .u-over').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForTimeout(100);
  const legend = await page.locator('#loss-chart .u-legend .u-series').nth(1).locator('.u-value').textContent();
  check(/^-?\d/.test(legend.trim()), `hovering the loss chart should show a value in the legend, got '${legend}'`);
  timings.hovered_loss_value = legend.trim();

  step = 'training dashboard: overlay past runs';
  await page.waitForSelector('#runs input[type=checkbox]');
  await page.locator('#runs input[type=checkbox]').first().check();
  await page.waitForFunction(() => document.querySelectorAll('#overlay-chart .u-legend .u-series').length >= 2, null, { timeout: 10000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await shot('train');

  step = 'training dashboard: stop a run';
  await page.fill('#epochs', '20');
  await page.click('#start');
  await page.waitForFunction(() => Number(document.getElementById('page').dataset.steps) > 3, null, { timeout: 30000 });
  await page.click('#stop');
  await page.waitForFunction(() => document.getElementById('run-status')?.textContent === 'stopped', null, { timeout: 20000 });

  // 4. Experiments.
  step = 'experiments: run one quick';
  await page.goto(base + '#exp');
  await page.waitForSelector('button[data-exp="dropout-regression"]');
  await page.click('button[data-exp="dropout-regression"]');
  await page.waitForFunction(() => document.getElementById('page').dataset.done === 'dropout-regression', null, { timeout: 60000 });
  await page.waitForSelector('#exp-results .u-over');
  await waitText('#exp-numbers', 'jump_w2');
  await page.evaluate(() => document.getElementById('exp-results').scrollIntoView());
  const ebox = await page.locator('#exp-results .u-over').first().boundingBox();
  await page.mouse.move(ebox.x + ebox.width * 0.3, ebox.y + ebox.height * 0.5);
  await page.waitForTimeout(100);
  await shot('exp');

  step = 'experiments: a report folder with seed runs';
  await page.waitForSelector('button[data-folder="sweep-demo"]');
  await page.click('button[data-folder="sweep-demo"]');
  await page.waitForFunction(() => document.getElementById('page').dataset.shown === 'sweep-demo');
  await page.waitForSelector('#exp-results .spread .u-over');
  await page.evaluate(() => document.getElementById('report-folders').scrollIntoView());
  check((await page.locator('#exp-results .spread').count()) === 2, 'two measured columns with seed runs: two spread charts');
  const sbox = await page.locator('#exp-results .spread .u-over').first().boundingBox();
  await page.mouse.move(sbox.x + 2, sbox.y + sbox.height * 0.5);   // the first x (lr 0.01)
  await page.waitForTimeout(100);
  const seedRow = page.locator('#exp-results .spread').first().locator('.u-legend .u-series').filter({ hasText: 'seed 3' });
  const seedValue = (await seedRow.locator('.u-value').textContent()).trim();
  check(seedValue === '0.7400', `hovering lr 0.01 should show seed 3's accuracy 0.7400, got '${seedValue}'`);
  await shot('exp-seeds');
  const sheetStatus = await page.evaluate(() => fetch('/api/sheet', { method: 'POST', body: '{"markdown":""}' }).then(r => r.status));
  if (sheetStatus !== 501) await sheets();   // ./convlab serve (the README's screenshots): the Sheets page too
  else {   // the web module's test server has no sheet renderer (it is the CLI's): the page says where sheets render
    step = 'sheets: without a renderer';
    await page.goto(base + '#sheet');
    await page.waitForSelector('#sheet-err');
    await waitText('#sheet-err', 'convlab serve');
  }
  check(consoleErrors.length === 0, 'the pages logged errors: ' + consoleErrors.join(' | '));
  writeFileSync(`${out}/timings.json`, JSON.stringify(timings, null, 2));
  console.log('e2e passed ' + JSON.stringify(timings));
  await browser.close();
} catch (e) {
  await page.screenshot({ path: `${out}/failure-${step.replace(/[^a-z0-9]+/gi, '-')}.png`, fullPage: true }).catch(() => {});
  console.error('e2e FAILED: ' + e.message + (consoleErrors.length ? '\nbrowser errors: ' + consoleErrors.join(' | ') : ''));
  writeFileSync(`${out}/timings.json`, JSON.stringify(timings, null, 2));
  await browser.close();
  process.exit(1);
}
