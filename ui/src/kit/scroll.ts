// A table's wrapper scrolls sideways only when the window is too narrow for the table; only
// then is it a named region the keyboard can reach (WCAG 2.1.1), so tables that fit add no
// stops to the Tab order.
import type { Attachment } from 'svelte/attachments';

/** Attach to the wrapper (`overflow-x: auto`); `labelId` names it when it scrolls. */
export const scrollsWhenNarrow = (labelId: string): Attachment<HTMLElement> => (wrap) => {
  const check = () => {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      wrap.tabIndex = 0;
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-labelledby', labelId);
    } else {
      wrap.removeAttribute('tabindex');
      wrap.removeAttribute('role');
      wrap.removeAttribute('aria-labelledby');
    }
  };
  check();
  if (typeof ResizeObserver === 'undefined') return;
  const observer = new ResizeObserver(check);
  observer.observe(wrap);
  if (wrap.firstElementChild) observer.observe(wrap.firstElementChild);
  return () => observer.disconnect();
};
