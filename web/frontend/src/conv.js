import { post, el, debounce } from './api.js';

// The convolution explorer: every number shown comes from the server (the library's exact ExactConv and
// ConvCheck, as `convlab conv --explain --check`); this page only lays the grids out and animates the window.
export function convPage(root) {
  const s = {
    input: '1 2 3 0 1; 0 1 2 3 1; 1 0 1 2 0; 2 1 0 1 3; 0 2 1 1 0',
    kernel: '1 0 -1; 1 0 -1; 1 0 -1',
    res: null, cur: 0, timer: null, seq: 0, shown: 0,
    mode: 'forward', dy: '', fit: true, gsel: { which: 'dX', i: 0 },
  };
  const run = debounce(() => compute(false), 40);
  const changed = () => { s.fit = true; run(); };   // the forward problem changed: dY is refitted if its shape no longer matches
  const dyChanged = () => { s.fit = false; run(); };
  const num = (id, label, min, max, value) => el('label', {}, label,
    el('input', { type: 'range', id, min, max, value, oninput: changed }), el('span', { id: id + '-v' }, value));
  const inputText = el('textarea', { id: 'conv-input-text', rows: 3, cols: 44, oninput: e => { s.input = e.target.value; changed(); } }, s.input);
  const kernelText = el('textarea', { id: 'conv-kernel-text', rows: 3, cols: 28, oninput: e => { s.kernel = e.target.value; changed(); } }, s.kernel);
  const modeSel = el('select', { id: 'conv-mode', onchange: () => { if (s.timer) togglePlay(); s.mode = modeSel.value; s.fit = true; s.cur = 0; s.gsel = { which: 'dX', i: 0 }; layout(); compute(false); } },
    el('option', { value: 'forward' }, 'forward: conv'), el('option', { value: 'conv' }, 'gradients: grad conv'),
    el('option', { value: 'maxpool' }, 'gradients: grad maxpool'), el('option', { value: 'avgpool' }, 'gradients: grad avgpool'));
  const controls = el('div', { class: 'controls card' },
    el('label', {}, el('b', {}, 'mode'), modeSel),
    el('label', { class: 'pool-only' }, 'window', el('input', { type: 'range', id: 'pool-size', min: 1, max: 6, value: 2, oninput: changed }), el('span', { id: 'pool-size-v' }, 2)),
    el('label', { class: 'pool-only' }, 'pool stride', el('select', { id: 'pool-stride', onchange: changed },
      el('option', { value: '' }, '= window'), ...[1, 2, 3, 4].map(v => el('option', { value: v }, v)))),
    num('stride', 'stride', 1, 4, 1), num('padding', 'padding', 0, 4, 0), num('dilation', 'dilation', 1, 3, 1),
    el('label', {}, 'padding mode', el('select', { id: 'mode', onchange: changed },
      ...['zeros', 'circular', 'reflect', 'replicate'].map(m => el('option', { value: m }, m)))),
    el('label', {}, el('input', { type: 'checkbox', id: 'flip', onchange: changed }), 'flip kernel (true convolution)'),
    el('label', {}, el('input', { type: 'checkbox', id: 'transpose', onchange: changed }), 'transposed'),
    el('label', {}, 'output padding', el('input', { type: 'number', id: 'outpad', min: 0, max: 3, value: 0, oninput: changed })),
    el('label', {}, 'bias', el('input', { type: 'text', id: 'bias', size: 5, oninput: changed })));
  const editors = el('div', { class: 'row' },
    el('div', { class: 'card' }, el('h3', {}, 'Input'), el('div', { id: 'in-grid' }), sizeButtons('input'),
      el('div', { class: 'muted' }, 'or type it (rows split by ";", "[[1,2],[3,4]]", LaTeX bmatrix; one row = a sequence, 1-D):'), inputText),
    el('div', { class: 'card conv-only' }, el('h3', {}, 'Kernel'), el('div', { id: 'k-grid' }), sizeButtons('kernel'),
      el('div', { class: 'muted' }, 'or type it:'), kernelText));
  const dyText = el('textarea', { id: 'grad-dy-text', rows: 2, cols: 30, oninput: e => { s.dy = e.target.value; dyChanged(); } });
  const gradView = el('div', { class: 'row grad-only', id: 'grad-view' },
    el('div', { class: 'card' }, el('h3', {}, 'dY = ∂L/∂y (upstream gradient)'), el('div', { id: 'dy-grid' }),
      el('div', { class: 'muted' }, 'edit a cell, or type it:'), dyText),
    el('div', { class: 'card pool-only' }, el('h3', { id: 'pool-out-title' }, 'Pooled output'), el('div', { id: 'pool-out-grid' })),
    el('div', { class: 'card' }, el('h3', { id: 'dx-title' }, 'dX = ∂L/∂x'), el('div', { id: 'dx-grid' }), el('div', { class: 'muted' }, 'click an entry for its sum')),
    el('div', { class: 'card conv-only' }, el('h3', { id: 'dk-title' }, 'dK = ∂L/∂w'), el('div', { id: 'dk-grid' }),
      el('div', { id: 'db', class: 'formula' })));
  const view = el('div', { class: 'row forward-only' },
    el('div', { class: 'card' }, el('h3', { id: 'pad-title' }, 'Padded input'), el('div', { id: 'pad-grid' })),
    el('div', { class: 'card' }, el('h3', { id: 'used-title' }, 'Kernel as applied'), el('div', { id: 'used-grid' })),
    el('div', { class: 'card' }, el('h3', { id: 'out-title' }, 'Output'), el('div', { id: 'out-grid' }),
      el('div', {}, el('button', { id: 'prev', onclick: () => step(-1) }, '◀'), ' ',
        el('button', { id: 'play', onclick: togglePlay }, '▶ play'), ' ',
        el('button', { id: 'next', onclick: () => step(1) }, '▶')) ));
  const answer = el('textarea', { id: 'answer', rows: 3, cols: 40, placeholder: 'your answer, e.g. "4 4; 4 5", a shape "3x3", or a number' });
  root.append(el('h2', {}, 'Convolution explorer'), editors, controls,
    el('div', { class: 'card' }, el('div', { class: 'formula', id: 'formulas' }), el('div', { id: 'note', class: 'muted' })),
    view, gradView,
    el('div', { class: 'card' }, el('h3', {}, 'Current entry'), el('div', { class: 'sum', id: 'cur-sum' })),
    el('div', { class: 'card' }, el('h3', {}, 'Check your answer'),
      el('div', { class: 'grad-only controls' }, 'the answer is ', el('select', { id: 'check-which' },
        ...['dX', 'dK', 'db'].map(v => el('option', { value: v }, v)))), answer, el('br'),
      el('button', { class: 'primary', id: 'check', onclick: () => compute(true) }, 'Check'),
      el('pre', { class: 'verdict', id: 'verdict' })),
    el('div', { class: 'err', id: 'conv-err' }), el('div', { class: 'muted', id: 'timing' }));
  answer.addEventListener('keydown', e => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); compute(true); } });

  function sizeButtons(which) {
    const b = (t, f, id) => el('button', { id: `${which}-${id}`, onclick: () => resize(which, f) }, t);
    return el('div', { class: 'muted' }, 'rows ', b('+', [1, 0], 'row-add'), b('−', [-1, 0], 'row-del'), ' columns ', b('+', [0, 1], 'col-add'), b('−', [0, -1], 'col-del'));
  }

  function values(which) {   // the server's parsed matrix (channel 0) as strings
    if (!s.res) return null;
    const v = which === 'input' ? s.res.input : s.res.kernelGiven || s.res.kernel;
    return v[0].map(r => r.map(String));
  }

  function setText(which, rows) {
    const text = rows.map(r => r.join(' ')).join('; ');
    if (which === 'input') { s.input = text; inputText.value = text; } else { s.kernel = text; kernelText.value = text; }
    changed();
  }

  function resize(which, [dr, dc]) {
    const m = values(which); if (!m) return;
    let rows = m.map(r => r.slice());
    if (dr > 0) rows.push(rows[0].map(() => '0'));
    if (dr < 0 && rows.length > 1) rows.pop();
    if (dc > 0) rows = rows.map(r => [...r, '0']);
    if (dc < 0 && rows[0].length > 1) rows = rows.map(r => r.slice(0, -1));
    setText(which, rows);
  }

  function editor(which) { return editorOf(values(which), which); }
  function editorOf(m0, which) {
    const m = m0.map(r => r.map(String));
    const t = el('table', { class: 'grid' });
    m.forEach((row, i) => t.append(el('tr', {}, ...row.map((v, j) => el('td', {},
      el('input', { value: v, 'data-r': i, 'data-c': j, oninput: e => { const mm = (values(which) || m).map(r => r.slice()); mm[i][j] = e.target.value.trim() || '0'; setText(which, mm); } }))))));
    return t;
  }

  function val(id) { return document.getElementById(id); }
  function settings() {
    for (const id of ['stride', 'padding', 'dilation']) val(id + '-v').textContent = val(id).value;
    return { input: s.input, kernel: s.kernel, stride: val('stride').value, padding: val('padding').value, dilation: val('dilation').value,
      paddingMode: val('mode').value, flip: val('flip').checked, transpose: val('transpose').checked,
      outputPadding: val('transpose').checked ? String(val('outpad').value || 0) : '0', bias: val('bias').value };
  }

  function layout() {   // which cards and controls the mode shows
    const g = s.mode !== 'forward', pool = g && s.mode !== 'conv';
    for (const e of root.querySelectorAll('.grad-only')) e.style.display = g ? '' : 'none';
    for (const e of root.querySelectorAll('.forward-only')) e.style.display = g ? 'none' : '';
    for (const e of root.querySelectorAll('.pool-only')) e.style.display = pool ? '' : 'none';
    for (const e of root.querySelectorAll('.conv-only')) e.style.display = pool ? 'none' : '';
    for (const id of ['dilation', 'mode', 'flip', 'transpose', 'stride']) val(id).closest('label').style.display = pool ? 'none' : '';
    for (const id of ['outpad', 'bias']) val(id).closest('label').style.display = g && (pool || id === 'bias') ? 'none' : '';   // the bias changes no gradient
    val('check-which').querySelector('option[value=dK]').disabled = pool;
    val('check-which').querySelector('option[value=db]').disabled = pool;
    if (pool) val('check-which').value = 'dX';
    answer.placeholder = g ? 'your answer for the chosen gradient, e.g. "1 1 0; 1 0 -1; 0 -1 -1"' : 'your answer, e.g. "4 4; 4 5", a shape "3x3", or a number';
  }

  async function compute(withAnswer) {
    const grad = s.mode !== 'forward';
    const req = settings();
    if (grad) {
      val('pool-size-v').textContent = val('pool-size').value;
      Object.assign(req, { kind: s.mode, gradOutput: s.dy, fit: s.fit, check: val('check-which').value,
        size: Number(val('pool-size').value), stride: s.mode === 'conv' ? req.stride : Number(val('pool-stride').value || 0) });
    }
    if (withAnswer || answer.value.trim()) req.answer = answer.value;
    const my = ++s.seq, t0 = performance.now();
    try {
      const res = await post(grad ? '/api/grad' : '/api/conv', req);
      if (my !== s.seq || !answer.isConnected) return;   // a newer request, or the page was left
      s.res = res;
      if (grad) renderGrad(); else {
        s.cur = Math.min(s.cur, count() - 1);
        render();
      }
      val('conv-err').textContent = '';
      const ms = performance.now() - t0;
      val('timing').textContent = `answered in ${ms.toFixed(0)} ms (server ${res.ms.toFixed(1)} ms)`;
      root.dataset.lastMs = ms.toFixed(1);   // request sent to the page redrawn (the 40 ms typing debounce before it not counted)
      root.dataset.updates = String(++s.shown);
    } catch (e) {
      if (my !== s.seq || !answer.isConnected) return;   // a newer request, or the page was left
      val('conv-err').textContent = e.message;
    }
  }

  function rowsText(m) { return m.map(r => r.join(' ')).join('; '); }

  function renderGrad() {
    const r = s.res;
    if (r.note) { s.dy = rowsText(r.gradOutput[0]); }
    if (document.activeElement !== dyText) dyText.value = rowsText(r.gradOutput[0]);
    if (!s.dy) s.dy = rowsText(r.gradOutput[0]);
    const key = JSON.stringify([r.input, r.kernel || null]);   // the input/kernel editors as in the forward mode
    if (key !== s.editorKey || !val('in-grid').firstChild) {
      s.editorKey = key;
      const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('#in-grid, #k-grid');
      if (!focused) {
        val('in-grid').replaceChildren(editorOf(r.input[0], 'input'));
        if (r.kernel) val('k-grid').replaceChildren(editorOf(r.kernel[0], 'kernel'));
      }
    }
    const f = val('formulas');
    f.replaceChildren(...(r.identity ? [el('div', {}, 'dK: ' + r.identity.grad_kernel), el('div', {}, 'dX: ' + r.identity.grad_input)]
      : [el('div', {}, s.mode === 'maxpool' ? 'each window passes its dY entry to its maximum (ties: the first in row-major order, as PyTorch)'
        : 'each window shares its dY entry equally among its entries (padded cells count: count_include_pad)')]));
    val('note').textContent = (r.input.length > 1 ? `${r.input.length} channels: the grids show channel 1. ` : '') + (r.note || '');
    const sel = s.gsel, entries = sel.which === 'dK' && r.kernelEntries ? r.kernelEntries : r.inputEntries;
    if (sel.i >= entries.length) sel.i = 0;
    const e = entries[sel.i];
    const reads = new Set(e.reads.map(n => { const [i, j] = inputIndex(n); return `${i},${j}`; }));
    const dyEditor = el('table', { class: 'grid', id: 'dy-table' });
    r.gradOutput[0].forEach((row, i) => dyEditor.append(el('tr', {}, ...row.map((v, j) => el('td', { class: reads.has(`${i},${j}`) ? 'win' : '' },
      el('input', { value: String(v), 'data-r': i, 'data-c': j, oninput: ev => {
        const m = s.res.gradOutput[0].map(rr => rr.map(String)); m[i][j] = ev.target.value.trim() || '0';
        s.dy = rowsText(m); dyText.value = s.dy; dyChanged();
      } }))))));
    if (!(document.activeElement && document.activeElement.closest && document.activeElement.closest('#dy-grid'))) val('dy-grid').replaceChildren(dyEditor);
    const W = r.input[0][0].length;
    const pick = (which, cols) => ev => {
      const td = ev.target.closest('td'); if (!td) return;
      s.gsel = { which, i: Number(td.dataset.r) * cols + Number(td.dataset.c) };
      renderGrad();
    };
    const dx = grid(r.gradInput[0], (a, b) => sel.which === 'dX' && a * W + b === sel.i ? 'cur' : '', () => null);
    dx.id = 'dx-table';
    dx.addEventListener('click', pick('dX', W));
    val('dx-grid').replaceChildren(dx);
    val('dx-title').textContent = `dX = ∂L/∂x ${r.gradInput[0].length}×${W}`;
    if (r.gradKernel) {
      const KW = r.gradKernel[0][0].length;
      const dk = grid(r.gradKernel[0], (a, b) => sel.which === 'dK' && a * KW + b === sel.i ? 'cur' : '', () => null);
      dk.id = 'dk-table';
      dk.addEventListener('click', pick('dK', KW));
      val('dk-grid').replaceChildren(dk);
      val('db').textContent = `db = Σ dY = ${r.gradBias}`;
    } else {
      val('pool-out-grid').replaceChildren(grid(r.output[0], () => '', () => null));
      val('pool-out-title').textContent = `Pooled output ${r.output[0].length}×${r.output[0][0].length}`;
    }
    val('cur-sum').textContent = e.text;
    if (r.check) {
      const v = val('verdict');
      v.className = 'verdict ' + (r.check.correct ? 'ok' : 'bad');
      v.textContent = r.check.text;
    } else val('verdict').textContent = '';
  }

  const count = () => !s.res ? 0 : s.res.scatters ? s.res.scatters.length : s.res.entries.length;
  function step(d) { if (!s.res) return; s.cur = (s.cur + d + count()) % count(); renderView(); }
  function togglePlay() {
    if (s.timer) { clearInterval(s.timer); s.timer = null; val('play').textContent = '▶ play'; return; }
    s.timer = setInterval(() => step(1), 800);
    val('play').textContent = '❚❚ pause';
  }

  function render() {
    const r = s.res;
    const key = JSON.stringify([r.input, r.kernelGiven]);   // the editors are rebuilt only when the numbers changed
    if (key !== s.editorKey || !val('in-grid').firstChild) {
      s.editorKey = key;
      const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('#in-grid, #k-grid');
      if (!focused) {
        val('in-grid').replaceChildren(editor('input'));
        val('k-grid').replaceChildren(editor('kernel'));
      }
    }
    const f = val('formulas');
    f.replaceChildren(el('div', {}, 'output size: ' + r.formula), ...r.formulas.map(t => el('div', {}, '  ' + t)));
    val('note').textContent = (r.input.length > 1 ? `${r.input.length} channels: the grids show channel 1; the sums run over all. ` : '') + (r.note || '');
    if (r.check) {
      const v = val('verdict');
      v.className = 'verdict ' + (r.check.correct ? 'ok' : 'bad');
      v.textContent = r.check.text;
    } else val('verdict').textContent = '';
    renderView();
  }

  function grid(m, cls, sub) {   // m: rows of values; cls(i,j) -> class; sub(i,j) -> small corner text
    const t = el('table', { class: 'grid' });
    m.forEach((row, i) => t.append(el('tr', {}, ...row.map((v, j) => el('td', { class: cls(i, j), 'data-r': i, 'data-c': j }, String(v), sub(i, j))))));
    return t;
  }

  function renderView() {
    const r = s.res; if (!r || s.mode !== 'forward') return;
    const [kh, kw] = [r.kernel[0].length, r.kernel[0][0].length];
    const [s0, s1] = r.stride, [d0, d1] = r.dilation, [p0, p1] = r.padding;
    const out = r.oneD ? [r.output] : r.output;
    const win = new Map();   // "row,col" of the shown grid -> kernel value there
    let curOut = new Set(), text = '';
    if (r.scatters) {
      const sc = r.scatters[s.cur];
      const [ci, cj] = inputIndex(sc.input);
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
        const [oi, oj] = [sc.at[0] + a * d0, sc.at[1] + b * d1];
        if (oi >= 0 && oj >= 0 && oi < out.length && oj < out[0].length) curOut.add(`${oi},${oj}`);
      }
      win.set(`${ci},${cj}`, '');
      text = `${sc.input} = ${sc.value} adds ${sc.value}·kernel to the output at ${r.oneD ? 'position ' + sc.at[1] : 'row ' + sc.at[0] + ', col ' + sc.at[1]}` +
        (curOut.size < kh * kw ? ' (the part outside the output is cropped by the padding)' : '');
      val('pad-title').textContent = 'Input (each entry scatters a scaled kernel)';
      val('pad-grid').replaceChildren(grid(r.input[0], (i, j) => win.has(`${i},${j}`) ? 'cur' : '', () => null));
    } else {
      const e = r.entries[s.cur];
      const [i, j] = r.oneD ? [0, e.index[0]] : e.index;
      curOut.add(`${r.oneD ? 0 : i},${r.oneD ? e.index[0] : j}`);
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) win.set(`${i * s0 + a * d0},${j * s1 + b * d1}`, r.kernel[0][a][b]);
      text = e.text;
      const pad = r.padded[0], H = r.input[0].length, W = r.input[0][0].length;
      val('pad-title').textContent = p0 + p1 > 0 ? `Padded input (${val('mode').value}; grey = padding)` : 'Input';
      val('pad-grid').replaceChildren(grid(pad, (a, b) => {
        const isPad = a < p0 || a >= p0 + H || b < p1 || b >= p1 + W;
        return (isPad ? 'pad ' : '') + (win.has(`${a},${b}`) ? 'win' : '');
      }, (a, b) => win.has(`${a},${b}`) ? el('sub', {}, '×' + win.get(`${a},${b}`)) : null));
    }
    val('used-title').textContent = r.scatters ? 'Kernel' : val('flip').checked ? 'Kernel flipped (rotated 180°)' : 'Kernel (not flipped: cross-correlation)';
    val('used-grid').replaceChildren(grid(r.kernel[0], () => '', () => null));
    val('out-title').textContent = `Output ${r.shape.join('×')}`;
    const og = grid(out, (a, b) => curOut.has(`${a},${b}`) ? 'cur' : '', () => null);
    og.id = 'out-table';
    og.addEventListener('click', ev => {
      const td = ev.target.closest('td'); if (!td || r.scatters) return;
      s.cur = Number(td.dataset.r) * out[0].length + Number(td.dataset.c);
      renderView();
    });
    val('out-grid').replaceChildren(og);
    val('cur-sum').textContent = text;
  }

  function inputIndex(name) {   // "x[1,2]" / "x[3]" / "x[0;1,2]" -> [row, col] of channel grid
    const inside = name.slice(name.indexOf('[') + 1, -1).split(';').pop().split(',').map(Number);
    return inside.length === 1 ? [0, inside[0]] : inside;
  }

  layout();
  compute(false);
  return () => { if (s.timer) clearInterval(s.timer); };
}
