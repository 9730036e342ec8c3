import { convPage } from './conv.js';
import { netPage } from './net.js';
import { trainPage } from './train.js';
import { expPage } from './exp.js';
import { sheetPage } from './sheet.js';

const pages = { conv: convPage, net: netPage, train: trainPage, exp: expPage, sheet: sheetPage };
let cleanup = null;

function show() {
  const name = (location.hash || '#conv').slice(1).split('/')[0];
  const page = pages[name] ? name : 'conv';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.page === page);
  if (cleanup) cleanup();
  const root = document.getElementById('page');
  root.innerHTML = '';
  cleanup = pages[page](root) || null;
}

window.addEventListener('hashchange', show);
show();
