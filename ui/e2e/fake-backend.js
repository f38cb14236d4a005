// An in-memory stand-in for the Rust commands, injected into the page with mockIPC so the
// built UI can be driven in Chromium without the app. Synthetic pupils only: invented names,
// UPNs with correct check letters. It keeps the contract's shapes and error codes, and just
// enough of the rules (a primary need for K and E, archived leavers) for the screens to be
// exercised; the real rules live in senco-core and are tested there.
// `state` is 'first-run', 'locked', 'demo' (a handful of pupils) or 'many' (enough for two pages).
window.installFakeBackend = function installFakeBackend(state) {
  const school = { name: 'Hollowbrook Demo School', urn: '999999', laCode: '886', establishmentNumber: '2999', phase: 'primary', isDemo: true };
  let open = state === 'demo' || state === 'many' ? school : null;
  let exists = state !== 'first-run';
  const RECOVERY_KEY = 'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2';
  let passphrase = 'meadow lantern quietly';

  const AREAS = {
    cognitionAndLearning: 'Cognition and learning',
    communicationAndInteraction: 'Communication and interaction',
    socialEmotionalMentalHealth: 'Social, emotional and mental health',
    sensoryAndPhysical: 'Sensory and/or physical',
    uncategorised: 'Not assigned to an area',
  };
  const needTypes = [
    ['SPLD', 'Specific learning difficulty', 'cognitionAndLearning'],
    ['MLD', 'Moderate learning difficulty', 'cognitionAndLearning'],
    ['SLD', 'Severe learning difficulty', 'cognitionAndLearning'],
    ['PMLD', 'Profound and multiple learning difficulty', 'cognitionAndLearning'],
    ['SEMH', 'Social, emotional and mental health', 'socialEmotionalMentalHealth'],
    ['SLCN', 'Speech, language and communication needs', 'communicationAndInteraction'],
    ['HI', 'Hearing impairment', 'sensoryAndPhysical'],
    ['VI', 'Visual impairment', 'sensoryAndPhysical'],
    ['MSI', 'Multi-sensory impairment', 'sensoryAndPhysical'],
    ['PD', 'Physical disability', 'sensoryAndPhysical'],
    ['ASD', 'Autistic spectrum disorder', 'communicationAndInteraction'],
    ['OTH', 'Other difficulty or disability', 'uncategorised'],
    ['NSA', 'SEN support but no specialist assessment of type of need', 'uncategorised'],
  ].map(([code, description, area]) => ({ code, description, area, areaLabel: AREAS[area] }));
  const needType = (code) => needTypes.find((n) => n.code === code);

  // The UPN check letter: digits 2..13 weighted by their position, modulo 23.
  const LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
  const charValue = (c) => (/\d/.test(c) ? Number(c) : LETTERS.indexOf(c));
  const checkLetter = (rest) => LETTERS[[...rest].reduce((sum, c, i) => sum + charValue(c) * (i + 2), 0) % 23];
  const upnFor = (digits) => checkLetter(digits) + digits;
  const upnProblem = (upn) => {
    if (!/^[A-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(upn)) return 'a UPN is 13 characters: a letter, 11 digits, then a digit or a letter';
    if (checkLetter(upn.slice(1)) !== upn[0]) return `the check letter does not match: it is ${upn[0]} but the digits give ${checkLetter(upn.slice(1))}; check the UPN for a typing mistake`;
    return null;
  };

  const dayBefore = (iso) => {
    const d = new Date(`${iso}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  };

  let nextNeedId = 100;
  const pupils = [];
  function seed(digits, legalForename, legalSurname, ncYear, status, primaryNeed, extra = {}) {
    const id = pupils.length + 1;
    const since = status === 'noSen' ? '2021-09-01' : '2025-01-06';
    const p = {
      id, upn: upnFor(digits), upnTemporary: false, legalForename, legalSurname, preferredForename: '', preferredSurname: '',
      dateOfBirth: `${2021 - ncYear}-0${(id % 9) + 1}-1${id % 10}`, sex: id % 2 ? 'F' : 'M', ncYear, form: `${ncYear}${'AB'[id % 2]}`,
      admissionDate: '2021-09-01', leavingDate: null, pupilPremium: id % 3 === 1, fsm: id % 3 === 1, eal: id % 4 === 2,
      lookedAfter: id % 7 === 3, attendancePct: 90 + (id % 10) / 2, status, statusSince: since,
      statusHistory: [
        { status: 'noSen', startDate: '2021-09-01', endDate: status === 'noSen' ? null : '2025-01-05', reason: 'admitted' },
        ...(status === 'noSen' ? [] : [{ status, startDate: '2025-01-06', endDate: null, reason: 'after the autumn review' }]),
      ],
      needs: primaryNeed ? [{ id: nextNeedId++, code: primaryNeed, description: needType(primaryNeed).description, area: needType(primaryNeed).area, rank: 1, startDate: '2025-01-06', endDate: null }] : [],
      ...extra,
    };
    pupils.push(p);
  }
  seed('886200724123', 'Ada', 'Quill', 5, 'senSupport', 'SLCN', { preferredForename: 'Addie' });
  seed('886123425001', 'Bodhi', 'Ashcombe', 3, 'ehcPlan', 'ASD');
  seed('801200005001', 'Wren', 'Fairbank', 6, 'monitoring', null);
  seed('201100018042', 'Kit', 'Mossley', 2, 'noSen', null);
  seed('886299924007', 'Juno', 'Pellworth', 0, 'senSupport', 'SEMH');
  seed('886299924011', 'Orrin', 'Tallow', 4, 'noSen', null, { leavingDate: '2025-07-18' });
  if (state === 'many') {
    const forenames = ['Alder', 'Bryn', 'Cass', 'Dara', 'Elowen', 'Finch', 'Gale', 'Hollis', 'Isla', 'Jory', 'Kestrel', 'Linnet'];
    const surnames = ['Brackwater', 'Cindergate', 'Dunmore', 'Elmhurst', 'Fenwright'];
    const statuses = ['noSen', 'noSen', 'monitoring', 'senSupport', 'noSen', 'ehcPlan'];
    const codes = ['SPLD', 'MLD', 'SEMH', 'SLCN', 'ASD', 'HI'];
    for (let i = 0; i < 54; i++) {
      const status = statuses[i % statuses.length];
      const code = status === 'senSupport' || status === 'ehcPlan' ? codes[i % codes.length] : null;
      seed(`886299925${String(100 + i).padStart(3, '0')}`, forenames[i % 12], surnames[i % 5], (i % 6) + 1, status, code);
    }
  }

  const current = (p) => p.needs.filter((n) => !n.endDate).sort((a, b) => a.rank - b.rank);
  const primary = (p) => current(p).find((n) => n.rank === 1) ?? null;
  const row = (p) => ({
    id: p.id, upn: p.upn, upnTemporary: p.upnTemporary, forename: p.preferredForename || p.legalForename, surname: p.preferredSurname || p.legalSurname,
    ncYear: p.ncYear, form: p.form, status: p.status, primaryNeed: primary(p)?.code ?? null, area: primary(p)?.area ?? null,
    pupilPremium: p.pupilPremium, fsm: p.fsm, eal: p.eal, lookedAfter: p.lookedAfter, leavingDate: p.leavingDate,
  });
  const invalid = (fields) => ({ code: 'invalid', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields });
  const find = (id) => {
    const p = pupils.find((x) => x.id === id);
    if (!p) throw { code: 'not_found', message: 'there is no such pupil', fields: [] };
    return p;
  };
  const changeable = (id) => {
    const p = find(id);
    if (p.leavingDate) throw { code: 'refused', message: 'this pupil has left; the record is archived and cannot be changed', fields: [] };
    return p;
  };
  const copy = (p) => JSON.parse(JSON.stringify(p));
  const need = () => {
    if (!open) throw { code: 'locked', message: 'the school is locked', fields: [] };
  };

  function checkPupil(input) {
    const fields = [];
    const upn = input.upn.trim().toUpperCase();
    const problem = upnProblem(upn);
    if (problem) fields.push({ field: 'upn', message: problem });
    if (!input.legalForename.trim()) fields.push({ field: 'legalForename', message: 'enter the legal first name' });
    if (!input.legalSurname.trim()) fields.push({ field: 'legalSurname', message: 'enter the legal surname' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.dateOfBirth)) fields.push({ field: 'dateOfBirth', message: 'enter the date of birth' });
    if (input.sex !== 'F' && input.sex !== 'M') fields.push({ field: 'sex', message: 'choose F or M, as in the census' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.admissionDate)) fields.push({ field: 'admissionDate', message: 'enter the admission date' });
    if (input.attendancePct !== null && !(input.attendancePct >= 0 && input.attendancePct <= 100)) fields.push({ field: 'attendancePct', message: 'attendance is a percentage from 0 to 100' });
    if (fields.length) throw invalid(fields);
    return { ...input, upn, upnTemporary: /[A-Z]$/.test(upn) };
  }

  function addNeed(p, code, rank, startDate) {
    if (rank === 1) for (const n of current(p)) if (n.rank === 1) n.endDate = dayBefore(startDate);
    p.needs.push({ id: nextNeedId++, code, description: needType(code).description, area: needType(code).area, rank, startDate, endDate: null });
  }

  window.__queries = [];
  window.__calls = [];
  mockIPC((cmd, args) => {
    window.__calls.push([cmd, args]);
    switch (cmd) {
      case 'app_state': return { schoolExists: exists, open };
      case 'open_demo': open = school; return school;
      case 'create_school': {
        const fields = [];
        if (!args.setup.name.trim()) fields.push({ field: 'name', message: "enter the school's name" });
        if (!/^\d{6}$/.test(args.setup.urn)) fields.push({ field: 'urn', message: 'a URN is six digits' });
        if (!/^\d{3}$/.test(args.setup.laCode)) fields.push({ field: 'laCode', message: 'an LA code is three digits' });
        if (!/^\d{4}$/.test(args.setup.establishmentNumber)) fields.push({ field: 'establishmentNumber', message: 'an establishment number is four digits' });
        if (args.passphrase.length < 10) fields.push({ field: 'passphrase', message: 'choose a passphrase of at least 10 characters' });
        else if (args.passphrase !== args.passphraseAgain) fields.push({ field: 'passphraseAgain', message: 'the two passphrases are different' });
        if (fields.length) throw invalid(fields);
        exists = true;
        passphrase = args.passphrase;
        open = { ...args.setup, isDemo: false };
        return { school: open, recoveryKey: RECOVERY_KEY };
      }
      case 'unlock':
        if (args.passphrase !== passphrase) throw { code: 'wrong_passphrase', message: 'that passphrase is not right for this school', fields: [] };
        open = { ...school, name: 'Hillside Test Primary', isDemo: false }; return open;
      case 'unlock_with_recovery_key':
        if (args.recoveryKey.replace(/[\s-]/g, '').toUpperCase() !== RECOVERY_KEY.replace(/-/g, '')) throw { code: 'wrong_recovery_key', message: 'that recovery key is not right', fields: [] };
        if (args.newPassphrase.length < 10) throw invalid([{ field: 'passphrase', message: 'choose a passphrase of at least 10 characters' }]);
        if (args.newPassphrase !== args.newPassphraseAgain) throw invalid([{ field: 'passphraseAgain', message: 'the two passphrases are different' }]);
        passphrase = args.newPassphrase;
        open = { ...school, name: 'Hillside Test Primary', isDemo: false }; return open;
      case 'close_school': open = null; return null;
      case 'need_types': return needTypes;
      case 'register_page': {
        need();
        const q = args.query;
        const f = q.filter;
        window.__queries.push(q);
        const search = f.search.trim().toLowerCase();
        let rows = pupils.filter((p) => (f.roll === 'all' || (f.roll === 'left') === Boolean(p.leavingDate))).map(row).filter((r) =>
          (!f.status || r.status === f.status) && (!f.need || r.primaryNeed === f.need) && (!f.area || r.area === f.area)
          && (f.ncYear === null || r.ncYear === f.ncYear)
          && (f.pupilPremium === null || r.pupilPremium === f.pupilPremium) && (f.fsm === null || r.fsm === f.fsm)
          && (f.eal === null || r.eal === f.eal) && (f.lookedAfter === null || r.lookedAfter === f.lookedAfter)
          && (!search || `${r.forename} ${r.surname} ${r.upn}`.toLowerCase().includes(search)));
        const key = {
          name: (r) => `${r.surname} ${r.forename}`, upn: (r) => r.upn, ncYear: (r) => r.ncYear, form: (r) => r.form,
          status: (r) => ['noSen', 'monitoring', 'senSupport', 'ehcPlan'].indexOf(r.status), primaryNeed: (r) => r.primaryNeed ?? '', area: (r) => r.area ?? '',
        }[q.sort];
        rows.sort((a, b) => ((key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id)) * (q.descending ? -1 : 1));
        const counts = { noSen: 0, monitoring: 0, senSupport: 0, ehcPlan: 0 };
        rows.forEach((r) => counts[r.status]++);
        const size = q.pageSize || 50;
        return { rows: rows.slice(q.page * size, q.page * size + size), total: rows.length, page: q.page, pageSize: size, counts };
      }
      case 'pupil_get': need(); return copy(find(args.id));
      case 'pupil_add': {
        need();
        const input = checkPupil(args.pupil);
        if (pupils.some((p) => p.upn === input.upn)) throw invalid([{ field: 'upn', message: 'another pupil already has this UPN' }]);
        const p = {
          id: pupils.length + 1, ...input, leavingDate: null, status: 'noSen', statusSince: input.admissionDate,
          statusHistory: [{ status: 'noSen', startDate: input.admissionDate, endDate: null, reason: 'admitted' }], needs: [],
        };
        pupils.push(p);
        return copy(p);
      }
      case 'pupil_update': {
        need();
        const p = changeable(args.id);
        Object.assign(p, checkPupil(args.pupil));
        return copy(p);
      }
      case 'pupil_set_status': {
        need();
        const p = changeable(args.id);
        const { status, startDate, reason, primaryNeed } = args.change;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) throw invalid([{ field: 'startDate', message: 'enter the date the status starts' }]);
        if (startDate <= p.statusSince) throw invalid([{ field: 'startDate', message: `the new status must start after ${p.statusSince}` }]);
        if (status === p.status) throw invalid([{ field: 'status', message: 'the pupil already has this status' }]);
        const withNeed = status === 'senSupport' || status === 'ehcPlan';
        if (withNeed && !primaryNeed && !primary(p)) throw invalid([{ field: 'primaryNeed', message: 'SEN support and EHC plans need a primary need' }]);
        p.statusHistory.at(-1).endDate = dayBefore(startDate);
        p.statusHistory.push({ status, startDate, endDate: null, reason });
        p.status = status;
        p.statusSince = startDate;
        if (!withNeed) for (const n of current(p)) n.endDate = dayBefore(startDate);
        else if (primaryNeed) addNeed(p, primaryNeed, 1, startDate);
        return copy(p);
      }
      case 'pupil_add_need': {
        need();
        const p = changeable(args.id);
        if (p.status === 'noSen') throw { code: 'refused', message: 'a pupil with no SEN has no needs recorded', fields: [] };
        if (current(p).some((n) => n.code === args.need.code)) throw invalid([{ field: 'code', message: 'this need is already recorded' }]);
        addNeed(p, args.need.code, args.need.rank, args.need.startDate);
        return copy(p);
      }
      case 'pupil_end_need': {
        need();
        const p = changeable(args.id);
        const n = current(p).find((x) => x.id === args.needId);
        if (!n) throw { code: 'not_found', message: 'there is no such current need', fields: [] };
        if (args.endDate < n.startDate) throw invalid([{ field: 'endDate', message: `the need started on ${n.startDate}` }]);
        n.endDate = args.endDate;
        return copy(p);
      }
      case 'pupil_leave': {
        need();
        const p = changeable(args.id);
        if (args.leavingDate < p.admissionDate) throw invalid([{ field: 'leavingDate', message: 'the leaving date is before the admission date' }]);
        p.leavingDate = args.leavingDate;
        return copy(p);
      }
      default: throw { code: 'refused', message: `the fake backend has no ${cmd}`, fields: [] };
    }
  });
};
