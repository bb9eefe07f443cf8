import { customRef, onScopeDispose, type Ref } from 'vue';

/** One shared ticking clock for countdowns, so a hundred rows don't start a hundred timers. */
const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function onTick(listener: (now: number) => void): () => void {
  listeners.add(listener);
  if (!timer) timer = setInterval(() => { const now = Date.now(); listeners.forEach((l) => l(now)); }, 1000);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) { clearInterval(timer); timer = null; }
  };
}

/**
 * The current time, for a label drawn from it. The clock is checked every second, but whatever
 * reads this ref re-runs only when `bucketOf(now)` changes, i.e. when the label's text can change:
 * a queue of a few hundred rows aged in days used to redraw every row every second for nothing.
 * Read, it is always Date.now(), so a label redrawn for another reason (new props) is up to date.
 */
export function useNow(bucketOf: (now: number) => unknown = (now) => now): Readonly<Ref<number>> {
  let shown: unknown;
  return customRef<number>((track, trigger) => {
    onScopeDispose(onTick((now) => { if (bucketOf(now) !== shown) trigger(); }));
    return {
      get() {
        track();
        const now = Date.now();
        shown = bucketOf(now);
        return now;
      },
      set() {},
    };
  });
}
