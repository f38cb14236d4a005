// The built UI (ui/dist) in Debian's Chromium. Its IPC goes to the app's real commands: each
// invoke is routed to tests/ui-bridge, which answers through the desktop shell's own handler
// list on a real encrypted school, so these tests use the core's real rules and cannot drift
// from them. Each main screen has zero axe-core WCAG 2.2 A/AA violations, and the flows work
// with the keyboard. Run `npm run build` and `cargo build --example ui_bridge` first.
// Screenshots go to ui/test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const mocks = readFileSync(here('../node_modules/@tauri-apps/api/mocks.js'), 'utf8').replace(/^export \{[^}]*\};?\s*$/m, '');
const client = readFileSync(here('./real-backend.js'), 'utf8');
const axeSource = readFileSync(here('../node_modules/axe-core/axe.min.js'), 'utf8');
mkdirSync(here('../test-results'), { recursive: true });

const CSP = JSON.parse(readFileSync(here('../../tauri.conf.json'), 'utf8')).app.security.csp;

// E2E_DAY=YYYY-MM-DD runs every test as on that day at 10:00 (`.ci/on-day`): the app's
// commands run under faketime, moved by the same offset, and each page's clock starts there.
const DAY = process.env.E2E_DAY;
const OFFSET_MS = DAY ? new Date(`${DAY}T10:00:00`).getTime() - Date.now() : 0;
/** Now, on the day the tests run as. */
const clockNow = () => new Date(Date.now() + OFFSET_MS);

let server;
let browser;
let base;
let bridge;
let bridgeUrl;

/** Starts the app's real commands behind a small HTTP bridge and learns its port. */
async function startBridge() {
  const binary = here('../../target/debug/examples/ui_bridge');
  const env = { ...process.env };
  if (DAY) {
    const seconds = Math.round(OFFSET_MS / 1000);
    env.LD_PRELOAD = process.env.E2E_FAKETIME_LIB;
    env.FAKETIME = seconds >= 0 ? `+${seconds}` : `${seconds}`;
  }
  bridge = spawn(binary, [], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const lines = createInterface({ input: bridge.stdout });
  const port = await new Promise((resolve, reject) => {
    bridge.once('error', reject);
    bridge.once('exit', (code) => reject(new Error(`ui_bridge exited with ${code}; build it with cargo build --example ui_bridge`)));
    lines.once('line', resolve);
  });
  bridgeUrl = `http://127.0.0.1:${port}`;
}

before(async () => {
  await startBridge();
  // The app's own CSP from tauri.conf.json, so that anything the build needs beyond it shows up here.
  server = await preview({ root: here('..'), logLevel: 'silent', preview: { port: 0, host: '127.0.0.1', headers: { 'Content-Security-Policy': CSP } } });
  const address = server.httpServer.address();
  base = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // As on a machine whose locale is C: nothing may depend on the system's language.
    env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

/** The UPN made of these twelve digits with the check letter the core computes (never read
 * out of a message, which may be an earlier one). */
async function upnFor(digits) {
  const answer = await fetch(`${bridgeUrl}/upn`, { method: 'POST', body: JSON.stringify({ digits }) });
  if (!answer.ok) throw new Error(`the bridge refused ${digits}: ${await answer.text()}`);
  return (await answer.json()).upn;
}

after(async () => {
  await fetch(`${bridgeUrl}/quit`, { method: 'POST' }).catch(() => {});
  bridge?.kill();
  await browser?.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
});

// axe is injected as an inline script, which the CSP forbids, so the ordinary pages bypass the
// CSP; one test below keeps it and checks that the app itself never trips it.
// `state` is 'first-run', 'locked' (a real school with a passphrase), 'demo' (six synthetic
// pupils, one of whom has left) or 'many' (enough for two pages); the bridge starts a new app
// on an empty data folder for it. `page.school` holds what the test needs to know of it.
// `locale` and `timezoneId` stand for the machine's settings (a laptop set to US English, say);
// `viewport` for the window's size.
// `route` is the hash the page opens at: the register by default, as most tests start there.
// `clock` installs Playwright's clock before the app loads, so a test can move time on.
async function open(state, { strictCsp = false, locale = 'en-GB', timezoneId = undefined, viewport = { width: 1280, height: 860 }, route = '#/register', clock = false } = {}) {
  const school = await fetch(`${bridgeUrl}/reset`, { method: 'POST', body: JSON.stringify({ state }) }).then((r) => r.json());
  const context = await browser.newContext({ viewport, locale, timezoneId, bypassCSP: !strictCsp });
  await context.route('http://ipc.localhost/**', async (route) => {
    const command = new URL(route.request().url()).pathname.slice(1);
    const answer = await fetch(`${bridgeUrl}/invoke/${command}`, { method: 'POST', body: route.request().postData() ?? '{}' });
    const body = await answer.json();
    // Always 200, as a rejected Tauri command is not a failed network request.
    await route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: JSON.stringify(answer.ok ? { ok: true, value: body } : { ok: false, error: body }),
    });
  });
  const page = await context.newPage();
  page.on('close', () => context.close().catch(() => {}));
  await page.addInitScript(`${mocks}\n${client}\nwindow.installRealBackend();`);
  if (clock || DAY) await page.clock.install(DAY ? { time: clockNow() } : undefined);
  await page.goto(`${base}${route}`);
  page.school = school;
  return page;
}

// Dates the fixtures are built from, worked out from today as the bridge does.
const now = clockNow();
const academicYear = now.getMonth() >= 8 ? now.getFullYear() : now.getFullYear() - 1;
/** A date of birth that fits year group `year` this school year. */
const bornInYear = (year) => `${academicYear - year - 5}-12-02`;

const shot = (page, name) => page.screenshot({ path: here(`../test-results/${name}.png`), fullPage: true });

async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the first-run screen offers both choices and has no accessibility violations', async () => {
  const page = await open('first-run');
  await page.getByRole('button', { name: 'Open the demo school' }).waitFor();
  await page.getByRole('button', { name: 'Set up my school' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'first-run');
  await page.close();
});

test('setting up a school leads to the recovery key, which must be confirmed', async () => {
  const page = await open('first-run');
  await page.locator('#setup-school').click();
  await page.getByLabel('School name').fill('Hillside Test Primary');
  await page.getByLabel('URN').fill('11800');
  await page.getByLabel('DfE establishment number').fill('2001');
  await page.getByLabel('Passphrase', { exact: true }).fill('meadow lantern quietly');
  await page.getByLabel('Passphrase again').fill('meadow lantern quietly');
  assert.equal(await page.locator('#school-la').inputValue(), '886', 'Kent by default');
  assert.deepEqual(await axeViolations(page), [], 'the set-up form');
  await page.locator('#create-school').click();
  // A refused field is explained beside it, and the focus goes there.
  await page.locator('#error-urn').filter({ hasText: "The URN is the school's six-digit Unique Reference Number." }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'school-urn');
  assert.equal(await page.locator('#school-urn').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await axeViolations(page), [], 'the set-up form with an error');
  await shot(page, 'setup-error');
  await page.locator('#school-urn').fill('118000');
  await page.locator('#create-school').click();
  await page.locator('#recovery-key').filter({ hasText: /^[A-Z2-9]{5}(-[A-Z2-9]{5}){4}$/ }).waitFor();
  const next = page.locator('#recovery-continue');
  assert.equal(await next.isDisabled(), true, 'not before the key is confirmed');
  assert.deepEqual(await axeViolations(page), [], 'the recovery key screen');
  await shot(page, 'recovery-key');
  await page.locator('#recovery-confirm').check();
  await next.click();
  // Unlocking, like setting up, starts at the worklist; a new school has nothing due.
  await page.locator('#worklist').getByText('Nothing is due').waitFor();
  await page.locator('#nav-register').click();
  await page.locator('#register-table').waitFor();
  assert.equal(await page.locator('#demo-banner').count(), 0, 'a real school has no demo banner');
  const call = await page.evaluate(() => window.__calls.findLast(([cmd]) => cmd === 'create_school')[1]);
  assert.deepEqual(call.setup, { name: 'Hillside Test Primary', urn: '118000', laCode: '886', establishmentNumber: '2001', phase: 'primary' });
  await page.close();
});

test('the register filters by status, shows counts, and has no accessibility violations', async () => {
  const page = await open('demo');
  await page.locator('#register-table tr[data-upn="K886200724123"]').waitFor();
  await page.locator('#demo-banner').waitFor();
  assert.match(await page.locator('#register-counts').innerText(), /^5 pupils · 2 SEN support · 1 EHC plan · 1 monitoring · 1 no SEN$/);
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'register');
  await page.locator('#filter-status').selectOption('ehcPlan');
  await page.locator('#register-counts').filter({ hasText: '1 pupil ·' }).waitFor();
  assert.equal(await page.locator('#register-table tbody tr[data-upn]').count(), 1);
  assert.equal(await page.evaluate(() => window.__queries.at(-1).filter.status), 'ehcPlan');
  await page.locator('#filter-status').selectOption('');
  await page.locator('#filter-need').selectOption('SEMH');
  await page.locator('#register-table tbody tr[data-upn]').first().waitFor();
  assert.deepEqual(await page.evaluate(() => window.__queries.at(-1).filter), {
    status: null, need: 'SEMH', area: null, ncYear: null, pupilPremium: null, fsm: null, eal: null, lookedAfter: null, roll: 'onRoll', search: '',
  });
  await page.locator('#filter-need').selectOption('');
  await page.locator('#filter-roll').selectOption('left');
  // Orrin Tallow left at the end of the last summer term.
  await page.locator('#register-table').getByText(`Left on 18 July ${academicYear}`).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the register of leavers');
  await page.close();
});

test('the search waits for typing to pause, then asks once', async () => {
  const page = await open('demo');
  await page.locator('#register-table tr[data-upn]').first().waitFor();
  const before = await page.evaluate(() => window.__queries.length);
  await page.locator('#register-search').pressSequentially('pell', { delay: 30 });
  await page.locator('#register-counts').filter({ hasText: '1 pupil ·' }).waitFor();
  const searches = await page.evaluate((n) => window.__queries.slice(n).map((q) => q.filter.search), before);
  assert.deepEqual(searches, ['pell']);
  assert.match(await page.locator('#register-table tbody tr[data-upn]').innerText(), /Pellworth, Juno/);
  await page.close();
});

test('the register pages through fifty pupils at a time', async () => {
  const page = await open('many');
  await page.getByText('Page 1 of 2').waitFor();
  assert.equal(await page.locator('#register-table tbody tr[data-upn]').count(), 50);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of 2').waitFor();
  assert.equal(await page.locator('#register-table tbody tr[data-upn]').count(), 9);
  assert.equal(await page.evaluate(() => window.__queries.at(-1).page), 1);
  assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'register-page-2');
  await page.close();
});

