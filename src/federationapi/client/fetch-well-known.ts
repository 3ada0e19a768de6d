/**
 * Step 3 of server discovery: `GET https://<hostname>/.well-known/matrix/server`, following
 * redirects (HTTPS only, without loops), with normal certificate verification and the same
 * network guard as every other outbound connection. The outcome carries how long it may be
 * cached; {@link createWellKnownCache} does the caching.
 */
import { isIP } from 'node:net';
import { loadUndici } from '../../internal/rpc/rpc-dispatcher.js';
import { isJsonObject } from '../../matrix/json.js';
import { parseServerName } from '../../matrix/ids/server-name.js';
import { createGuardedConnector, type TlsSettings } from './guarded-connector.js';
import { lookupAddresses, type DnsResolver } from './lookup-addresses.js';
import type { NetworkGuard } from '../../internal/net/network-guard.js';
import { sendHttpRequest, type HttpResponse } from './send-http-request.js';

/**
 * What a well-known lookup found: a delegated server name; a response that is not a valid
 * delegation (`invalid`: 404, bad JSON, no `m.server` …); or no response at all (`unreachable`).
 * Only `ok` carries a lifetime from the response's cache headers; failures are timed by the cache.
 */
export type WellKnownResult =
  | { readonly kind: 'ok'; readonly server: string; readonly ttlMs: number }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly reason: string };

/** Fetches the well-known delegation of one hostname. */
export type WellKnownFetcher = (hostname: string) => Promise<WellKnownResult>;

/** Dependencies and limits of {@link createWellKnownFetcher}. */
export interface WellKnownFetcherOptions {
  readonly dns: DnsResolver;
  readonly guard: NetworkGuard;
  readonly tls: TlsSettings;
  /** The port of the first request; 443 per RFC 8615. Only tests change it. */
  readonly port?: number;
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** The current time (ms), for `Expires` headers. */
  readonly now?: () => number;
}

/** Synapse uses the same bound: a delegation document is a few dozen bytes. */
const MAX_BODY_BYTES = 50 * 1024;
const MAX_REDIRECTS = 5;
const HOUR = 3_600_000;
/** The spec's recommended default lifetime. */
export const WELL_KNOWN_DEFAULT_TTL_MS = 24 * HOUR;
/** The spec's recommended maximum lifetime. */
export const WELL_KNOWN_MAX_TTL_MS = 48 * HOUR;
/** A floor, so a server answering `max-age=0` is not asked again before every request. */
export const WELL_KNOWN_MIN_TTL_MS = 5 * 60_000;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * How long a successful response may be cached: `Cache-Control: max-age` first, then `Expires`
 * (relative to `Date` when present), else the 24 h default; always within [5 min, 48 h].
 */
export function wellKnownTtlMs(headers: Headers, now: number): number {
  const clamp = (ms: number): number => Math.min(WELL_KNOWN_MAX_TTL_MS, Math.max(WELL_KNOWN_MIN_TTL_MS, ms));
  const cacheControl = (header(headers, 'cache-control') ?? '').toLowerCase();
  if (/(^|[\s,])(no-store|no-cache)([\s,=]|$)/.test(cacheControl)) return WELL_KNOWN_MIN_TTL_MS;
  const maxAge = /(?:^|[\s,])max-age\s*=\s*"?(\d+)/.exec(cacheControl);
  if (maxAge) return clamp(Number(maxAge[1]) * 1000);
  const expires = Date.parse(header(headers, 'expires') ?? '');
  if (!Number.isNaN(expires)) {
    const date = Date.parse(header(headers, 'date') ?? '');
    return clamp(expires - (Number.isNaN(date) ? now : date));
  }
  return WELL_KNOWN_DEFAULT_TTL_MS;
}

/**
 * The delegated server name in a well-known body, or why there is none. The body is parsed as
 * JSON whatever its `Content-Type` (the spec says to assume JSON).
 */
export function parseWellKnownBody(body: Buffer): { server: string } | { reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { reason: 'the body is not JSON' };
  }
  if (!isJsonObject(parsed)) return { reason: 'the body is not a JSON object' };
  const server = parsed['m.server'];
  if (typeof server !== 'string') return { reason: 'm.server is missing or not a string' };
  const name = parseServerName(server);
  return name.ok ? { server } : { reason: `m.server "${server}" is not a server name: ${name.reason}` };
}

async function getOnce(url: URL, opts: WellKnownFetcherOptions, timeoutMs: number): Promise<HttpResponse> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? 443 : Number(url.port);
  const ips = await lookupAddresses(opts.dns, host);
  const target = { addresses: ips.map((address) => ({ address, port })), servername: isIP(host) === 0 ? host : undefined };
  const client = new (loadUndici().Client)(url.origin, { connect: createGuardedConnector(target, opts.guard, opts.tls, timeoutMs) });
  try {
    const headers: Record<string, string> = { host: url.host, accept: 'application/json' };
    if (opts.userAgent !== undefined) headers['user-agent'] = opts.userAgent;
    return await sendHttpRequest(client, { method: 'GET', path: url.pathname + url.search, headers }, { destination: host, timeoutMs, maxBytes: MAX_BODY_BYTES });
  } finally {
    client.destroy().catch(() => undefined);
  }
}

/** Builds the fetcher; each call resolves, connects and follows redirects afresh. */
export function createWellKnownFetcher(opts: WellKnownFetcherOptions): WellKnownFetcher {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? Date.now;
  return async (hostname) => {
    const portPart = opts.port === undefined || opts.port === 443 ? '' : `:${opts.port}`;
    let url = new URL(`https://${hostname}${portPart}/.well-known/matrix/server`);
    const seen = new Set<string>();
    for (let hop = 0; ; hop++) {
      seen.add(url.href);
      let res: HttpResponse;
      try {
        res = await getOnce(url, opts, timeoutMs);
      } catch (e) {
        return { kind: 'unreachable', reason: (e as Error).message };
      }
      const location = header(res.headers, 'location');
      if (res.status >= 300 && res.status < 400 && location !== undefined) {
        const next = new URL(location, url);
        if (next.protocol !== 'https:') return { kind: 'invalid', reason: `redirect to non-HTTPS ${next.href}` };
        if (seen.has(next.href)) return { kind: 'invalid', reason: `redirect loop at ${next.href}` };
        if (hop + 1 > MAX_REDIRECTS) return { kind: 'invalid', reason: `more than ${MAX_REDIRECTS} redirects` };
        url = next;
        continue;
      }
      if (res.status !== 200) return { kind: 'invalid', reason: `HTTP ${res.status}` };
      const parsed = parseWellKnownBody(res.body);
      if ('reason' in parsed) return { kind: 'invalid', reason: parsed.reason };
      return { kind: 'ok', server: parsed.server, ttlMs: wellKnownTtlMs(res.headers, now()) };
    }
  };
}
