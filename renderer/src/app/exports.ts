/**
 * Downloads the server shell streams at /export/* (journal with proof, payments CSV, case PDF).
 * They are same-origin GETs the session cookie authenticates. The desktop app talks to the engine
 * over IPC with no HTTP server behind it, so there the console offers no export links at all.
 */
export const exportsAvailable = !window.escrowIpc;

/** The export's URL relative to the page, with only the parameters that are set. */
export function exportUrl(path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  const qs = query.toString();
  return new URL(`/export/${path}${qs ? `?${qs}` : ''}`, window.location.href).toString();
}
