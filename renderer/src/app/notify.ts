import { defineStore } from 'pinia';
import { ref } from 'vue';
import { refusalOf } from '@/api/client';

/** The one snackbar: every action's result, and every refusal in the router's own words. */
export const useNotifyStore = defineStore('notify', () => {
  const visible = ref(false);
  const message = ref('');
  const color = ref<'success' | 'error' | 'info'>('info');

  function show(text: string, tone: 'success' | 'error' | 'info') {
    message.value = text;
    color.value = tone;
    visible.value = true;
  }

  return {
    visible, message, color,
    success: (text: string) => show(text, 'success'),
    info: (text: string) => show(text, 'info'),
    refusal: (error: unknown) => show(refusalOf(error).message, 'error'),
  };
});
