/**
 * The console's Content-Security-Policy and the headers sent with it: one definition for the
 * team server (server.ts) and the desktop window (electron/main/security.ts). Nothing from
 * elsewhere, no eval, no inline scripts; styles may be inline because Vuetify sets them.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
