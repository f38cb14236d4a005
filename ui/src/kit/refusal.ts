// What Field, Select and DateField show for a refused field: the message (if this field was
// refused), its id, and the ids the control is described by (its hint, then the message).
import type { CommandError } from '../bindings/CommandError';
import { fieldMessage } from '../labels';

export type Refusal = { message: string | undefined; messageId: string; describedBy: string | undefined };

export function refusalOf(error: CommandError | null, field: string, id: string, hint: string | undefined, errorId?: string): Refusal {
  const message = fieldMessage(error, field);
  const messageId = errorId ?? `error-${field}`;
  const describedBy = [hint ? `${id}-hint` : '', message ? messageId : ''].filter(Boolean).join(' ') || undefined;
  return { message, messageId, describedBy };
}

/** What every field of the kit is given to label itself and show its refusal. */
export type FieldContract = {
  id: string;
  label: string;
  hint?: string;
  /** The CommandError field this control shows refusals for. */
  field: string;
  error: CommandError | null;
  /** The message's id when `error-{field}` is taken by another form on the same screen. */
  errorId?: string;
};
