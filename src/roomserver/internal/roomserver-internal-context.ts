/**
 * What every roomserver operation works with: storage, this server's identity and key, the
 * verify-key lookup for other servers, the clock, the per-room queue and the cache of parsed
 * events. Built once by `createRoomserverInternalAPI`; operations take it as first argument.
 */
import type { Logger } from 'pino';
import type { SigningKey } from '../../matrix/signing-key.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { BoundedCache } from '../../internal/util/bounded-cache.js';
import type { RoomserverStorage } from '../storage/index.js';
import type { RoomserverFederationAPI } from '../../federationapi/api.js';
import type { RoomQueue } from './room-queue.js';

/**
 * The public key (unpadded base64) of `serverName`'s key `keyId`, or undefined when unknown or
 * not valid for `at` (when the signature was made, and until when the key must be valid: the
 * room version's key-validity rule). The federationapi's key ring in a server; tests pass a
 * fixed table.
 */
export type VerifyKeyLookup = (serverName: string, keyId: string, at?: { readonly atTs: number; readonly minimumValidUntilTs: number }) => Promise<string | undefined>;

/** A stored event, parsed, with the flags the input pipeline needs. */
export interface LoadedEvent {
  readonly event: RoomEvent;
  readonly rejected: boolean;
  /** Stored without state: cannot serve as a prev event's state. */
  readonly outlier: boolean;
}

export interface RoomserverInternalContext {
  readonly storage: RoomserverStorage;
  /** This server's name: the origin of local events and the signer of what we build. */
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly verifyKeys: VerifyKeyLookup;
  /** The clock (ms since the epoch) for `origin_server_ts`. */
  readonly now: () => number;
  readonly queue: RoomQueue;
  /**
   * Parsed events by ID. Only this roomserver writes its tables, and every write here updates
   * the cache (a stored event, an outlier upgraded, a redaction applied), so entries stay true.
   */
  readonly events: BoundedCache<string, LoadedEvent>;
  /**
   * Publishes what the last writes queued in the outbox. A failure is logged, not thrown: the
   * event is committed and its message stays queued for the next flush or the next start.
   */
  flushOutbox(): Promise<void>;
  readonly logger: Logger | undefined;
  /**
   * The federationapi, for what needs another server (remote joins, invites of remote users,
   * leaving rooms known only from an invite); undefined when this deployment has none.
   */
  federation(): RoomserverFederationAPI | undefined;
}
