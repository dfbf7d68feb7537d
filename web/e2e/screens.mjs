// Browser scenarios of the screens that read the journeys, orders, feedback, survey-link,
// strategy and seven-steps routes, run by browser.mjs (which passes its helpers in `t`):
// - the account 360 view lists an order and a feedback of that account;
// - the Pipeline's columns are the division's journey stages as the server is configured
//   (tests/cli_web_test.py starts it with a journeys.toml whose Medical journey has a stage the
//   shipped one does not);
// - the Feedback screen draws the emotion curve (a chart, and a table with the hub's numbers)
//   and makes a survey link whose page opens without a login;
// - the Strategy screen shows a key result's live value (the KPI engine's, GET /api/v1/kpi);
//   a manager's edit saves a new version, a stale edit is refused and says so; a manager
//   changes one of the seven steps;
// and their screenshots at phone and desktop width.

// Opens /accounts/ID and waits until its orders and feedback have arrived.
async function accountView(t, page, id) {
  await page.goto(t.BASE + '/accounts/' + encodeURIComponent(id));
  await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor({ timeout: 10000 });
  await page.waitForFunction(() => ![...document.querySelectorAll('main [role=status]')].some((e) => /^Loading/.test(e.textContent)), null, { timeout: 15000 });
}

// The rows of the table that follows the heading `name` (the text of each cell).
const rowsUnder = (page, name) =>
  page.evaluate((name) => {
    const h = [...document.querySelectorAll('main h2')].find((x) => x.textContent.trim() === name);
    const table = h && h.parentElement.querySelector('table');
    return table ? [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent.trim())) : [];
  }, name);

