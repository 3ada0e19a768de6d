/**
 * The key ring: the public keys of other servers, for checking their signatures. A lookup looks
 * in memory (a bounded LRU), then in the database, then on the network (the server itself, then
 * the trusted notaries); our own keys are answered locally. Network trips are coalesced per
 * server and spaced out by {@link createFetchBackoff}, so a burst of events from one server
 * fetches once and a dead server is not hammered.
 */
import type { Logger } from 'pino';
import { isValidServerName } from '../../matrix/ids/server-name.js';
import type { JsonObject } from '../../matrix/json.js';
import type { ServerKeys } from '../../matrix/server-keys.js';
import { boundedCache } from '../../internal/util/bounded-cache.js';
import type { FederationStorage, StoredServerKey } from '../storage/index.js';
import { createFetchBackoff, DEFAULT_BACKOFF, type BackoffPolicy } from './fetch-backoff.js';
import { fetchRemoteKeys } from './fetch-remote-keys.js';
import type { KeyTransport } from './key-transport.js';
import { keySatisfies, keyValidity, type KeyRequirement, type KeyValidity } from './key-validity.js';
import { buildOurServerKeys, ourServerKey, type OurKeys } from './our-server-keys.js';
import { createSingleFlight } from './single-flight.js';
import type { TrustedKeyServer } from './trusted-key-servers.js';

/** What {@link createKeyRing} needs. */
export interface KeyRingOptions {
  readonly storage: FederationStorage;
  readonly transport: KeyTransport;
  /** Our server name: its keys come from `ourKeys`, never from storage or the network. */
  readonly serverName: string;
  readonly ourKeys: OurKeys;
  /** Notaries asked when a server cannot be reached directly (none by default). */
  readonly trustedKeyServers?: readonly TrustedKeyServer[];
  /** The clock (ms since the epoch); tests move it. */
  readonly now?: () => number;
  /** Keys kept in memory (default 10 000). */
  readonly cacheSize?: number;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly logger?: Logger;
}

/** What a caller needs of a key; see {@link KeyRequirement}. */
export interface VerifyKeyOptions {
  /** When the signature was made (an event's `origin_server_ts`); omit for a request signed now. */
  readonly atTs?: number;
  /**
   * The key must be usable until at least this time; a stored key that is not is refetched.
   * Default: `atTs`, or now. Pass 0 for events of room versions 1–4
   * (`keyRequirementForEvent` does this).
   */
  readonly minimumValidUntilTs?: number;
}

/** A key found for a lookup. */
export interface VerifiedServerKey extends KeyValidity {
  readonly serverName: string;
  readonly keyId: string;
  /** Unpadded base64 public key, for `verifyJsonSignature` and friends. */
  readonly publicKey: string;
}

/** Why a lookup failed. */
export type KeyFailureKind =
  /** The server answered (recently) but does not publish this key. */
  | 'not_found'
  /** We know the key, but it is not valid for the requirement (expired, or old and no `atTs`). */
  | 'expired'
  /** Neither the server nor a notary gave a usable answer (or it failed recently: backing off). */
  | 'unreachable';

/** The outcome of {@link KeyRing.verifyKey}. */
export type VerifyKeyResult =
  | { readonly ok: true; readonly key: VerifiedServerKey }
  | { readonly ok: false; readonly kind: KeyFailureKind; readonly reason: string };

/** The key ring. */
export interface KeyRing {
  /** The public key `keyId` of `serverName`, valid for the requirement, or why not. */
  verifyKey(serverName: string, keyId: string, opts?: VerifyKeyOptions): Promise<VerifyKeyResult>;
  /**
   * For the notary routes: the server's key responses, as the origin signed them (our own
   * freshly built), fetched directly from it when none stored is valid until
   * `minimumValidUntilTs`. If it cannot be reached, the stored ones anyway (the spec asks
   * notaries to keep serving them so old events still verify); empty when there are none.
   */
  serverKeysForNotary(serverName: string, minimumValidUntilTs: number): Promise<JsonObject[]>;
}

type FetchOutcome = 'fetched' | 'failed' | 'skipped';

