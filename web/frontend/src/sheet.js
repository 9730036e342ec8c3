import { el, debounce } from './api.js';

// The Sheets page: a `convlab sheet` document (Markdown with ```convlab blocks) edited beside its live preview. The
// server renders it with convlab sheet's own library (the same Markdown, HTML with MathML, PDF); the preview is that
// HTML in a sandboxed frame (no script runs, nothing is fetched). A block that fails shows its error in place.
const EXAMPLE = `# Convolution practice

A $3 \\times 3$ input and a $2 \\times 2$ kernel, cross-correlation as \`nn.Conv2d\` computes it:

\`\`\`convlab
conv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 -1" --explain
\`\`\`

My answer for the true convolution (the kernel flipped):

\`\`\`convlab
conv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 -1" --flip --check "4 4; 4 4"
\`\`\`

The gradient of the kernel when every output entry has $\\partial L / \\partial y = 1$:

\`\`\`convlab
grad conv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 -1" --grad-output "1 1; 1 1"
\`\`\`
`;

export function sheetPage(root) {
  const s = { seq: 0, last: null, renders: 0 };
  const editor = el('textarea', { id: 'sheet-text', class: 'sheet-editor', spellcheck: 'false', oninput: () => { localStorage.setItem('convlab-sheet', editor.value); changed(); } });
  editor.value = localStorage.getItem('convlab-sheet') || EXAMPLE;
  const frame = el('iframe', { id: 'sheet-preview', class: 'sheet-preview', sandbox: '', title: 'preview' });
  const status = el('div', { id: 'sheet-status', class: 'muted' }, 'rendering…');
  const blocks = el('div', { id: 'sheet-blocks' });
  const errBox = el('div', { class: 'err', id: 'sheet-err' });
  const download = (name, type, text) => {
    const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  root.append(el('h2', {}, 'Sheets'),
    el('div', { class: 'muted' }, 'A worked-solution document as `convlab sheet FILE.md` reads it: Markdown with $math$ and ```convlab blocks, one command line each (conv, grad, summary, cost, optimize, step-size, params, receptive-field, solve-filter, forward, fp8); --check ANSWER marks your answer. The preview renders as you type.'),
    el('div', { class: 'row sheet-row' },
      el('div', { class: 'card sheet-left' }, editor,
        el('div', { class: 'controls' },
          el('button', { id: 'sheet-md', onclick: () => s.last && download('sheet.md', 'text/markdown', s.last.markdown) }, 'download Markdown'),
          el('button', { id: 'sheet-html', onclick: () => s.last && download('sheet.html', 'text/html', s.last.html) }, 'download HTML'),
          el('button', { id: 'sheet-pdf', onclick: pdf }, 'download PDF'),
          el('button', { onclick: () => { editor.value = EXAMPLE; localStorage.removeItem('convlab-sheet'); changed(); } }, 'example')),
        status, blocks, errBox),
      el('div', { class: 'card sheet-right' }, frame)));

  async function request(url, body) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }

  async function render() {
    const my = ++s.seq, t0 = performance.now();
    status.textContent = 'rendering…';
    try {
      const r = await request('/api/sheet', { markdown: editor.value });
      const j = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
      if (my !== s.seq || !editor.isConnected) return;
      if (r.status === 503 && /another sheet/.test(j.error || '')) { status.textContent = 'waiting for the server…'; setTimeout(() => { if (my === s.seq) render(); }, 800); return; }
      if (!r.ok) { errBox.textContent = j.error; status.textContent = 'not rendered'; return; }
      errBox.textContent = '';
      s.last = j;
      frame.srcdoc = j.html;
      const failed = j.blocks.filter(b => b.status === 'failed').length, wrong = j.blocks.filter(b => b.status === 'wrong').length;
      status.textContent = `${j.blocks.length} blocks, ${failed} failed, ${wrong} not correct; rendered in ${(performance.now() - t0).toFixed(0)} ms (server ${j.ms.toFixed(0)} ms)`;
      blocks.replaceChildren(...j.blocks.map(b => el('div', { class: 'sheet-block status-' + b.status },
        `line ${b.line}: ${b.status === 'ok' ? '✓' : b.status === 'wrong' ? '✗ not correct' : 'error'}${b.message ? ' — ' + b.message : ''}`)));
      root.dataset.renders = String(++s.renders);
    } catch (e) {
      if (my === s.seq) errBox.textContent = e.message;
    }
  }
  const changed = debounce(render, 400);

  async function pdf() {
    status.textContent = 'making the PDF…';
    errBox.textContent = '';
    const r = await request('/api/sheet/pdf', { markdown: editor.value });
    if (!r.ok) { const j = await r.json().catch(() => ({ error: `HTTP ${r.status}` })); errBox.textContent = j.error; return; }
    const a = el('a', { href: URL.createObjectURL(await r.blob()), download: 'sheet.pdf' });
    document.body.append(a); a.click(); a.remove();
    status.textContent = 'PDF written';
  }

  render();
  return () => {};
}
