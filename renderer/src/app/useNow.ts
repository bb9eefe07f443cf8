import { onScopeDispose, ref } from 'vue';

/** One shared ticking clock for countdowns, so a hundred rows don't start a hundred timers. */
const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

export function useNow() {
  users++;
  if (!timer) timer = setInterval(() => { now.value = Date.now(); }, 1000);
  onScopeDispose(() => {
    users--;
    if (users === 0 && timer) { clearInterval(timer); timer = null; }
  });
  return now;
}
