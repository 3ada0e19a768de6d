/**
 * One provider per sync stream (Dendrite's `streams` idea): each knows its latest position for a
 * user and writes its part of a response for a position range. The list of providers
 * (`sync-streams.ts`) and the list of stream names (`stream-token.ts`) are the only places a new
 * stream (typing, receipts, to-device …) is added.
 */
import type { UserMembership } from '../storage/index.js';
import type { SyncFilter } from '../filter/filter-types.js';
import type { SyncResponse } from './sync-response.js';
import type { StreamName, StreamPositions } from './stream-token.js';

/** What every provider of one sync attempt shares. */
export interface SyncRequestContext {
  readonly userId: string;
  /** The requesting device (absent for some appservice requests). */
  readonly deviceId: string | undefined;
  /**
   * The request's filter (`filter/`). Every provider applies its section's part: rooms pass
   * `roomAllowed(roomId, filter.room)` first; typing and receipts `filter.room.ephemeral`,
   * presence `filter.presence`, account data `filter.accountData` / `filter.room.accountData`.
   */
  readonly filter: SyncFilter;
  /** `use_state_after=true`: room state is wanted at the end of the timeline (sent as `state_after`). */
  readonly useStateAfter: boolean;
  /** When this attempt started (ms since the epoch): events' `unsigned.age` counts from it. */
  readonly now: number;
  /** `full_state=true`: every joined room with its full state. */
  readonly fullState: boolean;
  /** The user's current memberships, read once per attempt. */
  readonly memberships: readonly UserMembership[];
  /** The response being built. */
  readonly response: SyncResponse;
  /** The `since` token's positions (null: initial sync); a stream may read another's (`device_list` reads `pdu`). */
  readonly since?: StreamPositions | null;
}

/** One sync stream. */
export interface StreamProvider {
  readonly stream: StreamName;
  /** The stream's latest position for this user. */
  latest(ctx: SyncRequestContext): Promise<number>;
  /**
   * Writes the initial sync's part (everything up to `to`). A stream that caps what one
   * response carries (`to_device`) resolves to the position it stopped at, below `to`, which
   * then goes in `next_batch`; the others resolve to nothing.
   */
  initial(ctx: SyncRequestContext, to: number): Promise<number | void>;
  /** Writes what happened after `from`, up to `to` (or, as `initial`, the position it stopped at). */
  incremental(ctx: SyncRequestContext, from: number, to: number): Promise<number | void>;
}

/**
 * A stream with nothing behind it yet: its position stays 0 and it adds nothing, so its section
 * keeps the empty shape the response starts with.
 */
export function emptyStreamProvider(stream: StreamName): StreamProvider {
  return {
    stream,
    latest: async () => 0,
    initial: async () => {},
    incremental: async () => {},
  };
}
