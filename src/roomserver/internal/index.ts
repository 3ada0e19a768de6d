/**
 * The roomserver's internal implementation: the operations of this folder bound to one context.
 * In a monolith callers get this object (through `inProcessApi`); in a polylith the inthttp
 * routes serve it.
 */
import type { Logger } from 'pino';
import type { Outbox } from '../../internal/bus/bus.js';
import { DEFAULT_ROOM_VERSION } from '../../matrix/room-version.js';
import type { SigningKey } from '../../matrix/signing-key.js';
import type { RoomserverAPI } from '../api.js';
import { boundedCache } from '../../internal/util/bounded-cache.js';
import type { RoomserverStorage } from '../storage/index.js';
import type { RoomserverRecords } from '../storage/roomserver-records.js';
import { inputRoomEvents } from './input-room-events.js';
import { performCreateRoom } from './perform-create-room.js';
import { performForgetRoom, queryForgottenRooms } from './perform-forget-room.js';
import { performJoin } from './perform-join.js';
import { performKnock } from './perform-knock.js';
import { performMembership } from './perform-membership.js';
import { performRemoveRoomAlias } from './perform-remove-room-alias.js';
import { performReport, queryReports } from './perform-report.js';
import { performSendEvents } from './perform-send-events.js';
import { performSetRoomAlias } from './perform-set-room-alias.js';
import { performSetRoomVisibility } from './perform-set-room-visibility.js';
import { performUpgradeRoom } from './perform-upgrade-room.js';
import { queryEvents } from './query-events.js';
import { queryEventByTimestamp } from './query-event-by-timestamp.js';
import { queryEventVisibility } from './query-event-visibility.js';
import { performLeaveAllRooms } from './perform-leave-all-rooms.js';
import { queryRoomListing } from './query-room-listing.js';
import { queryPublicRoomsSummaries } from './query-public-rooms-summaries.js';
import { queryRoomSummaries } from './query-room-summaries.js';
import { queryJoinedServers, queryMembers, queryMembership, queryRoomsForUser } from './query-membership.js';
import { queryAliasesForRoom, queryRoomAlias } from './query-room-alias.js';
import { queryRoomInfo } from './query-room-info.js';
import { queryRoomVisibility } from './query-room-visibility.js';
import { queryState } from './query-state.js';
import { queryAuthChain } from './query-auth-chain.js';
import { queryBackfill } from './query-backfill.js';
import { queryMissingEvents } from './query-missing-events.js';
import { queryStateBeforeEvent } from './query-state-before-event.js';
import { queryEventTemplate } from './query-event-template.js';
import { performReceiveInvite } from './perform-receive-invite.js';
import { performBackfill } from './perform-backfill.js';
import { createRoomQueue } from './room-queue.js';
import type { RoomserverFederationAPI } from '../../federationapi/api.js';
import type { LoadedEvent, RoomserverInternalContext, VerifyKeyLookup } from './roomserver-internal-context.js';

export type { VerifyKeyLookup };

/** Remote keys from the federationapi's key ring; none when there is no federationapi. */
function keyRingLookup(federation: () => RoomserverFederationAPI | undefined): VerifyKeyLookup {
  return async (serverName, keyId, at) => {
    const fed = federation();
    if (!fed) return undefined;
    const { publicKey } = await fed.queryServerKey({ serverName, keyId, ...(at ?? {}) });
    return publicKey ?? undefined;
  };
}

export interface RoomserverInternalOptions {
  readonly storage: RoomserverStorage;
  /**
   * Forgotten rooms and content reports (`createRoomserverRecords` over the same database).
   * Without it those methods throw; everything else works.
   */
  readonly records: RoomserverRecords;
  /** The outbox the storage queues `OutputRoomEvent` messages in; flushed after each write. */
  readonly outbox: Outbox;
  /** This server's name and signing key: local events are built and signed with them. */
  readonly serverName: string;
  readonly signingKey: SigningKey;
  /**
   * Other servers' public keys, for signatures on events from federation. Default: the
   * federationapi's key ring when `federation` gives one, else none.
   */
  readonly verifyKeys?: VerifyKeyLookup;
  /** The federationapi (resolved on use; undefined when the deployment has none). */
  readonly federation?: () => RoomserverFederationAPI | undefined;
  readonly logger?: Logger;
  /** The clock; `Date.now` by default. */
  readonly now?: () => number;
  /** The version of rooms created without one (`rooms.default_version`; default {@link DEFAULT_ROOM_VERSION}). */
  readonly defaultRoomVersion?: string;
  /** Parsed events kept in memory (default 50,000). */
  readonly eventCacheSize?: number;
}

