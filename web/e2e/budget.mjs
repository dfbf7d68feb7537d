// The page's budgets, measured in Debian's Chromium (bench/web_budget.sh runs it against a
// real `cxhub serve`): JavaScript gzipped (first screen, whole app), first paint and the
// quick-log usable on an emulated slow 4G phone (Lighthouse's mobile throttling through
// CDP: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, 4x CPU slowdown; cold cache, no service
// worker), and Ctrl+Enter to confirmed when saving an interaction (not throttled).
// env: BASE, LOGIN, PASSWORD, CHROMIUM, RUNS (cold loads, default 5), SAVES (default 30).
// Prints one JSON document; exits 1 when a budget is exceeded.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE;
const RUNS = Number(process.env.RUNS || 5);
const SAVES = Number(process.env.SAVES || 30);
const dist = new URL('../dist/', import.meta.url);

function jsSizes() {
  const gz = (f) => gzipSync(readFileSync(new URL(f, dist)), { level: 9 }).length;
  const all = readdirSync(new URL('assets/', dist)).filter((f) => f.endsWith('.js'));
  const whole = all.reduce((n, f) => n + gz('assets/' + f), 0);
  const html = readFileSync(new URL('index.html', dist), 'utf8');
  const first = new Set();
  const todo = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  while (todo.length) {
    const f = todo.pop();
    if (first.has(f)) continue;
    first.add(f);
    const text = readFileSync(new URL(f, dist), 'utf8');
    for (const m of text.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) todo.push('assets/' + m[1].slice(2));
  }
  return { first: [...first].reduce((n, f) => n + gz(f), 0), whole };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const out = { js_gzip_bytes: jsSizes(), login_first_paint_ms: [], app_first_paint_ms: [], quick_log_usable_ms: [], save_ms: [] };
try {
  // A signed-in state to start the throttled loads from (a returning user, cold cache).
  const setup = await browser.newContext();
  const sp = await setup.newPage();
  await sp.goto(BASE + '/');
  await sp.getByLabel('Login', { exact: true }).fill(process.env.LOGIN);
  await sp.getByLabel('Password', { exact: true }).fill(process.env.PASSWORD);
  await sp.getByLabel('Password', { exact: true }).press('Enter');
  await sp.getByRole('link', { name: 'My queue', exact: true }).waitFor();
  const state = await setup.storageState();

  for (let i = 0; i < RUNS; i++) {
    for (const signedIn of [false, true]) {
      const ctx = await browser.newContext({
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
        serviceWorkers: 'block',
        storageState: signedIn ? state : undefined,
      });
      const page = await ctx.newPage();
      await throttle(page);
      await page.goto(BASE + (signedIn ? '/queue' : '/'), { waitUntil: 'commit' });
      if (signedIn) {
        await page.waitForSelector('nav.screens', { timeout: 30000 });
        await page.keyboard.press('n');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ql-contact', null, { timeout: 30000 });
        out.quick_log_usable_ms.push(Math.round(await page.evaluate(() => performance.now())));
      } else {
        await page.getByLabel('Login', { exact: true }).waitFor({ timeout: 30000 });
      }
      const fp = await page.evaluate(() => {
        const e = performance.getEntriesByName('first-paint')[0] || performance.getEntriesByName('first-contentful-paint')[0];
        return e ? Math.round(e.startTime) : -1;
      });
      out[signedIn ? 'app_first_paint_ms' : 'login_first_paint_ms'].push(fp);
      await ctx.close();
    }
  }

  // Saving: Ctrl+Enter to the entry confirmed with its id, on the demo hub.
  const page = await setup.newPage();
  await page.goto(BASE + '/queue');
  await page.getByRole('link', { name: 'My queue', exact: true }).waitFor();
  const acc = await (await page.request.get(BASE + '/api/v1/accounts/A-000001')).json();
  const name = acc.contacts[0].full_name;
  for (let i = 0; i < SAVES; i++) {
    await page.keyboard.press('n');
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ql-channel');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`budget save ${i}`);
    const t0 = Date.now();
    await page.keyboard.press('Control+Enter');
    // My queue lists every entry of this visit: the (i+1)th confirmed one is this save.
    await page.waitForFunction((n) => document.querySelectorAll('main .entry.saved').length >= n, i + 1, { polling: 5 });
    out.save_ms.push(Date.now() - t0);
    await page.waitForSelector('#ql-contact', { state: 'detached' });
  }
} catch (e) {
  console.error(e);
  for (const ctx of browser.contexts()) for (const p of ctx.pages()) await p.screenshot({ path: '/tmp/budget-failure.png' }).catch(() => {});
  process.exit(1);
} finally {
  await browser.close();
}
const summary = {
  js_first_screen_kb: +(out.js_gzip_bytes.first / 1024).toFixed(1),
  js_whole_app_kb: +(out.js_gzip_bytes.whole / 1024).toFixed(1),
  login_first_paint_ms_median: pct(out.login_first_paint_ms, 50),
  app_first_paint_ms_median: pct(out.app_first_paint_ms, 50),
  quick_log_usable_ms_median: pct(out.quick_log_usable_ms, 50),
  quick_log_usable_ms_max: Math.max(...out.quick_log_usable_ms),
  save_ms_p50: pct(out.save_ms, 50),
  save_ms_p95: pct(out.save_ms, 95),
};
const over = [];
if (summary.js_first_screen_kb > 200) over.push('first screen JS > 200 KB');
if (summary.js_whole_app_kb > 400) over.push('whole app JS > 400 KB');
if (summary.app_first_paint_ms_median > 1000 || summary.login_first_paint_ms_median > 1000) over.push('first paint > 1 s');
if (summary.quick_log_usable_ms_median > 2500) over.push('quick-log usable > 2.5 s');
if (summary.save_ms_p95 > 300) over.push('save p95 > 300 ms');
console.log(JSON.stringify({ summary, runs: out, over }, null, 1));
process.exit(over.length ? 1 : 0);
