// What every card of the pupil screen is given, and how a card makes one change to the record:
// the new record goes up to Pupil.svelte with a sentence saying what was done; a refusal stays
// with the card's form, and the focus goes to what was refused.
import * as api from '../../api';
import type { CommandError } from '../../bindings/CommandError';
import type { PupilRecord } from '../../bindings/PupilRecord';
import { focusFirstRefused } from '../../focus';

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