/** Builds a key ring. */
export function createKeyRing(opts: KeyRingOptions): KeyRing {
  const now = opts.now ?? Date.now;
  const cache = boundedCache<string, StoredServerKey>(opts.cacheSize ?? 10_000);
  const backoff = createFetchBackoff({ ...DEFAULT_BACKOFF, ...opts.backoff });
  const flights = createSingleFlight<FetchOutcome>();
  const fetchDeps = {
    storage: opts.storage,
    transport: opts.transport,
    trustedKeyServers: opts.trustedKeyServers ?? [],
    now,
    logger: opts.logger,
  };

  /** One network trip per server at a time, and none while backing off. */
  const refresh = (serverName: string, minimumValidUntilTs: number, useNotaries: boolean, isEnough?: (k: ServerKeys) => boolean) =>
    flights.run(`${useNotaries ? 'all' : 'direct'}\u0000${serverName}`, async (): Promise<FetchOutcome> => {
      const gate = backoff.check(serverName, now());
      if (!gate.allowed) return gate.lastFailed ? 'failed' : 'skipped';
      const got = await fetchRemoteKeys(fetchDeps, { serverName, minimumValidUntilTs, useNotaries, isEnough });
      if (got) backoff.succeeded(serverName, now());
      else backoff.failed(serverName, now());
      return got ? 'fetched' : 'failed';
    });

  const stored = async (serverName: string, keyId: string, fresh: boolean): Promise<StoredServerKey | undefined> => {
    const cacheKey = `${serverName}\u0000${keyId}`;
    const hit = fresh ? undefined : cache.get(cacheKey);
    if (hit) return hit;
    const row = await opts.storage.getServerKey(serverName, keyId);
    if (row) cache.set(cacheKey, row);
    else cache.delete(cacheKey);
    return row;
  };

  return {
    async verifyKey(serverName, keyId, o = {}) {
      const t = now();
      const req: KeyRequirement = { atTs: o.atTs, minimumValidUntilTs: o.minimumValidUntilTs ?? o.atTs ?? t };
      if (serverName === opts.serverName) {
        const mine = ourServerKey(serverName, opts.ourKeys, keyId, t);
        return mine ? judge(mine, req, 'expired', `our ${keyId} is not valid for this`) : fail('not_found', `we have no key ${keyId}`);
      }
      // Never let a name from a signature or a URL reach the network unchecked.
      if (!isValidServerName(serverName)) return fail('not_found', `${JSON.stringify(serverName)} is not a server name`);
      const known = await stored(serverName, keyId, false);
      if (known && keySatisfies(validityOf(known), req)) return found(known);
      const isEnough = (k: ServerKeys) => {
        const listed = k.verifyKeys.has(keyId) || k.oldVerifyKeys.has(keyId);
        return listed && keySatisfies(validityOf({ ...fromResponse(k, keyId), fetchedAt: now() }), req);
      };
      const outcome = await refresh(serverName, req.minimumValidUntilTs, true, isEnough);
      const after = await stored(serverName, keyId, true);
      if (after) return judge(after, req, 'expired', `${serverName} ${keyId} is not valid until ${req.minimumValidUntilTs}`);
      if (outcome === 'failed') return fail('unreachable', `no usable answer for ${serverName}'s keys (recently failed or unreachable)`);
      return fail('not_found', `${serverName} does not publish ${keyId}`);
    },

    async serverKeysForNotary(serverName, minimumValidUntilTs) {
      if (serverName === opts.serverName) return [buildOurServerKeys(serverName, opts.ourKeys, now())];
      if (!isValidServerName(serverName)) return [];
      let responses = await opts.storage.getServerKeysResponses(serverName);
      if (!responses.some((r) => r.validUntilTs >= minimumValidUntilTs)) {
        const outcome = await refresh(serverName, minimumValidUntilTs, false);
        if (outcome === 'fetched') responses = await opts.storage.getServerKeysResponses(serverName);
      }
      return responses.map((r) => r.json);
    },
  };
}

function validityOf(k: Pick<StoredServerKey, 'validUntilTs' | 'fetchedAt' | 'expiredTs'>): KeyValidity {
  return keyValidity(k.validUntilTs, k.fetchedAt, k.expiredTs);
}

/** The validity fields a response gives one of its keys (current wins over old). */
function fromResponse(k: ServerKeys, keyId: string): { validUntilTs: number; expiredTs: number | undefined } {
  const old = k.verifyKeys.has(keyId) ? undefined : k.oldVerifyKeys.get(keyId);
  return { validUntilTs: k.validUntilTs, expiredTs: old?.expiredTs };
}

function found(k: StoredServerKey): VerifyKeyResult {
  return { ok: true, key: { serverName: k.serverName, keyId: k.keyId, publicKey: k.publicKey, ...validityOf(k) } };
}

function fail(kind: KeyFailureKind, reason: string): VerifyKeyResult {
  return { ok: false, kind, reason };
}

function judge(k: StoredServerKey | undefined, req: KeyRequirement, kind: KeyFailureKind, reason: string): VerifyKeyResult {
  return k && keySatisfies(validityOf(k), req) ? found(k) : fail(kind, reason);
}
