import { ref } from 'vue';
import { useNotifyStore } from './notify';

/**
 * Wraps one user action: `pending` while it runs, the success message or the router's refusal in
 * the snackbar after. Returns the result, or undefined when refused (already shown).
 */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>, success?: (result: R) => string | null) {
  const pending = ref(false);
  const notify = useNotifyStore();
  async function run(...args: A): Promise<R | undefined> {
    pending.value = true;
    try {
      const result = await action(...args);
      const text = success?.(result);
      if (text) notify.success(text);
      return result;
    } catch (error) {
      notify.refusal(error);
      return undefined;
    } finally {
      pending.value = false;
    }
  }
  return { pending, run };
}
