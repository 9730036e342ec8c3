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
    el('div', { class: 'card' }, el('h3', {}, 'Report folders'),
      el('div', { class: 'muted' }, 'every folder of the report folder with an index.html: experiments, sweeps (convlab sweep --out reports/NAME), anything else'),
      el('div', { id: 'report-folders' })),
    el('div', { class: 'card', id: 'exp-results' }),
    el('h2', {}, 'Sweeps'), el('div', { class: 'card', id: 'sweep-list' }, el('span', { class: 'muted' }, 'no sweep report yet (convlab sweep --out REPORTS/NAME)')));
  load();
  folders();
  sweeps();

  // Reports of convlab sweep in the report folder: the grid, the best trial, a link to the report (charts, table).
  async function sweeps() {
    const list = await get('/api/sweeps');
    const box = document.getElementById('sweep-list');
    if (!list.length || !box) return;   // none yet, or the page was left meanwhile
    box.replaceChildren(el('table', { class: 'summary' }, ...list.map(s => el('tr', {},
      el('td', {}, el('b', {}, s.name)), el('td', { style: 'white-space:normal;text-align:left' }, s.grid || ''),
      el('td', {}, s.results && s.results.trials !== undefined ? `${s.results.trials} trials, best ${Number(s.results.best_final_test_acc).toFixed(4)}` : ''),
      el('td', {}, el('a', { href: `/reports/${s.report}`, target: '_blank' }, 'report'))))));
  }

  async function folders() {
    const list = await get('/api/reports');
    const box = document.getElementById('report-folders');
    if (!box) return;   // the page was left meanwhile
    box.replaceChildren(list.length ? el('table', { class: 'summary' }, ...list.map(f => el('tr', {},
      el('td', {}, el('b', {}, f.folder)), el('td', {}, new Date(f.modified).toLocaleString()), el('td', {}, `${f.files.length} files`),
      el('td', {}, el('a', { href: `/reports/${f.folder}/index.html`, target: '_blank' }, 'open'), ' ',
        el('button', { 'data-folder': f.folder, onclick: () => showFolder(f.folder, f.files) }, 'show'))))) : el('span', { class: 'muted' }, 'none yet'));
  }

  async function load() {
    const list = await get('/api/experiments');
    if (!document.getElementById('exp-list')) return;
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
    await showFolder(name, await get(`/api/experiments/${name}/files`), numbers);
    folders();
  }

  async function showFolder(name, files, numbers) {
    const box = document.getElementById('exp-results');
    if (!box) return;
    box.replaceChildren(el('h3', {}, `${name}: report files`),
      el('div', {}, ...files.map(f => el('span', {}, el('a', { href: `/reports/${f}`, download: f.endsWith('.html') ? null : f.split('/').pop(), target: '_blank' }, f.split('/').pop()), '  '))));
    if (!numbers && files.includes(`${name}/results.json`)) { try { numbers = (await get(`/reports/${name}/results.json`)).results; } catch { numbers = null; } }
    if (numbers) {
      const rows = Object.entries(numbers).filter(([, v]) => typeof v === 'number');
      box.append(el('h3', {}, 'Headline numbers'), el('table', { class: 'summary', id: 'exp-numbers' }, ...rows.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, Number(v).toPrecision(6))))));
    }
    const charts = el('div', { class: 'row' });
    box.append(el('h3', {}, 'Tables as charts (hover for values, drag to zoom, double-click to reset, click a legend entry to hide it)'), charts);
    for (const f of files.filter(f => f.endsWith('.csv'))) {
      const text = await (await fetch(`/reports/${f}`)).text();
      for (const chart of csvCharts(f.split('/').pop(), text)) charts.append(chart);
    }
    root.dataset.shown = name;
  }

  // A CSV table as charts. The first column is x; with a column of repeats (repeat, seed, run, trial: several runs
  // at one x) each measured column gets its own chart: the mean over the runs as a line, every run as a point of its
  // own series (hover shows each run's value) and the min–max band; a first column of names gives one line per name.
  function csvCharts(title, text) {
    const lines = text.trim().split('\n').map(l => l.split(','));
    if (lines.length < 3) return [];
    const header = lines[0].map(h => h.trim()), raw = lines.slice(1), rows = raw.map(r => r.map(Number));
    const numericCols = header.map((_, j) => rows.every(r => Number.isFinite(r[j])));
    const rep = header.findIndex((h, j) => j > 0 && numericCols[j] && /^(repeat|seed|run|trial|rep)$/i.test(h));
    if (numericCols[0] && rep > 0) return spreadCharts(title, header, rows, numericCols, rep);
    if (!numericCols[0] && header.length >= 3 && numericCols[1]) return groupCharts(title, header, raw, rows, numericCols);
    const chart = csvChart(title, header, rows, numericCols);
    return chart ? [chart] : [];
  }

  function spreadCharts(title, header, rows, numericCols, rep) {
    const xs = [...new Set(rows.map(r => r[0]))].sort((a, b) => a - b);
    const seeds = [...new Set(rows.map(r => r[rep]))].sort((a, b) => a - b);
    const perSeed = seeds.length <= 10;
    const out = [];
    for (const j of header.map((_, j) => j).filter(j => j > 0 && j !== rep && numericCols[j]).slice(0, 8)) {
      const at = xs.map(x => rows.filter(r => r[0] === x));
      const mean = at.map(g => g.reduce((a, r) => a + r[j], 0) / g.length);
      const lo = at.map(g => Math.min(...g.map(r => r[j]))), hi = at.map(g => Math.max(...g.map(r => r[j])));
      const series = [{ label: `${header[j]} (mean of ${seeds.length})`, width: 2 },
        { label: 'max over runs', color: '#9db8d9', width: 0.5 }, { label: 'min over runs', color: '#9db8d9', width: 0.5 }];
      const data = [xs, mean, hi, lo];
      if (perSeed) seeds.forEach((sd, k) => {
        series.push({ label: `${header[rep]} ${sd}`, points: true, color: ['#d9534f', '#1b9e77', '#7570b3', '#e6ab02', '#66a61e', '#a6761d', '#e7298a', '#666666', '#17becf', '#2f7ed8'][k] });
        data.push(xs.map(x => { const r = rows.find(r => r[0] === x && r[rep] === sd); return r ? r[j] : null; }));
      });
      const holder = el('div', { class: 'card spread' });
      const u = lineChart(holder, `${title}: ${header[j]}`, header[0], series, { width: 460, height: 220, bands: [{ series: [2, 3], fill: 'rgba(47,126,216,0.12)' }] });
      u.setData(data);
      out.push(holder);
    }
    return out;
  }

  function groupCharts(title, header, raw, rows, numericCols) {
    const names = [...new Set(raw.map(r => r[0]))];
    if (names.length > 12) return [];
    const xs = [...new Set(rows.map(r => r[1]))].sort((a, b) => a - b);
    const out = [];
    for (const j of header.map((_, j) => j).filter(j => j > 1 && numericCols[j]).slice(0, 4)) {
      const data = [xs, ...names.map(n => {
        const m = new Map();
        raw.forEach((r, i) => { if (r[0] === n) m.set(rows[i][1], rows[i][j]); });
        return xs.map(x => m.has(x) ? m.get(x) : null);
      })];
      const holder = el('div', { class: 'card' });
      const u = lineChart(holder, `${title}: ${header[j]}`, header[1], names.map(n => ({ label: `${header[0]} ${n}` })), { width: 460, height: 220 });
      u.setData(data);
      out.push(holder);
    }
    return out;
  }

  function csvChart(title, header, rows, numericCols) {
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
