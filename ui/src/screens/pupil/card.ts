// What every card of the pupil screen is given, and how a card makes one change to the record:
// the new record goes up to Pupil.svelte with a sentence saying what was done; a refusal stays
// with the card's form, and the focus goes to what was refused.
import { tick } from 'svelte';
import * as api from '../../api';
import type { CommandError } from '../../bindings/CommandError';
import type { NeedEnding } from '../../bindings/NeedEnding';
import type { PupilRecord } from '../../bindings/PupilRecord';
import { focusFirstRefused } from '../../focus';
import { shortDate } from '../../labels';

export type CardProps = {
  pupil: PupilRecord;
  /** The record after a change, and what was done, for the screen's confirmation line. */
  onChanged: (record: PupilRecord, done: string) => void;
};

/** The name the pupil is known by: preferred names where given. */
export function knownAs(pupil: PupilRecord): string {
  return `${pupil.preferredForename || pupil.legalForename} ${pupil.preferredSurname || pupil.legalSurname}`;
}

type Change = {
  run: () => Promise<PupilRecord>;
  onChanged: CardProps['onChanged'];
  done: string;
  onRefused: (error: CommandError) => void;
  /** A selector for the form, and the id of its error banner, for focusFirstRefused. */
  form: string;
  banner: string;
};

/** Makes one change; true if it was made. */
export async function makeChange({ run, onChanged, done, onRefused, form, banner }: Change): Promise<boolean> {
  let record: PupilRecord;
  try {
    record = await run();
  } catch (e) {
    onRefused(api.asCommandError(e));
    await focusFirstRefused(form, banner);
    return false;
  }
  onChanged(record, done);
  return true;
}

/** A refusal about one field the form itself requires, such as a choice not yet made. */
export function refusalOn(field: string, message: string): CommandError {
  return { code: 'invalid', message: `${field}: ${message}`, fields: [{ field, message }] };
}

/**
 * Asks the core what a change would do, for its confirmation step. The core plans it by the
 * same rules that make it and writes nothing, so a change it would refuse is refused here,
 * with the same messages beside the same fields, before anyone confirms it.
 */
export async function preview<T>(ask: () => Promise<T>): Promise<{ preview: T } | { refused: CommandError }> {
  try {
    return { preview: await ask() };
  } catch (e) {
    return { refused: api.asCommandError(e) };
  }
}

/** "and"-joined: "SLCN", "SLCN and SEMH", "SLCN, SEMH and ASD". */
export function listed(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The needs a change will end, as the core planned them: "SLCN and SEMH will end on 19 Jul 2026." */
export function needsEnding(endings: NeedEnding[]): string {
  const byDate = new Map<string, string[]>();
  for (const need of endings) byDate.set(need.endDate, [...(byDate.get(need.endDate) ?? []), need.code]);
  const ends = [...byDate];
  if (ends.length === 1) return `Their current needs will end on ${shortDate(ends[0][0])}: ${listed(ends[0][1])}.`;
  return `Their current needs will end: ${listed(ends.map(([end, codes]) => `${listed(codes)} on ${shortDate(end)}`))}.`;
}

/** Puts the focus on an element once the step that hid it has gone. */
export async function focusAfterStep(id: string): Promise<void> {
  await tick();
  document.getElementById(id)?.focus();
}
