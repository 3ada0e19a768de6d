/**
 * The generated HTTP client of a component's internal API: one function per entry of the method
 * table, each POSTing the request as JSON and rebuilding the answer or the error. See
 * `rpc-protocol.ts` for the wire format and `rpc-error-codec.ts` for errors.
 */
import type { Dispatcher } from 'undici';
import { assertJsonSafe, jsonSafetyChecksByDefault } from './assert-json-safe.js';
import { decodeRpcError, type RpcCallSite } from './rpc-error-codec.js';
import { loadUndici, sharedRpcDispatcher } from './rpc-dispatcher.js';
import { SHARED_SECRET_HEADER, rpcMethodNames, rpcPath, type RpcApi, type RpcMethods } from './rpc-protocol.js';
import { RpcRemoteError } from './rpc-remote-error.js';
import { RpcUnavailableError } from './rpc-unavailable-error.js';

export interface RpcClientOptions<T> {
  /** Where the component's internal listener is, e.g. `http://10.0.0.2:8009` (`components.<name>.internal_url`). */
  readonly baseUrl: string;
  /** `listen.internal.shared_secret` of the peer, when it has one. */
  readonly sharedSecret?: string;
  /** Deadline of a whole call, connection to last byte (`listen.internal.timeout_ms`). */
  readonly timeoutMs: number;
  /** Longer or shorter deadlines for particular methods (a federated join takes minutes). */
  readonly methodTimeoutsMs?: Readonly<Partial<Record<keyof T, number>>>;
  /** The connection pool to use; by default one shared keep-alive pool per origin. */
  readonly dispatcher?: Dispatcher;
  /** Assert requests JSON-safe before sending; defaults to on under the test runner (AXON_RPC_CHECKS=1). */
  readonly checkJsonSafety?: boolean;
}

interface Target extends RpcCallSite {
  readonly url: string;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly dispatcher: Dispatcher;
  readonly check: boolean;
}

/**
 * The HTTP client for a component's internal API.
 *
 * @example
 * const rs = createRpcClient<ClientRoomserverAPI>('roomserver', ClientRoomserverAPIMethods, {
 *   baseUrl: config.components.roomserver.internal_url, timeoutMs: config.listen.internal.timeout_ms,
 * });
 */
export function createRpcClient<T extends RpcApi<T>>(component: string, methods: RpcMethods<T>, opts: RpcClientOptions<T>): T {
  const base = new URL(opts.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`internal API base URL must be http(s): ${opts.baseUrl}`);
  }
  const prefix = base.origin + base.pathname.replace(/\/+$/, '');
  const dispatcher = opts.dispatcher ?? sharedRpcDispatcher(base.origin);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.sharedSecret !== undefined) headers[SHARED_SECRET_HEADER] = opts.sharedSecret;
  const check = opts.checkJsonSafety ?? jsonSafetyChecksByDefault();
  const perMethod = (opts.methodTimeoutsMs ?? {}) as Partial<Record<string, number>>;

  const api: Record<string, (req: unknown) => Promise<unknown>> = {};
  for (const method of rpcMethodNames(component, methods)) {
    const timeoutMs = perMethod[method] ?? opts.timeoutMs;
    if (!(timeoutMs > 0)) throw new Error(`internal API timeout for ${component}.${method} must be positive`);
    const target: Target = { component, method, url: prefix + rpcPath(component, method), timeoutMs, headers, dispatcher, check };
    api[method] = (req) => callRemote(target, req);
  }
  return Object.freeze(api) as unknown as T;
}

async function callRemote(t: Target, req: unknown): Promise<unknown> {
  if (t.check) assertJsonSafe(req, `${t.component}.${t.method} request`);
  // Outside the try: a request that cannot be serialised is the caller's bug, not unavailability.
  const body = JSON.stringify(req);
  const signal = AbortSignal.timeout(t.timeoutMs);
  let status: number;
  let text: string;
  try {
    const res = await loadUndici().request(t.url, { method: 'POST', headers: t.headers, body, dispatcher: t.dispatcher, signal });
    status = res.statusCode;
    text = await res.body.text();
  } catch (e) {
    const reason = signal.aborted ? 'timeout' : 'network';
    const detail = reason === 'timeout' ? `no answer within ${t.timeoutMs} ms` : describeNetworkError(e);
    throw new RpcUnavailableError(t.component, t.method, reason, detail, e);
  }
  return readAnswer(t, status, text);
}

function readAnswer(t: RpcCallSite, status: number, text: string): unknown {
  if (status === 204) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status === 200) {
    if (text === '' || body === undefined) throw new RpcRemoteError('answer is not JSON', { ...t, origin: 'transport', status });
    return body;
  }
  const rebuilt = decodeRpcError(body, t);
  if (rebuilt) throw rebuilt;
  // Not from the method: the listener, a proxy, or a server shutting down answered.
  if (status === 502 || status === 503 || status === 504) {
    throw new RpcUnavailableError(t.component, t.method, 'unavailable', `HTTP ${status}`);
  }
  const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errcode = typeof o.errcode === 'string' ? o.errcode : undefined;
  const message = typeof o.error === 'string' ? o.error : `HTTP ${status}`;
  throw new RpcRemoteError(message, { ...t, origin: 'transport', status, errcode });
}

function describeNetworkError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
}
