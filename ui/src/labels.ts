// How the UI words a refusal's messages and writes dates. The words for codes (statuses,
// needs, areas, year groups…) come from the core: see vocabulary.svelte.ts.
import type { CommandError } from './bindings/CommandError';

/** Today as YYYY-MM-DD in local time, the default for date fields. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// Month names are written out here, never taken from the system locale (Intl,
// toLocaleDateString): a school laptop set to US English, or a webview under LANG=C, would
// otherwise show American or ISO dates.
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];

/** Day, month and year from "YYYY-MM-DD", or null when the text is not one. */
function isoParts(iso: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 ? [d, mo, y] : null;
}

/** "14 March 2017" from "2017-03-14"; anything that is not an ISO date is shown as it is. */
export function longDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const parts = isoParts(iso);
  if (!parts) return iso;
  const [d, m, y] = parts;
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "14 Mar 2017" from "2017-03-14", as date fields show a date; other text as it is. */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const parts = isoParts(iso);
  if (!parts) return iso;
  const [d, m, y] = parts;
  return `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
}

/**
 * "26 Nov 2026 at 16:04" from a local time "2026-11-26T16:04:00" (the audit trail's and a
 * backup's times); anything else is shown as it is.
 */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})/.exec(iso.trim());
  if (!m || !isoParts(m[1])) return iso;
  return `${shortDate(m[1])} at ${m[2]}:${m[3]}`;
}

/** True for a "YYYY-MM-DD" date. */
export const isIsoDate = (text: string): boolean => isoParts(text) !== null;

/** The message for one field of a refused form, if any. */
export function fieldMessage(error: CommandError | null, field: string): string | undefined {
  const message = error?.fields.find((f) => f.field === field)?.message;
  return message === undefined ? undefined : sentence(message);
}

/** Text for the banner when a refusal is not about one field. */
export function generalMessage(error: CommandError | null): string | undefined {
  if (!error) return undefined;
  if (error.code === 'invalid' && error.fields.length > 0) {
    return 'Some details need correcting: see the messages beside the fields.';
  }
  return sentence(error.message);
}

export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.');
}