test('the register sorts from the keyboard alone', async () => {
  const page = await open('demo');
  await page.locator('#register-table tr[data-upn]').first().waitFor();
  await page.locator('#register-search').focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.match(focused ?? '', /^Name/, 'Tab from the search reaches the first column heading');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator('th[aria-sort="ascending"]', { hasText: 'UPN' }).waitFor();
  assert.equal(await page.evaluate(() => window.__queries.at(-1).sort), 'upn');
  // The table says when it is loading (aria-busy); the rows are read once the sorted page is in.
  await page.locator('.table-wrap[aria-busy="false"]').waitFor();
  const upns = await page.locator('#register-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.upn));
  assert.deepEqual(upns, [...upns].sort(), 'rows in UPN order');
  await page.keyboard.press('Enter');
  await page.locator('th[aria-sort="descending"]', { hasText: 'UPN' }).waitFor();
  await page.close();
});

test('the pupil screen shows status, needs and timeline with no accessibility violations', async () => {
  const page = await open('demo');
  await page.getByRole('button', { name: 'Quill, Addie' }).click();
  await page.locator('#pupil-name').filter({ hasText: 'Addie Quill' }).waitFor();
  await page.getByText('Legal name: Ada Quill').waitFor();
  await page.locator('#pupil-status').filter({ hasText: 'SEN support (K)' }).waitFor();
  await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'pupil');
  await page.close();
});

