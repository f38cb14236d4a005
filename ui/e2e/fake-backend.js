// An in-memory stand-in for the Rust commands, injected into the page with mockIPC so the
// built UI can be driven in Chromium without the app. Synthetic pupils only.
// `state` is 'first-run', 'locked' or 'demo'.
window.installFakeBackend = function installFakeBackend(state) {
  const school = { name: 'Hollowbrook Demo School', urn: '999999', laCode: '886', establishmentNumber: '2999', phase: 'primary', isDemo: true };
  let open = state === 'demo' ? school : null;
  const needs = [
    ['SPLD', 'Specific learning difficulty', 'cognitionAndLearning'], ['MLD', 'Moderate learning difficulty', 'cognitionAndLearning'],
    ['SEMH', 'Social, emotional and mental health', 'socialEmotionalMentalHealth'], ['SLCN', 'Speech, language and communication needs', 'communicationAndInteraction'],
    ['ASD', 'Autistic spectrum disorder', 'communicationAndInteraction'], ['HI', 'Hearing impairment', 'sensoryAndPhysical'],
    ['NSA', 'SEN support, type of need not yet assessed', 'uncategorised'],
  ].map(([code, description, area]) => ({ code, description, area, areaLabel: area }));
  const area = (code) => needs.find((n) => n.code === code)?.area ?? null;
  const pupils = [
    ['K886200724123', 'Ada', 'Quill', 5, 'senSupport', 'SLCN', true],
    ['J886123425001', 'Bodhi', 'Ashcombe', 3, 'ehcPlan', 'ASD', false],
    ['B801200005001', 'Wren', 'Fairbank', 6, 'monitoring', null, true],
    ['R201100018042', 'Kit', 'Mossley', 2, 'noSen', null, false],
  ].map(([upn, forename, surname, ncYear, status, primaryNeed, pp], i) => ({
    id: i + 1, upn, upnTemporary: false, forename, surname, ncYear, form: `${ncYear}A`, status, primaryNeed,
    area: primaryNeed ? area(primaryNeed) : null, pupilPremium: pp, fsm: pp, eal: i === 1, lookedAfter: false, leavingDate: null,
  }));
  const record = (row) => ({
    id: row.id, upn: row.upn, upnTemporary: false, legalForename: row.forename, legalSurname: row.surname,
    preferredForename: '', preferredSurname: '', dateOfBirth: '2017-03-14', sex: 'F', ncYear: row.ncYear, form: row.form,
    admissionDate: '2021-09-01', leavingDate: null, pupilPremium: row.pupilPremium, fsm: row.fsm, eal: row.eal, lookedAfter: false,
    attendancePct: 96.5, status: row.status, statusSince: '2025-01-06',
    statusHistory: [
      { status: 'noSen', startDate: '2021-09-01', endDate: row.status === 'noSen' ? null : '2025-01-05', reason: 'admitted' },
      ...(row.status === 'noSen' ? [] : [{ status: row.status, startDate: '2025-01-06', endDate: null, reason: 'after the autumn review' }]),
    ],
    needs: row.primaryNeed ? [{ id: 10 + row.id, code: row.primaryNeed, description: needs.find((n) => n.code === row.primaryNeed).description, area: row.area, rank: 1, startDate: '2025-01-06', endDate: null }] : [],
  });
  window.__queries = [];
  mockIPC((cmd, args) => {
    switch (cmd) {
      case 'app_state': return { schoolExists: state !== 'first-run', open };
      case 'open_demo': open = school; return school;
      case 'create_school': open = { ...args.setup, isDemo: false }; return { school: open, recoveryKey: 'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2' };
      case 'unlock':
        if (args.passphrase !== 'meadow lantern quietly') throw { code: 'wrong_passphrase', message: 'that passphrase is not right for this school', fields: [] };
        open = { ...school, isDemo: false }; return open;
      case 'close_school': open = null; return null;
      case 'need_types': return needs;
      case 'register_page': {
        const q = args.query;
        window.__queries.push(q);
        let rows = pupils.filter((p) => (!q.filter.status || p.status === q.filter.status) && (!q.filter.need || p.primaryNeed === q.filter.need)
          && (!q.filter.search || `${p.forename} ${p.surname} ${p.upn}`.toLowerCase().includes(q.filter.search.toLowerCase())));
        const key = { name: (p) => p.surname, upn: (p) => p.upn, ncYear: (p) => p.ncYear, form: (p) => p.form, status: (p) => p.status, primaryNeed: (p) => p.primaryNeed ?? '', area: (p) => p.area ?? '' }[q.sort];
        rows = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (q.descending ? -1 : 1));
        const counts = { noSen: 0, monitoring: 0, senSupport: 0, ehcPlan: 0 };
        rows.forEach((r) => counts[r.status]++);
        return { rows, total: rows.length, page: 0, pageSize: 50, counts };
      }
      case 'pupil_get': return record(pupils.find((p) => p.id === args.id));
      default: throw { code: 'refused', message: `the fake backend has no ${cmd}`, fields: [] };
    }
  });
};
