/**
 * The cache the spec asks for in front of `/.well-known/matrix/server`: successful answers live
 * as long as their cache headers say (see `wellKnownTtlMs`); an invalid answer (the common 404 of
 * a server that does not delegate) for an hour; an unreachable host for 2 minutes, doubling with
 * each consecutive failure up to an hour, so a dead host is not hammered but a blip heals fast.
 * Concurrent lookups of one hostname share one fetch. The map is bounded.
 */
import type { WellKnownFetcher, WellKnownResult } from './fetch-well-known.js';

/** A cached view of the well-known delegation. */
export interface WellKnownCache {
  /** The delegated server name of `hostname`, or `undefined` if it has no (usable) delegation. */
  lookup(hostname: string): Promise<string | undefined>;
  /** Forgets everything (tests, config reload). */
  clear(): void;
}

/** Options of {@link createWellKnownCache}. */
export interface WellKnownCacheOptions {
  readonly fetch: WellKnownFetcher;
  readonly now?: () => number;
  /** Hostnames remembered at most (oldest evicted first). */
  readonly maxEntries?: number;
}

interface Entry {
  readonly server: string | undefined;
  readonly expiresAt: number;
  /** Consecutive `unreachable` outcomes, for the backoff. */
  readonly failures: number;
}

const MINUTE = 60_000;
/** How long an invalid response is believed. */
export const WELL_KNOWN_INVALID_TTL_MS = 60 * MINUTE;
/** The first wait after an unreachable host; doubled per consecutive failure. */
export const WELL_KNOWN_UNREACHABLE_BASE_MS = 2 * MINUTE;
/** The longest wait after failures. */
export const WELL_KNOWN_UNREACHABLE_MAX_MS = 60 * MINUTE;

function nextEntry(result: WellKnownResult, previous: Entry | undefined, now: number): Entry {
  switch (result.kind) {
    case 'ok':
      return { server: result.server, expiresAt: now + result.ttlMs, failures: 0 };
    case 'invalid':
      return { server: undefined, expiresAt: now + WELL_KNOWN_INVALID_TTL_MS, failures: 0 };
    case 'unreachable': {
      const failures = (previous?.failures ?? 0) + 1;
      const wait = Math.min(WELL_KNOWN_UNREACHABLE_MAX_MS, WELL_KNOWN_UNREACHABLE_BASE_MS * 2 ** (failures - 1));
      return { server: undefined, expiresAt: now + wait, failures };
    }
  }
}

/** Builds a cache over `opts.fetch`. */
export function createWellKnownCache(opts: WellKnownCacheOptions): WellKnownCache {
  const now = opts.now ?? Date.now;
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<string | undefined>>();

  const refresh = async (hostname: string, previous: Entry | undefined): Promise<string | undefined> => {
    const entry = nextEntry(await opts.fetch(hostname), previous, now());
    entries.delete(hostname);
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(hostname, entry);
    return entry.server;
  };

  return {
    lookup(hostname) {
      const hit = entries.get(hostname);
      if (hit && hit.expiresAt > now()) return Promise.resolve(hit.server);
      let pending = inflight.get(hostname);
      if (!pending) {
        pending = refresh(hostname, hit).finally(() => inflight.delete(hostname));
        inflight.set(hostname, pending);
      }
      return pending;
    },
    clear() {
      entries.clear();
    },
  };
}
