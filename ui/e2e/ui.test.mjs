// The built UI (ui/dist) in Debian's Chromium, with the Tauri IPC mocked by an in-memory fake
// backend: each main screen has zero axe-core WCAG 2.2 A/AA violations, and the flows work
// with the keyboard. Run `npm run build` first. Screenshots go to ui/test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const mocks = readFileSync(here('../node_modules/@tauri-apps/api/mocks.js'), 'utf8').replace(/^export \{[^}]*\};?\s*$/m, '');
const fake = readFileSync(here('./fake-backend.js'), 'utf8');
const axeSource = readFileSync(here('../node_modules/axe-core/axe.min.js'), 'utf8');
mkdirSync(here('../test-results'), { recursive: true });

let server;
let browser;
let base;

before(async () => {
  server = await preview({ root: here('..'), logLevel: 'silent', preview: { port: 0, host: '127.0.0.1' } });
  const address = server.httpServer.address();
  base = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
});

async function open(state) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.addInitScript(`${mocks}\n${fake}\nwindow.installFakeBackend(${JSON.stringify(state)});`);
  await page.goto(base);
  return page;
}

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
  await page.screenshot({ path: here('../test-results/first-run.png') });
  await page.close();
});

test('setting up a school leads to the recovery key, which must be confirmed', async () => {
  const page = await open('first-run');
  await page.getByRole('button', { name: 'Set up my school' }).click();
  await page.getByLabel('School name').fill('Hillside Test Primary');
  await page.getByLabel('URN').fill('118000');
  await page.getByLabel('DfE establishment number').fill('2001');
  await page.getByLabel('Passphrase', { exact: true }).fill('meadow lantern quietly');
  await page.getByLabel('Passphrase again').fill('meadow lantern quietly');
  assert.deepEqual(await axeViolations(page), [], 'the set-up form');
  await page.getByRole('button', { name: 'Create the school' }).click();
  await page.locator('#recovery-key').filter({ hasText: 'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2' }).waitFor();
  const next = page.getByRole('button', { name: 'Continue to the register' });
  assert.equal(await next.isDisabled(), true, 'not before the key is confirmed');
  assert.deepEqual(await axeViolations(page), [], 'the recovery key screen');
  await page.getByLabel('I have printed or written down the recovery key').check();
  await next.click();
  await page.locator('#register-table').waitFor();
  await page.close();
});

test('the register filters by status, shows counts, and has no accessibility violations', async () => {
  const page = await open('demo');
  await page.locator('#register-table tr[data-upn="K886200724123"]').waitFor();
  await page.locator('#demo-banner').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: here('../test-results/register.png'), fullPage: true });
  await page.getByLabel('SEN status').selectOption('ehcPlan');
  await page.locator('#register-counts').filter({ hasText: '1 pupil ·' }).waitFor();
  assert.equal(await page.locator('#register-table tbody tr[data-upn]').count(), 1);
  assert.equal(await page.evaluate(() => window.__queries.at(-1).filter.status), 'ehcPlan');
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
  const upns = await page.locator('#register-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.upn));
  assert.deepEqual(upns, [...upns].sort(), 'rows in UPN order');
  await page.close();
});

test('the pupil screen shows status, needs and timeline with no accessibility violations', async () => {
  const page = await open('demo');
  await page.getByRole('button', { name: 'Quill, Ada' }).click();
  await page.locator('#pupil-name').filter({ hasText: 'Ada Quill' }).waitFor();
  await page.locator('#pupil-status').filter({ hasText: 'SEN support (K)' }).waitFor();
  await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: here('../test-results/pupil.png'), fullPage: true });
  await page.close();
});

test('the add-pupil form has no accessibility violations', async () => {
  const page = await open('demo');
  await page.getByRole('button', { name: 'Add a pupil' }).click();
  await page.getByLabel('UPN').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

test('the unlock screen refuses a wrong passphrase in plain words', async () => {
  const page = await open('locked');
  await page.getByLabel('Passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('alert').filter({ hasText: 'That passphrase is not right.' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});
