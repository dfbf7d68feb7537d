// Browser scenarios of the page, run by tests/cli_web_test.py against a real `cxhub serve`
// on a demo hub: Playwright (npm) drives Debian's Chromium, headless; nothing downloads a
// browser. Prints one JSON document: {"checks": [{ok, what, detail}], "logged": {...}}.
// env: BASE (http://127.0.0.1:PORT), LOGIN, PASSWORD (a Motors salesperson), ADMIN_LOGIN,
// ADMIN_PASSWORD (an admin: the Steward's merge and the Admin's import), WORKBOOK (an .xlsx
// with an error in sheet Interactions, row 2, column Date, and a new account A-900001),
// OUT (screenshot folder), CHROMIUM, MANAGER_LOGIN, MANAGER_PASSWORD (a manager: the strategy's
// edit and the seven steps, in screens.mjs).
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { adminScenarios } from './admin.mjs';
import { screenScenarios } from './screens.mjs';

const BASE = process.env.BASE;
const OUT = process.env.OUT || 'out';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENS = ['Accounts', 'Pipeline', 'My queue', 'KPIs', 'Review', 'Steward', 'Feedback', 'Strategy', 'Admin'];
mkdirSync(OUT, { recursive: true });

const checks = [];
const check = (ok, what, detail = '') => checks.push({ ok: !!ok, what, detail: ok ? '' : String(detail).slice(0, 500) });
const logged = {};
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Keys pressed by the user, apart from the text typed into the search and the notes.
let keys = 0;
let lastSave = 0; // when Ctrl+Enter was last pressed
async function press(page, key) {
  keys++;
  await page.keyboard.press(key);
}
const focused = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

// A typo: two neighbouring letters of the longest word swapped.
function typo(name) {
  const words = name.split(' ');
  let i = 0;
  words.forEach((w, j) => (w.length > words[i].length ? (i = j) : 0));
  const w = words[i];
  const k = Math.floor(w.length / 2);
  words[i] = w.slice(0, k - 1) + w[k] + w[k - 1] + w.slice(k + 1);
  return words.join(' ');
}

async function api(page, path) {
  const r = await page.request.get(BASE + path);
  return { status: r.status(), body: r.ok() ? await r.json() : null };
}

// A change through the API as the page's user (the session cookie and its CSRF token).
async function apiPost(page, path, data) {
  const csrf = await page.evaluate(() => localStorage.getItem('cxhub.csrf'));
  const r = await page.request.post(BASE + path, { data, headers: { 'X-CSRF-Token': csrf } });
  return { status: r.status(), body: await r.json() };
}

async function logInAs(page, login, password) {
  await page.goto(BASE + '/');
  await page.getByLabel('Login', { exact: true }).fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.getByRole('link', { name: 'My queue', exact: true }).waitFor({ timeout: 10000 });
}

// The page's requests still waiting for an answer, with when each was sent: named when a
// screen never goes quiet (which request hung, or which kept coming), not just "timeout".
const pending = new Map();
function trackRequests(page) {
  page.on('request', (r) => pending.set(r, Date.now()));
  for (const ev of ['requestfinished', 'requestfailed']) page.on(ev, (r) => pending.delete(r));
}
function pendingNow() {
  const now = Date.now();
  return [...pending].map(([r, t]) => `${r.method()} ${r.url()} (${now - t} ms)`).join('; ') || 'none';
}

// Opens a screen by its link and waits until its answers have arrived.
async function screen(page, name) {
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, exact: true, level: 1 }).waitFor({ timeout: 10000 });
  await page.waitForFunction(() => ![...document.querySelectorAll('main [role=status]')].some((e) => /^Loading/.test(e.textContent)), null, { timeout: 15000 });
  try {
    await page.waitForLoadState('networkidle', { timeout: 60000 });
  } catch (e) {
    throw new Error(`screen ${name} never went quiet: ${e.message.split('\n')[0]}; requests waiting: ${pendingNow()}`);
  }
}

