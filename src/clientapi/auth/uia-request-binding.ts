/**
 * Ties a UIA session to the request that started it. The spec has the client resubmit "the same
 * request" with an `auth` dict; checking that it did stops a session authorised for one
 * operation (delete device A) from being spent on another (delete device B, or another user's
 * request). The body is compared by hash without its `auth` key.
 *
 * One leniency: clients commonly probe `/register` with `{}` to learn the flows and then send
 * the real body under the same session, so a session started by an empty body is bound to the
 * first non-empty body it sees.
 */
import { createHash } from 'node:crypto';
import { isJsonObject } from '../../matrix/json.js';

/** What a session is bound to. */
export interface RequestBinding {
  readonly method: string;
  /** The path without the query string. */
  readonly uri: string;
  /** SHA-256 of the body without `auth`, keys sorted. */
  readonly bodyHash: string;
  /** The authenticated user, or '' for unauthenticated endpoints (registration). */
  readonly userId: string;
}

/** Hash of the empty body, which marks a probing first request. */
export const EMPTY_BODY_HASH = hashBody({});

/** The binding of the current request. */
export function requestBinding(method: string, url: string, body: unknown, userId: string): RequestBinding {
  const uri = url.split('?')[0] ?? url;
  const rest = isJsonObject(body) ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'auth')) : {};
  return { method, uri, bodyHash: hashBody(rest), userId };
}

/** Reads a binding stored in session params, or undefined when absent or malformed. */
export function storedBinding(v: unknown): RequestBinding | undefined {
  if (!isJsonObject(v)) return undefined;
  const { method, uri, bodyHash, userId } = v;
  if (typeof method !== 'string' || typeof uri !== 'string' || typeof bodyHash !== 'string' || typeof userId !== 'string') {
    return undefined;
  }
  return { method, uri, bodyHash, userId };
}

/**
 * Compares the current request with the stored binding: `same`, `rebind` (the session began
 * with an empty probe and now sees the real body), or `changed`.
 */
export function compareBinding(stored: RequestBinding, current: RequestBinding): 'same' | 'rebind' | 'changed' {
  if (stored.method !== current.method || stored.uri !== current.uri || stored.userId !== current.userId) return 'changed';
  if (stored.bodyHash === current.bodyHash) return 'same';
  return stored.bodyHash === EMPTY_BODY_HASH ? 'rebind' : 'changed';
}

function hashBody(body: unknown): string {
  return createHash('sha256').update(stableStringify(body)).digest('hex');
}

/** JSON with object keys sorted at every level, so key order does not change the hash. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isJsonObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