export async function screenScenarios(t) {
  const { page, check, api, scenario, screen, OUT } = t;

  await scenario(page, 'account orders and feedback', async () => {
    // An account of the demo with both ERP orders and feedback, found through the API.
    let found = null;
    for (let i = 1; i <= 60 && !found; i++) {
      const id = 'A-' + String(i).padStart(6, '0');
      const o = await api(page, `/api/v1/accounts/${id}/orders?limit=100`);
      const f = await api(page, `/api/v1/accounts/${id}/feedback?limit=100`);
      if (o.status === 200 && f.status === 200 && o.body.items.length && f.body.items.length) found = { id, orders: o.body.items, feedback: f.body.items };
    }
    check(found, 'the demo has an account with ERP orders and feedback (GET /api/v1/accounts/{id}/orders, /feedback)');
    if (!found) return;
    await accountView(t, page, found.id);
    const orders = await rowsUnder(page, 'Orders');
    const order = found.orders[0];
    check(orders.some((r) => r[0] === order.id), `the account view of ${found.id} lists its order ${order.id} (${orders.length} rows shown)`, JSON.stringify(orders.slice(0, 3)));
    const fb = found.feedback[0];
    const feedback = await rowsUnder(page, 'Feedback');
    check(feedback.some((r) => r[1] === fb.kind && r[2] === String(fb.score) && (!fb.comment || r.includes(fb.comment))),
      `the account view of ${found.id} lists its feedback ${fb.id} (${fb.kind} ${fb.score})`, JSON.stringify({ fb, shown: feedback.slice(0, 3) }));
    const text = await page.locator('main').innerText();
    check(!/cxhub export-workbook|use the command/i.test(text), 'the account view no longer sends the reader to the command line for orders and feedback');
    await page.screenshot({ path: `${OUT}/account-orders-feedback-1280.png`, fullPage: true });
  });

  await scenario(page, 'pipeline columns from the journeys', async () => {
    const journeys = (await api(page, '/api/v1/journeys')).body.journeys;
    for (const division of ['Motors', 'Medical']) {
      const j = journeys.find((x) => x.division === division);
      const open = j.stages.filter((s) => s.outcome === 'open').map((s) => s.name);
      if (division === 'Medical') check(open.includes('Samples Sent'), "the server runs with the admin's journeys.toml (Medical has Samples Sent)", open.join(', '));
      await screen(page, 'Pipeline');
      await page.getByLabel('Division', { exact: true }).selectOption(division);
      await page.locator(`.board[data-division="${division}"]`).waitFor({ timeout: 10000 });
      const shown = await page.locator('.board section.column').evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label').replace(/^Stage /, '')));
      check(JSON.stringify(shown.slice(0, open.length)) === JSON.stringify(open),
        `the Pipeline's ${division} columns are the journey's open stages as configured (${open.join(' → ')})`, JSON.stringify(shown));
      if (division === 'Medical') await page.screenshot({ path: `${OUT}/pipeline-medical-journey-1280.png`, fullPage: true });
    }
  });

  await scenario(page, 'feedback curve and survey link', async () => {
    await screen(page, 'Feedback');
    await page.getByLabel('Division', { exact: true }).selectOption('Motors');
    await page.locator('.curve canvas').waitFor({ timeout: 10000 });
    const curve = (await api(page, '/api/v1/feedback/curve?division=Motors')).body;
    const table = await page.locator('table.curve-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
    const want = curve.stages.map((s) => [s.stage, s.mean === null ? '—' : (s.mean > 0 ? '+' : '') + s.mean.toFixed(2), String(s.n)]);
    check(JSON.stringify(table) === JSON.stringify(want) && want.some((r) => r[1] !== '—'),
      `the Feedback screen draws the Motors emotion curve and shows it as a table (${want.map((r) => r[0] + ' ' + r[1]).join(', ')})`, JSON.stringify({ table, want }));
    const box = await page.locator('.curve canvas').boundingBox();
    check(box && box.width > 200 && box.height > 100, `the curve is drawn (${box && Math.round(box.width)}×${box && Math.round(box.height)} px)`);
    check((await page.locator('.curve [role=img]').getAttribute('aria-label')).includes(curve.stages[0].stage), 'the chart has a text alternative naming the stages');
    const ranked = await page.locator('table.ranking tbody tr').count();
    check(ranked > 0, `the touchpoints are ranked (${ranked})`);
    await page.getByLabel('Question', { exact: true }).selectOption('csat');
    await page.getByRole('button', { name: 'Make a survey link' }).click();
    await page.locator('#sv-url').waitFor({ timeout: 10000 });
    const url = await page.locator('#sv-url').inputValue();
    check(/\/survey\/[\w.-]+$/.test(url), `a survey link is made (${url.slice(0, 60)}…)`, url);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Copied').waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${OUT}/feedback-survey-link-1280.png`, fullPage: true });
    // The page the customer gets: no login (a fresh context has no cookie), one question.
    const survey = await (await t.browser.newContext()).newPage();
    const r = await survey.goto(url);
    const body = await survey.locator('body').innerText();
    check(r.status() === 200 && (await survey.locator('form input[type=radio]').count()) >= 5 && !/Log in/.test(body),
      `the survey link opens the survey page without a login (${r.status()}, ${(await survey.locator('input[type=radio]').count())} choices)`, body.slice(0, 300));
    await survey.screenshot({ path: `${OUT}/survey-page-360.png`, fullPage: true });
    await survey.context().close();
  });

  await scenario(page, 'strategy as a salesperson', async () => {
    await screen(page, 'Strategy');
    const s = (await api(page, '/api/v1/strategy')).body;
    const kr = s.key_results[0];
    const kpi = (await api(page, `/api/v1/kpi?division=${encodeURIComponent(kr.division)}`)).body.kpis.find((k) => k.key === kr.kpi && k.division === kr.division);
    const row = page.locator('table.krs tbody tr').filter({ hasText: kr.title }).first();
    const value = (await row.locator('td.value').innerText()).trim();
    const live = kpi.unit === 'ratio' ? (kpi.value * 100).toFixed(0) + '%' : Number.isInteger(kpi.value) ? String(kpi.value) : kpi.value.toFixed(2);
    check(kpi.value !== null && value === live && (await row.innerText()).includes(kpi.met ? '✓ on track' : '✗ not on track'),
      `the Strategy shows "${kr.title}" at its live KPI value ${live} (${kpi.met ? 'on track' : 'not on track'})`, `${value} vs ${live}`);
    check((await page.getByRole('button', { name: 'Edit the strategy' }).count()) === 0, 'a salesperson gets no Edit on the strategy');
    for (const f of ['html', 'xlsx']) {
      const href = await page.locator(`a[href*="format=${f}"]`).first().getAttribute('href');
      const d = await page.request.get(t.BASE + href);
      check(d.status() === 200 && (await d.body()).length > 1000, `the strategy downloads as ${f} (${href})`, d.status());
    }
  });

  // As a manager: edit the strategy, meet a stale edit, change one of the seven steps.
  const mctx = await t.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const mp = await mctx.newPage();
  mp.on('pageerror', (e) => t.errors.push(String(e)));
  await t.logInAs(mp, process.env.MANAGER_LOGIN, process.env.MANAGER_PASSWORD);
  await scenario(mp, 'strategy edit by a manager', async () => {
    await screen(mp, 'Strategy');
    const before = (await api(mp, '/api/v1/strategy')).body;
    await mp.getByRole('button', { name: 'Edit the strategy' }).click();
    const mission = `Web test "mission" of ${Date.now()}: answer fast \\ know the history`;
    await mp.getByLabel('Mission', { exact: true }).fill(mission);
    await mp.screenshot({ path: `${OUT}/strategy-edit-1280.png`, fullPage: true });
    await mp.getByRole('button', { name: 'Save a new version' }).click();
    await mp.getByRole('status').filter({ hasText: `Saved as version ${before.version + 1}` }).waitFor({ timeout: 10000 });
    await mp.getByText(mission).first().waitFor({ timeout: 10000 });
    const after = (await api(mp, '/api/v1/strategy')).body;
    check(after.mission === mission && after.version === before.version + 1, `a manager's edit saves version ${before.version + 1} with the new mission`, JSON.stringify([after.version, after.mission]));
    const listed = await mp.waitForFunction((n) => document.querySelectorAll('.versions li').length === n, after.version, { timeout: 10000 }).then(() => true, () => false);
    check(listed, `the versions list shows ${after.version} versions`, await mp.locator('.versions').innerText());

    // Stale: the editor is opened, someone else saves, the editor's save is refused.
    await mp.getByRole('button', { name: 'Edit the strategy' }).click();
    await mp.getByLabel('Vision', { exact: true }).fill('web test: a stale vision');
    // Someone else (the admin, in their own browser) saves a version meanwhile.
    const octx = await t.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const op = await octx.newPage();
    await t.logInAs(op, process.env.ADMIN_LOGIN, process.env.ADMIN_PASSWORD);
    await screen(op, 'Strategy');
    await op.getByRole('button', { name: 'Edit the strategy' }).click();
    await op.getByLabel('Notes', { exact: true }).fill('web test: saved by someone else');
    await op.getByRole('button', { name: 'Save a new version' }).click();
    await op.getByRole('status').filter({ hasText: `Saved as version ${before.version + 2}` }).waitFor({ timeout: 10000 });
    await octx.close();
    await mp.getByRole('button', { name: 'Save a new version' }).click();
    const alert = mp.locator('form.editor [role=alert]');
    await alert.waitFor({ timeout: 10000 });
    const said = await alert.innerText();
    const now = (await api(mp, '/api/v1/strategy')).body;
    check(/changed by someone else/.test(said) && /Reload/.test(said) && now.vision !== 'web test: a stale vision' && now.notes === 'web test: saved by someone else',
      `a stale edit is refused and says so ("${said.slice(0, 70)}…"); the other save stands`, JSON.stringify({ said, vision: now.vision }));
    await mp.screenshot({ path: `${OUT}/strategy-stale-edit-1280.png`, fullPage: true });
    await mp.getByRole('button', { name: 'Reload' }).click();
    await mp.getByText('web test: saved by someone else').waitFor({ timeout: 10000 });
  });

  await scenario(mp, 'seven steps by a manager', async () => {
    const step = mp.locator('li.step[data-step="3"]');
    await step.getByRole('button', { name: 'Change step 3' }).click();
    await step.getByLabel('Status').selectOption('in-progress');
    await step.getByLabel('Note').fill('web test: welcome calls after delivery');
    await step.getByRole('button', { name: 'Save step 3' }).click();
    await mp.getByRole('status').filter({ hasText: 'Step 3 saved' }).waitFor({ timeout: 10000 });
    const cem = (await api(mp, '/api/v1/cem')).body.steps.find((s) => s.step === 3);
    check(cem.status === 'in-progress' && cem.note === 'web test: welcome calls after delivery', 'a manager changes step 3 of the seven steps (status and note)', JSON.stringify(cem));
    await mp.locator('li.step[data-step="3"]').filter({ hasText: 'in progress' }).waitFor({ timeout: 10000 });
  });
  for (const [w, h] of [
    [360, 740],
    [1280, 800],
  ]) {
    await mp.setViewportSize({ width: w, height: h });
    await screen(mp, 'Strategy');
    await mp.screenshot({ path: `${OUT}/strategy-as-manager-${w}.png`, fullPage: true });
    if (w === 360) {
      const over = await mp.evaluate(() => document.documentElement.scrollWidth);
      check(over <= 360, `Strategy (as manager) fits a 360 px screen (page width ${over})`, over);
      await t.axe(mp, 'Strategy (as manager)');
    }
  }
  await mctx.close();
}
