// The words the import wizard and the MIS differences screen put around the core's data:
// counts, the import button, and the MIS's codes named through the core's vocabulary. The
// rules (what matches, what changes, what is a problem) are all the core's, in the plan.
import type { ImportFieldInfo } from '../../bindings/ImportFieldInfo';
import type { ImportMatch } from '../../bindings/ImportMatch';
import type { ImportPlan } from '../../bindings/ImportPlan';
import { needName, statuses } from '../../vocabulary.svelte';

/** The most rows a preview table draws: a 2,000-pupil file must not freeze the window. */
export const SHOWN = 200;

/** "1,234": counts are written out here, never through the system locale. */
export const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "1 pupil", "12 pupils". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** The first letter in capitals: the core's labels are lower case ("year group"). */
export const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The first SHOWN items, and how many more are not drawn. */
export function firstRows<T>(items: T[]): { rows: T[]; more: number } {
  return { rows: items.slice(0, SHOWN), more: Math.max(0, items.length - SHOWN) };
}

/** The import button, worded with what it does: "Import 12 new pupils and update 3". */
export function importLabel(plan: ImportPlan): string {
  const added = plan.newPupils.length;
  const updated = plan.changed.length;
  if (added > 0 && updated > 0) return `Import ${plural(added, 'new pupil')} and update ${count(updated)}`;
  if (added > 0) return `Import ${plural(added, 'new pupil')}`;
  if (updated > 0) return `Update ${plural(updated, 'pupil')}`;
  if (plan.differences.length > 0) return `Record ${plural(plan.differences.length, 'SEN difference')} for the office`;
  return `Close ${plural(plan.resolved.length, 'difference')} the MIS now agrees with`;
}

/** How a pupil in the file was matched to the register, in words. */
export function matchedBy(match: ImportMatch): string {
  switch (match) {
    case 'upn':
      return 'By UPN';
    case 'formerUpn':
      return 'By former UPN (the UPN is updated)';
    case 'nameAndBirth':
      return 'Check: matched by surname and date of birth';
  }
}

/** A field's label, from the core's list of fields, in capitals: "SEN status". */
export function fieldLabel(fields: ImportFieldInfo[], field: string): string {
  const info = fields.find((f) => f.field === field);
  return info ? capital(info.label) : field;
}

/**
 * A SEN status or primary need as the MIS and toolkit give them in a difference ("K",
 * "SLCN", "none"), named with the vocabulary: "SEN support (K)", "SLCN: Speech, language…".
 */
export function senValue(field: string, value: string): string {
  if (field === 'senStatus') {
    const term = statuses().find((s) => s.code === value);
    if (!term) return value;
    return term.label.includes(`(${term.code})`) ? term.label : `${term.label} (${term.code})`;
  }
  if (field === 'primaryNeed') {
    const name = needName(value);
    return name ? `${value}: ${name}` : capital(value);
  }
  return value;
}