/** Builds the implementation of {@link RoomserverAPI}. */
export function createRoomserverInternalAPI(opts: RoomserverInternalOptions): RoomserverAPI {
  const { outbox, logger } = opts;
  const federation = opts.federation ?? (() => undefined);
  const ctx: RoomserverInternalContext = {
    storage: opts.storage,
    serverName: opts.serverName,
    signingKey: opts.signingKey,
    verifyKeys: opts.verifyKeys ?? keyRingLookup(federation),
    now: opts.now ?? Date.now,
    queue: createRoomQueue(),
    events: boundedCache<string, LoadedEvent>(opts.eventCacheSize ?? 50_000),
    async flushOutbox() {
      try {
        await outbox.flush();
      } catch (e) {
        logger?.warn({ err: e }, 'roomserver: publishing room events failed; they stay queued');
      }
    },
    logger,
    federation,
  };
  const { records } = opts;
  return {
    inputRoomEvents: (req) => inputRoomEvents(ctx, req),
    performSendEvents: (req) => performSendEvents(ctx, req),
    performCreateRoom: (req) => performCreateRoom(ctx, req, opts.defaultRoomVersion ?? DEFAULT_ROOM_VERSION),
    performJoin: (req) => performJoin(ctx, req),
    performMembership: (req) => performMembership(ctx, req),
    performKnock: (req) => performKnock(ctx, req),
    performUpgradeRoom: (req) => performUpgradeRoom(ctx, req),
    performSetRoomAlias: (req) => performSetRoomAlias(ctx, req),
    performRemoveRoomAlias: (req) => performRemoveRoomAlias(ctx, req),
    queryRoomAlias: (req) => queryRoomAlias(ctx, req),
    queryAliasesForRoom: (req) => queryAliasesForRoom(ctx, req),
    queryRoomInfo: (req) => queryRoomInfo(ctx, req),
    queryState: (req) => queryState(ctx, req),
    queryEvents: (req) => queryEvents(ctx, req),
    queryMembership: (req) => queryMembership(ctx, req),
    queryRoomsForUser: (req) => queryRoomsForUser(ctx, req),
    queryMembers: (req) => queryMembers(ctx, req),
    queryJoinedServers: (req) => queryJoinedServers(ctx, req),
    queryRoomVisibility: (req) => queryRoomVisibility(ctx, req),
    performSetRoomVisibility: (req) => performSetRoomVisibility(ctx, req),
    queryPublicRoomsSummaries: (req) => queryPublicRoomsSummaries(ctx, req),
    queryRoomSummaries: (req) => queryRoomSummaries(ctx, req),
    performForgetRoom: (req) => performForgetRoom(ctx, records, req),
    queryForgottenRooms: (req) => queryForgottenRooms(ctx, records, req),
    performReport: (req) => performReport(ctx, records, req),
    queryReports: (req) => queryReports(records, req),
    queryEventVisibility: (req) => queryEventVisibility(ctx, req),
    queryEventByTimestamp: (req) => queryEventByTimestamp(ctx, req),
    performLeaveAllRooms: (req) => performLeaveAllRooms(ctx, req),
    queryRoomListing: (req) => queryRoomListing(ctx, req),
    queryStateBeforeEvent: (req) => queryStateBeforeEvent(ctx, req),
    queryAuthChain: (req) => queryAuthChain(ctx, req),
    queryBackfill: (req) => queryBackfill(ctx, req),
    queryMissingEvents: (req) => queryMissingEvents(ctx, req),
    queryEventTemplate: (req) => queryEventTemplate(ctx, req),
    performReceiveInvite: (req) => performReceiveInvite(ctx, req),
    performBackfill: (req) => performBackfill(ctx, req),
  };
}

