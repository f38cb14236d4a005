// How the UI words a refusal's messages and writes dates. The words for codes (statuses,
// needs, areas, year groups…) come from the core: see vocabulary.svelte.ts.
import type { CommandError } from './bindings/CommandError';

/** Today as YYYY-MM-DD in local time, the default for date fields. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "14 March 2017" from "2017-03-14". */
export function longDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}

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
