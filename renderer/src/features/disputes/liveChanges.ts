import { onScopeDispose } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type ChangeEvent = RouterOutputs['disputes']['onChange'] extends AsyncIterable<infer E, any, any> ? E : never;

/**
 * Listens to disputes.onChange while the calling component lives, and calls `refresh` once per
 * burst of changes (debounced), for the events `relevant` picks.
 */
export function useLiveChanges(relevant: (e: ChangeEvent) => boolean, refresh: () => unknown, debounceMs = 250) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const subscription = api.disputes.onChange.subscribe(undefined, {
    onData: (e) => {
      if (!relevant(e)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => { timer = null; void refresh(); }, debounceMs);
    },
  });
  onScopeDispose(() => {
    if (timer) clearTimeout(timer);
    subscription.unsubscribe();
  });
}
