// Component tests with the Tauri IPC mocked: what a SENCO sees for given command results.
import { afterEach, expect, test } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from './App.svelte';
import PupilForm from './screens/PupilForm.svelte';
import Register from './screens/Register.svelte';
import Unlock from './screens/Unlock.svelte';
import type { RegisterQuery } from './bindings/RegisterQuery';
import type { RegisterRow } from './bindings/RegisterRow';

afterEach(() => {
  clearMocks();
  cleanup();
});

const school = { name: 'Hollowbrook Demo School', urn: '999999', laCode: '886', establishmentNumber: '2999', phase: 'primary', isDemo: true };

function query(): RegisterQuery {
  return {
    filter: { status: null, need: null, area: null, ncYear: null, pupilPremium: null, fsm: null, eal: null, lookedAfter: null, roll: 'onRoll', search: '' },
    sort: 'name', descending: false, page: 0, pageSize: 50,
  };
}

function row(surname: string, forename: string, upn: string): RegisterRow {
  return {
    id: 1, upn, upnTemporary: false, forename, surname, ncYear: 5, form: '5B', status: 'senSupport', primaryNeed: 'SLCN',
    area: 'communicationAndInteraction', pupilPremium: true, fsm: false, eal: false, lookedAfter: false, leavingDate: null,
  };
}

test('the first run offers the demo school and setting up my school', async () => {
  mockIPC((cmd) => (cmd === 'app_state' ? { schoolExists: false, open: null } : null));
  render(App);
  expect(await screen.findByRole('button', { name: 'Open the demo school' })).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Set up my school' })).toBeTruthy();
});

test('a saved school that is locked asks for the passphrase, and a demo school is labelled', async () => {
  mockIPC((cmd) => {
    if (cmd === 'app_state') return { schoolExists: true, open: null };
    if (cmd === 'open_demo') return school;
    if (cmd === 'register_page') return { rows: [], total: 0, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 0, ehcPlan: 0 } };
    if (cmd === 'need_types') return [];
    return null;
  });
  render(App);
  expect(await screen.findByLabelText('Passphrase')).toBeTruthy();
  await fireEvent.click(screen.getByRole('button', { name: 'Open the demo school instead' }));
  expect((await screen.findByRole('note', { name: 'Demo school' })).textContent).toContain('synthetic pupils only');
});

test('a wrong passphrase is named plainly, by its code', async () => {
  mockIPC((cmd) => {
    if (cmd === 'unlock') throw { code: 'wrong_passphrase', message: 'that passphrase is not right for this school', fields: [] };
    return null;
  });
  render(Unlock, { onUnlocked: () => {} });
  await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'not it at all' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
  expect((await screen.findByRole('alert')).textContent).toBe('That passphrase is not right. Nothing has changed; try again.');
});

test('a refused UPN is explained beside the UPN field', async () => {
  const sent: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_add') {
      sent.push(args);
      throw { code: 'invalid', message: 'upn: …', fields: [{ field: 'upn', message: 'the check letter does not match: it is A but the digits give B; check the UPN for a typing mistake' }] };
    }
    return null;
  });
  render(PupilForm, { pupil: null, onSaved: () => {}, onCancel: () => {} });
  const upn = screen.getByLabelText('UPN');
  await fireEvent.input(upn, { target: { value: 'A801200005001' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Add the pupil' }));
  const error = await screen.findByText('The check letter does not match: it is A but the digits give B; check the UPN for a typing mistake.');
  expect(error.id).toBe('error-upn');
  expect(upn.getAttribute('aria-invalid')).toBe('true');
  expect(upn.getAttribute('aria-describedby')).toContain('error-upn');
  expect((sent[0] as { pupil: { upn: string } }).pupil.upn).toBe('A801200005001');
});

test('the register shows rows and counts, and sends the status filter when it changes', async () => {
  const queries: RegisterQuery[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'need_types') return [];
    if (cmd === 'register_page') {
      queries.push((args as { query: RegisterQuery }).query);
      return { rows: [row('Quill', 'Ada', 'K886200724123')], total: 1, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 1, ehcPlan: 0 } };
    }
    return null;
  });
  render(Register, { query: query(), onOpen: () => {}, onAdd: () => {} });
  expect(await screen.findByRole('button', { name: 'Quill, Ada' })).toBeTruthy();
  expect(screen.getByText(/1 pupil/).closest('#register-counts')?.textContent).toContain('1 SEN support');
  await fireEvent.change(screen.getByLabelText('SEN status'), { target: { value: 'ehcPlan' } });
  await waitFor(() => expect(queries.at(-1)?.filter.status).toBe('ehcPlan'));
});

test('a name with HTML in it is shown as text, never run', async () => {
  mockIPC((cmd) => {
    if (cmd === 'need_types') return [];
    if (cmd === 'register_page') {
      return { rows: [row('<img src=x onerror=alert(1)>', '<script>alert(1)</script>', 'K886200724123')], total: 1, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 1, ehcPlan: 0 } };
    }
    return null;
  });
  const { container } = render(Register, { query: query(), onOpen: () => {}, onAdd: () => {} });
  const name = await screen.findByRole('button', { name: '<img src=x onerror=alert(1)>, <script>alert(1)</script>' });
  expect(name.textContent).toBe('<img src=x onerror=alert(1)>, <script>alert(1)</script>');
  expect(container.querySelector('tbody img, tbody script')).toBeNull();
});
