/**
 * Connection pools for internal API clients: one keep-alive pool per peer origin, shared by every
 * client of every component living there, so a busy polylith reuses warm sockets instead of
 * opening one per call.
 */
import { createRequire } from 'node:module';
import type * as UndiciModule from 'undici';
import type { Dispatcher, Pool } from 'undici';

type Undici = typeof UndiciModule;
let undici: Undici | undefined;

/**
 * The HTTP client library, loaded on first use: a monolith makes no internal calls and need not
 * carry it (about 20 MB of resident memory).
 */
export function loadUndici(): Undici {
  return (undici ??= createRequire(import.meta.url)('undici') as Undici);
}

const pools = new Map<string, Pool>();

/**
 * Sockets per peer: enough for a busy peer, few enough that a stuck one cannot exhaust ephemeral
 * ports (calls beyond it wait for a socket, within their own deadline).
 */
const MAX_CONNECTIONS = 128;

/** The shared pool for `origin` (`http://host:port`), created on first use. */
export function sharedRpcDispatcher(origin: string): Dispatcher {
  let pool = pools.get(origin);
  if (!pool || pool.closed || pool.destroyed) {
    pool = new (loadUndici().Pool)(origin, {
      connections: MAX_CONNECTIONS,
      // Idle sockets are closed before the server's keep-alive (Fastify: 72 s) would close them,
      // so a reused socket is rarely reset under a request.
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      // The client's own per-call deadline governs; undici's 300 s defaults would cap long methods.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    pools.set(origin, pool);
  }
  return pool;
}

/** Closes every shared pool (process shutdown); later calls open new ones. */
export async function closeRpcDispatchers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}
