// The idle lock: the app locks when nobody has used it for the chosen minutes, or when the
// computer has been asleep. Tauri does not report a suspend on every platform, so a sleep is
// noticed here instead: a timer that ticks every 5 seconds finds, on waking, that far more
// time has passed than a tick.

/** What counts as someone using the app. */
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
/** How often the clock is looked at. */
export const TICK_MS = 5_000;
/** A gap between two ticks longer than this means the computer slept. */
export const SLEPT_MS = 2 * 60_000;

export type LockWhy = 'idle' | 'suspend';

/**
 * Starts watching; `onIdle` is called once, when `minutes` pass with no activity ('idle') or
 * the computer has slept ('suspend'), and the watching stops. Returns a function that stops
 * it earlier (when the SENCO locks, or the minutes change).
 */
export function startIdleLock(minutes: number, onIdle: (why: LockWhy) => void, now: () => number = () => Date.now()): () => void {
  const limit = minutes * 60_000;
  let lastActive = now();
  let lastTick = lastActive;
  let stopped = false;

  const active = () => {
    lastActive = now();
  };
  const options: AddEventListenerOptions = { capture: true, passive: true };
  for (const name of ACTIVITY) window.addEventListener(name, active, options);

  function check() {
    const at = now();
    const gap = at - lastTick;
    lastTick = at;
    if (gap > SLEPT_MS) fire('suspend');
    else if (at - lastActive >= limit) fire('idle');
  }
  const timer = setInterval(check, TICK_MS);
  // Waking, or the window coming back to the front, is checked at once rather than at the
  // next tick, so pupil data is not on the screen for those seconds.
  const WAKING = ['visibilitychange', 'focus', 'pageshow'] as const;
  for (const name of WAKING) window.addEventListener(name, check, options);
  document.addEventListener('visibilitychange', check, options);

  function stop() {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    for (const name of ACTIVITY) window.removeEventListener(name, active, options);
    for (const name of WAKING) window.removeEventListener(name, check, options);
    document.removeEventListener('visibilitychange', check, options);
  }

  function fire(why: LockWhy) {
    if (stopped) return;
    stop();
    onIdle(why);
  }

  return stop;
}
