// Where the keyboard focus goes after a form is refused: to the first refused field, whose
// message is read with it, or else to the form's error banner. Every form calls this, so
// focus after a refusal behaves the same everywhere.
import { tick } from 'svelte';

/**
 * `scope` is a selector for the refused form; `bannerId` is the element that takes the focus
 * when no field is marked refused (the form's error banner, or the one field a whole-form
 * refusal is about).
 */
export async function focusFirstRefused(scope: string, bannerId: string): Promise<void> {
  await tick();
  const field = document.querySelector<HTMLElement>(`${scope} [aria-invalid="true"]`);
  (field ?? document.getElementById(bannerId))?.focus();
}
