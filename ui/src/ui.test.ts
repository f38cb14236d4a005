// Component tests with the Tauri IPC mocked: what a SENCO sees for given command results.
// The vocabulary is always the one the Rust IPC tests recorded, never a hand-written copy.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { createRawSnippet } from 'svelte';
import App from './App.svelte';
import PupilForm from './screens/PupilForm.svelte';
import Register from './screens/Register.svelte';
import Unlock from './screens/Unlock.svelte';
import Pupil from './screens/Pupil.svelte';
import RecoveryKey from './screens/RecoveryKey.svelte';
import Governors from './screens/Governors.svelte';
import LibraryScreen from './screens/Library.svelte';
import ImportScreen from './screens/Import.svelte';
import Reconcile from './screens/Reconcile.svelte';
import RestorePanel from './screens/records/RestorePanel.svelte';
import RetentionPanel from './screens/records/RetentionPanel.svelte';
import { startIdleLock, type LockWhy } from './idle';
import type { ErasureCount } from './bindings/ErasureCount';
import type { FoundBackup } from './bindings/FoundBackup';
import type { PurgeList } from './bindings/PurgeList';
import type { RestoreOutcome } from './bindings/RestoreOutcome';
import type { RestorePlan } from './bindings/RestorePlan';
import type { ImportChanged } from './bindings/ImportChanged';
import type { ImportDifference } from './bindings/ImportDifference';
import type { ImportFieldInfo } from './bindings/ImportFieldInfo';
import type { ImportNewPupil } from './bindings/ImportNewPupil';
import type { ImportOutcome } from './bindings/ImportOutcome';
import type { ImportPlan } from './bindings/ImportPlan';
import type { ImportProfile } from './bindings/ImportProfile';
import type { ImportSetup } from './bindings/ImportSetup';
import type { ReconciliationItem } from './bindings/ReconciliationItem';
import type { GovernorView } from './bindings/GovernorView';
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

// jsdom has no canvas: getContext answers null, as for a canvas with no 2D context, so the
// governors' charts are not drawn (their figures are in the tables) and jsdom logs nothing.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

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
    if (cmd === 'app_state') return { schoolExists: false, lockedSchoolName: null, open: null };
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
    if (cmd === 'app_state') return { schoolExists: true, lockedSchoolName: null, open: null };
    if (cmd === 'open_demo') return school;
    if (cmd === 'register_page') return { rows: [], total: 0, everyone: 6, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 0, ehcPlan: 0 } };
    if (cmd === 'worklist') return [];
    return null;
  });
  render(App);
  expect(await screen.findByLabelText('Passphrase')).toBeTruthy();
  await fireEvent.click(screen.getByRole('button', { name: 'Open the demo school instead' }));
  expect((await screen.findByRole('note', { name: 'Demo school' })).textContent).toContain('synthetic pupils only');
  // Opening a school starts at the worklist; the navigation bar leads to the register.
  expect(await screen.findByRole('heading', { level: 1, name: 'Worklist' })).toBeTruthy();
  await fireEvent.click(screen.getByRole('link', { name: 'Register' }));
  await screen.findByRole('heading', { level: 1, name: 'SEN register' });
  // The register's pickers are the core's vocabulary.
  const years = within(screen.getByLabelText('Year group')).getAllByRole('option').map((o) => o.textContent);
  expect(years).toEqual(['Any year', ...vocabulary.years.map((y) => y.label)]);
});

test('nothing shows until the vocabulary has arrived, and a vocabulary that cannot be read is explained', async () => {
  setVocabulary(null);
  let answer: (v: Vocabulary) => void = () => {};
  mockIPC((cmd) => {
    if (cmd === 'vocabulary') return new Promise<Vocabulary>((resolve) => (answer = resolve));
    if (cmd === 'app_state') return { schoolExists: false, lockedSchoolName: null, open: null };
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
    if (cmd === 'app_state') return { schoolExists: false, lockedSchoolName: null, open: null };
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
      return { rows: [row('Quill', 'Ada', 'K886200724123')], total: 1, everyone: 6, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 1, ehcPlan: 0 } };
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
      return { rows: [row('<img src=x onerror=alert(1)>', '<script>alert(1)</script>', 'K886200724123')], total: 1, everyone: 6, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 1, ehcPlan: 0 } };
    }
    return null;
  });
  const { container } = render(Register, { query: query(), onOpen: () => {}, onAdd: () => {} });
  const name = await screen.findByRole('button', { name: '<img src=x onerror=alert(1)>, <script>alert(1)</script>' });
  expect(name.textContent).toBe('<img src=x onerror=alert(1)>, <script>alert(1)</script>');
  expect(container.querySelector('tbody img, tbody script')).toBeNull();
});

test('the recovery key must be confirmed before going on, and can be printed with the school it opens', async () => {
  let printed = 0;
  window.print = () => { printed++; };
  let continued = false;
  render(RecoveryKey, { school: { name: 'Hillside Test Primary', urn: '118000' }, recoveryKey: 'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2', onContinue: () => { continued = true; } });
  expect(document.getElementById('recovery-key')?.textContent).toBe('ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2');
  // The sheet names the school and its URN, the day the key was made (British), and what to do with it.
  const sheet = document.getElementById('recovery-school')?.textContent ?? '';
  expect(sheet).toContain('Hillside Test Primary');
  expect(sheet).toContain('118000');
  expect(sheet).toMatch(/Made on\s*\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}/);
  const page = document.body.textContent?.replace(/\s+/g, ' ');
  expect(page).toContain('Keep this sheet somewhere safe away from this laptop.');
  expect(page).toContain('It opens the school if the passphrase is forgotten');
  expect(page).toContain('Anyone who has it and the laptop can open the school');
  // Before printing: saving the print as a file leaves a copy of the key on the laptop.
  const print = screen.getByRole('button', { name: 'Print the recovery key' });
  const warning = document.getElementById(print.getAttribute('aria-describedby') ?? '')?.textContent?.replace(/\s+/g, ' ');
  expect(warning).toContain('"Save as PDF" or "Print to file"');
  expect(warning).toContain('leaves a copy of the key on this laptop');
  const next = screen.getByRole('button', { name: 'Continue to the register' }) as HTMLButtonElement;
  expect(next.disabled).toBe(true);
  await fireEvent.click(print);
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
    needs: [], nextRank: 1, previousEnrolments: [], ...overrides,
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
  await fireEvent.input(screen.getByLabelText('Reason (required)'), { target: { value: 'after the autumn review' } });
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
    // The core's preview refuses an EHC plan with no primary need, writing nothing.
    if (cmd === 'pupil_preview_status') throw refusal('primaryNeed', "EHC plan (E) needs a primary need: choose the pupil's main type of need");
    if (cmd === 'pupil_set_status') changes.push(args as (typeof changes)[number]);
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  const status = await screen.findByLabelText('New status');
  // Nothing is chosen at first; the pupil's own status is not offered as a change.
  expect(statusOptions(status)).toEqual(['', ...vocabulary.statuses.map((s) => s.status).filter((s) => s !== 'monitoring')]);
  await fireEvent.change(status, { target: { value: 'senSupport' } });
  const need = screen.getByLabelText(/^Primary need/);
  expect(statusOptions(need)).toContain('NSA');
  await fireEvent.change(need, { target: { value: 'NSA' } });
  await fireEvent.change(status, { target: { value: 'ehcPlan' } });
  const needNow = screen.getByLabelText(/^Primary need/) as HTMLSelectElement;
  expect(statusOptions(needNow)).not.toContain('NSA');
  expect(statusOptions(needNow)).toContain('SLCN');
  expect(needNow.value).toBe('');
  // NSA, chosen while SEN support was, is not kept for an EHC plan: with no primary need the
  // core's preview refuses the change, so it is not offered for confirmation and nothing is sent.
  await fireEvent.input(screen.getByLabelText('Reason (required)'), { target: { value: 'plan issued' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));
  expect((await screen.findByText("EHC plan (E) needs a primary need: choose the pupil's main type of need.")).id).toBe('error-primaryNeed');
  await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText(/^Primary need/)));
  expect(screen.queryByRole('form', { name: /^Move Ada Quill/ })).toBeNull();
  expect(changes).toEqual([]);
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
    if (cmd === 'pupil_get') return record({ needs: [slcn], nextRank: 1 });
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

// What `read_date` answers for the dates these tests type; the core's own reading is tested in Rust.
const readings: Record<string, { iso: string; display: string }> = {
  '14.3.17': { iso: '2017-03-14', display: '14 Mar 2017' },
  '6.1.25': { iso: '2025-01-06', display: '6 Jan 2025' },
  '6/1/2025': { iso: '2025-01-06', display: '6 Jan 2025' },
  '2025-01-06': { iso: '2025-01-06', display: '6 Jan 2025' },
  '13/2/26': { iso: '2026-02-13', display: '13 Feb 2026' },
  '2026-02-13': { iso: '2026-02-13', display: '13 Feb 2026' },
};
function readDate(args: unknown) {
  const text = (args as { text: string }).text;
  const reading = readings[text.trim()];
  if (!reading) throw refusal('date', `the date "${text}" has no month 14: dates are written day, month, year, such as 14/03/2017`);
  return reading;
}

const slcnPrimary = { id: 3, code: 'SLCN' as const, description: 'Speech, language and communication needs', area: 'communicationAndInteraction' as const, rank: 1, startDate: '2024-09-02', endDate: null };

test('the status form starts with no change chosen, and asks for one before sending anything', async () => {
  const changes: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record();
    if (cmd === 'pupil_set_status') changes.push(args);
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  const status = (await screen.findByLabelText('New status')) as HTMLSelectElement;
  expect(status.value).toBe('');
  expect(status.options[0].textContent).toBe('Choose the new status');
  expect(screen.getByLabelText('Reason (required)')).toBeTruthy();
  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));
  expect((await screen.findByText('Choose the new status.')).id).toBe('error-status');
  expect(status.getAttribute('aria-invalid')).toBe('true');
  await waitFor(() => expect(document.activeElement).toBe(status));
  expect(changes).toEqual([]);
});

