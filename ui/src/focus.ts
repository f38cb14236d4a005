// Where the keyboard focus goes after a form is refused: to the first refused field, whose
// message is read with it, or else to the form's error banner.
import { tick } from 'svelte';

export async function focusFirstRefused(scope: string, bannerId: string): Promise<void> {
  await tick();
  const field = document.querySelector<HTMLElement>(`${scope} [aria-invalid="true"]`);
  (field ?? document.getElementById(bannerId))?.focus();
}
