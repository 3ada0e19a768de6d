/**
 * A small LRU of access-token owners, keyed by token hash: token lookup runs on every
 * authenticated request, and most requests come from a few busy clients.
 *
 * Entries live at most `ttlMs` (10 s by default). This process drops entries itself on logout,
 * device deletion, deactivation and password change, and when an account is locked, unlocked,
 * suspended or unsuspended (the owner carries those flags); but in a polylith another process
 * running the userapi, or an admin tool writing the database, can revoke a token or lock an
 * account behind this cache's back, so a revoked token (or a stale flag) may last here for up to
 * `ttlMs`. Keep the TTL short.
 */
import type { TokenOwner } from '../api.js';

export interface CachedToken {
  readonly owner: TokenOwner;
  /** When the token itself expires (refreshable sessions), else null. */
  readonly expiresTs: number | null;
}

interface Entry extends CachedToken {
  readonly cachedAt: number;
}

export interface AccessTokenCache {
  get(tokenHash: string, now: number): CachedToken | undefined;
  set(tokenHash: string, value: CachedToken, now: number): void;
  /** Drops the user's entries: all of them, or those of the given devices. */
  forgetUser(userId: string, deviceIds?: readonly string[]): void;
  readonly size: number;
}

export interface AccessTokenCacheOptions {
  readonly maxEntries?: number;
  readonly ttlMs?: number;
}

export function createAccessTokenCache(opts: AccessTokenCacheOptions = {}): AccessTokenCache {
  const maxEntries = opts.maxEntries ?? 10_000;
  const ttlMs = opts.ttlMs ?? 10_000;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recent.
  const entries = new Map<string, Entry>();
  return {
    get(tokenHash, now) {
      const e = entries.get(tokenHash);
      if (!e) return undefined;
      entries.delete(tokenHash);
      if (now - e.cachedAt >= ttlMs) return undefined;
      entries.set(tokenHash, e);
      return e;
    },
    set(tokenHash, value, now) {
      if (maxEntries <= 0) return;
      entries.delete(tokenHash);
      entries.set(tokenHash, { ...value, cachedAt: now });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    forgetUser(userId, deviceIds) {
      const devices = deviceIds && new Set(deviceIds);
      // Revocations are rare next to lookups, so a scan of a bounded map is fine here.
      for (const [hash, e] of entries) {
        if (e.owner.userId === userId && (!devices || devices.has(e.owner.deviceId))) entries.delete(hash);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
