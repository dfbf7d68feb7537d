// Lighthouse (npm, pinned in this folder's package-lock.json) on Debian's Chromium, headless,
// with its default mobile settings (a phone screen and simulated slow 4G: 150 ms RTT,
// 1.6 Mbit/s down, 750 kbit/s up, 4x CPU slowdown), for the screens a salesperson opens most:
// Accounts, Pipeline and My queue, signed in. Budgets: performance >= 90 and accessibility
// >= 95 (the median of RUNS runs per screen). Run by bench/web_budget.sh against a real
// `cxhub serve`; chrome-launcher starts CHROME_PATH (default /usr/bin/chromium), nothing
// downloads a browser.
// env: BASE, LOGIN, PASSWORD, RUNS (default 3), OUT (folder for the JSON reports).
// Prints one JSON document; exits 1 when a budget is missed.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const BASE = process.env.BASE;
const RUNS = Number(process.env.RUNS || 3);
const OUT = process.env.OUT || '';
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const BUDGET = { performance: 90, accessibility: 95 };
const SCREENS = [
  ['Accounts', '/accounts'],
  ['Pipeline', '/pipeline'],
  ['My queue', '/queue'],
];

// A session as a person gets it from the login form (the cookie is all a page load needs).
const login = await fetch(BASE + '/api/v1/session', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ login: process.env.LOGIN, password: process.env.PASSWORD }),
});
if (login.status !== 200) {
  console.error(`login failed: ${login.status} ${await login.text()}`);
  process.exit(1);
}
const cookie = login.headers.get('set-cookie').split(';')[0];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
if (OUT) mkdirSync(OUT, { recursive: true });

const chrome = await chromeLauncher.launch({
  chromePath: CHROME,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const results = {};
let version = '';
try {
  for (const [name, path] of SCREENS) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await lighthouse(BASE + path, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
        extraHeaders: { Cookie: cookie },
      });
      const lhr = r.lhr;
      version = lhr.lighthouseVersion;
      if (lhr.runtimeError) throw new Error(`${name}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const a = lhr.audits;
      const failedA11y = Object.values(a)
        .filter((x) => lhr.categories.accessibility.auditRefs.some((ref) => ref.id === x.id && ref.weight > 0) && x.score === 0)
        .map((x) => x.id);
      runs.push({
        performance: Math.round(lhr.categories.performance.score * 100),
        accessibility: Math.round(lhr.categories.accessibility.score * 100),
        fcp_ms: Math.round(a['first-contentful-paint'].numericValue),
        lcp_ms: Math.round(a['largest-contentful-paint'].numericValue),
        tbt_ms: Math.round(a['total-blocking-time'].numericValue),
        cls: +a['cumulative-layout-shift'].numericValue.toFixed(3),
        si_ms: Math.round(a['speed-index'].numericValue),
        failed_accessibility_audits: failedA11y,
      });
      if (OUT) writeFileSync(`${OUT}/lighthouse-${path.slice(1)}-${i + 1}.json`, r.report);
    }
    results[name] = {
      performance: median(runs.map((r) => r.performance)),
      accessibility: median(runs.map((r) => r.accessibility)),
      runs,
    };
  }
} finally {
  await chrome.kill();
}
const over = [];
for (const [name, r] of Object.entries(results)) {
  if (r.performance < BUDGET.performance) over.push(`${name}: performance ${r.performance} < ${BUDGET.performance}`);
  if (r.accessibility < BUDGET.accessibility) over.push(`${name}: accessibility ${r.accessibility} < ${BUDGET.accessibility}`);
}
console.log(JSON.stringify({ lighthouse: version, chrome: CHROME, runs_per_screen: RUNS, results, over }, null, 1));
process.exit(over.length ? 1 : 0);