test("an empty reason is refused beside the Reason field, in the core's words", async () => {
  mockIPC((cmd) => {
    if (cmd === 'pupil_get') return record({ status: 'senSupport', needs: [slcnPrimary], nextRank: 2 });
    if (cmd === 'pupil_set_status') throw refusal('reason', 'give the reason for the change, such as "after the spring review"');
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await fireEvent.change(await screen.findByLabelText('New status'), { target: { value: 'monitoring' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));
  const message = await screen.findByText('Give the reason for the change, such as "after the spring review".');
  expect(message.id).toBe('error-reason');
  const reason = screen.getByLabelText('Reason (required)');
  expect(reason.getAttribute('aria-invalid')).toBe('true');
  expect(reason.getAttribute('aria-describedby')).toBe('error-reason');
  await waitFor(() => expect(document.activeElement).toBe(reason));
});

test('moving to an EHC plan asks for confirmation naming the pupil, both statuses and the date, and sends nothing until confirmed', async () => {
  const changes: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record({ status: 'senSupport', statusSince: '2024-09-02', needs: [slcnPrimary], nextRank: 2 });
    if (cmd === 'read_date') return readDate(args);
    if (cmd === 'pupil_preview_status') {
      return { from: 'senSupport', to: 'ehcPlan', startDate: '2025-01-06', reason: 'plan issued by the LA', previousEnds: '2025-01-05', needsEnding: [], primaryNeed: 'SLCN', primaryIsNew: false };
    }
    if (cmd === 'pupil_set_status') {
      changes.push(args);
      return record({ status: 'ehcPlan', statusSince: '2025-01-06', needs: [slcnPrimary], nextRank: 2 });
    }
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await fireEvent.change(await screen.findByLabelText('New status'), { target: { value: 'ehcPlan' } });
  await fireEvent.input(screen.getByLabelText('Starting on'), { target: { value: '6.1.25' } });
  await fireEvent.input(screen.getByLabelText('Reason (required)'), { target: { value: 'plan issued by the LA' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));

  const step = await screen.findByRole('form', { name: 'Move Ada Quill from SEN support (K) to EHC plan (E) from 6 Jan 2025?' });
  await waitFor(() => expect(document.activeElement).toBe(within(step).getByRole('heading')));
  expect(step.textContent).toContain('Reason: plan issued by the LA');
  expect(step.textContent).toContain('Their primary need stays SLCN.');
  expect(changes).toEqual([]);

  // Cancel goes back with nothing sent, and the form keeps what was typed.
  await fireEvent.click(within(step).getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByRole('form', { name: /^Move Ada Quill/ })).toBeNull();
  await waitFor(() => expect(document.activeElement?.id).toBe('status-save'));
  expect(changes).toEqual([]);
  expect((screen.getByLabelText('New status') as HTMLSelectElement).value).toBe('ehcPlan');
  expect((screen.getByLabelText('Starting on') as HTMLInputElement).value).toBe('6 Jan 2025');

  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Yes, change the status' }));
  await waitFor(() => expect(document.getElementById('pupil-status')?.textContent).toContain('EHC plan (E)'));
  expect(changes).toEqual([{ id: 7, change: { status: 'ehcPlan', startDate: '2025-01-06', reason: 'plan issued by the LA', primaryNeed: null } }]);
  // The form starts afresh, with nothing chosen.
  expect((screen.getByLabelText('New status') as HTMLSelectElement).value).toBe('');
});

test('moving to No SEN says which needs end, and when', async () => {
  const semh = { ...slcnPrimary, id: 4, code: 'SEMH' as const, description: 'Social, emotional and mental health', area: 'socialEmotionalMentalHealth' as const, rank: 2 };
  const changes: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record({ status: 'senSupport', needs: [slcnPrimary, semh], nextRank: 3 });
    if (cmd === 'pupil_preview_status') {
      const ending = (code: string, rank: number) => ({ code, rank, endDate: '2025-01-05' });
      return { from: 'senSupport', to: 'noSen', startDate: '2025-01-06', reason: 'needs met', previousEnds: '2025-01-05', needsEnding: [ending('SLCN', 1), ending('SEMH', 2)], primaryNeed: null, primaryIsNew: false };
    }
    if (cmd === 'pupil_set_status') changes.push(args);
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await fireEvent.change(await screen.findByLabelText('New status'), { target: { value: 'noSen' } });
  await fireEvent.input(screen.getByLabelText('Starting on'), { target: { value: '6/1/2025' } });
  await fireEvent.input(screen.getByLabelText('Reason (required)'), { target: { value: 'needs met' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));
  const step = await screen.findByRole('form', { name: 'Move Ada Quill from SEN support (K) to No SEN from 6 Jan 2025?' });
  expect(step.textContent).toContain('Their current needs will end on 5 Jan 2025: SLCN and SEMH.');
  expect(changes).toEqual([]);
});

test('a change that needs no confirmation, such as to monitoring, is sent straight away', async () => {
  const changes: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record({ status: 'noSen', statusHistory: [{ status: 'noSen', startDate: '2021-09-01', endDate: null, reason: 'admitted' }] });
    if (cmd === 'pupil_set_status') {
      changes.push(args);
      return record();
    }
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await fireEvent.change(await screen.findByLabelText('New status'), { target: { value: 'monitoring' } });
  await fireEvent.input(screen.getByLabelText('Starting on'), { target: { value: '2025-01-06' } });
  await fireEvent.input(screen.getByLabelText('Reason (required)'), { target: { value: 'class teacher concern' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Change the status' }));
  await waitFor(() => expect(changes).toEqual([{ id: 7, change: { status: 'monitoring', startDate: '2025-01-06', reason: 'class teacher concern', primaryNeed: null } }]));
  expect(screen.queryByRole('button', { name: 'Yes, change the status' })).toBeNull();
});

test('a new need takes the next free rank, and the rank picker says which ranks are taken', async () => {
  const needs: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record({ status: 'senSupport', needs: [slcnPrimary], nextRank: 2 });
    if (cmd === 'pupil_add_need') {
      needs.push(args);
      return record({ status: 'senSupport', needs: [slcnPrimary], nextRank: 3 });
    }
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  const rank = (await screen.findByLabelText('Rank')) as HTMLSelectElement;
  expect(rank.value).toBe('2');
  expect(within(rank).getAllByRole('option').map((o) => o.textContent)).toEqual(['1 (primary): replaces SLCN', '2: free', '3: free']);
  await fireEvent.change(screen.getByLabelText('Type of need'), { target: { value: 'SEMH' } });
  await fireEvent.input(screen.getByLabelText('From'), { target: { value: '2025-01-06' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Record the need' }));
  await waitFor(() => expect(needs).toEqual([{ id: 7, need: { code: 'SEMH', rank: 2, startDate: '2025-01-06' } }]));
  // The record has changed: the rank moves on to the next free one.
  await waitFor(() => expect((screen.getByLabelText('Rank') as HTMLSelectElement).value).toBe('3'));
});

test('choosing a rank that is held asks to confirm replacing that need, and sends nothing until confirmed', async () => {
  const needs: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record({ status: 'senSupport', needs: [slcnPrimary], nextRank: 2 });
    if (cmd === 'pupil_preview_need') return { code: 'SEMH', rank: 1, startDate: '2025-01-06', replaces: { code: 'SLCN', rank: 1, endDate: '2025-01-05' } };
    if (cmd === 'pupil_add_need') {
      needs.push(args);
      return record({ status: 'senSupport', needs: [{ ...slcnPrimary, endDate: '2025-01-05' }, { ...slcnPrimary, id: 9, code: 'SEMH', startDate: '2025-01-06' }], nextRank: 2 });
    }
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await fireEvent.change(await screen.findByLabelText('Type of need'), { target: { value: 'SEMH' } });
  await fireEvent.change(screen.getByLabelText('Rank'), { target: { value: '1' } });
  await fireEvent.input(screen.getByLabelText('From'), { target: { value: '6.1.25' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Record the need' }));
  const step = await screen.findByRole('form', { name: "Replace SLCN with SEMH as Ada Quill's primary need?" });
  expect(step.textContent?.replace(/\s+/g, ' ')).toContain('SLCN will end on 5 Jan 2025, and SEMH will be the primary need from 6 Jan 2025.');
  expect(step.textContent).toContain("This replaces the pupil's primary need");
  await waitFor(() => expect(document.activeElement).toBe(within(step).getByRole('heading')));
  expect(needs).toEqual([]);
  await fireEvent.click(within(step).getByRole('button', { name: 'Cancel' }));
  expect(needs).toEqual([]);
  await waitFor(() => expect(document.activeElement?.id).toBe('need-save'));
  await fireEvent.click(screen.getByRole('button', { name: 'Record the need' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Replace SLCN' }));
  await waitFor(() => expect(needs).toEqual([{ id: 7, need: { code: 'SEMH', rank: 1, startDate: '2025-01-06' } }]));
});

test('when every rank is taken, no rank is chosen and the hint says so', async () => {
  const second = { ...slcnPrimary, id: 4, code: 'SEMH' as const, rank: 2 };
  const third = { ...slcnPrimary, id: 5, code: 'ASD' as const, rank: 3 };
  mockIPC((cmd) => (cmd === 'pupil_get' ? record({ status: 'senSupport', needs: [slcnPrimary, second, third], nextRank: null }) : null));
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  const rank = (await screen.findByLabelText('Rank')) as HTMLSelectElement;
  expect(rank.value).toBe('');
  expect(within(rank).getAllByRole('option').map((o) => o.textContent)).toEqual([
    'Choose the rank to replace', '1 (primary): replaces SLCN', '2: replaces SEMH', '3: replaces ASD',
  ]);
  const hint = document.getElementById(rank.getAttribute('aria-describedby') ?? '');
  expect(hint?.textContent).toContain('All ranks are taken');
});

/** The add-pupil form, with dates read as the core reads them; what it tried to add. */
function addFormReadingDates(): { pupil: { dateOfBirth: string } }[] {
  const added: { pupil: { dateOfBirth: string } }[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'read_date') return readDate(args);
    if (cmd === 'pupil_add') {
      added.push(args as (typeof added)[number]);
      throw refusal('upn', 'enter the UPN');
    }
    return null;
  });
  render(PupilForm, { pupil: null, onSaved: () => {}, onCancel: () => {} });
  return added;
}

test('a date field reads what is typed the British way and shows it back, whatever was typed', async () => {
  const added = addFormReadingDates();
  const dob = screen.getByLabelText('Date of birth') as HTMLInputElement;
  expect(dob.type).toBe('text');
  expect(dob.getAttribute('inputmode')).toBeNull();
  expect(document.getElementById('pupil-dob-hint')?.textContent).toBe('Day, month, year: such as 14/03/2017');
  await fireEvent.input(dob, { target: { value: '14.3.17' } });
  await fireEvent.blur(dob);
  await waitFor(() => expect(dob.value).toBe('14 Mar 2017'));
  expect(dob.getAttribute('aria-invalid')).toBeNull();
  // A date set from outside, such as the admission date's default of today, is shown the British way.
  expect((screen.getByLabelText('Admission date') as HTMLInputElement).value).toMatch(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/);
  await fireEvent.click(screen.getByRole('button', { name: 'Add the pupil' }));
  await waitFor(() => expect(added.map((a) => a.pupil.dateOfBirth)).toEqual(['2017-03-14']));
});

test('a date that cannot be read is explained beside the field at once, and kept as typed', async () => {
  const added = addFormReadingDates();
  const dob = screen.getByLabelText('Date of birth') as HTMLInputElement;
  await fireEvent.input(dob, { target: { value: '03/14/2017' } });
  await fireEvent.keyDown(dob, { key: 'Enter' });
  const message = await screen.findByText('The date "03/14/2017" has no month 14: dates are written day, month, year, such as 14/03/2017.');
  expect(message.id).toBe('error-dateOfBirth');
  expect(dob.getAttribute('aria-invalid')).toBe('true');
  expect(dob.getAttribute('aria-describedby')).toBe('pupil-dob-hint error-dateOfBirth');
  expect(dob.value).toBe('03/14/2017');
  await fireEvent.click(screen.getByRole('button', { name: 'Add the pupil' }));
  await waitFor(() => expect(added.map((a) => a.pupil.dateOfBirth)).toEqual(['03/14/2017']));
});

test('dates are written with English month names, never through the system locale', async () => {
  const { longDate, shortDate } = await import('./labels');
  const toLocale = Date.prototype.toLocaleDateString;
  const format = Intl.DateTimeFormat;
  Date.prototype.toLocaleDateString = () => { throw new Error('toLocaleDateString follows the system locale'); };
  (Intl as { DateTimeFormat: unknown }).DateTimeFormat = function () { throw new Error('Intl follows the system locale'); };
  try {
    expect(longDate('2017-03-14')).toBe('14 March 2017');
    expect(shortDate('2017-09-04')).toBe('4 Sep 2017');
    mockIPC((cmd) => (cmd === 'pupil_get' ? record({ leavingDate: '2025-07-18' }) : null));
    render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
    expect((await screen.findByRole('note')).textContent).toContain('Left on 18 July 2025');
    expect(screen.getByText('Date of birth').nextElementSibling?.textContent).toBe('2 May 2016');
  } finally {
    Date.prototype.toLocaleDateString = toLocale;
    Intl.DateTimeFormat = format;
  }
});

test('the timeline reads cleanly, with no brackets inside brackets', async () => {
  mockIPC((cmd) => (cmd === 'pupil_get'
    ? record({ status: 'senSupport', needs: [{ ...slcnPrimary, code: 'SPLD', description: 'Specific learning difficulty, such as dyslexia or dyscalculia', area: 'cognitionAndLearning', endDate: '2025-01-05' }] })
    : null));
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await screen.findByRole('heading', { name: 'Timeline' });
  const events = [...document.querySelectorAll('.timeline li')].map((li) => li.textContent);
  expect(events).toContain('2 September 2024 Need recorded: SPLD, specific learning difficulty, rank 1');
  expect(events).toContain('5 January 2025 Need ended: SPLD');
  expect(events.some((e) => /\([^)]*\(/.test(e ?? ''))).toBe(false);
});

test('marking a pupil as left is confirmed first, with the date the British way', async () => {
  const left: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return record({ status: 'senSupport', needs: [slcnPrimary], nextRank: 2 });
    if (cmd === 'pupil_preview_leave') return { date: '2026-02-13', needsEnding: [{ code: 'SLCN', rank: 1, endDate: '2026-02-13' }] };
    if (cmd === 'pupil_leave') {
      left.push(args);
      return record({ leavingDate: '2026-02-13' });
    }
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await fireEvent.input(await screen.findByLabelText('Leaving date'), { target: { value: '13/2/26' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Mark as left…' }));
  const step = await screen.findByRole('form', { name: 'Mark Ada Quill as left on 13 Feb 2026?' });
  expect(step.textContent).toContain('Their current needs will end on 13 Feb 2026: SLCN.');
  expect(left).toEqual([]);
  await fireEvent.click(within(step).getByRole('button', { name: 'Cancel' }));
  expect(left).toEqual([]);
  await fireEvent.click(screen.getByRole('button', { name: 'Mark as left…' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Mark Ada Quill as left' }));
  await waitFor(() => expect(left).toEqual([{ id: 7, leavingDate: '2026-02-13' }]));
});

test('a new school with no pupils is welcomed, and told what to do next', async () => {
  mockIPC((cmd) => (cmd === 'register_page'
    ? { rows: [], total: 0, everyone: 0, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 0, ehcPlan: 0 } }
    : null));
  render(Register, { query: query(), onOpen: () => {}, onAdd: () => {} });
  const cell = await screen.findByRole('cell', { name: /^No pupils yet/ });
  expect(cell.textContent).toBe('No pupils yet. Add your first pupil with Add a pupil; importing from your MIS comes in a later version.');
  expect(screen.queryByText('No pupils match these filters.')).toBeNull();
});

test('the filters in use show as chips that remove them', async () => {
  const queries: RegisterQuery[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'register_page') {
      queries.push((args as { query: RegisterQuery }).query);
      return { rows: [], total: 0, everyone: 6, page: 0, pageSize: 50, counts: { noSen: 0, monitoring: 0, senSupport: 0, ehcPlan: 0 } };
    }
    return null;
  });
  render(Register, { query: { ...query(), filter: { ...query().filter, status: 'ehcPlan', eal: true } }, onOpen: () => {}, onAdd: () => {} });
  expect(await screen.findByRole('cell', { name: 'No pupils match these filters.' })).toBeTruthy();
  const chip = screen.getByRole('button', { name: 'Remove filter SEN status: EHC plan (E)' });
  expect(chip.textContent).toContain('SEN status: EHC plan (E)');
  expect(screen.getByRole('button', { name: 'Remove filter EAL: Yes' })).toBeTruthy();
  // The filters beyond the bar's own open in a panel, which says how many are in use.
  const more = screen.getByRole('button', { name: /^More filters \(1 in use\)/ });
  expect(more.getAttribute('aria-expanded')).toBe('false');
  await fireEvent.click(chip);
  await waitFor(() => expect(queries.at(-1)?.filter.status).toBeNull());
  expect(queries.at(-1)?.filter.eal).toBe(true);
  await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove filter EAL: Yes' })));
  await fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
  await waitFor(() => expect(queries.at(-1)?.filter.eal).toBeNull());
  expect(screen.queryByRole('list', { name: 'Filters in use' })).toBeNull();
});

test('the unlock screen names the school it unlocks', async () => {
  setVocabulary(null);
  mockIPC((cmd) => {
    if (cmd === 'vocabulary') return vocabulary;
    if (cmd === 'app_state') return { schoolExists: true, lockedSchoolName: 'Hillside Test Primary', open: null };
    return null;
  });
  render(App);
  expect(await screen.findByRole('heading', { level: 1, name: 'Unlock Hillside Test Primary' })).toBeTruthy();
});

test('a pupil who left can be re-admitted, and the timeline keeps their earlier time on roll', async () => {
  const readmitted: unknown[] = [];
  const left = record({ leavingDate: '2025-07-18' });
  mockIPC((cmd, args) => {
    if (cmd === 'pupil_get') return left;
    if (cmd === 'pupil_readmit') {
      readmitted.push(args);
      return record({
        admissionDate: '2025-09-02', status: 'noSen', statusSince: '2025-09-02',
        statusHistory: [...left.statusHistory.map((s) => ({ ...s, endDate: s.endDate ?? '2025-07-18' })), { status: 'noSen', startDate: '2025-09-02', endDate: null, reason: 're-admitted' }],
        previousEnrolments: [{ admissionDate: '2021-09-01', leavingDate: '2025-07-18' }],
      });
    }
    return null;
  });
  render(Pupil, { id: 7, onBack: () => {}, onEdit: () => {} });
  await fireEvent.click(await screen.findByRole('button', { name: 'Re-admit…' }));
  const step = await screen.findByRole('form', { name: 'Re-admit Ada Quill?' });
  expect(step.textContent?.replace(/\s+/g, ' ')).toContain('their earlier time on roll and all their history');
  await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Admission date')));
  expect(readmitted).toEqual([]);
  await fireEvent.input(screen.getByLabelText('Admission date'), { target: { value: '2025-09-02' } });
  await fireEvent.click(within(step).getByRole('button', { name: 'Re-admit Ada Quill' }));
  await waitFor(() => expect(readmitted).toEqual([{ id: 7, admissionDate: '2025-09-02' }]));
  const events = (await screen.findAllByRole('listitem')).map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
  expect(events).toContain('18 July 2025 Left the school');
  expect(events).toContain('2 September 2025 Re-admitted: No SEN');
});

/** A small summary as the core publishes it: a register table with one count hidden, and a trend with no grand total. */
function governorView(overrides: Partial<GovernorView> = {}): GovernorView {
  const source = 'https://explore-education-statistics.service.gov.uk/find-statistics/special-educational-needs-in-england';
  return {
    published: {
      schema_version: 1, kind: 'published', census_date: '2026-10-01', threshold: 5,
      schools: [{ name: 'Hollowbrook Demo School', urn: '999999', la_code: '886', phase: 'primary', duties: null, duties_read: null }],
      method: 'Counts from 1 to 4 are not shown (c), so that no child can be recognised.',
      notes: ['Year groups are not shown, because some would show too few pupils; key stages are shown instead.'],
      tables: [
        {
          id: 'register', title: 'Pupils on the SEN register', note: 'Pupils on roll at the census.', columns: ['Pupils'],
          rows: [
            { label: 'No SEN', cells: [{ count: 180, percent: 85.7 }], total: 180 },
            { label: 'SEN support', cells: [{ count: 26, percent: 12.4 }], total: 26 },
            { label: 'EHC plan', cells: [{ count: 'c', percent: null }], total: 'c' },
          ],
          column_totals: [210], grand_total: 210, percent_of: 'column',
        },
        {
          id: 'trend', title: 'The register over the years', note: "Percentages are of each year's roll.", columns: ['No SEN', 'SEN support', 'EHC plan'],
          rows: [
            { label: '1 Oct 2026', cells: [{ count: 180, percent: 85.7 }, { count: 26, percent: 12.4 }, { count: 'c', percent: null }], total: 210 },
            { label: '2 Oct 2025', cells: [{ count: 175, percent: 84.1 }, { count: 27, percent: 13 }, { count: 6, percent: 2.9 }], total: 208 },
          ],
          column_totals: [], grand_total: null, percent_of: 'row',
        },
      ],
      measures: [
        { id: 'spend', label: 'Planned cost of interventions this academic year', value: '£12,345.00', note: 'Staff time at the school\'s rates.' },
        { id: 'budget', label: 'Notional SEN budget', value: 'not recorded', note: 'The SENCO can record it.' },
      ],
      comparisons: [
        { label: 'On SEN support (K)', against: 'State-funded primary schools in England', school: 12.4, national: 13.5, national_year: 2023, source },
        { label: 'With an EHC plan (E)', against: 'State-funded primary schools in England', school: null, national: 2.5, national_year: 2023, source },
      ],
    },
    charts: [{
      title: 'Pupils by broad area of need', unit: '', max: 20,
      series: [{ name: 'SEN support', colour: '#296b9e' }, { name: 'EHC plan', colour: '#d97321' }],
      rows: [{ label: 'Cognition and learning', values: [14, null] }, { label: 'Communication and interaction', values: [12, null] }],
    }],
    censusDays: ['2026-10-01', '2026-05-21', '2026-01-15'], defaultThreshold: 5, maxThreshold: 50,
    formats: [
      { format: 'pdf', label: 'PDF for the board pack' }, { format: 'html', label: 'Web page (HTML)' },
      { format: 'json', label: 'Published figures (JSON)' }, { format: 'aggregate', label: 'Exact counts for the trust (JSON, OFFICIAL-SENSITIVE)' },
    ],
    budgetPence: null,
    ...overrides,
  };
}

test("the governors' view shows the published summary: c for hidden counts, the method, England's figures, and no way to a pupil", async () => {
  const asked: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'governor_summary') {
      asked.push(args);
      return governorView();
    }
    return null;
  });
  const { container } = render(Governors);
  await screen.findByRole('heading', { level: 1, name: 'Inclusion summary for governors' });
  const register = await screen.findByRole('table', { name: 'Pupils on the SEN register' });
  expect(asked).toEqual([{ census: null, threshold: null }]);
  const rows = [...register.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent?.trim()));
  expect(rows).toEqual([['', 'Pupils'], ['No SEN', '180 (85.7%)'], ['SEN support', '26 (12.4%)'], ['EHC plan', 'c'], ['Total', '210']]);
  // Several columns get a Total column; a trend over census days has no Total row.
  const trend = screen.getByRole('table', { name: 'The register over the years' });
  expect(within(trend).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['No SEN', 'SEN support', 'EHC plan', 'Total']);
  expect(within(trend).getByRole('rowheader', { name: '1 Oct 2026' }).parentElement?.textContent).toContain('c');
  expect(trend.querySelector('tfoot')).toBeNull();
  // The school, the census day the British way, the smallest count and the method, in plain view.
  expect(document.getElementById('governors-school')?.textContent).toContain('Hollowbrook Demo School');
  expect(document.getElementById('governors-school')?.textContent).toContain('Census day 1 October 2026');
  const method = screen.getByRole('note', { name: 'How the figures are protected' }).textContent ?? '';
  expect(method).toContain('Smallest count shown: 5.');
  expect(method).toContain('Counts from 1 to 4 are not shown (c)');
  expect(method).toContain('key stages are shown instead');
  // The figures for schools of its phase beside the school's, each naming those schools and
  // its census year, with c where the school's is hidden.
  const comparisons = screen.getByRole('table', { name: 'Share of pupils, this school and schools of its phase' });
  const ehc = within(comparisons).getByRole('rowheader', { name: 'With an EHC plan (E)' }).parentElement;
  expect([...(ehc?.children ?? [])].map((c) => c.textContent)).toEqual(['With an EHC plan (E)', 'c', 'State-funded primary schools in England', '2.5% (2023)']);
  expect(within(comparisons).getByRole('columnheader', { name: 'Compared with' })).toBeTruthy();
  expect(within(comparisons).getByRole('rowheader', { name: 'On SEN support (K)' }).parentElement?.textContent).toContain('12.4%');
  expect(within(screen.getByRole('table', { name: 'Other measures' })).getByText('£12,345.00')).toBeTruthy();
  // The census days are offered the British way; the chart is a named picture, with its caption.
  expect(within(screen.getByLabelText('Census day')).getAllByRole('option').map((o) => o.textContent)).toEqual(['1 October 2026', '21 May 2026', '15 January 2026']);
  expect(screen.getByRole('img', { name: /^Chart: Pupils by broad area of need/ }).tagName).toBe('CANVAS');
  expect(screen.getByText('Hidden figures are not drawn; they show as c in the tables.')).toBeTruthy();
  // Nothing leads to a pupil.
  expect(container.querySelector('a[href*="#/pupil"]')).toBeNull();
  // The only link goes to the Library screen, where the budget is set.
  expect([...container.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['#/library']);
});

test('a smallest count below 5 is refused beside its field, and the summary shown stays', async () => {
  const message = 'the threshold can be raised but not lowered below 5, so that counts of fewer than 5 pupils are never shown';
  const asked: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== 'governor_summary') return null;
    asked.push(args);
    if ((args as { threshold: number | null }).threshold === 3) throw refusal('threshold', message);
    return governorView();
  });
  render(Governors);
  const field = await screen.findByLabelText('Smallest count shown');
  expect((field as HTMLInputElement).value).toBe('5');
  await fireEvent.input(field, { target: { value: '3' } });
  await fireEvent.change(screen.getByLabelText('Census day'), { target: { value: '2026-05-21' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Show' }));
  const shown = await screen.findByText('The threshold can be raised but not lowered below 5, so that counts of fewer than 5 pupils are never shown.');
  expect(shown.id).toBe('error-threshold');
  expect(field.getAttribute('aria-invalid')).toBe('true');
  expect(field.getAttribute('aria-describedby')).toContain('error-threshold');
  await waitFor(() => expect(document.activeElement).toBe(field));
  expect(asked.at(-1)).toEqual({ census: '2026-05-21', threshold: 3 });
  expect(screen.getByRole('table', { name: 'Pupils on the SEN register' })).toBeTruthy();
});

test('the exact counts for the trust are saved only once confirmed; the other files at once', async () => {
  const exports: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'governor_summary') return governorView();
    if (cmd === 'governor_export') {
      exports.push(args);
      return `/data/exports/governors-2026-10-01.${(args as { format: string }).format === 'pdf' ? 'pdf' : 'json'}`;
    }
    return null;
  });
  render(Governors);
  await fireEvent.click(await screen.findByRole('button', { name: 'PDF for the board pack' }));
  await waitFor(() => expect(screen.getByText('Saved to /data/exports/governors-2026-10-01.pdf').closest('[role="status"]')).toBeTruthy());
  expect(exports).toEqual([{ format: 'pdf', census: '2026-10-01', threshold: 5 }]);
  await fireEvent.click(screen.getByRole('button', { name: 'Exact counts for the trust (JSON, OFFICIAL-SENSITIVE)' }));
  const step = await screen.findByRole('form', { name: 'Save the exact counts for the trust?' });
  expect(step.textContent).toContain("only to the trust's central team");
  await waitFor(() => expect(document.activeElement).toBe(within(step).getByRole('heading')));
  await fireEvent.click(within(step).getByRole('button', { name: 'Cancel' }));
  expect(exports).toHaveLength(1);
  await fireEvent.click(screen.getByRole('button', { name: 'Exact counts for the trust (JSON, OFFICIAL-SENSITIVE)' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Save the exact counts' }));
  await waitFor(() => expect(exports.at(-1)).toEqual({ format: 'aggregate', census: '2026-10-01', threshold: 5 }));
});

test('the notional SEN budget is set on the Library screen in pounds, sent as whole pence; empty clears it', async () => {
  const budgets: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'library') return { interventions: [], roles: [], thresholdPence: 600000, budgetPence: null, duties: noDuties };
    if (cmd === 'catalogues' || cmd === 'training') return [];
    if (cmd === 'budget_set') {
      budgets.push(args);
      return (args as { pence: number | null }).pence;
    }
    return null;
  });
  render(LibraryScreen);
  const box = await screen.findByLabelText('Budget (£ a year; empty for none)');
  expect(document.getElementById('budget-now')?.textContent).toContain('not recorded');
  await fireEvent.input(box, { target: { value: '84000.5' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Save the budget' }));
  await screen.findByText('The notional SEN budget is now £84,000.50 a year.');
  await fireEvent.input(box, { target: { value: '' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Save the budget' }));
  await screen.findByText('No notional SEN budget is recorded now.');
  expect(budgets).toEqual([{ pence: 8400050 }, { pence: null }]);
});

const noDuties = { sencoName: '', qualification: null, sencoAppointed: null, senReportReviewed: null, accessibilityPlanReviewed: null };

test("the SENCO and the school's SEN duties are recorded on the Library screen, with the core's stages and every refusal beside its field", async () => {
  const sent: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'library') return { interventions: [], roles: [], thresholdPence: 600000, budgetPence: null, duties: { ...noDuties, sencoName: 'Ms A Example' } };
    if (cmd === 'catalogues' || cmd === 'training') return [];
    if (cmd === 'read_date') {
      const text = (args as { text: string }).text;
      return text === '14/07/2025' ? { iso: '2025-07-14', display: '14 Jul 2025' } : Promise.reject({ code: 'invalid', message: 'bad', fields: [{ field: 'date', message: 'not a date' }] });
    }
    if (cmd === 'duties_set') {
      sent.push(args);
      const d = (args as { duties: { accessibilityPlanReviewed: string } }).duties;
      if (d.accessibilityPlanReviewed !== '') {
        return Promise.reject({ code: 'invalid', message: 'refused', fields: [{ field: 'accessibilityPlanReviewed', message: 'the date the accessibility plan was last reviewed (1 Jan 2099) is after today' }] });
      }
      return { ...noDuties, sencoName: 'Ms A Example', qualification: 'held', senReportReviewed: '2025-07-14' };
    }
    return null;
  });
  render(LibraryScreen);
  const name = (await screen.findByLabelText("SENCO's name")) as HTMLInputElement;
  expect(name.value).toBe('Ms A Example');
  // The stages are the core's words, with "Not recorded" first.
  const stage = screen.getByLabelText('The mandatory SENCO qualification') as HTMLSelectElement;
  expect([...stage.options].map((o) => o.textContent)).toEqual(['Not recorded', ...recordedVocabulary.qualifications.map((q) => q.label)]);
  await fireEvent.change(stage, { target: { value: 'held' } });
  const report = screen.getByLabelText('SEN information report last reviewed');
  await fireEvent.input(report, { target: { value: '14/07/2025' } });
  await fireEvent.blur(report);
  const plan = screen.getByLabelText('Accessibility plan last reviewed');
  await fireEvent.input(plan, { target: { value: '2099-01-01' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Save the SENCO and duties' }));
  await screen.findByText(/the date the accessibility plan was last reviewed \(1 Jan 2099\) is after today/i);
  expect(plan.getAttribute('aria-invalid')).toBe('true');
  await fireEvent.input(plan, { target: { value: '' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Save the SENCO and duties' }));
  await screen.findByText("Saved. The governors' summary shows these from now on.");
  expect(sent.at(-1)).toEqual({ duties: { sencoName: 'Ms A Example', qualification: 'held', sencoAppointed: '', senReportReviewed: '2025-07-14', accessibilityPlanReviewed: '' } });
});

// Importing pupils from the MIS, and the differences it leaves for the office.

// jsdom's File has no arrayBuffer(); the app reads a chosen file with it, as browsers do.
if (!File.prototype.arrayBuffer) {
  File.prototype.arrayBuffer = function arrayBuffer(this: File) {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(this);
    });
  };
}

const importFields: ImportFieldInfo[] = [
  { field: 'upn', label: 'UPN', required: true },
  { field: 'legalSurname', label: 'legal surname', required: true },
  { field: 'legalForename', label: 'legal first name', required: true },
  { field: 'dateOfBirth', label: 'date of birth', required: true },
  { field: 'sex', label: 'sex', required: true },
  { field: 'ncYear', label: 'year group', required: true },
  { field: 'form', label: 'form or class', required: false },
  { field: 'senStatus', label: 'SEN status', required: false },
  { field: 'primaryNeed', label: 'primary need', required: false },
];

function importSetup(overrides: Partial<ImportSetup> = {}): ImportSetup {
  return {
    profiles: [
      { id: 'sims', name: 'SIMS', columns: { upn: ['UPN'], legalSurname: ['Legal Surname'], sex: ['Gender'] } },
      { id: 'arbor', name: 'Arbor', columns: { upn: ['UPN'] } },
    ],
    fields: importFields,
    maxBytes: 64 * 1_048_576,
    ...overrides,
  };
}

// The core fills in noOp, nameMatches and message; this fake does the same from the lists.
function importPlan(overrides: Partial<ImportPlan> = {}): ImportPlan {
  const plan: ImportPlan = {
    source: 'ctf',
    facts: { ctfVersion: '26.0', sourceSchool: 'Old School (886/7777)', destination: '886/7777', encoding: '', delimiter: '', profile: '' },
    warnings: [], ignored: {}, pupilsRead: 0, newPupils: [], changed: [], unchanged: 0, differences: [], resolved: [], missing: [], problems: [],
    fingerprint: 'f1', noOp: false, nameMatches: 0, message: '', canLeaveOut: false,
    ...overrides,
  };
  plan.noOp = plan.newPupils.length + plan.changed.length + plan.differences.length + plan.resolved.length === 0;
  plan.nameMatches = plan.changed.filter((c) => c.matchedBy === 'nameAndBirth').length;
  plan.message = plan.noOp && plan.problems.length === 0 ? 'Nothing to change: the register already matches this file.' : '';
  return plan;
}

function newPupil(n: number, upn: string): ImportNewPupil {
  return {
    place: { kind: 'record', number: n }, at: `record ${n}`, upn, name: `Alba Testwood ${n}`, dateOfBirth: '2017-03-03', ncYear: 3,
    status: 'senSupport', primaryNeed: 'SLCN', admissionAssumed: false,
  };
}

function changedPupil(id: number, upn: string, matchedBy: ImportChanged['matchedBy']): ImportChanged {
  return {
    pupilId: id, place: { kind: 'record', number: 10 + id }, at: `record ${10 + id}`, upn, name: `Kit Mossley ${id}`, matchedBy,
    changes: [{ field: 'ncYear', label: 'year group', old: 'Year 2', new: 'Year 3' }, { field: 'form', label: 'form or class', old: '', new: '3B' }],
  };
}

const difference: ImportDifference = { pupilId: 1, upn: 'K886200724123', name: 'Addie Quill', field: 'senStatus', toolkit: 'K', mis: 'E' };

/** Chooses a file in the wizard's file input, as a person picking it would. */
async function chooseImportFile(name: string, text: string) {
  const input = screen.getByLabelText('The file') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [new File([text], name)], configurable: true });
  await fireEvent.change(input);
}

const tabNames = () => screen.getAllByRole('tab').map((t) => t.textContent);

test('when every problem is in a row, the SENCO may choose to import the others, and the choice goes to the core', async () => {
  const applied: Record<string, unknown>[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'import_setup') return importSetup();
    if (cmd === 'import_preview') {
      return importPlan({
        pupilsRead: 1,
        newPupils: [newPupil(1, 'Z886777726901')],
        problems: [{ place: { kind: 'record', number: 2 }, at: 'record 2', upn: 'A886777726902', field: 'upn', message: 'not a valid UPN' }] as ImportPlan['problems'],
        canLeaveOut: true,
      });
    }
    if (cmd === 'import_apply') {
      applied.push(args as Record<string, unknown>);
      return { applied: true, newPupils: 1, changed: 0, differences: 0, resolved: 0, leftOut: 1, message: 'Imported: 1 new pupil, 0 updated, 0 SEN differences for the office, 0 resolved. Left out for the office to correct in the MIS: record 2 (UPN A886777726902).' };
    }
    return null;
  });
  render(ImportScreen);
  await screen.findByRole('heading', { level: 2, name: 'Choose the file' });
  await chooseImportFile('pupils.xml', '<CTfile/>');
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
  await screen.findByRole('heading', { level: 2, name: 'Check what the import would do' });
  expect(screen.getByRole('alert').textContent).toContain('unless you choose to leave those rows out');
  expect(document.getElementById('import-apply')).toBeNull();
  await fireEvent.click(screen.getByLabelText(/Import the others, and leave the rows with problems out/));
  await fireEvent.click(await screen.findByRole('button', { name: /^Import/ }));
  await screen.findByRole('heading', { level: 2, name: 'Imported' });
  expect(applied[0].leaveOutRefused).toBe(true);
  expect(document.getElementById('import-result')?.textContent).toContain('Left out for the office to correct in the MIS: record 2');
});

test('an import preview shows a tab for each kind of change with its count, and a problem blocks the import', async () => {
  const previews: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'import_setup') return importSetup();
    if (cmd === 'import_preview') {
      previews.push(args);
      return importPlan({
        warnings: ['this CTF was addressed to the school 886/7777, not to this school (886/2999); check it is the right file'],
        ignored: { 'CTFpupilData/Pupil/Address': 3, 'CTFpupilData/Pupil/Address/Town': 3 },
        pupilsRead: 4,
        newPupils: [newPupil(1, 'Z886777726901')],
        changed: [changedPupil(2, 'N886777726902', 'upn')],
        differences: [difference],
        missing: [{ pupilId: 5, upn: 'C886777726903', name: 'Juno Pellworth', ncYear: 2 }, { pupilId: 6, upn: 'R886777726904', name: 'Wren Fairbank', ncYear: 6 }],
        problems: [
          { place: { kind: 'record', number: 3 }, at: 'record 3', upn: 'A886777726901', field: 'upn', message: '"A886777726901" is not a valid UPN: the check letter does not match' },
          { place: { kind: 'file', }, at: 'file', upn: '', field: '', message: 'the header has no DateTime' },
        ] as ImportPlan['problems'],
      });
    }
    return null;
  });
  render(ImportScreen);
  await screen.findByRole('heading', { level: 2, name: 'Choose the file' });
  expect((screen.getByLabelText('Common Transfer File (CTF, .xml)') as HTMLInputElement).checked).toBe(true);
  await chooseImportFile('pupils.xml', '<CTfile/>');
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));

  await screen.findByRole('heading', { level: 2, name: 'Check what the import would do' });
  expect(previews).toEqual([{ source: 'ctf', name: 'pupils.xml', bytes: Array.from(new TextEncoder().encode('<CTfile/>')), profile: null }]);
  expect(screen.getByText('This is a preview: nothing has been written yet.')).toBeTruthy();
  expect(document.getElementById('import-facts')?.textContent).toContain('Old School (886/7777)');
  expect(screen.getByRole('note', { name: 'Check before importing' }).textContent).toContain('This CTF was addressed to the school 886/7777');
  expect(document.querySelector('#import-ignored summary')?.textContent).toBe('Not read from the file: 2 elements');
  // The problems come first, and are the tab shown.
  expect(tabNames()).toEqual(['Problems (2)', 'New pupils (1)', 'Changed (1)', 'SEN differences (1)', 'Possible leavers (2)']);
  const problems = screen.getByRole('tab', { name: 'Problems (2)' });
  expect(problems.getAttribute('aria-selected')).toBe('true');
  const rows = [...document.querySelectorAll('#import-problems tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
  expect(rows).toEqual([
    ['Record 3', 'A886777726901', 'UPN: "A886777726901" is not a valid UPN: the check letter does not match.'],
    ['File', '', 'The header has no DateTime.'],
  ]);
  expect(screen.getByRole('alert').textContent).toContain('Nothing can be imported until these problems are corrected in the MIS or the file.');
  expect(document.getElementById('import-apply')).toBeNull();
  expect(screen.queryByRole('button', { name: /^(Import|Update)/ })).toBeNull();

  // The focus goes to the step's heading; the tabs follow the arrow keys, Home and End, with one Tab stop.
  await waitFor(() => expect(document.activeElement?.id).toBe('import-step-heading'));
  expect(screen.getAllByRole('tab').map((t) => t.getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1', '-1']);
  problems.focus();
  await fireEvent.keyDown(problems, { key: 'ArrowRight' });
  const added = screen.getByRole('tab', { name: 'New pupils (1)' });
  expect(added.getAttribute('aria-selected')).toBe('true');
  expect(document.activeElement).toBe(added);
  expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(added.id);
  const cells = [...document.querySelectorAll('#import-new tbody td')].map((td) => td.textContent);
  expect(cells).toEqual(['Record 1', 'Z886777726901', 'Alba Testwood 1', '3 Mar 2017', 'Year 3', 'SEN support (K)', 'SLCN']);
  await fireEvent.keyDown(added, { key: 'ArrowRight' });
  expect(document.querySelector('#import-changed tbody')?.textContent).toContain('Year group: Year 2 → Year 3');
  expect(document.querySelector('#import-changed tbody')?.textContent).toContain('Form or class: (blank) → 3B');
  await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowRight' });
  const differences = screen.getByRole('tabpanel');
  expect(differences.textContent).toContain("The toolkit's record is kept");
  expect([...differences.querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(['K886200724123', 'Addie Quill', 'SEN status', 'SEN support (K)', 'EHC plan (E)']);
  await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'End' });
  expect(screen.getByRole('tab', { name: 'Possible leavers (2)' }).getAttribute('aria-selected')).toBe('true');
  expect(screen.getByRole('tabpanel').textContent).toContain('Nothing is archived: mark leavers on their record.');
  expect(screen.getByRole('tabpanel').textContent).toContain('Year 6');
  await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowRight' });
  expect(document.activeElement).toBe(problems);
  await fireEvent.keyDown(problems, { key: 'ArrowLeft' });
  expect(screen.getByRole('tab', { name: 'Possible leavers (2)' }).getAttribute('aria-selected')).toBe('true');
  await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Home' });
  expect(problems.getAttribute('aria-selected')).toBe('true');
});

test('a plan that changes nothing says so and offers no import; a long list draws 200 rows and counts the rest', async () => {
  let answer = importPlan({ pupilsRead: 5, unchanged: 5, missing: [{ pupilId: 5, upn: 'C886777726903', name: 'Juno Pellworth', ncYear: 2 }] });
  mockIPC((cmd) => {
    if (cmd === 'import_setup') return importSetup();
    if (cmd === 'import_preview') return answer;
    return null;
  });
  render(ImportScreen);
  await screen.findByRole('heading', { level: 2, name: 'Choose the file' });
  await chooseImportFile('pupils.xml', '<CTfile/>');
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
  await waitFor(() => expect(document.getElementById('import-nothing')).toBeTruthy());
  expect(document.getElementById('import-nothing')?.textContent).toBe('Nothing to change: the register already matches this file.');
  expect(document.getElementById('import-apply')).toBeNull();
  expect(tabNames()).toEqual(['New pupils (0)', 'Changed (0)', 'SEN differences (0)', 'Possible leavers (1)', 'Problems (0)']);
  expect(screen.getByRole('tab', { name: 'Possible leavers (1)' }).getAttribute('aria-selected')).toBe('true');
  expect(document.getElementById('import-facts')?.textContent).toContain('5 pupils already match the register');

  // 2,000 new pupils: the first 200 rows are drawn, and the rest counted.
  answer = importPlan({ pupilsRead: 2000, newPupils: Array.from({ length: 2000 }, (_, i) => newPupil(i + 1, `Z${String(i).padStart(12, '0')}`)) });
  await fireEvent.click(screen.getByRole('button', { name: 'Choose another file' }));
  await screen.findByRole('heading', { level: 2, name: 'Choose the file' });
  expect(document.getElementById('import-file-kept')?.textContent).toContain('Still chosen: pupils.xml.');
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
  await screen.findByRole('tab', { name: 'New pupils (2,000)' });
  expect(document.querySelectorAll('#import-new tbody tr')).toHaveLength(200);
  expect(screen.getByText('…and 1,800 more, not shown here.')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Import 2,000 new pupils' })).toBeTruthy();
  expect(document.getElementById('import-nothing')).toBeNull();
});

test('pupils matched by surname and date of birth must be checked before importing; the import shows its progress and result', async () => {
  const applied: { fingerprint: string; confirmNameMatches: boolean; onProgress: { id: number } }[] = [];
  let finish: (outcome: ImportOutcome) => void = () => {};
  mockIPC((cmd, args) => {
    if (cmd === 'import_setup') return importSetup();
    if (cmd === 'import_preview') {
      return importPlan({
        fingerprint: 'abc123', newPupils: [newPupil(1, 'Z886777726901')],
        changed: [changedPupil(2, 'N886777726902', 'nameAndBirth'), changedPupil(3, 'C886777726903', 'upn')], differences: [difference],
      });
    }
    if (cmd === 'import_apply') {
      applied.push(args as (typeof applied)[number]);
      return new Promise<ImportOutcome>((resolve) => (finish = resolve));
    }
    return null;
  });
  render(ImportScreen);
  await screen.findByRole('heading', { level: 2, name: 'Choose the file' });
  await chooseImportFile('pupils.xml', '<CTfile/>');
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
  const button = await screen.findByRole('button', { name: 'Import 1 new pupil and update 2' });
  expect((button as HTMLButtonElement).disabled).toBe(true);
  await fireEvent.click(screen.getByRole('tab', { name: 'Changed (2)' }));
  expect(document.querySelector('#import-changed tr[data-upn="N886777726902"]')?.textContent).toContain('Check: matched by surname and date of birth');
  expect(document.querySelector('#import-changed tr[data-upn="C886777726903"]')?.textContent).not.toContain('Check:');
  const confirm = screen.getByLabelText('I have checked the pupil matched by surname and date of birth');
  await fireEvent.click(button);
  expect(applied).toHaveLength(0);
  await fireEvent.click(confirm);
  expect((button as HTMLButtonElement).disabled).toBe(false);
  await fireEvent.click(button);

  // Until the first progress message, the bar is indeterminate (no value).
  await screen.findByRole('heading', { level: 2, name: 'Importing' });
  expect(applied).toHaveLength(1);
  expect(applied[0].fingerprint).toBe('abc123');
  expect(applied[0].confirmNameMatches).toBe(true);
  const bar = () => document.getElementById('import-progress') as HTMLProgressElement;
  expect(bar().hasAttribute('value')).toBe(false);
  expect(document.getElementById('import-progress-text')?.textContent).toContain('Importing…');
  // A message on the channel moves the bar.
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } }).__TAURI_INTERNALS__;
  internals.runCallback(applied[0].onProgress.id, { index: 0, message: { done: 64, total: 128 } });
  await waitFor(() => expect(bar().getAttribute('value')).toBe('64'));
  expect(bar().getAttribute('max')).toBe('128');
  expect(document.getElementById('import-progress-text')?.textContent).toContain('Importing: 64 of 128 pupils done.');

  finish({ applied: true, newPupils: 1, changed: 2, differences: 1, resolved: 0, leftOut: 0, message: 'Imported: 1 new pupil, 2 updated, 1 SEN difference for the office, 0 resolved.' });
  await screen.findByRole('heading', { level: 2, name: 'Imported' });
  expect(document.getElementById('import-result')?.textContent).toBe('Imported: 1 new pupil, 2 updated, 1 SEN difference for the office, 0 resolved.');
  expect(screen.getByRole('link', { name: 'Open the register' }).getAttribute('href')).toBe('#/register');
  expect(screen.getByRole('link', { name: 'See the MIS differences' }).getAttribute('href')).toBe('#/reconcile');
  await fireEvent.click(screen.getByRole('button', { name: 'Import another file' }));
  await screen.findByRole('heading', { level: 2, name: 'Choose the file' });
  expect(document.getElementById('import-file-kept')).toBeNull();
});

test('a cancelled import says nothing was written and offers to preview again; a file over the limit is never read', async () => {
  let previews = 0;
  let fail: (error: CommandError) => void = () => {};
  mockIPC((cmd) => {
    if (cmd === 'import_setup') return importSetup({ maxBytes: 1_048_576 });
    if (cmd === 'import_preview') {
      previews++;
      return importPlan({ newPupils: [newPupil(1, 'Z886777726901')] });
    }
    if (cmd === 'import_apply') return new Promise((_, reject) => (fail = reject));
    if (cmd === 'import_cancel') {
      fail({ code: 'refused', message: 'the import was cancelled; nothing was written', fields: [] });
      return null;
    }
    return null;
  });
  render(ImportScreen);
  await screen.findByRole('heading', { level: 2, name: 'Choose the file' });
  // Over the limit: refused beside the field, before the file is read or sent.
  await chooseImportFile('huge.xml', 'x'.repeat(1_048_577));
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
  const error = await screen.findByText('The file huge.xml is larger than 1 MB; import it with the senco command instead.');
  expect(error.id).toBe('error-file');
  expect(screen.getByLabelText('The file').getAttribute('aria-invalid')).toBe('true');
  expect(previews).toBe(0);

  await chooseImportFile('pupils.xml', '<CTfile/>');
  expect(screen.getByLabelText('The file').getAttribute('aria-invalid')).toBeNull();
  await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Import 1 new pupil' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
  await screen.findByRole('heading', { level: 2, name: 'The import did not happen' });
  expect(screen.getByRole('alert').textContent).toBe('The import was cancelled; nothing was written.');
  expect(screen.getByText('Nothing from this file was written: the register is as it was before.')).toBeTruthy();
  await fireEvent.click(screen.getByRole('button', { name: 'Preview again' }));
  await screen.findByRole('heading', { level: 2, name: 'Check what the import would do' });
  expect(previews).toBe(2);
});

test("a CSV's columns can be matched by hand, saved under a name and used for the preview", async () => {
  const saves: unknown[] = [];
  const previews: { profile: string | null; source: string }[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'import_setup') return importSetup();
    if (cmd === 'import_headings') {
      return {
        headings: ['UPN', 'Family name', 'Given name', 'Born', 'Gender', 'Year', 'Notes'],
        examples: [['Z886777726901'], ['Testwood'], ['Alba'], ['03/03/2017'], ['F'], ['3'], ['']],
        encoding: 'UTF-8', delimiter: 'comma',
      };
    }
    if (cmd === 'import_profile_save') {
      const { profile } = args as { profile: ImportProfile };
      saves.push(profile);
      const missing = importFields.filter((f) => f.required && !profile.columns[f.field]);
      const fields = [...(profile.name.trim() ? [] : [{ field: 'name', message: 'give the profile a name, such as the MIS it is for' }]),
        ...missing.map((f) => ({ field: f.field, message: `choose the column that holds the ${f.label}` }))];
      if (fields.length > 0) throw { code: 'invalid', message: fields[0].message, fields };
      return { ...profile, id: 'own-our-mis-export' };
    }
    if (cmd === 'import_preview') {
      previews.push(args as (typeof previews)[number]);
      return importPlan({ source: 'csv', facts: { ctfVersion: '', sourceSchool: '', destination: '', encoding: 'UTF-8', delimiter: 'comma', profile: 'Our MIS export' } });
    }
    return null;
  });
  render(ImportScreen);
  await screen.findByRole('heading', { level: 2, name: 'Choose the file' });
  await fireEvent.click(screen.getByLabelText('CSV exported from the MIS'));
  expect(within(screen.getByLabelText("The MIS's columns", { selector: 'select' })).getAllByRole('option').map((o) => o.textContent))
    .toEqual(['Work it out from the headings', 'SIMS', 'Arbor']);
  await chooseImportFile('pupils.csv', 'UPN,Family name\n');
  await fireEvent.click(screen.getByRole('button', { name: 'Match the columns myself' }));
  const upn = (await screen.findByLabelText('UPN (required)')) as HTMLSelectElement;
  expect(within(upn).getAllByRole('option').map((o) => o.textContent)).toEqual([
    '(not in this file)', 'UPN (e.g. Z886777726901)', 'Family name (e.g. Testwood)', 'Given name (e.g. Alba)', 'Born (e.g. 03/03/2017)',
    'Gender (e.g. F)', 'Year (e.g. 3)', 'Notes (empty in the first rows)',
  ]);
  // Headings a known profile uses are chosen already.
  expect(upn.value).toBe('UPN');
  expect((screen.getByLabelText('Sex (required)') as HTMLSelectElement).value).toBe('Gender');
  expect((screen.getByLabelText('Form or class') as HTMLSelectElement).value).toBe('');
  expect(screen.queryByRole('button', { name: 'Preview' })).toBeNull();

  await fireEvent.change(screen.getByLabelText('Legal surname (required)'), { target: { value: 'Family name' } });
  await fireEvent.change(screen.getByLabelText('Legal first name (required)'), { target: { value: 'Given name' } });
  await fireEvent.change(screen.getByLabelText('Year group (required)'), { target: { value: 'Year' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Save and use' }));
  // The core's refusals show beside the name and the unmatched field, and the focus goes to the first.
  const born = screen.getByLabelText('Date of birth (required)');
  await screen.findByText('Choose the column that holds the date of birth.');
  expect(born.getAttribute('aria-invalid')).toBe('true');
  expect(born.getAttribute('aria-describedby')).toBe('error-match-dateOfBirth');
  expect(screen.getByText('Give the profile a name, such as the MIS it is for.').id).toBe('error-match-name');
  await waitFor(() => expect(document.activeElement).toBe(born));
  expect(previews).toHaveLength(0);

  await fireEvent.change(born, { target: { value: 'Born' } });
  await fireEvent.input(screen.getByLabelText('Name for these columns'), { target: { value: 'Our MIS export' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Save and use' }));
  await screen.findByRole('heading', { level: 2, name: 'Check what the import would do' });
  expect(saves.at(-1)).toEqual({
    id: '', name: 'Our MIS export',
    columns: { upn: ['UPN'], legalSurname: ['Family name'], legalForename: ['Given name'], dateOfBirth: ['Born'], sex: ['Gender'], ncYear: ['Year'] },
  });
  expect(previews).toEqual([expect.objectContaining({ source: 'csv', profile: 'own-our-mis-export' })]);
  expect(document.getElementById('import-facts')?.textContent).toContain('Our MIS export');
  // Going back, the saved profile is offered, and chosen.
  await fireEvent.click(screen.getByRole('button', { name: 'Choose another file' }));
  const profiles = (await screen.findByLabelText("The MIS's columns", { selector: 'select' })) as HTMLSelectElement;
  expect(profiles.value).toBe('own-our-mis-export');
  expect(within(profiles).getAllByRole('option').map((o) => o.textContent)).toContain('Our MIS export');
});

test('the MIS differences list each pupil with both values and a link to the record, and save as CSV for the office', async () => {
  let exports = 0;
  mockIPC((cmd) => {
    if (cmd === 'reconciliation') {
      return [
        { pupilId: 3, upn: 'K886200724123', name: 'Addie Quill', ncYear: 5, field: 'senStatus', label: 'SEN status', toolkit: 'K', mis: 'E', source: 'ctf', firstSeen: '2026-10-01', lastSeen: '2026-11-26' },
        { pupilId: 3, upn: 'K886200724123', name: 'Addie Quill', ncYear: 5, field: 'primaryNeed', label: 'primary need', toolkit: 'SLCN', mis: 'none', source: 'ctf', firstSeen: '2026-11-26', lastSeen: '2026-11-26' },
      ] satisfies ReconciliationItem[];
    }
    if (cmd === 'reconciliation_export') {
      exports++;
      return '/data/exports/mis-reconciliation-2026-11-26.csv';
    }
    return null;
  });
  render(Reconcile);
  await screen.findByRole('heading', { level: 1, name: 'MIS differences' });
  await screen.findByRole('table', { name: 'Differences between the MIS and the toolkit, by year group and name' });
  expect(screen.getByText(/The toolkit's record is kept; correct the MIS at source before the next census\./)).toBeTruthy();
  const rows = [...document.querySelectorAll('#reconcile-table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
  expect(rows).toEqual([
    ['K886200724123', 'Addie Quill', 'Year 5', 'SEN status', 'SEN support (K)', 'EHC plan (E)', '1 Oct 2026'],
    ['K886200724123', 'Addie Quill', 'Year 5', 'Primary need', 'SLCN: Speech, language and communication needs', 'None', '26 Nov 2026'],
  ]);
  expect(screen.getAllByRole('link', { name: 'Addie Quill' })[0].getAttribute('href')).toBe('#/pupil/3');
  await fireEvent.click(screen.getByRole('button', { name: 'Save as CSV for the office' }));
  await waitFor(() => expect(screen.getByText('Saved to /data/exports/mis-reconciliation-2026-11-26.csv').closest('[role="status"]')).toBeTruthy());
  expect(exports).toBe(1);
  cleanup();
  clearMocks();

  mockIPC((cmd) => (cmd === 'reconciliation' ? [] : null));
  render(Reconcile);
  await screen.findByText('No differences: the MIS agreed with the toolkit at the last import.');
  expect(document.getElementById('reconcile-count')?.textContent).toContain('No differences are open.');
});

test('the idle lock locks once after the minutes with nobody using it, and any activity starts them again', () => {
  vi.useFakeTimers();
  try {
    const locked: LockWhy[] = [];
    const stop = startIdleLock(2, (why) => locked.push(why));
    vi.advanceTimersByTime(90_000);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    vi.advanceTimersByTime(90_000);
    expect(locked, 'only 90 seconds since the key was pressed').toEqual([]);
    window.dispatchEvent(new Event('pointermove'));
    vi.advanceTimersByTime(115_000);
    expect(locked).toEqual([]);
    vi.advanceTimersByTime(5_000);
    expect(locked, 'two minutes with nobody using it').toEqual(['idle']);
    vi.advanceTimersByTime(600_000);
    expect(locked, 'it locks once, then stops watching').toEqual(['idle']);
    stop();
  } finally {
    vi.useRealTimers();
  }
});

test('the idle lock reports a sleep when ticks are far apart, not when a busy or hidden window ticks late, and stops when asked', () => {
  vi.useFakeTimers();
  try {
    const locked: LockWhy[] = [];
    const stop = startIdleLock(10, (why) => locked.push(why));
    vi.advanceTimersByTime(20_000);
    // A hidden window's timers may be held back to once a minute: that is not a sleep.
    vi.setSystemTime(Date.now() + 60_000);
    vi.advanceTimersByTime(5_000);
    expect(locked).toEqual([]);
    // The lid was shut for three minutes: the next tick finds the gap.
    vi.setSystemTime(Date.now() + 3 * 60_000);
    vi.advanceTimersByTime(5_000);
    expect(locked).toEqual(['suspend']);
    stop();

    const later: LockWhy[] = [];
    const stopEarly = startIdleLock(1, (why) => later.push(why));
    stopEarly();
    vi.advanceTimersByTime(10 * 60_000);
    expect(later, 'a stopped lock never fires').toEqual([]);
  } finally {
    vi.useRealTimers();
  }
});

test('the idle lock checks at once when the window wakes or comes to the front, not at the next tick', () => {
  vi.useFakeTimers();
  try {
    const locked: LockWhy[] = [];
    const stop = startIdleLock(10, (why) => locked.push(why));
    vi.advanceTimersByTime(4_000);
    // The computer slept for an hour between ticks; on waking the window is focused.
    vi.setSystemTime(Date.now() + 60 * 60_000);
    window.dispatchEvent(new Event('focus'));
    expect(locked, 'no waiting for the next tick').toEqual(['suspend']);
    stop();
  } finally {
    vi.useRealTimers();
  }
});

test('erasing leavers past retention is confirmed with the core\'s counts, and sends exactly those counts', async () => {
  const list: PurgeList = {
    years: 31, today: '2026-11-26',
    candidates: [
      { pupilId: 7, upn: 'K886200724123', name: 'Ada Quill', dateOfBirth: '1994-03-01', leftOn: '2005-07-20', retainUntil: '2025-03-01' },
      { pupilId: 9, upn: 'A886123425001', name: 'Bodhi Ashcombe', dateOfBirth: '1995-01-02', leftOn: '2006-07-20', retainUntil: '2026-01-02' },
    ],
  };
  const counted: ErasureCount = { pupils: 2, records: 37, attachments: 3 };
  const calls: [string, unknown][] = [];
  let erased = false;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'purge_list') return erased ? { ...list, candidates: [] } : list;
    if (cmd === 'erasure_count') return counted;
    if (cmd === 'erase') {
      erased = true;
      return counted;
    }
    return null;
  });
  render(RetentionPanel, { setting: { years: 31, defaultYears: 31, minYears: 25, maxYears: 35 }, onSaved: () => {} });
  expect(screen.getByText(/Date of birth \+ 31 years is the usual advice: age 25, plus six years\./)).toBeTruthy();
  await screen.findByRole('table', { name: "Leavers' files past their retention date" });
  const cells = [...document.querySelectorAll('#purge-table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent));
  expect(cells[0]).toEqual(['K886200724123', 'Ada Quill', '1 Mar 1994', '20 Jul 2005', '1 Mar 2025']);
  await fireEvent.click(screen.getByLabelText('Bodhi Ashcombe'));
  expect((screen.getByLabelText('Select all') as HTMLInputElement).indeterminate).toBe(true);
  await fireEvent.click(screen.getByLabelText('Select all'));
  expect((screen.getByLabelText('Ada Quill') as HTMLInputElement).checked).toBe(true);
  await fireEvent.click(screen.getByRole('button', { name: 'Erase selected…' }));
  const confirm = await screen.findByRole('form', { name: 'Erase these files?' });
  expect(within(confirm).getByText(/^This erases/).textContent)
    .toBe('This erases the files of 2 pupils: 37 records and 3 attachments. It cannot be undone (backups taken before today still hold them).');
  expect(calls.some(([cmd]) => cmd === 'erase'), 'nothing is erased before confirming').toBe(false);
  const countArgs = calls.find(([cmd]) => cmd === 'erasure_count')?.[1] as { pupils: number[] };
  expect([...countArgs.pupils].sort()).toEqual([7, 9]);
  await fireEvent.click(within(confirm).getByRole('button', { name: "Erase 2 pupils' files" }));
  await screen.findByText("No leaver's file is past its retention date.");
  const eraseArgs = calls.find(([cmd]) => cmd === 'erase')?.[1] as { pupils: number[]; confirmed: ErasureCount };
  expect([...eraseArgs.pupils].sort()).toEqual([7, 9]);
  expect(eraseArgs.confirmed).toEqual(counted);
  expect(document.getElementById('purge-erased')?.closest('[role="status"]')?.textContent).toBe('Erased the files of 2 pupils: 37 records and 3 attachments.');
});

test('a restore that loses changes is offered only once the SENCO ticks that they understand, and is confirmed naming the school and date', async () => {
  const manifest = { format: 'senco-backup', formatVersion: 1, appVersion: '0.1.0', schemaVersion: 9, school: 'Hillside Test Primary', takenAt: '2026-11-20T09:15:00', files: [] };
  const found: FoundBackup[] = [
    { path: '/media/usb/hillside-2026-11-20-091500.senco-backup', manifest, bytes: 3_250_000 },
    { path: '/media/usb/hillside-2026-11-13-091500.senco-backup', manifest: { ...manifest, takenAt: '2026-11-13T09:15:00' }, bytes: 3_100_000 },
  ];
  const plan: RestorePlan = {
    manifest, target: '/data/school.senco', replacesSchool: true, targetLastChanged: '2026-11-25T14:30:00', needsConfirmation: true,
    message: 'This backup is older than the school it replaces: it was taken on 20 Nov 2026 at 09:15, and the school was last changed on 25 Nov 2026 at 14:30, 5 days later. Every change made since the backup will be lost (the school now in place is kept as a dated copy).',
  };
  const outcome: RestoreOutcome = { manifest, target: '/data/school.senco', replacedCopy: '/data/school-before-restore-2026-11-26-101500.senco' };
  const calls: [string, Record<string, unknown>][] = [];
  let applyFails = true;
  mockIPC((cmd, args) => {
    calls.push([cmd, args as Record<string, unknown>]);
    if (cmd === 'backups_found') return found;
    if (cmd === 'restore_preview') return plan;
    if (cmd === 'restore_apply') {
      if (applyFails) throw { code: 'refused', message: 'that passphrase does not open the backup /media/usb/hillside-2026-11-20-091500.senco-backup', fields: [] };
      return outcome;
    }
    return null;
  });
  const restored: RestoreOutcome[] = [];
  const failed: string[] = [];
  render(RestorePanel, { onRestored: (o: RestoreOutcome) => restored.push(o), onFailed: (m: string) => failed.push(m) });
  const newest = await screen.findByLabelText('20 Nov 2026 at 09:15');
  expect((newest as HTMLInputElement).checked, 'the newest backup is chosen').toBe(true);
  expect(screen.getByRole('table', { name: 'Backups found, newest first: choose one' }).textContent).toContain('3.1 MB');
  await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'meadow lantern quietly humming' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Check this backup' }));
  await screen.findByText(plan.message);
  expect(calls.find(([cmd]) => cmd === 'restore_preview')?.[1]).toEqual({ path: found[0].path, passphrase: 'meadow lantern quietly humming', recoveryKey: null });
  const open = screen.getByRole('button', { name: 'Restore…' }) as HTMLButtonElement;
  expect(open.disabled, 'not before the SENCO says they understand').toBe(true);
  await fireEvent.click(screen.getByLabelText('I understand the changes since then will be lost'));
  expect(open.disabled).toBe(false);
  await fireEvent.click(open);
  const confirm = await screen.findByRole('form', { name: 'Restore Hillside Test Primary as it was on 20 Nov 2026 at 09:15?' });
  expect(calls.some(([cmd]) => cmd === 'restore_apply'), 'nothing is restored before confirming').toBe(false);

  // A wrong passphrase is found only when the backup is unpacked: the core's words, and nothing restored.
  await fireEvent.click(within(confirm).getByRole('button', { name: 'Restore this backup' }));
  expect((await within(confirm).findByRole('alert')).textContent).toBe('That passphrase does not open the backup /media/usb/hillside-2026-11-20-091500.senco-backup.');
  expect(restored).toEqual([]);
  expect(failed).toHaveLength(1);

  applyFails = false;
  await fireEvent.click(within(confirm).getByRole('button', { name: 'Restore this backup' }));
  await waitFor(() => expect(restored).toEqual([outcome]));
  expect(calls.filter(([cmd]) => cmd === 'restore_apply').at(-1)?.[1]).toEqual({
    path: found[0].path, passphrase: 'meadow lantern quietly humming', recoveryKey: null, confirmed: true,
  });

  // Choosing another backup, or typing another passphrase, puts the plan away until it is checked again.
  await fireEvent.click(screen.getByLabelText('13 Nov 2026 at 09:15'));
  expect(screen.queryByText(plan.message)).toBeNull();
});

test('with no backups found, as on a new laptop, the path is typed, and an empty one is refused beside the field', async () => {
  const calls: [string, Record<string, unknown>][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args as Record<string, unknown>]);
    if (cmd === 'backups_found') throw { code: 'locked', message: 'no school is open', fields: [] };
    if (cmd === 'restore_preview') {
      return {
        manifest: { format: 'senco-backup', formatVersion: 1, appVersion: '0.1.0', schemaVersion: 9, school: 'Hillside Test Primary', takenAt: '2026-11-20T09:15:00', files: [] },
        target: '/data/school.senco', replacesSchool: false, targetLastChanged: null, needsConfirmation: false,
        message: 'This restores Hillside Test Primary as it was on 20 Nov 2026 at 09:15 to /data/school.senco.',
      } satisfies RestorePlan;
    }
    return null;
  });
  render(RestorePanel, { onRestored: () => {} });
  await screen.findByText(/No backups were found/);
  await fireEvent.click(screen.getByRole('button', { name: 'Check this backup' }));
  const path = screen.getByLabelText('The backup file');
  await waitFor(() => expect(path.getAttribute('aria-invalid')).toBe('true'));
  expect(document.activeElement).toBe(path);
  expect(calls.some(([cmd]) => cmd === 'restore_preview')).toBe(false);
  await fireEvent.input(path, { target: { value: ' E:\\SENCO backups\\hillside.senco-backup ' } });
  await fireEvent.click(screen.getByLabelText('With the recovery key'));
  await fireEvent.input(screen.getByLabelText('Recovery key'), { target: { value: 'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Check this backup' }));
  await screen.findByText(/^This restores Hillside Test Primary/);
  expect(calls.find(([cmd]) => cmd === 'restore_preview')?.[1]).toEqual({ path: 'E:\\SENCO backups\\hillside.senco-backup', passphrase: null, recoveryKey: 'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2' });
  expect(screen.queryByLabelText('I understand the changes since then will be lost')).toBeNull();
  expect((screen.getByRole('button', { name: 'Restore…' }) as HTMLButtonElement).disabled).toBe(false);
});

test('locking clears the screens and, once unlocked, goes back to the same place; the unlock screen says what a restore did', async () => {
  setVocabulary(null);
  location.hash = '#/reconcile';
  let open = true;
  const hillside = { ...school, name: 'Hillside Test Primary', isDemo: false };
  mockIPC((cmd) => {
    if (cmd === 'vocabulary') return vocabulary;
    if (cmd === 'app_state') return { schoolExists: true, lockedSchoolName: 'Hillside Test Primary', open: open ? hillside : null };
    if (cmd === 'lock_setting') return { minutes: 10, defaultMinutes: 10, minMinutes: 1, maxMinutes: 60 };
    if (cmd === 'reconciliation') return [{ pupilId: 3, upn: 'K886200724123', name: 'Addie Quill', ncYear: 5, field: 'senStatus', label: 'SEN status', toolkit: 'K', mis: 'E', source: 'ctf', firstSeen: '2026-10-01', lastSeen: '2026-11-26' }];
    if (cmd === 'close_school') {
      open = false;
      return null;
    }
    if (cmd === 'unlock') {
      open = true;
      return hillside;
    }
    return null;
  });
  try {
    render(App);
    await screen.findByRole('link', { name: 'Addie Quill' });
    await fireEvent.click(screen.getByRole('button', { name: 'Lock' }));
    await screen.findByRole('heading', { level: 1, name: 'Unlock Hillside Test Primary' });
    expect(document.body.textContent).not.toContain('Quill');
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'meadow lantern quietly humming' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await screen.findByRole('heading', { level: 1, name: 'MIS differences' });
    expect(location.hash).toBe('#/reconcile');
  } finally {
    location.hash = '';
  }
});

test('in the demo school, the pupil form says beside it that the demo is open to anyone; in a real school it does not', async () => {
  mockIPC(() => null);
  render(PupilForm, { pupil: null, demo: true, onSaved: () => {}, onCancel: () => {} });
  expect(screen.getByRole('note').textContent?.replace(/\s+/g, ' ')).toContain('Use invented pupils only, never a real child.');
  cleanup();
  render(PupilForm, { pupil: null, onSaved: () => {}, onCancel: () => {} });
  expect(document.getElementById('pupil-demo-notice')).toBeNull();
});

test('in the demo school, the import screen offers no file and leads to setting up the school', async () => {
  const asked: string[] = [];
  mockIPC((cmd) => {
    asked.push(cmd);
    return cmd === 'import_setup' ? { profiles: [], fields: importFields } : null;
  });
  let setUp = 0;
  render(ImportScreen, { demo: true, onSetUpOwn: () => (setUp += 1) });
  expect(screen.getByRole('heading', { level: 2, name: 'The demo school cannot import from the MIS' })).toBeTruthy();
  expect(screen.queryByLabelText('The file', { exact: true })).toBeNull();
  await fireEvent.click(screen.getByRole('button', { name: 'Set up my own school' }));
  expect(setUp).toBe(1);
  expect(asked).not.toContain('import_preview');
});
