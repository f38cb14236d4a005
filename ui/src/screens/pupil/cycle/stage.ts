// What every stage form of a cycle shares: sending a stage, and where the focus goes when
// the core refuses it.
import * as api from '../../../api';
import type { CommandError } from '../../../bindings/CommandError';
import type { CycleRecord } from '../../../bindings/CycleRecord';
import { focusFirstRefused } from '../../../focus';

export type StageProps = {
  pupilId: number;
  /** The open cycle, if there is one. */
  cycle: CycleRecord | null;
  onSaved: (cycle: CycleRecord, done: string) => void;
  onCancel: () => void;
};

/** Sends one stage; on refusal, hands the error back and focuses what was refused. */
export async function send(run: () => Promise<CycleRecord>, form: string, onRefused: (e: CommandError) => void): Promise<CycleRecord | null> {
  try {
    return await run();
  } catch (e) {
    onRefused(api.asCommandError(e));
    await focusFirstRefused(form, `${form.slice(1)}-error`);
    return null;
  }
}

/** ISO date `weeks` weeks after `iso` (for default review dates). */
export function weeksAfter(iso: string, weeks: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + weeks * 7));
  return date.toISOString().slice(0, 10);
}
