// The words the Backup and records screen puts around the core's answers: sizes, the
// erasure's confirmation, and the one check a number box needs before it can be sent (the
// limits themselves are the core's, and its refusal names them).
import type { CommandError } from '../../bindings/CommandError';
import type { ErasureCount } from '../../bindings/ErasureCount';
import { plural } from '../import/plan';

/** "12.4 MB", one decimal place; a small file is "less than 0.1 MB". */
export function megabytes(bytes: number): string {
  const mb = bytes / 1_048_576;
  return mb < 0.05 ? 'less than 0.1 MB' : `${mb.toFixed(1)} MB`;
}

/** What erasing removes, as the confirmation says it. */
export function erasureSentence(count: ErasureCount): string {
  return `This erases the files of ${plural(count.pupils, 'pupil')}: ${plural(count.records, 'record')} and ${plural(count.attachments, 'attachment')}. `
    + 'It cannot be undone (backups taken before today still hold them).';
}

/** What was erased, once it is done. */
export function erasedSentence(count: ErasureCount): string {
  return `Erased the files of ${plural(count.pupils, 'pupil')}: ${plural(count.records, 'record')} and ${plural(count.attachments, 'attachment')}.`;
}

/**
 * A number box's value as a whole number to send, or the refusal to show beside it: an empty
 * box, a fraction or a minus cannot be sent as a count at all. Whether the number is allowed
 * is the core's to say.
 */
export function whole(value: number | string | null | undefined, field: string, what: string): number | CommandError {
  const n = typeof value === 'string' ? (value.trim() === '' ? NaN : Number(value)) : (value ?? NaN);
  if (Number.isInteger(n) && n >= 0) return n;
  const message = `enter ${what} as a whole number`;
  return { code: 'invalid', message: `${field}: ${message}`, fields: [{ field, message }] };
}
