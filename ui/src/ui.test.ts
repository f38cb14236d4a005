// Component tests with the Tauri IPC mocked: what a SENCO sees for given command results.
// The vocabulary is always the one the Rust IPC tests recorded, never a hand-written copy.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { createRawSnippet } from 'svelte';
import App from './App.svelte';
import PupilForm from './screens/PupilForm.svelte';
import Register from './screens/Register.svelte';
import Unlock from './screens/Unlock.svelte';
import Pupil from './screens/Pupil.svelte';
import RecoveryKey from './screens/RecoveryKey.svelte';
import type { PupilRecord } from './bindings/PupilRecord';
import type { RegisterQuery } from './bindings/RegisterQuery';
import type { RegisterRow } from './bindings/RegisterRow';
import type { CommandError } from './bindings/CommandError';
import type { Vocabulary } from './bindings/Vocabulary';
import recordedVocabulary from './bindings/vocabulary.json';
import { setVocabulary } from './vocabulary.svelte';
import Field from './kit/Field.svelte';
import Select from './kit/Select.svelte';
import ConfirmForm from './kit/ConfirmForm.svelte';
import DataTable from './kit/DataTable.svelte';

const vocabulary = recordedVocabulary as Vocabulary;

// Screens rendered on their own find the vocabulary already loaded, as App leaves it.
beforeEach(() => setVocabulary(vocabulary));

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
  setVocabulary(null);
  mockIPC((cmd) => {
    if (cmd === 'vocabulary') return vocabulary;
    if (cmd === 'app_state') return { schoolExists: false, open: null };
    return null;
  });
  render(App);
  expect(await screen.findByRole('button', { name: 'Open the demo school' })).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Set up my school' })).toBeTruthy();
});

test('a saved school that is locked asks for the passphrase, and a demo school is labelled', async () => {
  setVocabulary(null);
  mockIPC((cmd) => {
    if (cmd === 'vocabulary') return vocabulary;
    if (cmd === 'app_state') return { schoolExists: true, open: null };
    if (cmd === 'open_demo') return school;
    if (cmd === 'register_page') return { rows: [], total: 0, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 0, ehcPlan: 0 } };
    return null;
  });
  render(App);
  expect(await screen.findByLabelText('Passphrase')).toBeTruthy();
  await fireEvent.click(screen.getByRole('button', { name: 'Open the demo school instead' }));
  expect((await screen.findByRole('note', { name: 'Demo school' })).textContent).toContain('synthetic pupils only');
  // The register's pickers are the core's vocabulary.
  const years = within(screen.getByLabelText('Year group')).getAllByRole('option').map((o) => o.textContent);
  expect(years).toEqual(['Any year', ...vocabulary.years.map((y) => y.label)]);
});

test('nothing shows until the vocabulary has arrived, and a vocabulary that cannot be read is explained', async () => {
  setVocabulary(null);
  let answer: (v: Vocabulary) => void = () => {};
  mockIPC((cmd) => {
    if (cmd === 'vocabulary') return new Promise<Vocabulary>((resolve) => (answer = resolve));
    if (cmd === 'app_state') return { schoolExists: false, open: null };
    return null;
  });
  render(App);
  expect(screen.getByText('Starting…')).toBeTruthy();
  await new Promise((r) => setTimeout(r, 20));
  expect(screen.queryByRole('button', { name: 'Open the demo school' })).toBeNull();
  answer(vocabulary);
  expect(await screen.findByRole('button', { name: 'Open the demo school' })).toBeTruthy();
  cleanup();
  clearMocks();

  setVocabulary(null);
  mockIPC((cmd) => {
    if (cmd === 'vocabulary') throw { code: 'storage', message: 'the vocabulary could not be read', fields: [] };
    if (cmd === 'app_state') return { schoolExists: false, open: null };
    return null;
  });
  render(App);
  expect((await screen.findByRole('alert')).textContent).toBe('The vocabulary could not be read.');
  expect(screen.queryByText('Starting…')).toBeNull();
  expect(screen.queryByRole('button', { name: 'Open the demo school' })).toBeNull();
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
  expect(document.activeElement).toBe(upn);
  expect((sent[0] as { pupil: { upn: string } }).pupil.upn).toBe('A801200005001');
});

test('the register shows rows and counts, and sends the status filter when it changes', async () => {
  const queries: RegisterQuery[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'register_page') {
      queries.push((args as { query: RegisterQuery }).query);
      return { rows: [row('Quill', 'Ada', 'K886200724123')], total: 1, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 1, ehcPlan: 0 } };
    }
    return null;
  });
  render(Register, { query: query(), onOpen: () => {}, onAdd: () => {} });
  expect(await screen.findByRole('button', { name: 'Quill, Ada' })).toBeTruthy();
  expect(screen.getByText(/1 pupil/).closest('#register-counts')?.textContent).toContain('1 SEN support');
  const cells = [...document.querySelectorAll('#register-table tr[data-upn="K886200724123"] td')].map((td) => td.textContent?.trim());
  expect(cells.slice(2, 7)).toEqual(['Y5', '5B', 'SEN support (K)', 'SLCN', 'Communication and interaction']);
  expect(document.querySelector('#register-table .badge.status')?.classList.contains('k')).toBe(true);
  await fireEvent.change(screen.getByLabelText('SEN status'), { target: { value: 'ehcPlan' } });
  await waitFor(() => expect(queries.at(-1)?.filter.status).toBe('ehcPlan'));
});

