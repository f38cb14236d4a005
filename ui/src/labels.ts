// The words the UI uses for codes, in one place.
import type { BroadArea } from './bindings/BroadArea';
import type { SenStatus } from './bindings/SenStatus';
import type { CommandError } from './bindings/CommandError';

export const STATUS_LABELS: Record<SenStatus, string> = {
  noSen: 'No SEN',
  monitoring: 'Pupil of concern / monitoring',
  senSupport: 'SEN support (K)',
  ehcPlan: 'EHC plan (E)',
};

export const STATUS_SHORT: Record<SenStatus, string> = {
  noSen: 'No SEN',
  monitoring: 'Monitoring',
  senSupport: 'SEN support (K)',
  ehcPlan: 'EHC plan (E)',
};

export const AREA_LABELS: Record<BroadArea, string> = {
  communicationAndInteraction: 'Communication and interaction',
  cognitionAndLearning: 'Cognition and learning',
  socialEmotionalMentalHealth: 'Social, emotional and mental health',
  sensoryAndPhysical: 'Sensory and/or physical',
  uncategorised: 'Not assigned to an area',
};

export const NC_YEARS: number[] = Array.from({ length: 16 }, (_, i) => i - 1);

export function yearLabel(year: number): string {
  if (year === -1) return 'N';
  if (year === 0) return 'R';
  return `Y${year}`;
}

export function yearName(year: number): string {
  if (year === -1) return 'Nursery';
  if (year === 0) return 'Reception';
  return `Year ${year}`;
}

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
