/**
 * The outbound federation HTTP client: resolves a destination (spec "Server discovery"), checks
 * every address against the network policy, connects with verified TLS to the checked address,
 * signs the request (X-Matrix) and returns the parsed JSON. One bounded keep-alive pool per
 * destination; a resolution is reused for a few minutes so busy destinations do not cost a DNS
 * round trip per request.
 */
import { readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import type { Dispatcher } from 'undici';
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import type { SigningKey } from '../../matrix/signing-key.js';
import { FederationRequestError } from './federation-request-error.js';
import { createWellKnownFetcher } from './fetch-well-known.js';
import { createDestinationPools } from './destination-pools.js';
import { tlsSettings } from './guarded-connector.js';
import type { DnsResolver } from './lookup-addresses.js';
import { createNetworkGuard } from '../../internal/net/network-guard.js';
import { interpretResponse } from './interpret-response.js';
import { createKeyRequests, type KeyRequests } from './key-requests.js';
import { resolveServer, type ResolvedServer } from './resolve-server.js';
import { sendHttpRequest, streamHttpRequest, type HttpLimits, type HttpRequest, type StreamedHttpResponse } from './send-http-request.js';
import { signRequest } from './sign-request.js';
import { createWellKnownCache } from './well-known-cache.js';

/** Options of {@link createFederationClient}; the first group mirrors the `federation` config. */
export interface FederationClientOptions {
  /** Our server name (the `origin` of signed requests). */
  readonly serverName: string;
  readonly signingKey: SigningKey;
  /** `federation.tls_verify`: verify remote certificates (default in the config: true). */
  readonly tlsVerify: boolean;
  /** `federation.ca_file`: PEM CAs trusted in addition to Node's store. */
  readonly caFile?: string | undefined;
  /** `federation.allow_networks`: CIDRs reachable even when denied below. */
  readonly allowNetworks: readonly string[];
  /** `federation.deny_networks`: CIDRs never connected to. */
  readonly denyNetworks: readonly string[];
  /** DNS for discovery; by default a resolver using the system's name servers. */
  readonly resolver?: DnsResolver | undefined;
  /** The `User-Agent` header, e.g. `Axon/0.1.0`. */
  readonly userAgent: string;
  /** Default time limit per request (ms); 60 s. */
  readonly timeoutMs?: number;
  /** Default response size limit (bytes); 50 MiB, enough for the state of a large room. */
  readonly maxResponseBytes?: number;
  /** Sockets per destination; 8. */
  readonly maxConnectionsPerDestination?: number;
  /** Destinations with a live pool and a cached resolution; 1024 (least recently used closed first). */
  readonly maxDestinations?: number;
  /** How long a resolution is reused (ms); 5 min. 0 resolves before every request. */
  readonly resolutionTtlMs?: number;
  /** The port of well-known requests; 443 per the spec. Only tests change it. */
  readonly wellKnownPort?: number;
}

/** One request. */
export interface FederationRequest {
  /** The destination's server name (signed as `destination`, resolved for the connection). */
  readonly destination: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path from `/_matrix/…`, already percent-encoded. */
  readonly path: string;
  /** Query parameters; an array repeats its key. */
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  /** The JSON body; POST and PUT send `{}` when absent, as the spec requires a body. */
  readonly body?: JsonValue;
  /** Whether to send the X-Matrix `Authorization` header (default true). */
  readonly signed?: boolean;
  /** Time limit for this request (ms). */
  readonly timeoutMs?: number;
  /** Response size limit for this request (bytes). */
  readonly maxResponseBytes?: number;
}

/** The client. */
export interface FederationClient extends KeyRequests {
  /**
   * Sends a request and returns the parsed JSON of a 2xx response, typed as the caller asserts
   * (the caller validates it: remote data is untrusted).
   * @throws FederationRequestError for every failure, including non-2xx answers.
   */
  request<T = JsonObject>(req: FederationRequest): Promise<T>;
  /**
   * Sends a request and hands the response, whatever its status, to `consume`, which reads the
   * body as it streams in (media downloads). The request's deadline and byte cap cover the body.
   * @throws FederationRequestError for resolution, network, timeout and size failures.
   */
  requestStream<T>(req: FederationRequest, consume: (res: StreamedHttpResponse) => Promise<T>): Promise<T>;
  /** Resolves a destination as requests would (cached), for diagnostics and tests. */
  resolve(destination: string): Promise<ResolvedServer>;
  /** Closes every pool; requests after this fail. */
  close(): Promise<void>;
}

/** The default response size limit: enough for the state of a large room. */
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/** The request target as signed and sent: path plus query string. */
export function requestUri(path: string, query: FederationRequest['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** Builds a client from the `federation` config and our identity. */
export function createFederationClient(opts: FederationClientOptions): FederationClient {
  const dns = opts.resolver ?? new Resolver({ timeout: 5_000, tries: 2 });
  const guard = createNetworkGuard({ allowNetworks: opts.allowNetworks, denyNetworks: opts.denyNetworks });
  const tls = tlsSettings(opts.tlsVerify, opts.caFile === undefined ? undefined : readFileSync(opts.caFile, 'utf8'));
  const wellKnown = createWellKnownCache({
    fetch: createWellKnownFetcher({ dns, guard, tls, port: opts.wellKnownPort, userAgent: opts.userAgent }),
  });
  const destinations = createDestinationPools({
    resolve: (destination) => resolveServer(destination, { dns, wellKnown }),
    guard,
    tls,
    connectionsPerDestination: opts.maxConnectionsPerDestination ?? 8,
    maxDestinations: opts.maxDestinations ?? 1024,
    resolutionTtlMs: opts.resolutionTtlMs ?? 5 * 60_000,
  });
  let closed = false;

  /** Resolves, checks and signs `req`: what to send, where, within which limits. */
  const prepare = async (req: FederationRequest): Promise<{ pool: Dispatcher; http: HttpRequest; limits: HttpLimits }> => {
    const { destination } = req;
    if (closed) throw new FederationRequestError({ destination, kind: 'network', message: 'the federation client is closed' });
    const timeoutMs = req.timeoutMs ?? opts.timeoutMs ?? 60_000;
    const deadline = AbortSignal.timeout(timeoutMs);
    const resolved = await withDeadline(destinations.resolve(destination), deadline, destination, timeoutMs);
    // Checked here as well as in the connector, so a denied destination fails without a pool.
    if (!resolved.addresses.some((a) => guard.isAllowed(a.address))) {
      const list = resolved.addresses.map((a) => a.address).join(', ');
      throw new FederationRequestError({ destination, kind: 'blocked', message: `every address (${list}) is in a denied network` });
    }
    const uri = requestUri(req.path, req.query);
    const content = req.body ?? (req.method === 'POST' || req.method === 'PUT' ? {} : undefined);
    const headers: Record<string, string> = { host: resolved.hostHeader, 'user-agent': opts.userAgent, accept: 'application/json' };
    if (content !== undefined) headers['content-type'] = 'application/json';
    if (req.signed ?? true) {
      headers.authorization = signRequest({ method: req.method, uri, origin: opts.serverName, destination, content }, opts.signingKey);
    }
    return {
      pool: destinations.poolFor(destination, resolved),
      http: { method: req.method, path: uri, headers, body: content === undefined ? undefined : JSON.stringify(content) },
      limits: { destination, timeoutMs, maxBytes: req.maxResponseBytes ?? opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, signal: deadline },
    };
  };

  const request = async <T>(req: FederationRequest): Promise<T> => {
    const { pool, http, limits } = await prepare(req);
    return interpretResponse<T>(await sendHttpRequest(pool, http, limits), req.destination);
  };

  return {
    request,
    async requestStream(req, consume) {
      const { pool, http, limits } = await prepare(req);
      return streamHttpRequest(pool, { ...http, headers: { ...http.headers, accept: '*/*' } }, limits, consume);
    },
    resolve: (destination) => destinations.resolve(destination),
    ...createKeyRequests(request),
    async close() {
      closed = true;
      await destinations.close();
    },
  };
}

async function withDeadline<T>(work: Promise<T>, deadline: AbortSignal, destination: string, timeoutMs: number): Promise<T> {
  let onAbort: (() => void) | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    onAbort = () => reject(new FederationRequestError({ destination, kind: 'timeout', message: `not resolved within ${timeoutMs} ms` }));
    deadline.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([
      work.catch((e: unknown) => {
        throw new FederationRequestError({ destination, kind: 'resolve', message: (e as Error).message, cause: e });
      }),
      timedOut,
    ]);
  } finally {
    if (onAbort) deadline.removeEventListener('abort', onAbort);
  }
}
