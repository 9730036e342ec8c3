import { post, get, el } from './api.js';
import { lineChart, smooth, color } from './charts.js';

// The training dashboard: start a run (the server trains with the library's Trainer, as `convlab train`), or
// watch one of `convlab train --dashboard`; every run is a JSON-lines log the server streams as events.
export function trainPage(root) {
  let source = null, raf = 0, run = null, overlay = null, overlayRuns = new Map(), listTimer = null;
  const opt = (id, label, input) => el('label', {}, label, input);
  const form = el('div', { class: 'card controls' },
    opt('model', 'model', el('input', { type: 'text', id: 'model', value: 'course-cnn', size: 28, list: 'model-names' })),
    el('datalist', { id: 'model-names' }),
    opt('optimizer', 'optimizer', el('select', { id: 'optimizer' })),
    opt('lr', 'lr', el('input', { type: 'number', id: 'lr', value: 0.05, step: 0.005, min: 0 })),
    opt('epochs', 'epochs', el('input', { type: 'number', id: 'epochs', value: 2, min: 1, max: 50 })),
    opt('batch', 'batch', el('input', { type: 'number', id: 'batch', value: 64, min: 1, max: 1024 })),
    opt('seed', 'seed', el('input', { type: 'number', id: 'seed', value: 1 })),
    opt('data', 'data', el('select', { id: 'data' }, el('option', { value: 'sample' }, 'embedded sample (6,000 / 1,000)'))),
    el('button', { class: 'primary', id: 'start', onclick: start }, 'Start'), ' ',
    el('button', { id: 'stop', onclick: stop, disabled: true }, 'Stop'),
    el('div', { class: 'err', id: 'train-err' }));
  const charts = el('div', { class: 'row' }, el('div', { class: 'card', id: 'loss-chart' }), el('div', { class: 'card', id: 'acc-chart' }),
    el('div', { class: 'card', id: 'ips-chart' }));
  root.append(el('h2', {}, 'Training dashboard'), form,
    el('div', { class: 'card' }, el('div', { id: 'run-title' }, 'no run shown: start one, or pick one below'), el('div', { id: 'run-stats' })),
    charts,
    el('div', { class: 'row' },
      el('div', { class: 'card' }, el('h3', {}, 'Test confusion matrix (rows: true class)'), el('div', { id: 'confusion' }, el('span', { class: 'muted' }, 'after the first epoch'))),
      el('div', { class: 'card' }, el('h3', { id: 'filters-title' }, 'First-layer filters'), el('div', { class: 'filters', id: 'filters' }, el('span', { class: 'muted' }, 'after the first epoch')))),
    el('div', { class: 'row' },
      el('div', { class: 'card' }, el('h3', {}, 'Runs (tick to overlay; click a name to show it)'), el('div', { class: 'runs', id: 'runs' })),
      el('div', { class: 'card', id: 'overlay-chart' })));

  const lossC = lineChart(document.getElementById('loss-chart'), 'Loss', 'step',
    [{ label: 'train (step)', color: '#9ec5f0', width: 1 }, { label: 'train (smoothed)', color: '#2f7ed8', width: 2 }, { label: 'test', color: '#d9534f', points: true }]);
  const accC = lineChart(document.getElementById('acc-chart'), 'Accuracy', 'step',
    [{ label: 'train (step)', color: '#a8dcc6', width: 1 }, { label: 'train (smoothed)', color: '#1b9e77', width: 2 }, { label: 'test', color: '#d9534f', points: true }]);
  const ipsC = lineChart(document.getElementById('ips-chart'), 'Throughput (training images/s, epoch so far)', 'step', [{ label: 'images/s', color: '#7570b3' }]);
  overlay = lineChart(document.getElementById('overlay-chart'), 'Overlay: smoothed training loss of ticked runs', 'step', []);

  get('/api/models').then(m => {
    const dl = document.getElementById('model-names');
    for (const [k, v] of Object.entries(m.named)) dl.append(el('option', { value: k }, v));
    const o = document.getElementById('optimizer');
    for (const n of m.optimizers) o.append(el('option', { value: n }, n));
    if (m.installedData) document.getElementById('data').append(el('option', { value: 'installed' }, 'installed Fashion-MNIST (60,000 / 10,000)'));
  });
  refreshRuns();
  listTimer = setInterval(refreshRuns, 3000);

  async function start() {
    const v = id => document.getElementById(id).value;
    document.getElementById('train-err').textContent = '';
    try {
      const r = await post('/api/runs', { model: v('model'), optimizer: v('optimizer') || 'sgd', lr: Number(v('lr')), epochs: Number(v('epochs')),
        batch: Number(v('batch')), seed: Number(v('seed')), data: v('data') });
      watch(r.id);
      refreshRuns();
    } catch (e) { document.getElementById('train-err').textContent = e.message; }
  }

  async function stop() {
    if (!run) return;
    try { await post(`/api/runs/${run.id}/stop`, {}); } catch (e) { document.getElementById('train-err').textContent = e.message; }
  }

  function watch(id) {
    if (source) source.close();
    run = { id, start: null, steps: [], loss: [], acc: [], ips: [], testLoss: new Map(), testAcc: new Map(), events: 0, redraws: 0, t0: performance.now(), status: 'running' };
    root.dataset.run = id;
    document.getElementById('stop').disabled = false;
    source = new EventSource(`/api/runs/${id}/events`);
    source.onmessage = m => { const e = JSON.parse(m.data); take(run, e); if (run.id === id) schedule(); };
    source.onerror = () => { if (run && run.status !== 'running') source.close(); };
  }

  function take(r, e) {
    r.events++;
    if (e.type === 'start') r.start = e;
    else if (e.type === 'step') { r.steps.push(e.step); r.loss.push(e.loss); r.acc.push(e.acc); r.ips.push(e.ips); }
    else if (e.type === 'test') { r.testLoss.set(e.step, e.testLoss); r.testAcc.set(e.step, e.testAcc); r.lastTest = e; }
    else if (e.type === 'end') { r.status = e.status; r.endMessage = e.message; if (r === run) { source.close(); document.getElementById('stop').disabled = true; refreshRuns(); } }
  }

  function schedule() { if (!raf) raf = requestAnimationFrame(draw); }

  function draw() {
    raf = 0;
    const r = run; if (!r) return;
    r.redraws++;
    const xs = r.steps, tl = xs.map(s => r.testLoss.has(s) ? r.testLoss.get(s) : null), ta = xs.map(s => r.testAcc.has(s) ? r.testAcc.get(s) : null);
    lossC.setData([xs, r.loss, smooth(r.loss, 0.95), tl]);
    accC.setData([xs, r.acc, smooth(r.acc, 0.95), ta]);
    ipsC.setData([xs, r.ips]);
    const s = r.start || {};
    document.getElementById('run-title').replaceChildren(el('b', {}, `run ${r.id}`), ` ${s.model || ''} · ${s.optimizer || ''} lr ${s.lr ?? ''} · batch ${s.batch ?? ''} · seed ${s.seed ?? ''} · ${s.data || ''} · `,
      el('span', { class: 'status-' + r.status, id: 'run-status' }, r.status), r.endMessage ? ` (${r.endMessage})` : '');
    const last = xs.length ? xs[xs.length - 1] : 0, secs = (performance.now() - r.t0) / 1000;
    document.getElementById('run-stats').replaceChildren(
      el('span', { class: 'stat' }, 'step ', el('b', { id: 'step-count' }, last)),
      el('span', { class: 'stat' }, 'loss ', el('b', {}, r.loss.length && r.loss[r.loss.length - 1] != null ? r.loss[r.loss.length - 1].toFixed(4) : '—')),
      el('span', { class: 'stat' }, 'images/s ', el('b', {}, r.ips.length ? r.ips[r.ips.length - 1].toLocaleString('en') : '—')),
      el('span', { class: 'stat' }, 'test accuracy ', el('b', { id: 'test-acc' }, r.lastTest ? (100 * r.lastTest.testAcc).toFixed(2) + '%' : '—')),
      el('span', { class: 'stat muted', id: 'redraws' }, `${r.redraws} redraws, ${(r.redraws / Math.max(secs, 1e-3)).toFixed(1)}/s`));
    root.dataset.redraws = String(r.redraws);
    root.dataset.steps = String(xs.length);
    if (r.lastTest) { confusion(r.lastTest.confusion, s.classes || []); if (r.lastTest.filters) filters(r.lastTest.filters); }
  }

  function confusion(m, names) {
    let max = 1;
    for (let i = 0; i < m.length; i++) for (let j = 0; j < m.length; j++) if (i !== j) max = Math.max(max, m[i][j]);
    const rowMax = m.map(r => Math.max(1, ...r));
    const t = el('table', { class: 'confusion', id: 'confusion-table' },
      el('tr', {}, el('th', {}, ''), ...m.map((_, j) => el('th', { title: names[j] || j }, (names[j] || String(j)).slice(0, 5)))),
      ...m.map((row, i) => el('tr', {}, el('th', { title: names[i] || i }, (names[i] || String(i)).slice(0, 9)),
        ...row.map((v, j) => {
          const a = i === j ? v / rowMax[i] : v / max;
          const bg = i === j ? `rgba(27,158,119,${a.toFixed(2)})` : `rgba(217,83,79,${(0.85 * a).toFixed(2)})`;
          return el('td', { style: `background:${bg}`, title: `true ${names[i] || i}, predicted ${names[j] || j}: ${v}` }, v);
        }))));
    document.getElementById('confusion').replaceChildren(t);
  }

  function filters(f) {
    document.getElementById('filters-title').textContent = f.title;
    const scale = Math.max(2, Math.floor(48 / Math.max(f.h, f.w)));
    document.getElementById('filters').replaceChildren(...f.images.map(img => {
      const c = el('canvas', { width: f.w, height: f.h, style: `width:${f.w * scale}px;height:${f.h * scale}px` });
      const ctx = c.getContext('2d'), d = ctx.createImageData(f.w, f.h);
      const m = Math.max(1e-12, ...img.map(Math.abs));
      img.forEach((v, k) => {   // blue < 0 < red, as the static report
        const a = Math.min(1, Math.abs(v) / m);
        d.data[4 * k] = v > 0 ? 255 : Math.round(255 * (1 - a));
        d.data[4 * k + 1] = Math.round(255 * (1 - a));
        d.data[4 * k + 2] = v < 0 ? 255 : Math.round(255 * (1 - a));
        d.data[4 * k + 3] = 255;
      });
      ctx.putImageData(d, 0, 0);
      return c;
    }));
  }

  async function refreshRuns() {
    let list;
    try { list = await get('/api/runs'); } catch { return; }
    const box = document.getElementById('runs');
    if (!box) return;
    box.replaceChildren(...(list.length ? list : [null]).map(r => r === null ? el('span', { class: 'muted' }, 'no runs yet') : el('div', { 'data-run': r.id },
      el('input', { type: 'checkbox', checked: overlayRuns.has(r.id), onchange: e => toggleOverlay(r.id, e.target.checked) }), ' ',
      el('a', { href: '#train', onclick: ev => { ev.preventDefault(); watch(r.id); } }, r.id), ' ',
      el('span', { class: 'status-' + r.status }, r.status), ' ',
      el('span', { class: 'muted' }, r.settings ? `${r.settings.model} · ${r.settings.optimizer} lr ${r.settings.lr} · ${r.settings.epochs} ep · ${r.settings.origin || ''}` : ''))));
  }

  function toggleOverlay(id, on) {
    if (!on) { overlayRuns.delete(id); redrawOverlay(); return; }
    const r = { id, steps: [], loss: [], acc: [], ips: [], testLoss: new Map(), testAcc: new Map(), events: 0, status: 'running' };
    overlayRuns.set(id, r);
    const es = new EventSource(`/api/runs/${id}/events`);
    let pending = false;
    es.onmessage = m => {
      const e = JSON.parse(m.data); take(r, e);
      if (e.type === 'end') es.close();
      if (!pending) { pending = true; setTimeout(() => { pending = false; redrawOverlay(); }, 250); }
    };
    r.close = () => es.close();
  }

  function redrawOverlay() {
    const holder = document.getElementById('overlay-chart');
    if (!holder) return;
    overlay.destroy();
    const runs = [...overlayRuns.values()];
    overlay = lineChart(holder, 'Overlay: smoothed training loss of ticked runs', 'step', runs.map((r, i) => ({ label: r.id, color: color(i) })));
    const xs = [...new Set(runs.flatMap(r => r.steps))].sort((a, b) => a - b);
    overlay.setData([xs, ...runs.map(r => { const sm = smooth(r.loss, 0.95), at = new Map(r.steps.map((s, k) => [s, sm[k]])); return xs.map(x => at.has(x) ? at.get(x) : null); })]);
  }

  return () => { if (source) source.close(); clearInterval(listTimer); for (const r of overlayRuns.values()) r.close && r.close(); };
}
