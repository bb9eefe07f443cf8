import superjson from 'superjson';

/**
 * Shared by the fuzz and authorisation tests: calling any procedure by its path over HTTP,
 * as the tRPC client would (superjson on the wire), and reading back the typed error.
 */
export type Caller = { token?: string; apiKey?: string };
export type Answer = { ok: true; status: number } | { ok: false; status: number; code: string; engineCode: string | null; message: string };

export async function callPath(baseUrl: string, path: string, type: 'query' | 'mutation', input: unknown, caller: Caller): Promise<Answer> {
  const headers: Record<string, string> = {
    ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
    ...(caller.apiKey ? { 'x-api-key': caller.apiKey } : {}),
  };
  const body = input === undefined ? undefined : wire(input);
  const res = type === 'query'
    ? await fetch(`${baseUrl}/trpc/${path}${body === undefined ? '' : `?input=${encodeURIComponent(body)}`}`, { headers })
    : await fetch(`${baseUrl}/trpc/${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: body ?? '' });
  const text = await res.text();
  let json: { error?: { json?: { message?: string; data?: { code?: string; engineCode?: string | null } } } } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // Not tRPC's answer: the HTTP layer refused the request before the router (e.g. 431 for a huge URL).
    return { ok: false, status: res.status, code: `HTTP_${res.status}`, engineCode: null, message: text.slice(0, 200) };
  }
  if (!json.error) return { ok: true, status: res.status };
  const e = json.error.json ?? {};
  return { ok: false, status: res.status, code: e.data?.code ?? 'UNKNOWN', engineCode: e.data?.engineCode ?? null, message: e.message ?? '' };
}

/**
 * superjson's own encoding; where superjson refuses to encode (keys such as `__proto__` or
 * `prototype`), the raw JSON goes anyway: a hostile caller is not bound by our client's checks.
 */
function wire(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/** Every procedure of a tRPC router, by dotted path, with its type. */
export function procedures(router: unknown): { path: string; type: 'query' | 'mutation' | 'subscription' }[] {
  const record = (router as { _def: { procedures: Record<string, { _def: { type: 'query' | 'mutation' | 'subscription' } }> } })._def.procedures;
  return Object.entries(record).map(([path, p]) => ({ path, type: p._def.type })).sort((a, b) => a.path.localeCompare(b.path));
}
