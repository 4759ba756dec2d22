import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const c = await b.newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
for (const [u, f] of [['file:///tmp/wrapsite/th/long/index.html', '/tmp/wrap-th.png'], ['file:///tmp/wrapsite/en/long/index.html', '/tmp/wrap-en.png'], ['file:///tmp/defsite/th/projects/aup-ii/index.html', '/tmp/def-th.png']]) {
  const p = await c.newPage(); await p.goto(u); await p.screenshot({ path: f, fullPage: true }); await p.close();
}
await b.close();
