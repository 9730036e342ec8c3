import { post, el, debounce } from './api.js';

// The network explorer: `convlab summary` of a spec as you type (the server's SummaryReport), and the receptive
// field of a layer's centre unit drawn on the input grid when the pointer is over its row.
export function netPage(root) {
  const specIn = el('input', { type: 'text', class: 'spec-input', id: 'spec', value: 'CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10', spellcheck: 'false', oninput: changed });
  const shapeIn = el('input', { type: 'text', id: 'spec-input-shape', value: '28x28x1', size: 10, oninput: changed });
  const noRelu = el('input', { type: 'checkbox', id: 'no-relu', onchange: changed });
  const under = el('div', { class: 'underline', id: 'spec-underline' });
  const canvas = el('canvas', { class: 'rf', id: 'rf', width: 280, height: 280 });
  root.append(el('h2', {}, 'Network explorer'),
    el('div', { class: 'card' },
      el('div', { class: 'spec-wrap' }, specIn, under),
      el('div', { class: 'controls' }, el('label', {}, 'input (H×W×C, L×C or features)', shapeIn),
        el('label', {}, noRelu, 'no implied ReLU'),
        el('span', { class: 'muted' }, 'named models: mlp, course-cnn, wide-bn; grammar in docs/SPEC.md')),
      el('div', { class: 'err', id: 'spec-err' })),
    el('div', { class: 'row' },
      el('div', { class: 'card' }, el('div', { id: 'totals' }), el('div', { id: 'summary' }), el('div', { class: 'muted', id: 'net-timing' })),
      el('div', { class: 'card' }, el('h3', {}, 'Receptive field on the input'), canvas, el('div', { class: 'muted', id: 'rf-text' }, 'point at a layer'))));
  let seq = 0, res = null;
  const run = debounce(async () => {
    const my = ++seq, t0 = performance.now();
    try {
      const r = await post('/api/summary', { spec: specIn.value, input: shapeIn.value, noImpliedRelu: noRelu.checked });
      if (my !== seq || !specIn.isConnected) return;   // a newer request, or the page was left
      res = r;
      document.getElementById('spec-err').textContent = '';
      under.replaceChildren();
      render(r);
      document.getElementById('net-timing').textContent = `answered in ${(performance.now() - t0).toFixed(0)} ms`;
    } catch (e) {
      if (my !== seq || !specIn.isConnected) return;   // a newer request, or the page was left
      document.getElementById('spec-err').textContent = e.message;
      const info = e.info || {};
      if (info.pos !== undefined) {
        const t = specIn.value;
        under.replaceChildren(t.slice(0, info.pos), el('mark', {}, t.slice(info.pos, info.pos + info.length) || ' '));
      } else under.replaceChildren();
    }
  }, 60);
  function changed() { run(); }

  function render(r) {
    const t = r.totals;
    document.getElementById('totals').replaceChildren(el('div', {},
      el('span', { class: 'stat' }, el('b', { id: 'total-params' }, t.params.toLocaleString('en')), ' parameters'),
      el('span', { class: 'stat' }, el('b', { id: 'total-macs' }, t.macs.toLocaleString('en')), ' multiply-adds per example'),
      el('span', { class: 'stat' }, 'output ', el('b', {}, r.layers.length ? r.layers[r.layers.length - 1].output.text : r.input.text))),
      r.reluImplied ? el('div', { class: 'muted' }, 'ReLU implied after each convolution and each hidden FC (marked *)') : null);
    const head = ['#', 'layer', 'settings', 'output', 'params', '= expression', 'MACs', 'RF size', 'jump', 'start'];
    const tb = el('tbody');
    tb.append(row({ index: 0, layer: 'input', settings: '', output: r.input, params: 0, paramsExpression: '', macs: 0,
      receptiveField: { kind: 'local', size: 1, jump: 1, start: 0 } }));
    for (const l of r.layers) tb.append(row(l));
    document.getElementById('summary').replaceChildren(el('table', { class: 'summary', id: 'summary-table' },
      el('thead', {}, el('tr', {}, ...head.map(h => el('th', {}, h)))), tb));
    drawRf(null);
  }

  function row(l) {
    const rf = l.receptiveField;
    const tr = el('tr', { 'data-index': l.index },
      el('td', {}, l.index), el('td', { class: l.implied ? 'implied' : '' }, l.layer + (l.implied ? '*' : '')), el('td', {}, l.settings),
      el('td', {}, l.output.text), el('td', {}, l.params), el('td', {}, l.paramsExpression ? '= ' + l.paramsExpression : ''),
      el('td', {}, l.macs), el('td', {}, rf.kind === 'local' ? rf.size : rf.kind === 'global' ? 'all' : '—'),
      el('td', {}, rf.kind === 'local' ? rf.jump : ''), el('td', {}, rf.kind === 'local' ? rf.start : ''));
    tr.addEventListener('mouseenter', () => { for (const x of tr.parentNode.children) x.classList.remove('sel'); tr.classList.add('sel'); drawRf(l); });
    return tr;
  }

  function drawRf(l) {
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!res) return;
    const dims = res.input.dims;   // spatial..., channels
    if (dims.length < 2) { document.getElementById('rf-text').textContent = 'the input has no spatial axes'; return; }
    const H = dims.length === 3 ? dims[0] : 1, W = dims.length === 3 ? dims[1] : dims[0];
    const cell = Math.max(1, Math.floor(Math.min(280 / W, 280 / H)));
    canvas.width = W * cell; canvas.height = H * cell;
    ctx.strokeStyle = '#e2e6ea';
    for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) if (cell >= 6) ctx.strokeRect(j * cell + .5, i * cell + .5, cell - 1, cell - 1);
    const text = document.getElementById('rf-text');
    if (!l) { text.textContent = 'point at a layer'; return; }
    const rf = l.receptiveField;
    if (rf.kind !== 'local') { text.textContent = rf.kind === 'global' ? `${l.layer}: every output sees the whole input` : `${l.layer}: no receptive field by the recursive rule`; if (rf.kind === 'global') { ctx.fillStyle = 'rgba(47,126,216,.35)'; ctx.fillRect(0, 0, W * cell, H * cell); } return; }
    const od = l.output.dims, oh = od.length === 3 ? od[0] : 1, ow = od.length === 3 ? od[1] : od[0];
    const u = Math.floor((oh - 1) / 2), v = Math.floor((ow - 1) / 2);   // the centre output unit
    const ci = dims.length === 3 ? rf.start + u * rf.jump : 0, cj = rf.start + v * rf.jump, half = (rf.size - 1) / 2;
    const [r0, r1] = dims.length === 3 ? [ci - half, ci + half] : [0, 0], [c0, c1] = [cj - half, cj + half];
    ctx.fillStyle = 'rgba(47,126,216,.35)';
    const a0 = Math.max(0, Math.ceil(r0)), a1 = Math.min(H - 1, Math.floor(r1)), b0 = Math.max(0, Math.ceil(c0)), b1 = Math.min(W - 1, Math.floor(c1));
    if (a1 >= a0 && b1 >= b0) ctx.fillRect(b0 * cell, a0 * cell, (b1 - b0 + 1) * cell, (a1 - a0 + 1) * cell);
    ctx.strokeStyle = '#1f5fa8'; ctx.lineWidth = 2;
    ctx.strokeRect(c0 * cell, r0 * cell, (c1 - c0 + 1) * cell, (r1 - r0 + 1) * cell);
    text.textContent = `${l.layer} (layer ${l.index}): output unit ${dims.length === 3 ? `(${u}, ${v})` : v} sees input ${dims.length === 3 ? `rows ${r0}…${r1}, ` : ''}columns ${c0}…${c1} (size ${rf.size}, jump ${rf.jump}, start ${rf.start}; outside the input = padding)`;
  }

  run();
}
