import { chromium } from 'playwright-core';
const base = process.argv[2];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('pageerror', e => console.log('PAGEERROR', String(e)));
page.on('console', m => { if (m.type() === 'error') console.log('CONSOLE', m.text()); });
for (const what of process.argv.slice(3)) {
  const [hash, action] = what.split(':');
  await page.goto(base + '#' + hash);
  await page.reload();
  await page.waitForTimeout(1500);
  if (action === 'grad') { await page.selectOption('#conv-mode', 'conv'); await page.waitForTimeout(1500); }
  if (action === 'maxpool') { await page.selectOption('#conv-mode', 'maxpool'); await page.waitForTimeout(1500); }
  if (action === 'folder') { await page.click('button[data-folder="sweep-demo"]'); await page.waitForTimeout(1500); }
  await page.screenshot({ path: `/tmp/look-${hash}-${action || ''}.png`, fullPage: true });
}
await browser.close();
