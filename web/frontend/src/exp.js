import { post, get, el } from './api.js';
import { lineChart } from './charts.js';

// Experiments: run one (quick or full) with its progress shown; its CSV tables become interactive charts
// (hover values, drag to zoom, click the legend to hide a series), every file downloadable.
export function expPage(root) {
  let es = null;
  const seed = el('input', { type: 'number', id: 'exp-seed', value: 1, style: 'width:60px' });
  root.append(el('h2', {}, 'Experiments'),
    el('div', { class: 'card' }, el('div', { id: 'exp-list' }), el('div', { class: 'controls' }, el('label', {}, 'seed', seed))),
    el('div', { class: 'card' }, el('div', { id: 'exp-progress' }, el('span', { class: 'muted' }, 'run an experiment, or show the last report of one')),
      el('div', { class: 'err', id: 'exp-err' })),
    el('div', { class: 'card', id: 'exp-results' }),
    el('h2', {}, 'Sweeps'), el('div', { class: 'card', id: 'sweep-list' }, el('span', { class: 'muted' }, 'no sweep report yet (convlab sweep --out REPORTS/NAME)')));
  load();
  sweeps();

  // Reports of convlab sweep in the report folder: the grid, the best trial, a link to the report (charts, table).
  async function sweeps() {
    const list = await get('/api/sweeps');
    if (!list.length) return;
    document.getElementById('sweep-list').replaceChildren(el('table', { class: 'summary' }, ...list.map(s => el('tr', {},
      el('td', {}, el('b', {}, s.name)), el('td', { style: 'white-space:normal;text-align:left' }, s.grid || ''),
      el('td', {}, s.results && s.results.trials !== undefined ? `${s.results.trials} trials, best ${Number(s.results.best_final_test_acc).toFixed(4)}` : ''),
      el('td', {}, el('a', { href: `/reports/${s.report}`, target: '_blank' }, 'report'))))));
  }

  async function load() {
    const list = await get('/api/experiments');
    document.getElementById('exp-list').replaceChildren(el('table', { class: 'summary' }, ...list.map(x => el('tr', {},
      el('td', {}, el('b', {}, x.name)), el('td', { style: 'white-space:normal;text-align:left' }, x.description),
      el('td', {}, el('button', { 'data-exp': x.name, 'data-quick': 'true', onclick: () => start(x.name, true) }, 'run quick'), ' ',
        el('button', { onclick: () => start(x.name, false) }, 'run full'), ' ',
        x.hasReport ? el('button', { onclick: () => results(x.name) }, 'show last') : null)))));
  }

  async function start(name, quick) {
    document.getElementById('exp-err').textContent = '';
    try {
      await post(`/api/experiments/${name}`, { quick, seed: Number(seed.value) });
    } catch (e) { document.getElementById('exp-err').textContent = e.message; return; }
    follow(name);
  }

  function follow(name) {
    if (es) es.close();
    const bar = el('progress', { id: 'exp-bar', max: 1, value: 0 }), label = el('span', { id: 'exp-phase' }, 'starting…');
    document.getElementById('exp-progress').replaceChildren(el('b', {}, name), ' ', bar, ' ', label);
    let done = 0, units = 1, phase = '';
    es = new EventSource(`/api/experiments/${name}/events`);
    es.onmessage = m => {
      const e = JSON.parse(m.data);
      if (e.type === 'phase') { phase = e.name; units = Math.max(1, Number(e.units)); done = 0; }
      if (e.type === 'step') done++;
      if (e.type === 'phase' || e.type === 'step') { bar.max = units; bar.value = done; label.textContent = `${phase}: ${done}/${units}${e.note ? ' ' + e.note : ''}`; }
      if (e.type === 'end') {
        es.close();
        if (e.status === 'done') { bar.value = bar.max; label.textContent = `done in ${e.seconds.toFixed(1)} s`; root.dataset.done = name; results(name, e.results); load(); }
        else { label.textContent = 'failed'; document.getElementById('exp-err').textContent = e.message || 'failed'; }
      }
    };
  }

  async function results(name, numbers) {
    const files = await get(`/api/experiments/${name}/files`);
    const box = document.getElementById('exp-results');
    box.replaceChildren(el('h3', {}, `${name}: report files`),
      el('div', {}, ...files.map(f => el('span', {}, el('a', { href: `/reports/${f}`, download: f.endsWith('.html') ? null : f.split('/').pop(), target: '_blank' }, f.split('/').pop()), '  '))));
    if (!numbers) { try { numbers = (await get(`/reports/${name}/results.json`)).results; } catch { numbers = null; } }
    if (numbers) {
      const rows = Object.entries(numbers).filter(([, v]) => typeof v === 'number');
      box.append(el('h3', {}, 'Headline numbers'), el('table', { class: 'summary', id: 'exp-numbers' }, ...rows.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, Number(v).toPrecision(6))))));
    }
    const charts = el('div', { class: 'row' });
    box.append(el('h3', {}, 'Tables as charts (hover for values, drag to zoom, double-click to reset, click a legend entry to hide it)'), charts);
    for (const f of files.filter(f => f.endsWith('.csv'))) {
      const text = await (await fetch(`/reports/${f}`)).text();
      const chart = csvChart(f.split('/').pop(), text);
      if (chart) charts.append(chart);
    }
  }

  function csvChart(title, text) {
    const lines = text.trim().split('\n').map(l => l.split(','));
    if (lines.length < 3) return null;
    const header = lines[0], rows = lines.slice(1).map(r => r.map(Number));
    const numericCols = header.map((_, j) => rows.every(r => Number.isFinite(r[j])));
    if (!numericCols[0]) return null;
    const ys = header.map((h, j) => j).filter(j => j > 0 && numericCols[j]);
    if (!ys.length) return null;
    rows.sort((a, b) => a[0] - b[0]);
    const holder = el('div', { class: 'card' });
    const u = lineChart(holder, title, header[0], ys.map(j => ({ label: header[j] })), { width: 460, height: 200 });
    u.setData([rows.map(r => r[0]), ...ys.map(j => rows.map(r => r[j]))]);
    return holder;
  }

  return () => { if (es) es.close(); };
}