// The value the KPIs screen shows for one division's KPI.
async function kpiShown(page, division, name) {
  await screen(page, 'KPIs');
  const row = page.locator('table.kpis tbody tr').filter({ has: page.getByRole('button', { name, exact: true }) }).filter({ hasText: division });
  await row.first().waitFor({ timeout: 10000 });
  return (await row.first().locator('td').nth(2).innerText()).trim();
}

// Runs one scenario; a step that fails (a missing button, a timeout) fails that scenario,
// with a screenshot, and the next scenario still runs.
async function scenario(page, name, fn) {
  try {
    await fn();
  } catch (e) {
    const shot = `failure-${name.replace(/\W+/g, '-')}.png`;
    check(false, `the scenario "${name}" ran to the end (${shot} shows where it stopped)`, e && e.stack ? e.stack : e);
    await page.screenshot({ path: `${OUT}/${shot}`, fullPage: true }).catch(() => {});
  }
}

// The pairs of a <dl class="facts"> as {dt: dd}.
const factsOf = (loc) =>
  loc.evaluate((dl) => {
    const out = {};
    for (const dt of dl.querySelectorAll('dt')) out[dt.textContent.trim()] = dt.nextElementSibling.textContent.trim();
    return out;
  });

// Logs one call with the keyboard only; returns the keys it took.
async function quickLog(page, search, notes) {
  keys = 0;
  await press(page, 'n');
  await page.waitForSelector('#ql-contact');
  check((await focused(page)) === 'ql-contact', 'n opens the quick-log with the cursor in Contact', await focused(page));
  await page.keyboard.type(search, { delay: 15 });
  await press(page, 'Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ql-channel', null, { timeout: 10000 });
  await press(page, 'Tab');
  check((await focused(page)) === 'ql-notes', 'Tab after the channel reaches Notes', await focused(page));
  await page.keyboard.type(notes);
  lastSave = Date.now();
  await press(page, 'Control+Enter');
  await page.waitForSelector('#ql-contact', { state: 'detached', timeout: 5000 });
  return keys;
}

