// The school's words for codes, and the rules that go with them, as the Rust core serves
// them through the `vocabulary` command. App.svelte loads them once at start-up, before any
// school screen renders; every screen names statuses, needs, areas, year groups, sexes and
// phases through these lookups, so the words live in one place: the core.
import * as api from './api';
import type { BroadArea } from './bindings/BroadArea';
import type { NeedType } from './bindings/NeedType';
import type { PhaseTerm } from './bindings/PhaseTerm';
import type { SenStatus } from './bindings/SenStatus';
import type { SexTerm } from './bindings/SexTerm';
import type { StatusTerm } from './bindings/StatusTerm';
import type { AreaTerm } from './bindings/AreaTerm';
import type { Vocabulary } from './bindings/Vocabulary';
import type { YearTerm } from './bindings/YearTerm';

let current = $state.raw<Vocabulary | null>(null);

/** Asks the core for the vocabulary and keeps it for every screen. */
export async function loadVocabulary(): Promise<void> {
  current = await api.vocabulary();
}

/** Sets the vocabulary directly: for component tests, which render screens without App. */
export function setVocabulary(vocabulary: Vocabulary | null): void {
  current = vocabulary;
}

function loaded(): Vocabulary {
  if (!current) throw new Error('the vocabulary is read before App.svelte has loaded it');
  return current;
}

export const statuses = (): StatusTerm[] => loaded().statuses;
export const needs = (): NeedType[] => loaded().needs;
export const areas = (): AreaTerm[] => loaded().areas;
export const years = (): YearTerm[] => loaded().years;
export const sexes = (): SexTerm[] => loaded().sexes;
export const phases = (): PhaseTerm[] => loaded().phases;
/** The highest need rank; rank 1 is the primary need. */
export const maxRank = (): number => loaded().maxRank;
export const nameMax = (): number => loaded().nameMax;
export const reasonMax = (): number => loaded().reasonMax;

/** The status's term: its labels, codes and rules. */
export function statusTerm(status: SenStatus): StatusTerm {
  const term = statuses().find((s) => s.status === status);
  if (!term) throw new Error(`the vocabulary has no status ${status}`);
  return term;
}

export const statusLabel = (status: SenStatus): string => statusTerm(status).label;
export const statusShortLabel = (status: SenStatus): string => statusTerm(status).shortLabel;

export const areaLabel = (area: BroadArea): string => areas().find((a) => a.area === area)?.label ?? area;

/** "Y5", "R" or "N", for narrow columns. */
export const yearShortLabel = (year: number): string => years().find((y) => y.year === year)?.shortLabel ?? String(year);
/** "Year 5", "Reception" or "Nursery". */
export const yearLabel = (year: number): string => years().find((y) => y.year === year)?.label ?? String(year);

export const sexLabel = (sex: string): string => sexes().find((s) => s.sex === sex)?.label ?? sex;

export const needDescription = (code: string | null): string => needs().find((n) => n.code === code)?.description ?? '';
/** The need's short name, for timelines: "Specific learning difficulty". */
export const needName = (code: string | null): string => needs().find((n) => n.code === code)?.name ?? '';

/** The needs that may be recorded with this status: NSA only where the status allows it. */
export const needsFor = (status: SenStatus): NeedType[] =>
  needs().filter((n) => n.code !== 'NSA' || statusTerm(status).allowsNsa);

// The graduated approach's words, as options for the forms' selects and checkboxes.
import type { Term } from './bindings/Term';
export const noteMax = (): number => loaded().noteMax;
export const attachmentMaxBytes = (): number => loaded().attachmentMaxBytes;
export const sources = (): Term[] => loaded().sources;
export const noticeMethods = (): Term[] => loaded().noticeMethods;
export const pfaDomains = (): Term[] => loaded().pfaDomains;
export const decisions = (): Term[] => loaded().decisions;
/** Whether a review with this decision needs a next review date (the core's rule). */
export const needsNextReview = (decision: string): boolean => loaded().decisionsNeedingNextReview.includes(decision);
export const ratings = (): Term[] => loaded().ratings;
export const waves = (): Term[] => loaded().waves;
export const services = (): Term[] => loaded().services;
export const assessDecisions = (): Term[] => loaded().assessDecisions;
export const draftOutcomes = (): Term[] => loaded().draftOutcomes;
export const exceptionKinds = (): Term[] => loaded().exceptionKinds;
export const requestSteps = (): Term[] => loaded().requestSteps;
export const qualifications = (): Term[] => loaded().qualifications;
export const sencoNameMax = (): number => loaded().sencoNameMax;
export const dutyHints = () => loaded().dutyHints;
export const packTypes = (): Term[] => loaded().packTypes;
export const consentKinds = (): Term[] => loaded().consentKinds;
export const packPasswordMin = (): number => loaded().packPasswordMin;
export const reviewSteps = (): Term[] => loaded().reviewSteps;
export const worklistKinds = (): Term[] => loaded().worklistKinds;
export const dueSoonDays = (): number => loaded().dueSoonDays;
/** The label of a term's value, e.g. a decision's or a wave's. */
export const termLabel = (terms: Term[], value: string | null | undefined): string => terms.find((t) => t.value === value)?.label ?? (value ?? '');
/** The four broad areas of need, for outcome and summary selects (not "not assigned"). */
export const needAreas = (): AreaTerm[] => areas().filter((a) => a.area !== 'uncategorised');

/** "£1,234.56" from whole pence. Money is pence everywhere; only this shows pounds. */
export function pounds(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(Math.round(pence));
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}£${whole}.${String(abs % 100).padStart(2, '0')}`;
}
