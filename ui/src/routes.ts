// The app's places, as hash routes, so a reload (or a bookmark) comes back to the same
// screen: #/worklist, #/register, #/pupil/42, #/pupil/42/support, #/pupil/42/edit,
// #/pupil/new, #/sessions, #/provision, #/governors, #/library, #/import, #/reconcile,
// #/records. The worklist is the first screen.
export type Route =
  | { name: 'worklist' }
  | { name: 'register' }
  | { name: 'pupil'; id: number; section: 'record' | 'support' }
  | { name: 'pupil-edit'; id: number }
  | { name: 'pupil-new' }
  | { name: 'sessions' }
  | { name: 'provision' }
  | { name: 'governors' }
  | { name: 'library' }
  | { name: 'import' }
  | { name: 'reconcile' }
  | { name: 'records' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [first, second, third] = parts;
  if (first === 'register') return { name: 'register' };
  if (first === 'sessions') return { name: 'sessions' };
  if (first === 'provision') return { name: 'provision' };
  if (first === 'governors') return { name: 'governors' };
  if (first === 'library') return { name: 'library' };
  if (first === 'import') return { name: 'import' };
  if (first === 'reconcile') return { name: 'reconcile' };
  if (first === 'records') return { name: 'records' };
  if (first === 'pupil' && second === 'new') return { name: 'pupil-new' };
  if (first === 'pupil' && /^\d+$/.test(second ?? '')) {
    const id = Number(second);
    if (third === 'edit') return { name: 'pupil-edit', id };
    return { name: 'pupil', id, section: third === 'support' ? 'support' : 'record' };
  }
  return { name: 'worklist' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'pupil':
      return `#/pupil/${route.id}${route.section === 'support' ? '/support' : ''}`;
    case 'pupil-edit':
      return `#/pupil/${route.id}/edit`;
    case 'pupil-new':
      return '#/pupil/new';
    default:
      return `#/${route.name}`;
  }
}

/** Goes to a place; the hashchange listener in App.svelte shows it. */
export function go(route: Route): void {
  const target = href(route);
  if (location.hash === target) return;
  location.hash = target;
}

/**
 * The navigation bar's places, in order. `short` is shown instead of `label` on a laptop's
 * narrower window, so the nine places stay on one line at 1366 pixels.
 */
export const PLACES: { route: Route; label: string; short?: string; id: string }[] = [
  { route: { name: 'worklist' }, label: 'Worklist', id: 'nav-worklist' },
  { route: { name: 'register' }, label: 'Register', id: 'nav-register' },
  { route: { name: 'sessions' }, label: 'Log sessions', id: 'nav-sessions' },
  { route: { name: 'provision' }, label: 'Provision map', id: 'nav-provision' },
  { route: { name: 'governors' }, label: 'Governors', id: 'nav-governors' },
  { route: { name: 'library' }, label: 'Library', id: 'nav-library' },
  { route: { name: 'import' }, label: 'Import from MIS', id: 'nav-import' },
  { route: { name: 'reconcile' }, label: 'MIS differences', id: 'nav-reconcile' },
  { route: { name: 'records' }, label: 'Backup and records', short: 'Backups', id: 'nav-records' },
];