async function axe(page, where) {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline
  // scripts) stays in force for everything else.
  await page.evaluate(axeSource);
  const r = await page.evaluate(() =>
    // @ts-ignore
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] } }),
  );
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(
    bad.length === 0,
    `axe-core: no serious or critical violation on ${where}`,
    bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('; '),
  );
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
let page;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  trackRequests(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // Log in.
  await page.goto(BASE + '/');
  await page.getByLabel('Login', { exact: true }).fill(process.env.LOGIN);
  await page.getByLabel('Password', { exact: true }).fill('wrong password');
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.getByText('Wrong login or password.').waitFor({ timeout: 10000 });
  check(true, 'a wrong password is refused with a message');
  await page.screenshot({ path: `${OUT}/login-1280.png` });
  await page.getByLabel('Password', { exact: true }).fill(process.env.PASSWORD);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.getByRole('link', { name: 'My queue', exact: true }).waitFor({ timeout: 10000 });
  check(true, 'logging in with Login and Password shows the screens');
  for (const name of SCREENS) {
    check((await page.getByRole('link', { name, exact: true }).count()) === 1, `a link named "${name}"`);
  }

  // My queue names each record: the contact and their company, the deal's account.
  const queue = (await api(page, '/api/v1/queue')).body;
  check(queue.next_actions.length > 0 && queue.sla.length > 0, 'the demo gives the salesperson next actions and SLA clocks', JSON.stringify(queue).slice(0, 200));
  const na = queue.next_actions[0];
  const naContact = (await api(page, `/api/v1/contacts/${na.contact_id}`)).body;
  const clockDeal = (await api(page, `/api/v1/${queue.sla[0].id.startsWith('K-') ? 'cases' : 'opportunities'}/${queue.sla[0].id}`)).body;
  const clockAccount = (await api(page, `/api/v1/accounts/${clockDeal.account_id}`)).body;
  const firstRows = async () => page.locator('table.queue').evaluateAll((ts) => ts.map((t) => t.querySelector('tbody tr').innerText));
  await page.waitForFunction(
    ([a, b]) => [...document.querySelectorAll('table.queue tbody tr:first-child')].map((r) => r.innerText).join('|').includes(a) &&
      document.body.innerText.includes(b),
    [naContact.full_name, clockAccount.name],
    { timeout: 15000 },
  ).catch(() => {});
  const rowsText = await firstRows();
  check(rowsText.length === 2 && rowsText[0].includes(naContact.full_name) && rowsText[0].includes(naContact.account_name || '') && rowsText[1].includes(clockAccount.name),
    `My queue shows names: "${naContact.full_name} · ${naContact.account_name}" for ${na.contact_id}, "${clockAccount.name}" for ${queue.sla[0].id}`, JSON.stringify(rowsText));
  await page.screenshot({ path: `${OUT}/my-queue-names-1280.png`, fullPage: true });

  // A contact of the demo's first account, searched for with a typo.
  const acc = await api(page, '/api/v1/accounts/A-000001');
  const contact = acc.body.contacts[0];
  logged.contact_id = contact.id;
  const search = typo(contact.full_name);
  const used = await quickLog(page, search, 'web test: first call, wants a quote');
  await page.locator('.entry.saved').first().waitFor({ timeout: 10000 });
  logged.save_ms = Date.now() - lastSave;
  const entryText = await page.locator('.entry').first().innerText();
  check(entryText.includes(contact.full_name) && entryText.includes('saved') && /I-\d+/.test(entryText),
    `the call shows at once and is confirmed with its id (${entryText.trim()})`, entryText);
  check(used <= 6, `keyboard only: ${used} keys plus the contact search ("${search}") and the notes (at most 6)`, used);
  logged.keys = used;
  logged.online = ['web test: first call, wants a quote'];

  // A call with a next action due on a day-first date; the Due field is prefilled.
  await page.keyboard.press('n');
  await page.keyboard.type(search);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ql-channel');
  check(/^\d{4}-\d{2}-\d{2} 09:00$/.test(await page.getByLabel('Due', { exact: true }).inputValue()), 'Due is prefilled (next working day, 09:00)');
  await page.getByLabel('Channel', { exact: true }).selectOption('whatsapp');
  await page.getByLabel('Notes', { exact: true }).fill('web test: call with a next action');
  await page.getByLabel('Next action', { exact: true }).fill('send the quote');
  await page.getByLabel('Due', { exact: true }).fill('10/01/2027 14:30');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#ql-contact', { state: 'detached' });
  await page.waitForFunction(() => !document.querySelector('.entry.saving, .entry.waiting'));
  const after = await api(page, `/api/v1/contacts/${contact.id}`);
  const withNext = after.body.interactions.find((i) => i.notes === 'web test: call with a next action');
  check(withNext && withNext.channel === 'whatsapp' && withNext.next_action === 'send the quote' && withNext.next_action_due === '2027-01-10T14:30:00',
    'channel, next action and a day-first due date reach the hub', JSON.stringify(withNext));
  logged.online.push('web test: call with a next action');

  // A call the hub refuses (no 31 February) is rolled back with the hub's reason.
  await page.keyboard.press('n');
  await page.keyboard.type(search);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ql-channel');
  await page.getByLabel('Notes', { exact: true }).fill('web test: refused call');
  await page.getByLabel('Next action', { exact: true }).fill('call back');
  await page.getByLabel('Due', { exact: true }).fill('31/02/2027 09:00');
  await page.keyboard.press('Control+Enter');
  await page.locator('.entry.failed').first().waitFor({ timeout: 10000 });
  const failedText = await page.locator('.entry.failed').first().innerText();
  check(/not saved/.test(failedText) && /due/.test(failedText), `a refused call is rolled back with the reason ("${failedText.trim()}")`, failedText);
  const refused = await api(page, `/api/v1/contacts/${contact.id}`);
  check(!refused.body.interactions.some((i) => i.notes === 'web test: refused call'), 'the refused call is not in the hub');

  // The channel used last is the next call's channel; Tab stays inside the quick-log.
  await page.keyboard.press('n');
  check((await page.getByLabel('Channel', { exact: true }).inputValue()) === 'whatsapp', 'the channel is prefilled with the one used last');
  await page.keyboard.press('Shift+Tab');
  const inside = await page.evaluate(() => !!document.activeElement && !!document.activeElement.closest('[role=dialog]'));
  check(inside, 'Shift+Tab from Contact stays inside the quick-log (modal)');
  await page.keyboard.press('Escape');

  // Search with a typo on the Accounts screen; the company beside each person.
  await press(page, '/');
  check((await focused(page)) === 'search', '/ focuses search', await focused(page));
  const accTypo = typo(acc.body.name);
  await page.keyboard.type(accTypo);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
  await page.locator('.results li').first().waitFor({ timeout: 10000 });
  const results = await page.locator('.results').innerText();
  check(results.includes(acc.body.name), `Accounts finds "${acc.body.name}" from "${accTypo}"`, results.slice(0, 300));

  // The account 360 view shows the call just logged.
  await page.getByRole('link', { name: acc.body.name, exact: true }).first().click();
  await page.getByRole('heading', { name: 'Interactions' }).waitFor();
  const hist = await page.locator('.history').innerText();
  check(hist.includes('web test: first call'), 'the account view shows the logged call in its history', hist.slice(0, 300));

  // Search first: a new contact that exists already gets the matches.
  await page.keyboard.press('n');
  await page.keyboard.type('zzqx nobody');
  await page.getByRole('button', { name: 'New contact…' }).click();
  await page.getByLabel('Full name').fill(contact.full_name);
  await page.getByLabel('Account id').fill('A-000001');
  await page.getByRole('button', { name: 'Create contact' }).click();
  await page.getByText('This contact probably exists already').waitFor({ timeout: 10000 });
  check(await page.getByRole('button', { name: `Use ${contact.full_name} (${contact.id})` }).count() === 1,
    'creating a contact that exists offers the match instead');
  await page.keyboard.press('Escape');

  // Offline: two calls are kept and sent once when the network returns.
  await context.setOffline(true);
  await quickLog(page, search, 'web test: offline call one');
  await quickLog(page, search, 'web test: offline call two');
  await page.locator('#waiting').waitFor({ timeout: 5000 });
  const waitingText = await page.locator('#waiting').innerText();
  check(/2 interactions waiting/.test(waitingText), `offline, the page says what is waiting ("${waitingText.trim()}")`, waitingText);
  const stored = await page.evaluate(
    () =>
      new Promise((res) => {
        const o = indexedDB.open('cxhub');
        o.onsuccess = () => {
          const r = o.result.transaction('outbox').objectStore('outbox').count();
          r.onsuccess = () => res(r.result);
        };
      }),
  );
  check(stored === 2, 'offline, both calls are kept in IndexedDB', stored);
  await page.screenshot({ path: `${OUT}/offline-waiting-1280.png` });
  await context.setOffline(false);
  await page.locator('#waiting').waitFor({ state: 'detached', timeout: 20000 });
  const newest = await page.locator('.outbox .entry').evaluateAll((els) => els.slice(0, 2).map((e) => e.className + ' ' + e.textContent));
  check(newest.length === 2 && newest.every((t) => /\bsaved\b/.test(t) && /I-\d+/.test(t)), 'back online, the two waiting calls are sent and confirmed', newest.join(' | '));
  logged.offline = ['web test: offline call one', 'web test: offline call two'];

  // Pipeline: a deal moves on until a checklist stops it; the refusal names the items; ticked,
  // it moves. The KPI it counts in changes on the KPIs screen.
  await scenario(page, 'pipeline checklist and KPI', async () => {
    const created = await apiPost(page, '/api/v1/opportunities', {
      account_id: 'A-000001', division: 'Motors', owner: process.env.LOGIN, stage: 'Qualified', title: 'web test: pipeline deal',
    });
    check(created.status === 201, 'a Motors deal at Qualified is created for the pipeline scenario', JSON.stringify(created.body));
    const deal = created.body.id;
    logged.deal = deal;
    const kpiName = 'Inquiry-to-Quote Rate';
    const kpiBefore = await kpiShown(page, 'Motors', kpiName);
    await screen(page, 'Pipeline');
    const card = () => page.locator(`li.card[data-id="${deal}"]`);
    await card().waitFor({ timeout: 10000 });
    check((await card().locator('xpath=ancestor::section[1]').getAttribute('aria-label')) === 'Stage Qualified', `${deal} is on the board under Qualified`);
    await card().getByRole('button', { name: 'Move to Test Drive' }).click();
    await page.getByRole('status').filter({ hasText: `${deal} moved to Test Drive` }).waitFor({ timeout: 10000 });
    await page.locator(`section[aria-label="Stage Test Drive"] li.card[data-id="${deal}"]`).waitFor({ timeout: 10000 });
    // Into Quote, the test-drive checklist is required: refused with the hub's reason.
    await card().getByRole('button', { name: 'Move to Quote' }).click();
    const refusal = card().getByRole('alert');
    await refusal.waitFor({ timeout: 10000 });
    const refusalText = await refusal.innerText();
    const view = await api(page, `/api/v1/opportunities/${deal}`);
    const required = view.body.checklist.filter((c) => c.required && c.required_for === 'Quote').map((c) => c.item);
    check(/cannot enter Quote/.test(refusalText) && required.length > 0 && required.every((i) => refusalText.includes(i)),
      `moving ${deal} into Quote with the checklist undone is refused, naming every missing item ("${refusalText.slice(0, 120)}…")`, refusalText);
    check(view.body.stage === 'Test Drive', `the refused move changed nothing (${deal} is at ${view.body.stage})`, view.body.stage);
    await page.screenshot({ path: `${OUT}/pipeline-checklist-refused-1280.png`, fullPage: true });
    for (const item of required) {
      const box = card().getByRole('checkbox', { name: item });
      await box.click();
      await page.waitForFunction(([id, label]) => [...document.querySelectorAll(`li.card[data-id="${id}"] label`)].some((l) => l.textContent.includes(label) && l.querySelector('input').disabled), [deal, item], { timeout: 10000 });
    }
    const ticked = await api(page, `/api/v1/opportunities/${deal}`);
    check(required.every((i) => ticked.body.checklist.find((c) => c.item === i).done), 'the ticked checklist items are recorded in the hub');
    await card().getByRole('button', { name: 'Move to Quote' }).click();
    await page.getByRole('status').filter({ hasText: `${deal} moved to Quote` }).waitFor({ timeout: 10000 });
    await page.locator(`section[aria-label="Stage Quote"] li.card[data-id="${deal}"]`).waitFor({ timeout: 10000 });
    check((await api(page, `/api/v1/opportunities/${deal}`)).body.stage === 'Quote', `with the checklist ticked, ${deal} moves to Quote`);
    const kpiAfter = await kpiShown(page, 'Motors', kpiName);
    check(kpiAfter !== kpiBefore, `the KPIs screen's Motors ${kpiName} changes after the deal reached Quote (${kpiBefore} → ${kpiAfter})`, `${kpiBefore} → ${kpiAfter}`);
    const kpiRow = page.locator('table.kpis tbody tr').filter({ has: page.getByRole('button', { name: kpiName, exact: true }) }).filter({ hasText: 'Motors' }).first();
    await kpiRow.getByRole('button', { name: kpiName, exact: true }).click();
    const drill = await page.locator('td.drill').first().innerText();
    check(/Counted \(\d+\):[^]*\bO-/.test(drill) && drill.split('Out of')[0].includes(deal), `the KPI's drill-down counts ${deal}`, drill.slice(0, 300));
  });

  // Every screen at phone and desktop widths, checked with axe-core.
  for (const [w, h] of [
    [360, 740],
    [1280, 800],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    for (const name of SCREENS) {
      await screen(page, name);
      const file = `${OUT}/${name.replace(/ /g, '-').toLowerCase()}-${w}.png`;
      await page.screenshot({ path: file, fullPage: true });
      if (w === 360) {
        const over = await page.evaluate(() => document.documentElement.scrollWidth);
        check(over <= 360, `${name} fits a 360 px screen (page width ${over})`, over);
        await axe(page, name);
      }
    }
    await page.keyboard.press('n');
    await page.waitForSelector('#ql-contact');
    await page.screenshot({ path: `${OUT}/quick-log-${w}.png` });
    if (w === 360) await axe(page, 'the quick-log');
    await page.keyboard.press('Escape');
  }
  await page.goto(BASE + '/accounts/A-000001');
  await page.getByRole('heading', { name: 'Interactions' }).waitFor();
  await page.screenshot({ path: `${OUT}/account-360-view-1280.png`, fullPage: true });

  // Installable: a manifest and an active service worker.
  const manifest = await (await page.request.get(BASE + '/manifest.webmanifest')).json();
  check(manifest.share_target && manifest.share_target.action === '/share' && manifest.icons.length >= 2, 'the manifest has icons and a share target');
  const sw = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => !!r.active));
  check(sw, 'a service worker is active');

  // Web Share Target: a shared note with a phone number opens the quick-log on that contact.
  const phone = contact.phone;
  await page.goto(BASE + '/share?text=' + encodeURIComponent(`WhatsApp chat with ${phone}: wants a service visit`));
  await page.waitForSelector('#ql-contact');
  await page.locator('.chosen').waitFor({ timeout: 10000 });
  const chosen = await page.locator('.chosen').innerText();
  const notes = await page.inputValue('#ql-notes');
  const channel = await page.inputValue('#ql-channel');
  check(chosen.includes(contact.full_name) && notes.includes('service visit') && channel === 'whatsapp',
    `a shared WhatsApp text finds the contact by phone (${chosen.trim()})`, `${chosen} | ${notes} | ${channel}`);
  await page.keyboard.press('Escape');

  // As an admin: merge two duplicates on the Steward screen, seeing what survives first, and
  // undo it; a workbook with an error is previewed on the Admin screen and nothing is written.
  const actx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const ap = await actx.newPage();
  ap.on('pageerror', (e) => errors.push(String(e)));
  await logInAs(ap, process.env.ADMIN_LOGIN, process.env.ADMIN_PASSWORD);
  await scenario(ap, 'merge and undo', async () => {
    await screen(ap, 'Steward');
    const cluster = ap.locator('li.cluster').first();
    await cluster.locator('.survives dl').waitFor({ timeout: 10000 });
    const ids = (await cluster.getAttribute('data-ids')).split(' ');
    const kind = ids[0].startsWith('A-') ? 'accounts' : 'contacts';
    // The planted duplicate (the second, with fewer fields) survives: its gaps are filled.
    const [other, survivor] = ids;
    await cluster.getByRole('radio', { name: survivor, exact: true }).check();
    const before = {};
    for (const id of ids) before[id] = (await api(ap, `/api/v1/${kind}/${id}`)).body;
    const preview = await factsOf(cluster.locator('.survives dl'));
    await ap.screenshot({ path: `${OUT}/steward-merge-preview-1280.png`, fullPage: true });
    await cluster.getByLabel('Reason').fill('web test: the same company twice');
    await cluster.getByRole('button', { name: `Merge into ${survivor}` }).click();
    await cluster.getByRole('status').filter({ hasText: 'Merged' }).waitFor({ timeout: 10000 });
    const afterMerge = { s: (await api(ap, `/api/v1/${kind}/${survivor}`)).body, o: (await api(ap, `/api/v1/${kind}/${other}`)).body };
    check(afterMerge.o.merged_into === survivor, `merging ${other} into ${survivor} from the Steward screen`, JSON.stringify(afterMerge.o.merged_into));
    const differs = Object.entries(preview).filter(([f, v]) => f !== 'After the merge' && f !== 'contacts' && (afterMerge.s[f.replace(/ /g, '_')] || '—') !== v);
    check(Object.keys(preview).length > 5 && differs.length === 0, `what the screen showed would survive is what survived (${Object.keys(preview).length} fields)`, JSON.stringify(differs));
    const filled = Object.keys(preview).filter((f) => !before[survivor][f.replace(/ /g, '_')] && before[other][f.replace(/ /g, '_')]);
    check(filled.length > 0 && filled.every((f) => preview[f] === before[other][f.replace(/ /g, '_')]),
      `the preview fills the survivor's empty fields from the other record (${filled.join(', ')})`, JSON.stringify({ filled, preview }));
    await ap.screenshot({ path: `${OUT}/steward-merged-1280.png`, fullPage: true });
    await cluster.getByRole('button', { name: /^Undo merge M-/ }).click();
    await cluster.getByRole('status').filter({ hasText: 'undone' }).waitFor({ timeout: 10000 });
    const afterUndo = { s: (await api(ap, `/api/v1/${kind}/${survivor}`)).body, o: (await api(ap, `/api/v1/${kind}/${other}`)).body };
    const same = (a, b) => ['name', 'full_name', 'owner', 'city', 'phone', 'email', 'industry', 'job_title', 'account_id', 'erp_customer_id'].every((f) => (a[f] || '') === (b[f] || ''));
    check(!afterUndo.o.merged_into && !afterUndo.s.merged_into && same(afterUndo.s, before[survivor]) && same(afterUndo.o, before[other]),
      `after the undo both ${survivor} and ${other} exist again as they were`, JSON.stringify(afterUndo));
    const dups = await api(ap, '/api/v1/duplicates');
    check(dups.body[kind].some((c) => c.ids.join(' ') === ids.join(' ')), 'after the undo the pair is a probable duplicate again');
    await ap.waitForLoadState('networkidle');
    check((await cluster.locator('.side dl').count()) === 3 && (await cluster.getByRole('button', { name: `Merge into ${survivor}` }).count()) === 1,
      'after the undo the Steward screen shows both records and the merge again');
    await ap.screenshot({ path: `${OUT}/steward-undone-1280.png`, fullPage: true });
  });

  await scenario(ap, 'workbook import errors', async () => {
    await screen(ap, 'Admin');
    await ap.setInputFiles('#wb-file', process.env.WORKBOOK);
    for (const [button, first] of [
      ['Preview (nothing is written)', 'Preview:'],
      ['Import', 'Import refused:'],
    ]) {
      await ap.getByRole('button', { name: button, exact: true }).click();
      await ap.locator('.import p').filter({ hasText: first }).waitFor({ timeout: 20000 });
      const rows = await ap.locator('table.errors tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
      const said = await ap.locator('.import p').first().innerText();
      check(rows.some(([sheet, row, column, problem]) => sheet === 'Interactions' && row === '2' && column === 'Date' && /not a date/.test(problem)) && /nothing was written/.test(said),
        `${button}: the workbook's error is listed by sheet, row and column ("${said}")`, JSON.stringify(rows));
      const written = await api(ap, '/api/v1/accounts/A-900001');
      check(written.status === 404, `${button}: nothing of the workbook was written (its new account A-900001 is not in the hub)`, written.status);
      if (button === 'Import') await ap.screenshot({ path: `${OUT}/admin-import-errors-1280.png`, fullPage: true });
    }
  });
  // The admin's Steward and Admin screens (users, link proposals) at both widths.
  for (const [w, h] of [
    [360, 740],
    [1280, 800],
  ]) {
    await ap.setViewportSize({ width: w, height: h });
    for (const name of ['Steward', 'Admin']) {
      await screen(ap, name);
      await ap.screenshot({ path: `${OUT}/${name.toLowerCase()}-as-admin-${w}.png`, fullPage: true });
      if (w === 360) {
        const over = await ap.evaluate(() => document.documentElement.scrollWidth);
        check(over <= 360, `${name} (as admin) fits a 360 px screen (page width ${over})`, over);
        await axe(ap, `${name} (as admin)`);
      }
    }
  }
  await actx.close();
  await screenScenarios({ browser, page, check, api, scenario, screen, axe, logInAs, OUT, BASE, errors });
  await adminScenarios({ browser, check, api, scenario, screen, axe, logInAs, OUT, BASE });
  check(errors.length === 0, 'no script error on the page', errors.join('; '));
} catch (e) {
  check(false, 'the browser scenarios ran to the end (failure.png shows where they stopped)', e && e.stack ? e.stack : e);
  if (page) await page.screenshot({ path: `${OUT}/failure.png` }).catch(() => {});
} finally {
  await browser.close();
}
console.log(JSON.stringify({ checks, logged }));