test('a pupil is added, given SEN support and a second need, has a need ended, and leaves', async () => {
  const page = await open('demo');
  await page.locator('#filter-year').selectOption('5');
  await page.locator('#register-table tr[data-upn]').first().waitFor();
  await page.locator('#add-pupil').click();
  await page.locator('#pupil-upn').fill('A886200724123');
  await page.locator('#pupil-legal-forename').fill('Marigold');
  await page.locator('#pupil-legal-surname').fill('Thistlewood');
  await page.locator('#pupil-dob').fill(bornInYear(5));
  await page.locator('#pupil-sex').selectOption('F');
  await page.locator('#pupil-year').selectOption('5');
  await page.locator('#pupil-form').fill('5B');
  await page.locator('#pupil-admission').fill('2025-09-01');
  await page.locator('#pupil-save').click();
  await page.locator('#error-upn').filter({ hasText: 'The check letter does not match' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'pupil-upn', 'the focus goes to the first refused field');
  assert.deepEqual(await axeViolations(page), [], 'the pupil form with an error');
  await shot(page, 'pupil-form-error');
  // A second wrong letter: the message must change to name it (the first message is still
  // on the page, so waiting for wording both share would pass at once on a stale message).
  const upn = await upnFor('886200724999');
  const wrong = `${upn.startsWith('K') ? 'L' : 'K'}886200724999`;
  await page.locator('#pupil-upn').fill(wrong);
  await page.locator('#pupil-save').click();
  await page.locator('#error-upn').filter({ hasText: `it is ${wrong[0]} but the digits give ${upn[0]}` }).waitFor();
  await page.locator('#pupil-upn').fill(upn);
  await page.locator('#pupil-save').click();
  await page.locator('#pupil-name').filter({ hasText: 'Marigold Thistlewood' }).waitFor();
  await page.locator('#pupil-status').filter({ hasText: 'No SEN' }).waitFor();

  // K without a primary need is refused beside the need; with one it is accepted.
  await page.locator('#status-select').selectOption('senSupport');
  await page.locator('#status-start').fill('2025-09-08');
  await page.locator('#status-reason').fill('after the autumn review');
  await page.locator('#status-save').click();
  await page.locator('#error-primaryNeed').waitFor();
  await page.locator('#status-primary-need').selectOption('SPLD');
  await page.locator('#status-save').click();
  await page.locator('#pupil-status').filter({ hasText: 'SEN support (K)' }).waitFor();
  const change = await page.evaluate(() => window.__calls.findLast(([cmd]) => cmd === 'pupil_set_status')[1]);
  assert.deepEqual(change, { id: 7, change: { status: 'senSupport', startDate: '2025-09-08', reason: 'after the autumn review', primaryNeed: 'SPLD' } });

  await page.locator('#need-code').selectOption('SLCN');
  await page.locator('#need-rank').selectOption('2');
  await page.locator('#need-start').fill('2025-10-01');
  await page.getByRole('button', { name: 'Record the need' }).click();
  await page.getByRole('cell', { name: 'SLCN Speech, language and communication needs' }).waitFor();

  await page.getByRole('button', { name: 'End this need: SLCN' }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'end-date'); // the confirmation takes the focus
  await page.locator('#end-date').fill('2025-12-19');
  await page.getByRole('button', { name: 'End the need' }).click();
  await page.locator('.timeline').getByText('Need ended: SLCN').waitFor();
  assert.equal(await page.getByRole('cell', { name: 'SLCN Speech, language and communication needs' }).count(), 0);

  // The leaving date is given first; marking as left then asks for confirmation, which names
  // the pupil and the date, and takes the focus.
  await page.locator('#leaving-date').fill('2026-02-13');
  await page.locator('#mark-left').click();
  await page.getByText('The record is archived, not deleted').waitFor();
  await page.getByRole('form', { name: 'Mark Marigold Thistlewood as left on 13 Feb 2026?' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'leave-confirm-heading');
  assert.deepEqual(await axeViolations(page), [], 'the confirmation of leaving');
  await page.getByRole('button', { name: 'Mark Marigold Thistlewood as left' }).click();
  await page.getByRole('note').filter({ hasText: 'Left on 13 February 2026' }).waitFor();
  assert.equal(await page.locator('#status-select').count(), 0, 'an archived record has no change forms');
  assert.equal(await page.getByRole('button', { name: 'Edit details' }).count(), 0);
  const events = await page.locator('.timeline li').allInnerTexts();
  // Admitted, SEN support, two needs recorded, SLCN ended, SPLD ended on leaving, left.
  assert.equal(events.length, 7, events.join('\n'));
  assert.match(events.at(-2), /13 February 2026\s+Need ended: SPLD/, 'leaving ends the open needs');
  assert.match(events.at(-1), /13 February 2026\s+Left the school/);
  assert.deepEqual(await axeViolations(page), [], 'an archived pupil');
  await shot(page, 'pupil-left');

  await page.locator('#back-to-register').click();
  await page.locator('#register-table tr[data-upn]').first().waitFor();
  assert.equal(await page.locator('#filter-year').inputValue(), '5', 'the register keeps its filter');
  await page.close();
});

test('the add-pupil form has no accessibility violations', async () => {
  const page = await open('demo');
  await page.locator('#add-pupil').click();
  await page.getByLabel('UPN').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'pupil-form');
  await page.close();
});

test('the demo school says beside the pupil form that it is open to anyone, and refuses an MIS file, offering to set up the school', async () => {
  const page = await open('demo');
  await page.locator('#add-pupil').click();
  await page.locator('#pupil-demo-notice').filter({ hasText: 'Use invented pupils only, never a real child' }).waitFor();
  await page.goto(`${base}#/import`);
  await page.locator('#import-demo').filter({ hasText: 'holds real children, so the demo school refuses it' }).waitFor();
  assert.equal(await page.getByLabel('The file', { exact: true }).count(), 0, 'no file can be chosen in the demo');
  assert.deepEqual(await axeViolations(page), [], 'the import screen in the demo');
  // The core refuses it too, whatever the screen offers.
  const refused = await page.evaluate(() => window.__TAURI_INTERNALS__.invoke('import_preview', { source: 'csv', name: 'real.csv', bytes: [85, 80, 78, 10], profile: 'auto' }).catch((e) => e));
  assert.equal(refused.code, 'demo_school');
  await page.locator('#import-setup-own').click();
  await page.getByRole('heading', { level: 1, name: 'Set up my school' }).waitFor();
  await page.close();
});

test('the unlock screen refuses a wrong passphrase in plain words, and the recovery key opens the school', async () => {
  const page = await open('locked');
  // The unlock screen names the school it opens, from its key file.
  await page.getByRole('heading', { level: 1, name: 'Unlock Hillside Test Primary' }).waitFor();
  await page.locator('#unlock-passphrase').fill('not the passphrase');
  await page.locator('#unlock-submit').click();
  await page.locator('#unlock-error').filter({ hasText: 'That passphrase is not right. Nothing has changed; try again.' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'unlock-error');
  await page.locator('#recovery-toggle').click();
  assert.equal(await page.locator('#recovery-toggle').getAttribute('aria-expanded'), 'true');
  // Typed loosely, as people copy a key from paper: lower case, spaces for dashes.
  await page.locator('#recovery-key-input').fill(page.school.recoveryKey.toLowerCase().replaceAll('-', ' '));
  await page.locator('#new-passphrase').fill('short');
  await page.locator('#new-passphrase-again').fill('short');
  await page.locator('#recovery-submit').click();
  await page.locator('#error-passphrase').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the recovery form');
  await shot(page, 'unlock-recovery');
  await page.locator('#new-passphrase').fill('copper kettle sings at dawn');
  await page.locator('#new-passphrase-again').fill('copper kettle sings at dawn');
  await page.locator('#recovery-submit').click();
  await page.locator('#worklist').waitFor();
  await page.locator('#lock').click();
  await page.locator('#unlock-passphrase').fill('copper kettle sings at dawn');
  await page.locator('#unlock-submit').click();
  await page.locator('#worklist').waitFor();
  await page.close();
});

test("the app runs under the desktop app's Content Security Policy without tripping it", async () => {
  const page = await open('first-run', { strictCsp: true });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.evaluate(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.locator('#open-demo').click();
  await page.locator('#worklist').waitFor();
  await page.locator('#nav-register').click();
  await page.locator('#register-table tr[data-upn]').first().waitFor();
  await page.locator('#filter-status').selectOption('senSupport');
  await page.getByRole('button', { name: 'Quill, Addie' }).click();
  await page.locator('#pupil-status').waitFor();
  await page.locator('#status-select').selectOption('ehcPlan');
  await page.locator('#back-to-register').click();
  await page.locator('#add-pupil').click();
  await page.locator('#pupil-save').click();
  await page.locator('#error-upn').waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LONG_DATE = new RegExp(`^\\d{1,2} (${MONTHS.join('|')}) \\d{4}$`);
const SHORT_DATE = new RegExp(`^\\d{1,2} (${MONTHS.map((m) => m.slice(0, 3)).join('|')}) \\d{4}$`);

test('on a machine set to US English, dates are still shown and read the British way', async () => {
  const page = await open('demo', { locale: 'en-US', timezoneId: 'America/New_York' });
  assert.equal(await page.evaluate(() => navigator.language), 'en-US', 'the browser is set to US English');
  await page.getByRole('button', { name: 'Quill, Addie' }).click();
  await page.locator('#pupil-name').filter({ hasText: 'Addie Quill' }).waitFor();
  const detail = (term) => page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').innerText();
  assert.match(await detail('Date of birth'), LONG_DATE);
  assert.match(await detail('Admitted'), LONG_DATE);
  assert.match(await page.locator('#pupil-status').innerText(), new RegExp(`since \\d{1,2} (${MONTHS.join('|')}) \\d{4}$`));
  // Date fields are text, showing today the British way, never a locale's date picker.
  for (const id of ['status-start', 'need-start', 'leaving-date']) {
    assert.equal(await page.locator(`#${id}`).getAttribute('type'), 'text', id);
    assert.match(await page.locator(`#${id}`).inputValue(), SHORT_DATE, id);
  }
  for (const text of await page.locator('.timeline .date').allInnerTexts()) assert.match(text, LONG_DATE);

  // A US-style date is explained beside the field as soon as the SENCO leaves it.
  await page.locator('#status-start').fill('03/14/2017');
  await page.locator('#status-start').press('Tab');
  await page.locator('#error-startDate').filter({ hasText: 'has no month 14: dates are written day, month, year' }).waitFor();
  assert.equal(await page.locator('#status-start').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#status-start').getAttribute('aria-describedby'), 'status-start-hint error-startDate');

  // 14/03/2017 (in the year that fits Addie's year group, 2017 in the school year 2026 to 2027) is 14 March.
  const year = academicYear - 9;
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.locator('#pupil-dob').fill(`14/03/${year}`);
  await page.locator('#pupil-dob').press('Tab');
  await page.waitForFunction((y) => document.querySelector('#pupil-dob')?.value === `14 Mar ${y}`, year);
  assert.match(await page.locator('#pupil-admission').inputValue(), SHORT_DATE);
  assert.deepEqual(await axeViolations(page), [], 'the pupil form, in US English');
  await page.locator('#pupil-save').click();
  await page.locator('#pupil-name').filter({ hasText: 'Addie Quill' }).waitFor();
  const update = await page.evaluate(() => window.__calls.findLast(([cmd]) => cmd === 'pupil_update')[1]);
  assert.equal(update.pupil.dateOfBirth, `${year}-03-14`);
  assert.equal(await detail('Date of birth'), `14 March ${year}`);

  // Moving to an EHC plan is confirmed first, naming the pupil, both statuses and the date.
  await page.locator('#status-select').selectOption('ehcPlan');
  // 6 January this school year, typed short, as people do: after Addie's SEN support began.
  await page.locator('#status-start').fill(`6/1/${String(academicYear).slice(2)}`);
  await page.locator('#status-reason').fill('plan issued by the local authority');
  const before = await page.evaluate(() => window.__calls.filter(([cmd]) => cmd === 'pupil_set_status').length);
  await page.locator('#status-save').click();
  await page.getByRole('form', { name: `Move Addie Quill from SEN support (K) to EHC plan (E) from 6 Jan ${academicYear}?` }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'status-confirm-heading');
  assert.deepEqual(await axeViolations(page), [], 'the confirmation of a status change');
  await shot(page, 'pupil-confirm-status');
  assert.equal(await page.evaluate(() => window.__calls.filter(([cmd]) => cmd === 'pupil_set_status').length), before, 'nothing is sent before confirming');
  await page.getByRole('button', { name: 'Yes, change the status' }).click();
  await page.locator('#pupil-status').filter({ hasText: 'EHC plan (E)' }).waitFor();
  const change = await page.evaluate(() => window.__calls.findLast(([cmd]) => cmd === 'pupil_set_status')[1]);
  assert.equal(change.change.startDate, `${academicYear}-01-06`);
  await page.close();
});

/** Adds a pupil through the real command, its UPN given the check letter the core computes. */
async function addPupil(page, pupil) {
  const upn = await upnFor(pupil.upn.slice(1));
  return page.evaluate((p) => window.__TAURI_INTERNALS__.invoke('pupil_add', { pupil: p }), { ...pupil, upn });
}

test('the register fits the windows of school laptops, down to the smallest the app allows', async () => {
  const page = await open('many', { viewport: { width: 1366, height: 768 } });
  await page.getByText('Page 1 of 2').waitFor();
  // A pupil with a long name and every flag, on SEN support with the longest area's need.
  const long = await addPupil(page, {
    upn: 'A886299925900', legalForename: 'Alexandra-Josephine', legalSurname: 'Montgomery-Fitzwilliam-Smythe', preferredForename: '',
    preferredSurname: '', dateOfBirth: bornInYear(4), sex: 'F', ncYear: 4, form: '4B', admissionDate: `${academicYear - 1}-09-01`,
    pupilPremium: true, fsm: true, eal: true, lookedAfter: true, attendancePct: null,
  });
  await page.evaluate(([id, startDate]) => window.__TAURI_INTERNALS__.invoke('pupil_set_status', {
    id, change: { status: 'senSupport', startDate, reason: 'after the spring review', primaryNeed: 'SEMH' },
  }), [long.id, `${academicYear}-01-06`]);
  // Sorted by name, Z to A, so that the long name is on the first page, near the top.
  await page.reload();
  await page.getByText('Page 1 of 2').waitFor();
  await page.getByRole('button', { name: /^Name/ }).click();
  await page.locator('th[aria-sort="descending"]', { hasText: 'Name' }).waitFor();
  const name = 'Montgomery-Fitzwilliam-Smythe, Alexandra-Josephine';
  const longRow = page.locator('#register-table tbody tr', { has: page.getByRole('button', { name, exact: true }) });
  await longRow.waitFor();
  assert.equal(await longRow.getByRole('button').getAttribute('title'), name, 'the full name is there to read');

  for (const [width, height] of [[1366, 768], [1024, 640], [900, 600]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    const size = `${width}x${height}`;
    const layout = await page.evaluate(() => {
      const rows = [...document.querySelectorAll('#register-table tbody tr[data-upn]')];
      const headings = [...document.querySelectorAll('#register-table thead th')];
      return {
        pageWidth: document.documentElement.scrollWidth,
        visibleRows: rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length,
        lastHeadingRight: headings.at(-1).getBoundingClientRect().right,
        headingPosition: getComputedStyle(headings[0]).position,
      };
    });
    assert.ok(layout.pageWidth <= width, `${size}: the page is ${layout.pageWidth} pixels wide, wider than the window`);
    assert.equal(layout.headingPosition, 'sticky', `${size}: the heading row is sticky`);
    if (width === 1366) assert.ok(layout.visibleRows >= 15, `${size}: ${layout.visibleRows} rows in view without scrolling`);
    if (width >= 1024) assert.ok(layout.lastHeadingRight <= width, `${size}: the Flags column ends at ${layout.lastHeadingRight}, outside the window`);
    // The long name never pushes the need, area or flags out of view; the flags stay on one line.
    const cells = await longRow.locator('td').evaluateAll((tds) => tds.map((td) => {
      const box = td.getBoundingClientRect();
      const inside = [...td.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right);
      const badges = [...td.querySelectorAll('.badge')].map((b) => b.getBoundingClientRect().top);
      return { right: box.right, content: Math.max(box.left, ...inside), lines: new Set(badges.map(Math.round)).size };
    }));
    for (const [i, cell] of cells.entries()) {
      assert.ok(cell.right <= width, `${size}: column ${i + 1} of the long name's row ends at ${cell.right}`);
      assert.ok(cell.content <= cell.right, `${size}: column ${i + 1} of the long name's row spills out of its cell`);
    }
    if (width >= 1024) assert.equal(cells.at(-1).lines, 1, `${size}: the flags are on one line`);
    await page.screenshot({ path: here(`../test-results/register-${size}.png`), fullPage: false });
    // The heading row stays in view as the page scrolls.
    await page.evaluate(() => window.scrollTo(0, 900));
    const top = await page.evaluate(() => document.querySelector('#register-table thead th').getBoundingClientRect().top);
    assert.ok(Math.abs(top) <= 1, `${size}: after scrolling, the heading row is at ${top}, not the top of the window`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.deepEqual(await axeViolations(page), [], 'the register at 1366 by 768');
  // The filters fold into a bar; the ones in use show as chips that remove them.
  await page.locator('#filter-status').selectOption('ehcPlan');
  await page.getByRole('button', { name: 'Remove filter SEN status: EHC plan (E)' }).waitFor();
  await page.locator('#more-filters-toggle').click();
  await page.locator('#filter-eal').selectOption('yes');
  await page.getByRole('button', { name: 'Remove filter EAL: Yes' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the register with filters in use');
  await shot(page, 'register-filters');
  await page.getByRole('button', { name: 'Remove filter SEN status: EHC plan (E)' }).click();
  await page.waitForFunction(() => window.__queries.at(-1).filter.status === null);
  assert.equal(await page.evaluate(() => window.__queries.at(-1).filter.eal), true);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForFunction(() => window.__queries.at(-1).filter.eal === null);
  await page.close();
});

test('a pupil who left comes back under the same UPN, and a July leaver stays on roll until July', async () => {
  const page = await open('demo');
  await page.locator('#register-table tr[data-upn]').first().waitFor();
  await page.locator('#filter-roll').selectOption('left');
  await page.getByRole('button', { name: 'Tallow, Orrin' }).click();
  await page.getByRole('note').filter({ hasText: `Left on 18 July ${academicYear}` }).waitFor();
  await page.locator('#readmit-open').click();
  await page.waitForFunction(() => document.activeElement?.id === 'readmit-date');
  await page.locator('#readmit-date').fill(`1/7/${academicYear}`);
  await page.getByRole('button', { name: 'Re-admit Orrin Tallow' }).click();
  await page.locator('#error-admissionDate').filter({ hasText: 'they can be re-admitted from the day after' }).waitFor();
  await page.locator('#readmit-date').fill(`1/9/${academicYear}`);
  await page.getByRole('button', { name: 'Re-admit Orrin Tallow' }).click();
  await page.locator('.timeline').getByText('Re-admitted: No SEN').waitFor();
  assert.equal(await page.getByRole('note').filter({ hasText: 'Left on' }).count(), 0, 'no longer archived');
  const events = await page.locator('.timeline li').allInnerTexts();
  assert.ok(events.some((e) => /18 July \d{4}\s+Left the school/.test(e)), events.join('\n'));
  assert.deepEqual(await axeViolations(page), [], 'a re-admitted pupil');

  // A leaving date next July: recorded now, and on the register until then.
  const nextJuly = `22/7/${academicYear + 1}`;
  await page.locator('#leaving-date').fill(nextJuly);
  await page.locator('#mark-left').click();
  await page.getByRole('button', { name: 'Mark Orrin Tallow as left' }).click();
  await page.getByRole('note').filter({ hasText: `Leaves on 22 July ${academicYear + 1}` }).waitFor();
  await page.locator('#back-to-register').click();
  await page.locator('#filter-roll').selectOption('onRoll');
  await page.locator('#register-table').getByText(`Leaves on 22 July ${academicYear + 1}`).waitFor();
  await shot(page, 'register-july-leaver');

  // Plans change: the leaving date is taken back.
  await page.getByRole('button', { name: 'Tallow, Orrin' }).click();
  await page.locator('#stay-open').click();
  await page.getByRole('button', { name: 'Keep Orrin Tallow on roll' }).click();
  await page.getByText('Orrin Tallow stays on roll: the leaving date is taken back.').waitFor();
  assert.equal(await page.getByRole('note').filter({ hasText: 'Leaves on' }).count(), 0);
  assert.deepEqual(await axeViolations(page), [], 'after keeping a pupil on roll');
  await page.close();
});

/** "6 Jan 2026" for "2026-01-06", as the app shows a date. */
function britishShort(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
}

/** YYYY-MM-DD `days` days before today, in local time. */
function daysAgo(days) {
  const d = clockNow();
  d.setDate(d.getDate() - days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

test('the evidence check for a request names what is missing, links to the fix, and sees it fixed', async () => {
  const page = await open('demo', { route: '#/worklist', viewport: { width: 1366, height: 768 } });
  // Addie may have more than one row (which depends on the day of the school year); any opens her record.
  await page.locator('#worklist tr[data-upn="K886200724123"]').first().getByRole('button', { name: 'Addie Quill' }).click();
  const parentViews = page.locator('#evidence-list li[data-rule="parent-views"]');
  await parentViews.and(page.locator('[data-state="missing"]')).waitFor();
  assert.match(await page.locator('#evidence-summary').innerText(), /^Not ready: \d+ required pieces? of evidence (is|are) missing\./);
  assert.match(await parentViews.innerText(), /No parent's views are recorded/);
  assert.deepEqual(await axeViolations(page), [], 'the evidence check');
  await page.locator('#evidence-heading').scrollIntoViewIfNeeded();
  await shot(page, 'evidence-check');
  // Its link goes to the place that fixes it.
  await parentViews.getByRole('button', { name: /Go to the support cycles/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'cycles-heading');
  await page.locator('#cycle-start').click();
  await page.locator('#assess-date').fill(daysAgo(3));
  await page.locator('#assess-by').fill('Ms Okafor, SENCO');
  await page.getByLabel("The parents' views and experience").check();
  await page.locator('#assess-area-0').selectOption('cognitionAndLearning');
  await page.locator('#assess-summary-0').fill('Decoding is well behind peers.');
  await page.locator('#assess-parent-view').fill('She hates reading aloud.');
  await page.locator('#assess-save').click();
  await page.locator('#open-cycle[data-stage="assess"]').waitFor();
  await page.locator('#evidence-check').click();
  await parentViews.and(page.locator('[data-state="met"]')).waitFor();
  assert.match(await parentViews.innerText(), /The parent's views are recorded, most recently on/);

  // Once the request is sent, the app keeps its statutory clock.
  await page.locator('#request-add').click();
  await page.locator('#request-sent').fill(daysAgo(50));
  await page.locator('#request-add-save').click();
  const decision = page.locator('#request-steps tr[data-step="decision"]');
  await decision.and(page.locator('[data-state="overdue"]')).waitFor();
  assert.match(await decision.innerText(), /overdue by 8 days/);
  await page.locator('#request-step').click();
  // Only what can happen next is offered: first the LA's decision, nothing after it.
  const offered = () => page.locator('#request-step-kind option:not([value=""])').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(await offered(), ['decision']);
  await page.locator('#request-step-kind').selectOption('decision');
  await page.locator('#request-outcome').selectOption('assess');
  await page.locator('#request-step-date').fill(daysAgo(3));
  await page.locator('#request-step-save').click();
  await decision.and(page.locator('[data-state="late"]')).waitFor();
  assert.match(await decision.innerText(), /done 5 days late/);
  await page.locator('#request-exception').click();
  await page.locator('#request-exception-kind').selectOption('schoolClosure');
  await page.locator('#request-exception-save').click();
  await page.locator('#error-request-exception-reason, #error-request-exception-from').first().waitFor();
  await page.locator('#request-exception-reason').fill('The school was shut by a flood');
  await page.locator('#request-exception-from').fill(daysAgo(40));
  await page.locator('#request-exception-to').fill(daysAgo(20));
  await page.locator('#request-exception-save').click();
  await decision.filter({ hasText: 'Explained: school closure (reg 5(4)(a))' }).waitFor();
  // The LA asks the school for its advice: the school's own 6 weeks (reg 8) start that day.
  const advice = page.locator('#request-steps tr[data-step="adviceGiven"]');
  assert.equal(await advice.getAttribute('data-state'), 'notYet');
  await page.locator('#request-step').click();
  assert.deepEqual(await offered(), ['adviceAsked', 'draft'], 'after a decision to assess: the request for advice, or the draft');
  await page.locator('#request-step-kind').selectOption('adviceAsked');
  await page.locator('#request-step-date').fill(daysAgo(2));
  await page.locator('#request-step-save').click();
  await advice.and(page.locator('[data-state="due"]')).waitFor();
  assert.match(await advice.innerText(), /due in 40 days/);
  assert.deepEqual(await axeViolations(page), [], 'the request and its clock');
  await page.locator('#request-heading').scrollIntoViewIfNeeded();
  await page.screenshot({ path: here('../test-results/request-clock-1366.png') });

  await page.setViewportSize({ width: 1024, height: 640 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(wide, 0, 'no sideways page scroll at 1024 wide');

  // The consent is missing; its link goes to the consents, where it is recorded.
  await page.setViewportSize({ width: 1366, height: 768 });
  const consent = page.locator('#evidence-list li[data-rule="consent"]');
  await consent.and(page.locator('[data-state="missing"]')).waitFor();
  await consent.getByRole('button', { name: /Go to the consents/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'consents-heading');
  await page.locator('#consent-open').click();
  await page.locator('#consent-kind').selectOption('shareInformation');
  await page.locator('#consent-given-by').fill('Mother (Jo Quill)');
  await page.locator('#consent-date').fill(daysAgo(2));
  await page.locator('#consent-scope').fill('Sharing the SEN records with the LA for the request.');
  await page.locator('#consent-save').click();
  await page.locator('li[data-consent="shareInformation"]').waitFor();
  await page.locator('#evidence-check').click();
  await consent.and(page.locator('[data-state="met"]')).waitFor();

  // The other packs check against their own rules.
  await page.locator('#evidence-pack').selectOption('hnf');
  await page.locator('#evidence-list li[data-rule="lift-outcome"]').waitFor();
  await page.locator('#evidence-pack').selectOption('ehcna');
  await page.locator('#evidence-list li[data-rule="parent-views"]').waitFor();

  // One click builds the bundle; the app says where it is, and it is there.
  await page.locator('#pack-build').click();
  const built = await page.locator('#pack-path').innerText();
  assert.match(built, /exports\/ehcna-pack-K886200724123-\d{4}-\d{2}-\d{2}\.zip$/);
  assert.ok(existsSync(built), `the bundle is on disk at ${built}`);
  assert.match(await page.locator('#pack-built').innerText(), /SHA-256 [0-9a-f]{64}/);
  // A password shorter than the core's minimum is caught before anything is built.
  await page.locator('#pack-protect').check();
  await page.locator('#pack-password').fill('short');
  await page.locator('#pack-build').click();
  await page.getByRole('alert').filter({ hasText: 'at least 10 characters' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the pack built');
  await page.locator('#evidence-heading').scrollIntoViewIfNeeded();
  await shot(page, 'pack-built');
});

test('a SENCO takes a pupil through a whole cycle: assess, plan, do, review, lock, and the next', async () => {
  // A real school of the demo's pupils: it loads another LA's catalogue, which the demo refuses.
  const page = await open('school', { route: '#/worklist', viewport: { width: 1366, height: 768 } });
  // The worklist is the first screen, most urgent first; Addie is on SEN support with no cycle.
  const row = page.locator('#worklist tr[data-kind="no_open_cycle"][data-upn="K886200724123"]');
  await row.waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the worklist');
  await shot(page, 'worklist');
  await row.getByRole('button', { name: 'Addie Quill' }).click();
  await page.locator('#pupil-name').filter({ hasText: 'Addie Quill' }).waitFor();
  assert.match(page.url(), /#\/pupil\/\d+\/support$/, 'the row opens the place to fix it');

  // Assess.
  await page.locator('#cycle-start').click();
  await page.locator('#assess-date').fill(daysAgo(30));
  await page.locator('#assess-by').fill('Ms Okafor, SENCO');
  await page.getByLabel('Teacher assessment and experience of the pupil').check();
  await page.getByLabel("The parents' views and experience").check();
  await page.locator('#assess-area-0').selectOption('cognitionAndLearning');
  await page.locator('#assess-summary-0').fill('Decoding is well behind peers.');
  await page.locator('#assess-parent-view').fill('She hates reading aloud.');
  await page.locator('#assess-save').click();
  await page.locator('#open-cycle[data-stage="assess"]').waitFor();

  // Plan: three outcomes, four strategies from the catalogue, two interventions.
  await page.locator('#cycle-plan').click();
  await page.locator('#plan-date').fill(daysAgo(28));
  await page.locator('#plan-told').check();
  await page.locator('#plan-notice-date').fill(daysAgo(28));
  const outcomes = [
    ['cognitionAndLearning', 'Reads a decodable book aloud', '4 pages with under 3 errors', 'Phase 3', 'Phase 5'],
    ['cognitionAndLearning', 'Recalls number bonds to 10', 'All 11 within 20 seconds', '4 bonds', '11 bonds'],
    ['socialEmotionalMentalHealth', 'Reads to a small group calmly', 'Volunteers twice', 'Refuses', 'Volunteers'],
  ];
  for (const [i, [area, description, criterion, baseline, target]] of outcomes.entries()) {
    if (i > 0) await page.locator('#outcome-add').click();
    await page.locator(`#outcome-area-${i}`).selectOption(area);
    await page.locator(`#outcome-description-${i}`).fill(description);
    await page.locator(`#outcome-criterion-${i}`).fill(criterion);
    await page.locator(`#outcome-baseline-${i}`).fill(baseline);
    await page.locator(`#outcome-target-${i}`).fill(target);
  }
  await page.locator('.catalogue-notice').filter({ hasText: "not Kent's wording" }).waitFor();
  await page.locator('#strategy-area').selectOption('cognitionAndLearning');
  // Ticking an item moves it from the list to the ticked strategies above it.
  for (let n = 0; n < 4; n++) await page.locator('ul.candidates input[data-item]').first().click();
  assert.equal(await page.locator('ul.ticked li').count(), 4);
  for (const key of ['precision-teaching', 'phonics-catch-up']) {
    await page.locator('#intervention-choose').selectOption(key);
    await page.locator('#intervention-add').click();
  }
  await page.locator('#int-group-1').fill('0');
  await page.locator('#plan-save').click();
  // A group of zero is refused beside its field, and nothing is saved.
  await page.locator('#error-interventions\\[1\\]\\.groupSize').waitFor();
  await page.locator('#int-group-1').fill('4');
  await page.locator('#plan-save').click();
  await page.locator('#open-cycle[data-stage="plan"]').waitFor();
  assert.equal(await page.locator('#cycle-interventions tbody tr').count(), 2);
  assert.deepEqual(await axeViolations(page), [], 'the planned cycle');
  await shot(page, 'cycle-planned');

  // Do: five sessions.
  for (const days of [26, 24, 21, 19, 17]) {
    await page.locator('#cycle-session').click();
    await page.locator('#log-date').fill(daysAgo(days));
    await page.locator('#log-save').click();
    // This session's own message: "Session on" alone is still on the page from the one before.
    await page.locator('[role="status"]').filter({ hasText: `Session on ${britishShort(daysAgo(days))} logged` }).waitFor();
  }
  await page.locator('#cycle-interventions tr[data-intervention="precision-teaching"]').filter({ hasText: '5 of' }).waitFor();

  // Review, sign off and lock.
  await page.locator('#cycle-review').click();
  for (let i = 0; i < 3; i++) {
    await page.locator(`#rating-${i}`).selectOption(String(i === 2 ? 0 : 1));
    await page.locator(`#evidence-${i}`).fill('Observed in class');
  }
  await page.locator('#review-decision').selectOption('continue');
  await page.locator('#review-save').click();
  await page.locator('#review-confirm').getByRole('button', { name: 'Sign off and lock' }).click();
  await page.locator('details.closed[data-cycle="1"]').waitFor();
  assert.equal(await page.locator('#open-cycle').count(), 0, 'no open cycle once it is signed off');

  // The next cycle starts, and the worklist no longer asks for one.
  await page.locator('#cycle-start').click();
  await page.locator('#assess-by').fill('Ms Okafor, SENCO');
  await page.getByLabel('Teacher assessment and experience of the pupil').check();
  await page.locator('#assess-area-0').selectOption('cognitionAndLearning');
  await page.locator('#assess-summary-0').fill('Catching up; still behind in fluency.');
  await page.locator('#assess-save').click();
  await page.locator('#open-cycle').getByRole('heading', { name: /^Cycle 2,/ }).waitFor();
  await page.locator('#nav-worklist').click();
  await page.locator('#worklist').waitFor();
  assert.equal(await row.count(), 0, 'Addie is no longer listed as having no open cycle');

  // The provision map costs what was planned, at the laptop sizes schools have.
  await page.locator('#nav-provision').click();
  // The map opens on this school year; a plan made 28 days ago may fall in the one before
  // (in the first weeks of September), and the SENCO then chooses that year.
  const planned = new Date(clockNow().getTime() - 28 * 864e5);
  const plannedYear = planned.getMonth() >= 8 ? planned.getFullYear() : planned.getFullYear() - 1;
  if (plannedYear !== academicYear) {
    await page.locator('#provision-year').waitFor();
    await page.locator('#provision-year').selectOption(String(plannedYear));
  }
  await page.locator('#provision-rows').waitFor();
  assert.equal(await page.locator('#provision-rows tbody tr').count(), 2, 'two interventions planned');
  assert.match(await page.locator('#provision-pupils').innerText(), /Quill/);
  for (const [width, height] of [[1366, 768], [1024, 640]]) {
    await page.setViewportSize({ width, height });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(wide, 0, `no sideways page scroll at ${width} wide`);
    await page.screenshot({ path: here(`../test-results/provision-${width}.png`) });
  }
  assert.deepEqual(await axeViolations(page), [], 'the provision map');
  await page.locator('#provision-export').click();
  await page.locator('[role="status"]').filter({ hasText: /Saved to .*provision-map-\d{4}-\d{2}\.csv/ }).waitFor();
  // Another framework loads from a file in the library; its problems are listed by line.
  await page.locator('#nav-library').click();
  await page.locator('#catalogue-file').setInputFiles({
    name: 'oap.catalogue', mimeType: 'text/plain',
    buffer: Buffer.from('catalogue: Other LA provision\nversion: 3\nprefix: OAP\nsection S1: All\n  heading H: One\n    item 01: Fine\n    item 01: Twice\n'),
  });
  await page.locator('#catalogue-file-result').filter({ hasText: 'Loaded Other LA provision, version 3, from oap.catalogue: 1 items' }).waitFor();
  await page.locator('#catalogue-file-result').getByText('Line 7: duplicate id OAP.S1.H.01').waitFor();
  // The school changes its copy of an intervention.
  await page.locator('#edit-talkabout').click();
  await page.locator('#intervention-minutes').fill('40');
  await page.locator('#intervention-save').click();
  await page.getByRole('status').filter({ hasText: /^Saved the changes to Talkabout/ }).waitFor();
  await page.locator('#library-interventions tr', { hasText: 'Talkabout' }).filter({ hasText: '× 40 min' }).first().waitFor();
  for (const [place, ready] of [['#nav-library', '#library-interventions'], ['#nav-sessions', '#session-form']]) {
    await page.locator(place).click();
    await page.locator(ready).waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(wide, 0, `${place}: no sideways page scroll at 1024 wide`);
    assert.deepEqual(await axeViolations(page), [], place);
    await shot(page, place.slice(5));
  }
  await page.reload();
  await page.locator('#session-form').waitFor();
  assert.match(page.url(), /#\/sessions$/, 'the place survives a reload');
  await page.close();
});

test("the governors' view shows the published summary with its charts, saves the PDF, and leads to no pupil", async () => {
  const page = await open('demo', { route: '#/worklist', viewport: { width: 1366, height: 768 } });
  await page.locator('#worklist').waitFor();
  await page.locator('#nav-governors').click();
  await page.getByRole('heading', { level: 1, name: 'Inclusion summary for governors' }).waitFor();
  assert.match(page.url(), /#\/governors$/);
  const method = page.locator('#governors-method');
  await method.waitFor();
  assert.match(await method.innerText(), /^Smallest count shown: 5\. Counts from 1 to 4 are not shown \(c\)/);
  assert.match(await page.locator('#governors-school').innerText(), new RegExp(`Hollowbrook Demo School[\\s\\S]*Census day \\d{1,2} (${MONTHS.join('|')}) \\d{4}$`));
  // Six pupils: nearly every count is hidden, and the tables say c.
  const register = page.locator('table#governors-register');
  assert.ok(await register.isVisible(), 'the register table is shown');
  assert.match(await register.locator('tbody').innerText(), /No SEN\s+c/);
  // Each chart is a named picture that Chart.js has drawn on (its axes and legend at least).
  const charts = page.locator('canvas[role="img"]');
  await charts.first().waitFor();
  // On six pupils most tables are left out (a small group wholly in one category), so one
  // chart may be all the core gives.
  assert.ok(await charts.count() >= 1, 'the core gives at least one chart');
  assert.ok(await charts.first().isVisible());
  assert.match(await charts.first().getAttribute('aria-label'), /^Chart: /);
  const inked = await charts.first().evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    return data.some((v, i) => i % 4 === 3 && v > 0);
  });
  assert.ok(inked, 'the chart is drawn');
  assert.deepEqual(await axeViolations(page), [], "the governors' view");
  // Nothing here leads to a pupil's record, or names one.
  assert.equal(await page.locator('main a[href*="#/pupil"]').count(), 0);
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /Quill|Addie|Ashcombe|Fairbank|Mossley|Pellworth|Tallow|K886200724123/, 'no demo pupil is named');

  // At the laptop sizes schools have, the page never scrolls sideways.
  for (const [width, height] of [[1366, 768], [1024, 768]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    // Chart.js redraws its canvases for the new width on the next frames: wait for the page
    // to settle (a page that stays too wide still fails, with its overflow named).
    await page.waitForFunction(() => document.documentElement.scrollWidth === document.documentElement.clientWidth, null, { timeout: 5000 }).catch(() => {});
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(wide, 0, `no sideways page scroll at ${width} wide`);
    await page.screenshot({ path: `/tmp/governors-${width}.png` });
    await page.screenshot({ path: here(`../test-results/governors-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  // The smallest count can be raised, never lowered: the core's refusal shows beside the field.
  await page.locator('#governors-threshold').fill('3');
  await page.locator('#governors-show').click();
  await page.locator('#error-threshold').filter({ hasText: 'can be raised but not lowered' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'governors-threshold');
  assert.deepEqual(await axeViolations(page), [], 'the refused smallest count');
  await page.locator('#governors-threshold').fill('10');
  await page.locator('#governors-show').click();
  await method.filter({ hasText: 'Smallest count shown: 10.' }).waitFor();
  assert.equal(await page.locator('#error-threshold').count(), 0);

  // The PDF for the board pack is saved in the exports folder, for the summary shown.
  await page.locator('#governors-export-pdf').click();
  const saved = page.getByRole('status').filter({ hasText: /^Saved to .*\.pdf$/ });
  await saved.waitFor();
  const path = (await saved.innerText()).replace(/^Saved to /, '');
  assert.ok(existsSync(path), `the PDF is on disk at ${path}`);
  const call = await page.evaluate(() => window.__calls.findLast(([cmd]) => cmd === 'governor_export')[1]);
  assert.equal(call.threshold, 10);
  await page.close();
});

test("the SENCO and the school's duties are recorded on the Library screen and the governors' summary shows them beside primary schools' figures", async () => {
  const page = await open('demo', { route: '#/library', viewport: { width: 1366, height: 768 } });
  const name = page.getByLabel("SENCO's name");
  await name.waitFor();
  await name.fill('Ms A Example');
  await page.getByLabel('The mandatory SENCO qualification').selectOption('workingTowards');
  // Dates are typed the British way; a date after today is refused beside its field.
  await page.getByLabel('Took up the post as SENCO').fill(`02/09/${academicYear - 1}`);
  await page.getByLabel('SEN information report last reviewed').fill(`01/09/${academicYear - 1}`);
  await page.getByLabel('Accessibility plan last reviewed').fill(`01/01/${academicYear + 5}`);
  await page.locator('#duties-save').click();
  await page.locator('#duties-form .error').filter({ hasText: /is after today/ }).waitFor();
  assert.equal(await page.getByLabel('Accessibility plan last reviewed').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Accessibility plan last reviewed').fill('');
  await page.locator('#duties-save').click();
  await page.getByRole('status').filter({ hasText: "Saved. The governors' summary shows these from now on." }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the duties form');
  for (const [width, height] of [[1366, 768], [1024, 768]]) {
    await page.setViewportSize({ width, height });
    await page.locator('#duties-heading').scrollIntoViewIfNeeded();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(wide, 0, `no sideways page scroll at ${width} wide`);
    await page.screenshot({ path: here(`../test-results/duties-${width}.png`) });
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  await page.locator('#nav-governors').click();
  const measures = page.locator('table#governors-measures');
  await measures.waitFor();
  const senco = measures.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'SENCO', exact: true }) });
  assert.match(await senco.innerText(), /Ms A Example/);
  const qualification = measures.getByRole('row').filter({ has: page.getByRole('rowheader', { name: "SENCO's qualification" }) });
  assert.match(await qualification.innerText(), new RegExp(`Working towards it[\\s\\S]*To be gained by 2 September ${academicYear + 2}`));
  // The demo is a primary school: it is compared with state-funded primary schools, each row
  // naming those schools and its census year.
  const comparisons = page.locator('table#governors-comparisons');
  assert.match(await comparisons.innerText(), /State-funded primary schools in England/);
  assert.doesNotMatch(await comparisons.innerText(), /All schools in England|secondary/);
  await page.locator('#governors-comparisons-heading').scrollIntoViewIfNeeded();
  await page.screenshot({ path: here('../test-results/governors-duties-1366.png') });
});

test("the governors' charts draw under the app's Content Security Policy, with Object.prototype frozen as the app freezes it", async () => {
  const page = await open('first-run', { strictCsp: true });
  await page.addInitScript('Object.freeze(Object.prototype);');
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.reload();
  await page.evaluate(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.locator('#open-demo').click();
  await page.locator('#worklist').waitFor();
  assert.equal(await page.evaluate(() => Object.isFrozen(Object.prototype)), true);
  await page.locator('#nav-governors').click();
  await page.locator('#governors-method').waitFor();
  const canvas = page.locator('canvas[role="img"]').first();
  await canvas.waitFor();
  assert.ok(await canvas.evaluate((c) => c.width > 0 && c.height > 0), 'the chart has its size');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// Importing from the MIS. A CTF as an MIS writes one: the header, then each pupil with the
// elements the toolkit reads and one it does not (the address), so the preview counts it.
const xml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function ctfPupil(p) {
  const sen = p.sen
    ? `<SENhistory><SEN><StartDate>${p.sen.start}</StartDate><SENprovision>${p.sen.provision}</SENprovision></SEN>`
      + (p.sen.need ? `<SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>${p.sen.need}</SENtype></SENneed></SENneeds>` : '')
      + '</SENhistory>'
    : '';
  return `<Pupil><UPN>${xml(p.upn)}</UPN><Surname>${xml(p.surname.toUpperCase())}</Surname><Forename>${xml(p.forename.toUpperCase())}</Forename>`
    + `<DOB>${p.dob}</DOB><Sex>${p.sex}</Sex><BasicDetails><NCyearActual>${p.year}</NCyearActual></BasicDetails>`
    + (p.lookedAfter ? '<LookedAfter><InCare>true</InCare></LookedAfter>' : '')
    + (p.fsm ? `<FSMhistory><FSMinstance><FSMstartDate>${academicYear - 1}-09-01</FSMstartDate></FSMinstance></FSMhistory>` : '')
    + `${sen}<Address><Town>X</Town></Address></Pupil>`;
}
const ctfFile = (pupils) => '<?xml version="1.0" encoding="utf-8"?><CTfile><Header><DocumentName>Common Transfer File</DocumentName>'
  + '<CTFversion>26.0</CTFversion><DateTime>2026-11-26T09:00:00</DateTime><DocumentQualifier>partial</DocumentQualifier>'
  + '<SourceSchool><LEA>886</LEA><Estab>7777</Estab><URN>123456</URN><SchoolName>Old School</SchoolName></SourceSchool>'
  + `<DestSchool><LEA>886</LEA><Estab>7777</Estab></DestSchool></Header><CTFpupilData>${pupils.map(ctfPupil).join('')}</CTFpupilData></CTfile>`;
/** A date of birth in year group `year` this school year (1 September to 31 August), as the bridge works it out. */
const bornIn = (year, monthDay = '10-15') => `${academicYear - year - 5}-${monthDay}`;
const screenshots = here('../../target/screenshots');

test('pupils are imported from a CTF: the preview shows each change, a problem blocks it, and the SEN differences go to the office', async () => {
  // On a laptop set to US English: the dates are still British.
  const page = await open('school', { route: '#/worklist', viewport: { width: 1366, height: 768 }, locale: 'en-US', timezoneId: 'America/New_York' });
  mkdirSync(screenshots, { recursive: true });
  await page.locator('#worklist').waitFor();
  // A real school (the demo refuses MIS files) with the demo's fixture pupils.
  // Two pupils already on the register, as the register has them: Addie (SEN support, SLCN) and Kit (no SEN).
  const [ada, kit] = await page.evaluate(async () => {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const find = async (search) => {
      const filter = { status: null, need: null, area: null, ncYear: null, pupilPremium: null, fsm: null, eal: null, lookedAfter: null, roll: 'onRoll', search };
      const page = await invoke('register_page', { query: { filter, sort: 'name', descending: false, page: 0, pageSize: 50 } });
      return invoke('pupil_get', { id: page.rows[0].id });
    };
    return [await find('Quill'), await find('Mossley')];
  });
  assert.equal(ada.status, 'senSupport');
  assert.equal(kit.status, 'noSen');
  const onRegister = (p) => ({ upn: p.upn, surname: p.legalSurname, forename: p.legalForename, dob: p.dateOfBirth, sex: p.sex, year: p.ncYear, fsm: p.fsm, lookedAfter: p.lookedAfter });
  const pupils = [
    { upn: 'Z886777726901', surname: 'Testwood', forename: 'Alba', dob: bornIn(3), sex: 'F', year: 3, sen: { start: `${academicYear - 1}-09-10`, provision: 'K', need: 'SLCN' } },
    { upn: 'N886777726902', surname: 'Brightwater', forename: 'Osian', dob: bornIn(5, '11-02'), sex: 'M', year: 5 },
    { upn: 'C886777726903', surname: 'Holloway-Reed', forename: 'Mae', dob: bornIn(1, '03-03'), sex: 'F', year: 1, sen: { start: `${academicYear - 1}-11-02`, provision: 'E', need: 'ASD' } },
    // The MIS says Addie has an EHC plan; the toolkit says SEN support: a difference for the office.
    { ...onRegister(ada), sen: { start: `${academicYear - 1}-01-06`, provision: 'E', need: 'SLCN' } },
    // Kit's sex differs in the MIS: the MIS's details win.
    { ...onRegister(kit), sex: kit.sex === 'M' ? 'F' : 'M' },
  ];
  const good = Buffer.from(ctfFile(pupils));
  // The same file with one UPN's check letter wrong.
  const bad = Buffer.from(ctfFile(pupils).replace('Z886777726901', 'A886777726901'));

  await page.locator('#nav-import').click();
  await page.getByRole('heading', { level: 1, name: 'Import pupils from the MIS' }).waitFor();
  assert.match(page.url(), /#\/import$/);
  await page.getByLabel('Common Transfer File (CTF, .xml)').check();
  await page.getByLabel('The file', { exact: true }).setInputFiles({ name: 'bad.xml', mimeType: 'text/xml', buffer: bad });
  await page.locator('#import-preview').click();
  // A problem: its tab comes first and is shown, and nothing can be imported.
  const tab = (name) => page.getByRole('tab', { name });
  await tab('Problems (1)').and(page.locator('[aria-selected="true"]')).waitFor();
  assert.deepEqual(await page.getByRole('tab').allInnerTexts(), ['Problems (1)', 'New pupils (2)', 'Changed (1)', 'SEN differences (1)', 'Possible leavers (3)']);
  const problem = await page.locator('#import-problems tbody tr').innerText();
  assert.match(problem, /^Record 1\s+A886777726901\s+UPN: "A886777726901" is not a valid UPN/);
  assert.match(await page.locator('#import-blocked').innerText(), /^Nothing can be imported until these problems are corrected in the MIS or the file, unless you choose to leave those rows out\./);
  assert.equal(await page.locator('#import-apply').count(), 0, 'no import button until a person chooses');
  // The problem is in one row, so the SENCO may choose to import the others; the choice offers the button.
  await page.locator('#import-leave-out').check();
  await page.locator('#import-apply').waitFor();
  await page.locator('#import-leave-out').uncheck();
  await page.locator('#import-apply').waitFor({ state: 'detached' });
  assert.deepEqual(await axeViolations(page), [], 'the preview with a problem');
  await page.locator('#import-decide').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshots}/import-problems-1366.png` });

  // The corrected file.
  await page.locator('#import-back').click();
  await page.getByLabel('The file', { exact: true }).setInputFiles({ name: 'pupils.xml', mimeType: 'text/xml', buffer: good });
  await page.locator('#import-preview').click();
  await page.getByText('This is a preview: nothing has been written yet.').waitFor();
  assert.deepEqual(await page.getByRole('tab').allInnerTexts(), ['New pupils (3)', 'Changed (1)', 'SEN differences (1)', 'Possible leavers (3)', 'Problems (0)']);
  assert.equal(await tab('New pupils (3)').getAttribute('aria-selected'), 'true');
  assert.match(await page.locator('#import-facts').innerText(), /Common Transfer File, version 26\.0[\s\S]*Old School \(886\/7777\)/);
  assert.match(await page.locator('#import-warnings').innerText(), /addressed to the school 886\/7777, not to this school/);
  assert.match(await page.locator('#import-ignored summary').innerText(), /^Not read from the file: \d+ elements?$/);
  const alba = page.locator('#import-new tr[data-upn="Z886777726901"]');
  const albaBorn = `15 Oct ${academicYear - 8}`;
  assert.deepEqual(await alba.locator('td').allInnerTexts(), ['Record 1', 'Z886777726901', 'Alba Testwood', albaBorn, 'Year 3', 'SEN support (K)', 'SLCN']);
  assert.deepEqual(await axeViolations(page), [], 'the preview');
  // The tabs with the keyboard.
  await tab('New pupils (3)').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Changed (1)');
  assert.match(await page.locator(`#import-changed tr[data-upn="${kit.upn}"]`).innerText(), /By UPN\s+Sex: \w+ → \w+/);
  await page.screenshot({ path: `${screenshots}/import-changed-1366.png`, fullPage: true });
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await page.locator(`#import-differences tr[data-upn="${ada.upn}"] td`).allInnerTexts(),
    [ada.upn, 'Addie Quill', 'SEN status', 'SEN support (K)', 'EHC plan (E)']);
  assert.match(await page.getByRole('tabpanel').innerText(), /The toolkit's record is kept/);
  assert.deepEqual(await axeViolations(page), [], 'the SEN differences tab');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#import-missing tbody tr').count(), 3);
  assert.match(await page.getByRole('tabpanel').innerText(), /Nothing is archived: mark leavers on their record\./);
  await tab('New pupils (3)').click();

  // At the laptop sizes schools have, the page never scrolls sideways; the tables scroll inside their box.
  for (const [width, height] of [[1366, 768], [1024, 768]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(wide, 0, `no sideways page scroll at ${width} wide`);
    if (width === 1366) {
      const lines = await page.locator('nav[aria-label="Main"] li').evaluateAll((items) => new Set(items.map((li) => Math.round(li.getBoundingClientRect().top))).size);
      assert.equal(lines, 1, 'the navigation stays on one line at 1366 wide');
    }
    await page.screenshot({ path: `${screenshots}/import-preview-${width}.png` });
    await page.screenshot({ path: `${screenshots}/import-preview-${width}-full.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  // Importing: the button says what it does; then the core's message, and the way on.
  const apply = page.locator('#import-apply');
  assert.equal(await apply.innerText(), 'Import 3 new pupils and update 1');
  await apply.click();
  const result = page.locator('#import-result');
  await result.waitFor();
  assert.equal(await result.innerText(), 'Imported: 3 new pupils, 1 updated, 1 SEN difference for the office, 0 resolved.');
  const call = await page.evaluate(() => window.__calls.findLast(([cmd]) => cmd === 'import_apply')[1]);
  assert.equal(call.confirmNameMatches, false);
  assert.equal(await page.locator('#import-to-differences').getAttribute('href'), '#/reconcile');
  assert.deepEqual(await axeViolations(page), [], 'the result');
  await page.screenshot({ path: `${screenshots}/import-result-1366.png` });
  await page.locator('#import-another').click();

  // The same file again changes nothing.
  await page.getByLabel('The file', { exact: true }).setInputFiles({ name: 'pupils.xml', mimeType: 'text/xml', buffer: good });
  await page.locator('#import-preview').click();
  await page.locator('#import-nothing').filter({ hasText: 'Nothing to change: the register already matches this file.' }).waitFor();
  assert.equal(await page.locator('#import-apply').count(), 0);

  // The new pupils are on the register.
  await page.locator('#nav-register').click();
  await page.locator('#register-table tr[data-upn="Z886777726901"]').waitFor();

  // The office's list of differences.
  await page.locator('#nav-reconcile').click();
  await page.getByRole('heading', { level: 1, name: 'MIS differences' }).waitFor();
  const row = page.locator(`#reconcile-table tr[data-upn="${ada.upn}"][data-field="senStatus"]`);
  await row.waitFor();
  assert.equal(await page.locator('#reconcile-table tbody tr').count(), 1);
  const cells = await row.locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 6), [ada.upn, 'Addie Quill', 'Year 5', 'SEN status', 'SEN support (K)', 'EHC plan (E)']);
  assert.match(cells[6], SHORT_DATE, 'since, the British way');
  assert.equal(await row.getByRole('link', { name: 'Addie Quill' }).getAttribute('href'), `#/pupil/${ada.id}`);
  assert.deepEqual(await axeViolations(page), [], 'the MIS differences');
  await page.locator('#reconcile-export').click();
  const saved = page.getByRole('status').filter({ hasText: /^Saved to .*mis-reconciliation-\d{4}-\d{2}-\d{2}\.csv$/ });
  await saved.waitFor();
  const path = (await saved.innerText()).replace(/^Saved to /, '');
  assert.ok(existsSync(path), `the CSV is on disk at ${path}`);
  assert.match(readFileSync(path, 'utf8'), new RegExp(ada.upn));
  assert.deepEqual(await axeViolations(page), [], 'the MIS differences, saved');
  for (const [width, height] of [[1366, 768], [1024, 768]]) {
    await page.setViewportSize({ width, height });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(wide, 0, `no sideways page scroll at ${width} wide`);
    await page.screenshot({ path: `${screenshots}/reconcile-${width}.png`, fullPage: true });
  }
  // The pupil's name leads to their record.
  await row.getByRole('link', { name: 'Addie Quill' }).click();
  await page.locator('#pupil-name').filter({ hasText: 'Addie Quill' }).waitFor();
  await page.close();
});

test("a CSV's columns are matched by hand, refused beside the fields until complete, saved and used for the preview", async () => {
  const page = await open('school', { route: '#/import', viewport: { width: 1366, height: 768 } });
  mkdirSync(screenshots, { recursive: true });
  await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
  await page.getByLabel('CSV exported from the MIS').check();
  const [day, month, year] = bornIn(3).split('-').reverse();
  const csv = `Pupil Ref,Family,Given,Born,Boy or girl,Class year,Notes\nZ886777726901,Testwood,Alba,${day}/${month}/${year},F,3,\n`;
  await page.getByLabel('The file', { exact: true }).setInputFiles({ name: 'our-export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator('#import-match-open').click();
  await page.locator('#import-match').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'match-heading');
  const upn = page.getByLabel('UPN (required)');
  assert.deepEqual(await upn.locator('option').allInnerTexts(), [
    '(not in this file)', 'Pupil Ref (e.g. Z886777726901)', 'Family (e.g. Testwood)', 'Given (e.g. Alba)', `Born (e.g. ${day}/${month}/${year})`,
    'Boy or girl (e.g. F)', 'Class year (e.g. 3)', 'Notes (empty in the first rows)',
  ]);
  assert.deepEqual(await axeViolations(page), [], 'the column matching');
  await page.screenshot({ path: `${screenshots}/import-match-1366.png`, fullPage: true });
  // Saved half done: the core's refusals show beside the name and each field still to match.
  await upn.selectOption('Pupil Ref');
  await page.getByLabel('Legal surname (required)').selectOption('Family');
  await page.locator('#match-save').click();
  await page.locator('#error-match-name').waitFor();
  await page.locator('#error-match-dateOfBirth').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'match-legalForename', 'the focus goes to the first refused field');
  assert.equal(await page.getByLabel('Legal first name (required)').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await axeViolations(page), [], 'the refused column matching');
  await page.getByLabel('Legal first name (required)').selectOption('Given');
  await page.getByLabel('Date of birth (required)').selectOption('Born');
  await page.getByLabel('Sex (required)').selectOption('Boy or girl');
  await page.getByLabel('Year group (required)').selectOption('Class year');
  await page.getByLabel('Name for these columns').fill('Our export');
  await page.locator('#match-save').click();
  await page.getByRole('tab', { name: 'New pupils (1)' }).waitFor();
  assert.match(await page.locator('#import-facts').innerText(), /Columns matched with\s*Our export/);
  assert.equal(await page.locator('#import-apply').innerText(), 'Import 1 new pupil');
  const saved = await page.evaluate(() => window.__calls.findLast(([cmd]) => cmd === 'import_profile_save')[1].profile.columns);
  assert.deepEqual(saved, { upn: ['Pupil Ref'], legalSurname: ['Family'], legalForename: ['Given'], dateOfBirth: ['Born'], sex: ['Boy or girl'], ncYear: ['Class year'] });
  const previewed = await page.evaluate(() => window.__calls.findLast(([cmd]) => cmd === 'import_preview')[1]);
  assert.equal(previewed.source, 'csv');
  assert.match(previewed.profile, /^own-/);
  // Back at the start, the saved columns are offered by name.
  await page.locator('#import-back').click();
  assert.equal(await page.locator('#import-profile').inputValue(), previewed.profile);
  assert.ok((await page.locator('#import-profile option').allInnerTexts()).includes('Our export'));
  await page.close();
});

const DATE_TIME = new RegExp(`^\\d{1,2} (${MONTHS.map((m) => m.slice(0, 3)).join('|')}) \\d{4} at \\d{2}:\\d{2}$`);
/** No sideways scroll of the whole page. */
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('Backup and records: a backup taken now is listed to restore and in the audit trail; refusals beside the fields; a restore leads to unlocking', async () => {
  const page = await open('demo', { route: '#/records', viewport: { width: 1024, height: 768 } });
  mkdirSync(screenshots, { recursive: true });
  await page.getByRole('heading', { level: 1, name: 'Backup and records' }).waitFor();
  assert.equal(await page.locator('#nav-records').getAttribute('aria-current'), 'page');
  // Backups: the core's warning, and where they go when no folder is chosen.
  await page.locator('#backup-warnings').filter({ hasText: 'This school has never been backed up' }).waitFor();
  assert.equal(await page.locator('#backup-last').innerText(), 'Never');
  assert.match(await page.locator('#backup-where').innerText(), /^No folder is chosen, so backups go to .*backups, on this computer's own disk\. That protects against little/);
  assert.deepEqual(await axeViolations(page), [], 'the backups tab');
  assert.equal(await sideways(page), 0, 'no sideways page scroll at 1024 wide');
  await page.screenshot({ path: `${screenshots}/records-backups-1024.png`, fullPage: true });
  await page.locator('#backup-now').click();
  const done = page.locator('#backup-done');
  await done.waitFor();
  const path = await done.locator('code').innerText();
  assert.ok(existsSync(path), `the backup is on disk at ${path}`);
  assert.match(path, /\.senco-backup$/);
  assert.match(await done.innerText(), /^Backed up to .* \((\d+\.\d MB|less than 0\.1 MB)\)\.$/);
  await page.locator('#backup-last').filter({ hasText: DATE_TIME }).waitFor();
  assert.equal(await page.locator('#backup-warnings').count(), 0, 'the warning goes once backed up');
  // A folder that cannot be reached and nothing to keep are refused beside their fields.
  await page.locator('#backup-folder').fill('/no/such/folder/for/backups');
  await page.locator('#backup-keep').fill('0');
  await page.locator('#backup-save').click();
  await page.locator('#error-folder').filter({ hasText: 'is not a folder that can be reached now' }).waitFor();
  await page.locator('#error-keep').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'backup-folder', 'the focus goes to the first refused field');
  assert.equal(await page.locator('#backup-keep').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await axeViolations(page), [], 'the refused backup settings');

  // The audit trail lists the backup, with who took it.
  await page.getByRole('tab', { name: 'Audit trail' }).click();
  const entry = page.locator('#audit-table tr[data-action="backup"]').first();
  await entry.waitFor();
  const cells = await entry.locator('td').allInnerTexts();
  assert.match(cells[0], DATE_TIME);
  assert.match(cells[1], /^SENCO Toolkit app \(/);
  assert.match(cells[4], /^backup written/);
  assert.match(await page.locator('.tabpanel:not([hidden])').innerText(), /Entries cannot be changed or deleted/);
  assert.deepEqual(await axeViolations(page), [], 'the audit trail');
  assert.equal(await sideways(page), 0, 'the audit trail: no sideways page scroll at 1024 wide');
  await page.screenshot({ path: `${screenshots}/records-audit-1024.png`, fullPage: true });
  await page.locator('#audit-export').click();
  const saved = page.locator('#audit-saved');
  await saved.filter({ hasText: /^Saved to .*audit-\d{4}-\d{2}-\d{2}\.csv$/ }).waitFor();
  assert.match(readFileSync((await saved.innerText()).replace(/^Saved to /, ''), 'utf8'), /backup written/);

  // Retention: the usual advice, and no leaver old enough to erase.
  await page.getByRole('tab', { name: 'Retention' }).click();
  await page.locator('#purge-empty').filter({ hasText: "No leaver's file is past its retention date." }).waitFor();
  assert.equal(await page.locator('#retention-years').inputValue(), '31');
  assert.deepEqual(await axeViolations(page), [], 'the retention tab');

  // The idle lock: a refusal in the core's words beside the field, then saved.
  await page.getByRole('tab', { name: 'Lock' }).click();
  await page.locator('#lock-minutes').fill('0');
  await page.locator('#lock-save').click();
  await page.locator('#error-minutes').filter({ hasText: 'between 1 and 60 minutes' }).waitFor();
  await page.locator('#lock-minutes').fill('15');
  await page.locator('#lock-save').click();
  await page.locator('#lock-saved').filter({ hasText: 'The app now locks after 15 minutes with nobody using it.' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the lock tab');

  // Restore: the backup just taken is in the list, chosen; checked, confirmed, restored.
  await page.getByRole('tab', { name: 'Restore' }).click();
  const row = page.locator('#restore-found tbody tr').filter({ has: page.locator(`input[value="${path}"]`) });
  await row.waitFor();
  assert.equal(await row.locator('input[type="radio"]').isChecked(), true, 'the newest backup is chosen');
  assert.match((await row.locator('td').allInnerTexts())[0].trim(), DATE_TIME);
  assert.deepEqual(await axeViolations(page), [], 'the restore tab');
  assert.equal(await sideways(page), 0, 'the restore tab: no sideways page scroll at 1024 wide');
  await page.screenshot({ path: `${screenshots}/records-restore-1024.png`, fullPage: true });
  // A demo school's backup opens with no passphrase.
  await page.locator('#restore-check').click();
  await page.locator('#restore-plan').waitFor();
  const understood = page.locator('#restore-understood');
  if (await understood.count()) {
    assert.equal(await page.locator('#restore-open').isDisabled(), true, 'not before the SENCO says they understand');
    await understood.check();
  }
  assert.deepEqual(await axeViolations(page), [], 'the restore plan');
  await page.locator('#restore-open').click();
  const confirm = page.getByRole('form', { name: /^Restore .* as it was on \d{1,2} [A-Z][a-z]{2} \d{4} at \d{2}:\d{2}\?$/ });
  await confirm.waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the restore confirmation');
  await confirm.getByRole('button', { name: 'Restore this backup' }).click();
  // A restore always goes to the school's own place, never over the demo: the demo is closed,
  // and the restored school is unlocked next, with what was restored said.
  await page.locator('#unlock-notice').filter({ hasText: /^Restored .* as it was on \d{1,2} [A-Z][a-z]{2} \d{4} at \d{2}:\d{2}\.$/ }).waitFor();
  assert.equal(await page.locator('nav').count(), 0, 'no school is open');
  await page.close();
});

const SURNAMES = ['Quill', 'Ashcombe', 'Fairbank', 'Mossley', 'Pellworth', 'Tallow'];

test('locking leaves no pupil on the page, and unlocking goes back to the same place', async () => {
  const page = await open('demo');
  await page.locator('#register-table tr[data-upn="K886200724123"]').waitFor();
  await page.locator('#lock').click();
  await page.getByRole('button', { name: 'Open the demo school' }).waitFor();
  const text = await page.evaluate(() => document.body.innerText);
  for (const surname of SURNAMES) assert.ok(!text.includes(surname), `${surname} is not on the locked page`);
  await page.close();

  const locked = await open('locked', { route: '#/worklist' });
  await locked.locator('#unlock-passphrase').fill(locked.school.passphrase);
  await locked.locator('#unlock-submit').click();
  await locked.locator('#worklist').waitFor();
  // A real school never backed up is told so on its worklist, with the way to fix it.
  await locked.locator('#worklist-backup').filter({ hasText: 'This school has never been backed up' }).waitFor();
  await locked.locator('#worklist-backup-now').click();
  await locked.getByRole('heading', { level: 1, name: 'Backup and records' }).waitFor();
  await locked.locator('#lock').click();
  await locked.locator('#unlock-passphrase').fill(locked.school.passphrase);
  await locked.locator('#unlock-submit').click();
  await locked.getByRole('heading', { level: 1, name: 'Backup and records' }).waitFor();
  assert.match(locked.url(), /#\/records$/);
  await locked.close();
});

test('the app locks itself after the idle minutes, and when the computer has slept, and says why', async () => {
  const page = await open('locked', { route: '#/worklist', clock: true });
  await page.locator('#unlock-passphrase').fill(page.school.passphrase);
  await page.locator('#unlock-submit').click();
  await page.locator('#worklist').waitFor();
  await page.locator('#nav-library').click();
  await page.locator('#library-interventions').waitFor();
  // Ten minutes with nobody using it (the default), ticking as the real clock would.
  await page.clock.runFor(10 * 60_000 + 10_000);
  await page.locator('#unlock-notice').filter({ hasText: 'Locked after 10 minutes with nobody using it.' }).waitFor();
  assert.equal(await page.locator('#library-interventions').count(), 0);
  assert.deepEqual(await axeViolations(page), [], 'the unlock screen after an idle lock');
  await page.locator('#unlock-passphrase').fill(page.school.passphrase);
  await page.locator('#unlock-submit').click();
  await page.locator('#library-interventions').waitFor();
  assert.match(page.url(), /#\/library$/, 'back where the SENCO was');
  assert.equal(await page.locator('#unlock-notice').count(), 0);
  // The lid shut for three minutes: the first tick after waking finds the gap.
  await page.clock.fastForward(3 * 60_000);
  await page.locator('#unlock-notice').filter({ hasText: 'Locked when the computer went to sleep.' }).waitFor();
  await page.close();
});

test('on a new laptop, a backup is restored from the first-run screen by its path, then unlocked with its passphrase', async () => {
  // A backup of a real school, kept outside the bridge's data folder, which the next reset removes.
  const first = await open('locked', { route: '#/worklist' });
  await first.locator('#unlock-passphrase').fill(first.school.passphrase);
  await first.locator('#unlock-submit').click();
  await first.locator('#worklist-backup-now').click();
  await first.locator('#backup-now').click();
  const taken = await first.locator('#backup-done code').innerText();
  const stick = mkdtempSync(join(tmpdir(), 'senco-stick-'));
  const path = join(stick, basename(taken));
  copyFileSync(taken, path);
  await first.close();

  const page = await open('first-run', { viewport: { width: 1024, height: 768 } });
  await page.getByRole('button', { name: 'Restore a backup' }).click();
  await page.locator('#restore-none').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'restore-heading');
  assert.deepEqual(await axeViolations(page), [], 'the restore panel on the first-run screen');
  await page.locator('#restore-path').fill(path);
  await page.locator('#restore-passphrase').fill('not the passphrase at all');
  await page.locator('#restore-check').click();
  // The check unlocks the backup, so a wrong passphrase is said at once, in the core's words.
  await page.locator('#restore-form-error').filter({ hasText: 'That passphrase does not open the backup' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the refused restore');
  await page.locator('#restore-passphrase').fill(first.school.passphrase);
  await page.locator('#restore-check').click();
  await page.locator('#restore-plan').filter({ hasText: 'This restores Hillside Test Primary as it was on' }).waitFor();
  assert.equal(await page.locator('#restore-understood').count(), 0, 'nothing is replaced, so nothing to understand');
  await page.locator('#restore-open').click();
  const confirm = page.getByRole('form', { name: /^Restore Hillside Test Primary as it was on / });
  await confirm.getByRole('button', { name: 'Restore this backup' }).click();
  await page.getByRole('heading', { level: 1, name: 'Unlock Hillside Test Primary' }).waitFor();
  assert.match(await page.locator('#unlock-notice').innerText(), /^Restored Hillside Test Primary as it was on \d{1,2} [A-Z][a-z]{2} \d{4} at \d{2}:\d{2}\.$/);
  await page.locator('#unlock-passphrase').fill(first.school.passphrase);
  await page.locator('#unlock-submit').click();
  await page.locator('#worklist').waitFor();
  await page.close();
  rmSync(stick, { recursive: true, force: true });
});

test('a restore refused for a wrong passphrase is refused at the check and the school stays open where the SENCO was', async () => {
  const page = await open('locked', { route: '#/worklist' });
  await page.locator('#unlock-passphrase').fill(page.school.passphrase);
  await page.locator('#unlock-submit').click();
  await page.locator('#worklist-backup-now').click();
  await page.locator('#backup-now').click();
  await page.locator('#backup-done').waitFor();
  await page.getByRole('tab', { name: 'Restore' }).click();
  await page.locator('#restore-found tbody tr').first().waitFor();
  await page.locator('#restore-passphrase').fill('not the passphrase at all');
  await page.locator('#restore-check').click();
  await page.locator('#restore-form-error').filter({ hasText: 'does not open the backup' }).waitFor();
  assert.equal(await page.locator('#restore-plan').count(), 0, 'no plan is offered for a backup that did not open');
  // Nothing was closed: the school is still open on the same screen.
  await page.locator('#nav-records').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Backup and records' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the refused restore');
  await page.close();
});

test("a pupil's subject access export is saved in one folder, to be checked and redacted before release", async () => {
  const page = await open('demo');
  await page.getByRole('button', { name: 'Quill, Addie' }).click();
  await page.locator('#pupil-name').filter({ hasText: 'Addie Quill' }).waitFor();
  await page.locator('#sar-export').click();
  const done = page.locator('#sar-done');
  await done.filter({ hasText: /^Saved \d+ files to .*\. Check and redact it before it is released\.$/ }).waitFor();
  const folder = await done.locator('code').innerText();
  assert.ok(existsSync(join(folder, 'record.pdf')), `the record's PDF is in ${folder}`);
  assert.deepEqual(await axeViolations(page), [], 'the pupil screen with the export saved');
  await page.close();
});
