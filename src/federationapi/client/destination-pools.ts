/**
 * Per-destination state of the federation client: the cached resolution (reused for a few
 * minutes so a busy destination does not cost a DNS round trip per request) and a bounded
 * keep-alive pool whose connector is tied to the resolved, checked addresses. When a new
 * resolution points elsewhere the old pool is closed and a new one opened; the least recently
 * used destination is dropped beyond the bound.
 */
import type { Dispatcher } from 'undici';
import { loadUndici } from '../../internal/rpc/rpc-dispatcher.js';
import { createGuardedConnector, type TlsSettings } from './guarded-connector.js';
import type { NetworkGuard } from '../../internal/net/network-guard.js';
import type { ResolvedServer } from './resolve-server.js';

/** Options of {@link createDestinationPools}. */
export interface DestinationPoolsOptions {
  readonly resolve: (destination: string) => Promise<ResolvedServer>;
  readonly guard: NetworkGuard;
  readonly tls: TlsSettings;
  readonly connectionsPerDestination: number;
  readonly maxDestinations: number;
  /** How long a resolution is reused (ms); 0 resolves every time. */
  readonly resolutionTtlMs: number;
}

/** Resolutions and pools by destination. */
export interface DestinationPools {
  /** The (cached) resolution of `destination`; failures are not cached here. */
  resolve(destination: string): Promise<ResolvedServer>;
  /** The pool connecting to `resolved`, reused while the resolution is unchanged. */
  poolFor(destination: string, resolved: ResolvedServer): Dispatcher;
  /** Closes every pool and forgets every resolution. */
  close(): Promise<void>;
}

interface PoolEntry {
  readonly pool: Dispatcher;
  readonly fingerprint: string;
}

const closeQuietly = (d: Dispatcher): void => void d.close().catch(() => undefined);

/** Builds the per-destination state. */
export function createDestinationPools(opts: DestinationPoolsOptions): DestinationPools {
  const resolutions = new Map<string, { readonly value: Promise<ResolvedServer>; readonly expiresAt: number }>();
  const pools = new Map<string, PoolEntry>();

  // Map order is insertion order: re-inserting on use keeps the least recently used first.
  const remember = <V>(map: Map<string, V>, key: string, value: V, onEvict?: (v: V) => void): void => {
    map.delete(key);
    if (map.size >= opts.maxDestinations) {
      const oldest = map.entries().next();
      if (!oldest.done) {
        map.delete(oldest.value[0]);
        onEvict?.(oldest.value[1]);
      }
    }
    map.set(key, value);
  };

  return {
    resolve(destination) {
      const hit = resolutions.get(destination);
      if (hit && hit.expiresAt > Date.now()) return hit.value;
      const value = opts.resolve(destination);
      // Failures are not kept: the well-known cache already remembers those worth remembering.
      value.catch(() => {
        if (resolutions.get(destination)?.value === value) resolutions.delete(destination);
      });
      if (opts.resolutionTtlMs > 0) remember(resolutions, destination, { value, expiresAt: Date.now() + opts.resolutionTtlMs });
      return value;
    },

    poolFor(destination, resolved) {
      const target = { addresses: resolved.addresses, servername: resolved.tlsServername };
      const fingerprint = JSON.stringify(target);
      const existing = pools.get(destination);
      if (existing?.fingerprint === fingerprint) {
        remember(pools, destination, existing);
        return existing.pool;
      }
      if (existing) closeQuietly(existing.pool);
      const pool = new (loadUndici().Pool)(`https://${resolved.hostHeader}`, {
        connections: opts.connectionsPerDestination,
        connect: createGuardedConnector(target, opts.guard, opts.tls, 10_000),
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
      });
      remember(pools, destination, { pool, fingerprint }, (evicted) => closeQuietly(evicted.pool));
      return pool;
    },

    async close() {
      const all = [...pools.values()];
      pools.clear();
      resolutions.clear();
      await Promise.all(all.map((p) => p.pool.close().catch(() => undefined)));
    },
  };
}