test('a name with HTML in it is shown as text, never run', async () => {
  mockIPC((cmd) => {
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

test('moving to SEN support asks for a primary need when there is none, and sends it', async () => {
  const changes: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record();
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
  expect(screen.getByRole('status').textContent).toBe('The SEN status has been changed.');
  // Sending another form takes the old confirmation away; a need left unchosen is refused beside the picker.
  await fireEvent.click(screen.getByRole('button', { name: 'Record the need' }));
  expect(screen.queryByRole('status')).toBeNull();
  const code = screen.getByLabelText('Type of need');
  expect(document.getElementById('error-code')?.textContent).toBe('Choose the type of need.');
  await waitFor(() => expect(document.activeElement).toBe(code));
});

test('a pupil who has left is shown as archived, with nothing to change', async () => {
  mockIPC((cmd) => {
    if (cmd === 'pupil_get') return record({ leavingDate: '2025-07-18' });
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

const refusal = (field: string, message: string): CommandError => ({ code: 'invalid', message: `${field}: ${message}`, fields: [{ field, message }] });
const statusOptions = (select: HTMLElement) => within(select).getAllByRole('option').map((o) => (o as HTMLOptionElement).value);

test('the status form offers NSA only for a status that allows it', async () => {
  const changes: { change: { primaryNeed: string | null } }[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record();
    if (cmd === 'pupil_set_status') {
      changes.push(args as (typeof changes)[number]);
      throw refusal('primaryNeed', "EHC plan needs a primary need: choose the pupil's main type of need");
    }
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  const status = await screen.findByLabelText('New status');
  expect(statusOptions(status)).toEqual(vocabulary.statuses.map((s) => s.status));
  await fireEvent.change(status, { target: { value: 'senSupport' } });
  const need = screen.getByLabelText(/^Primary need/);
  expect(statusOptions(need)).toContain('NSA');
  await fireEvent.change(need, { target: { value: 'NSA' } });
  await fireEvent.change(status, { target: { value: 'ehcPlan' } });
  const needNow = screen.getByLabelText(/^Primary need/) as HTMLSelectElement;
  expect(statusOptions(needNow)).not.toContain('NSA');
  expect(statusOptions(needNow)).toContain('SLCN');
  expect(needNow.value).toBe('');
  // NSA, chosen while SEN support was, is not sent for an EHC plan.
  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));
  await waitFor(() => expect(changes.map((c) => c.change.primaryNeed)).toEqual([null]));
  expect(document.activeElement).toBe(screen.getByLabelText(/^Primary need/));
  // The pupil is monitored, a status that does not allow NSA: the add-need picker leaves it out.
  expect(statusOptions(screen.getByLabelText('Type of need'))).not.toContain('NSA');
  expect(statusOptions(screen.getByLabelText('Rank'))).toEqual(['1', '2', '3']);
});

test('a pupil on SEN support may have NSA recorded as a need', async () => {
  mockIPC((cmd) => (cmd === 'pupil_get' ? record({ status: 'senSupport' }) : null));
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  expect(statusOptions(await screen.findByLabelText('Type of need'))).toContain('NSA');
});

test('ending a need takes the focus to its date, and a refusal is shown beside it', async () => {
  const slcn = { id: 3, code: 'SLCN' as const, description: 'Speech, language and communication needs', area: 'communicationAndInteraction' as const, rank: 2, startDate: '2024-09-02', endDate: null };
  mockIPC((cmd) => {
    if (cmd === 'pupil_get') return record({ needs: [slcn] });
    if (cmd === 'pupil_end_need') throw refusal('endDate', 'the need began on 2024-09-02; it cannot end before that');
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await fireEvent.click(await screen.findByRole('button', { name: 'End this need: SLCN' }));
  const date = screen.getByLabelText('Last day of the need');
  expect(document.activeElement).toBe(date);
  await fireEvent.click(screen.getByRole('button', { name: 'End the need' }));
  const message = await screen.findByText('The need began on 2024-09-02; it cannot end before that.');
  expect(message.id).toBe('error-endDate');
  expect(date.getAttribute('aria-invalid')).toBe('true');
  expect(document.activeElement).toBe(date);
  await fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
  expect(screen.queryByLabelText('Last day of the need')).toBeNull();
});

test('a refused Field is marked invalid and described by its message; an accepted one is not', () => {
  const error = refusal('urn', 'a URN is six digits');
  render(Field, { id: 'school-urn', label: 'URN', hint: 'Six digits', field: 'urn', error, value: '1180' });
  const input = screen.getByLabelText('URN');
  expect(input.getAttribute('aria-invalid')).toBe('true');
  const message = screen.getByText('A URN is six digits.');
  expect(message.id).toBe('error-urn');
  expect(input.getAttribute('aria-describedby')?.split(' ')).toEqual(['school-urn-hint', 'error-urn']);
  cleanup();

  render(Field, { id: 'school-la', label: 'LA code', field: 'laCode', error, value: '886' });
  const accepted = screen.getByLabelText('LA code');
  expect(accepted.getAttribute('aria-invalid')).toBeNull();
  expect(accepted.getAttribute('aria-describedby')).toBeNull();
  expect((accepted as HTMLInputElement).value).toBe('886');
});

test('a Select lists the options it is given, after its empty choice', async () => {
  let chosen = '';
  render(Select, {
    id: 'pupil-sex', label: 'Sex', field: 'sex', error: null, value: 'M', emptyLabel: 'Choose',
    options: vocabulary.sexes.map((s) => ({ value: s.sex, label: s.label })),
    onchange: (e: Event) => (chosen = (e.currentTarget as HTMLSelectElement).value),
  });
  const select = screen.getByLabelText('Sex') as HTMLSelectElement;
  expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose', 'Female', 'Male']);
  expect(select.value).toBe('M');
  await fireEvent.change(select, { target: { value: 'F' } });
  expect(chosen).toBe('F');
});

test('a ConfirmForm takes the focus when it opens, and Cancel and confirm call back', async () => {
  let cancelled = 0;
  let confirmed = 0;
  const props = {
    id: 'leave', heading: 'Mark Ada Quill as left?', error: null, confirmLabel: 'Mark Ada Quill as left', cancelLabel: 'Cancel', danger: true,
    onConfirm: () => confirmed++, onCancel: () => cancelled++,
  };
  render(ConfirmForm, { ...props, children: createRawSnippet(() => ({ render: () => '<div class="field"><label for="leaving-date">Leaving date</label><input id="leaving-date" type="date"></div>' })) });
  expect(document.activeElement).toBe(screen.getByLabelText('Leaving date'));
  await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(cancelled).toBe(1);
  await fireEvent.click(screen.getByRole('button', { name: 'Mark Ada Quill as left' }));
  expect(confirmed).toBe(1);
  cleanup();

  render(ConfirmForm, { ...props, error: { code: 'refused', message: 'this pupil has left already', fields: [] } });
  expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Mark Ada Quill as left?' }));
  expect(screen.getByRole('form', { name: 'Mark Ada Quill as left?' })).toBeTruthy();
  expect(screen.getByRole('alert').textContent).toBe('This pupil has left already.');
});

test('DataTable sort buttons set aria-sort and ask for the sort, from headings that are buttons', async () => {
  const sorts: string[] = [];
  // Testing Library's render does not infer DataTable's item type, so the items are unknown here.
  type Item = { id: number; name: string };
  const props = {
    caption: 'Pupils', items: [{ id: 1, name: 'Quill, Ada' }] as Item[], itemKey: (i: unknown) => (i as Item).id, empty: 'No pupils match these filters.',
    columns: [{ key: 'name', label: 'Name', sortable: true }, { key: 'upn', label: 'UPN', sortable: true }, { key: 'flags', label: 'Flags' }],
    row: createRawSnippet<[unknown]>((item) => ({ render: () => `<tr><td>${(item() as Item).name}</td><td></td><td></td></tr>` })),
    sort: 'name', descending: false, onSort: (key: string) => sorts.push(key),
  };
  const { rerender } = render(DataTable, props);
  const header = (name: string) => screen.getByRole('columnheader', { name: new RegExp(`^${name}`) });
  expect(header('Name').getAttribute('aria-sort')).toBe('ascending');
  expect(header('UPN').getAttribute('aria-sort')).toBe('none');
  expect(header('Flags').hasAttribute('aria-sort')).toBe(false);
  expect(within(header('Flags')).queryByRole('button')).toBeNull();
  await fireEvent.click(within(header('UPN')).getByRole('button'));
  expect(sorts).toEqual(['upn']);
  await rerender({ sort: 'upn', descending: true });
  expect(header('UPN').getAttribute('aria-sort')).toBe('descending');
  expect(header('Name').getAttribute('aria-sort')).toBe('none');
  expect(screen.getByRole('cell', { name: 'Quill, Ada' })).toBeTruthy();
  await rerender({ items: [] });
  expect(screen.getByRole('cell', { name: 'No pupils match these filters.' }).getAttribute('colspan')).toBe('3');
});
