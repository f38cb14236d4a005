// Component tests with the Tauri IPC mocked: what a SENCO sees for given command results.
import { afterEach, expect, test } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from './App.svelte';
import PupilForm from './screens/PupilForm.svelte';
import Register from './screens/Register.svelte';
import Unlock from './screens/Unlock.svelte';
import Pupil from './screens/Pupil.svelte';
import RecoveryKey from './screens/RecoveryKey.svelte';
import type { PupilRecord } from './bindings/PupilRecord';
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
    area: 'communicationAndInteraction', pupilPremium: true, fsm: false, eal: false, lookedAfter: false, leavingDate: null, dateOfBirth: '2016-05-01',
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

test('the recovery key must be confirmed before going on, and can be printed', async () => {
  let printed = 0;
  window.print = () => { printed++; };
  let continued = false;
  render(RecoveryKey, { schoolName: 'Hillside Test Primary', recoveryKey: 'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2', onContinue: () => { continued = true; } });
  expect(document.getElementById('recovery-key')?.textContent).toBe('ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2');
  const next = screen.getByRole('button', { name: 'Continue to the register' }) as HTMLButtonElement;
  expect(next.disabled).toBe(true);
  await fireEvent.click(screen.getByRole('button', { name: 'Print the recovery key' }));
  expect(printed).toBe(1);
  await fireEvent.click(screen.getByLabelText('I have printed or written down the recovery key'));
  expect(next.disabled).toBe(false);
  await fireEvent.click(next);
  expect(continued).toBe(true);
});

function record(overrides: Partial<PupilRecord> = {}): PupilRecord {
  return {
    id: 7, upn: 'K886200724123', upnTemporary: false, legalForename: 'Ada', legalSurname: 'Quill', preferredForename: '', preferredSurname: '',
    dateOfBirth: '2016-05-02', sex: 'F', ncYear: 5, form: '5B', admissionDate: '2021-09-01', leavingDate: null, pupilPremium: false, fsm: false,
    eal: false, lookedAfter: false, attendancePct: null, status: 'monitoring', statusSince: '2024-09-02',
    statusHistory: [
      { status: 'noSen', startDate: '2021-09-01', endDate: '2024-09-01', reason: 'admitted' },
      { status: 'monitoring', startDate: '2024-09-02', endDate: null, reason: 'class teacher concern' },
    ],
    needs: [], ...overrides,
  };
}

const needTypeList = [
  { code: 'SPLD', description: 'Specific learning difficulty', area: 'cognitionAndLearning', areaLabel: 'Cognition and learning' },
  { code: 'SLCN', description: 'Speech, language and communication needs', area: 'communicationAndInteraction', areaLabel: 'Communication and interaction' },
];

test('moving to SEN support asks for a primary need when there is none, and sends it', async () => {
  const changes: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record();
    if (cmd === 'need_types') return needTypeList;
    if (cmd === 'pupil_set_status') {
      changes.push(args);
      return record({ status: 'senSupport', statusSince: '2025-01-06' });
    }
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await waitFor(() => expect(document.getElementById('pupil-status')?.textContent).toContain('Pupil of concern / monitoring'));
  await fireEvent.change(screen.getByLabelText('New status'), { target: { value: 'senSupport' } });
  expect(screen.getByText('Required: SEN support and EHC plans need a primary need.')).toBeTruthy();
  await screen.findAllByRole('option', { name: 'SLCN: Speech, language and communication needs' });
  await fireEvent.change(screen.getByLabelText(/^Primary need/), { target: { value: 'SLCN' } });
  await fireEvent.input(screen.getByLabelText('Starting on'), { target: { value: '2025-01-06' } });
  await fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'after the autumn review' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));
  await waitFor(() => expect(document.getElementById('pupil-status')?.textContent).toContain('SEN support (K)'));
  expect(changes).toEqual([{ id: 7, change: { status: 'senSupport', startDate: '2025-01-06', reason: 'after the autumn review', primaryNeed: 'SLCN' } }]);
});

test('a pupil who has left is shown as archived, with nothing to change', async () => {
  mockIPC((cmd) => {
    if (cmd === 'pupil_get') return record({ leavingDate: '2025-07-18' });
    if (cmd === 'need_types') return needTypeList;
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  expect((await screen.findByRole('note')).textContent).toContain('Left on 18 July 2025');
  expect(document.getElementById('status-select')).toBeNull();
  expect(screen.queryByRole('button', { name: 'Edit details' })).toBeNull();
  expect(screen.queryByRole('button', { name: /Mark as left/ })).toBeNull();
  const timeline = screen.getByRole('list');
  expect(timeline.tagName).toBe('OL');
  expect(timeline.lastElementChild?.textContent).toContain('Left the school');
});
