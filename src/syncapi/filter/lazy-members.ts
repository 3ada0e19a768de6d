/**
 * Lazy-loading room members (client-server API "Lazy-loading room members"): with
 * `lazy_load_members`, a response's state carries the membership events of the senders of its
 * timeline (or `/messages` chunk) only, instead of every member's.
 *
 * Redundant members: a server MAY skip a member event it already sent to the client, unless the
 * filter sets `include_redundant_members`. What was sent is remembered per device and room as a
 * {@link SentMembers} record (user ID → the membership event ID the client last received). This
 * module only computes; the syncapi keeps the records (a bounded cache is enough: a lost record
 * costs only redundant events) and drops a device's records on an initial or `full_state` sync,
 * when the client starts over.
 *
 * The syncing user's own membership is always included, as Synapse does, so a client knows it
 * is in the room even when it sent nothing in the timeline.
 */
import type { RoomEventFilter, SyncFilter } from './filter-types.js';

/** The `m.room.member` event type. */
const MEMBER = 'm.room.member';

/** User ID → the ID of the membership event the client last received for that user, for one room and device. */
export type SentMembers = Readonly<Record<string, string>>;

/** Where the syncapi keeps {@link SentMembers} records; any bounded store will do. */
export interface SentMembersStore {
  /** The record of one device for one room; undefined when nothing is known. */
  get(userId: string, deviceId: string, roomId: string): SentMembers | undefined;
  /** Replaces the record of one device for one room. */
  set(userId: string, deviceId: string, roomId: string, sent: SentMembers): void;
  /** Forgets every record of a device (its client starts over: initial or `full_state` sync). */
  clearDevice(userId: string, deviceId: string): void;
}

/** What lazy-loading needs of a timeline event (a `RoomEvent` fits). */
export interface LazyTimelineEvent {
  readonly eventId: string;
  readonly type: string;
  readonly sender: string;
  readonly stateKey: string | undefined;
}

/** Lazy-loading as a filter asks for it. */
export interface LazyLoadOptions {
  readonly enabled: boolean;
  readonly includeRedundant: boolean;
}

/** The lazy-loading options of a `RoomEventFilter` (`/messages`, `/context`). */
export function lazyLoadOptionsOf(filter: Pick<RoomEventFilter, 'lazyLoadMembers' | 'includeRedundantMembers'>): LazyLoadOptions {
  return { enabled: filter.lazyLoadMembers, includeRedundant: filter.lazyLoadMembers && filter.includeRedundantMembers };
}

/** The lazy-loading options of `/sync`: its `room.state` filter's, as Synapse and Dendrite read them. */
export function syncLazyLoadOptions(filter: SyncFilter): LazyLoadOptions {
  return lazyLoadOptionsOf(filter.room.state);
}

/** One response's lazy-loading question. */
export interface LazyMembersRequest {
  /** The events the response returns, in order. */
  readonly timeline: readonly LazyTimelineEvent[];
  /** User ID → membership event ID in the state the response's `state` section is computed at. */
  readonly memberEventIds: ReadonlyMap<string, string>;
  /** The user making the request (always included); absent for none. */
  readonly syncingUserId?: string;
  /** What this device was already sent for the room; absent when unknown (everything is then sent). */
  readonly alreadySent?: SentMembers;
  /** The filter's `include_redundant_members`. */
  readonly includeRedundant: boolean;
}

/** Which membership events go into the `state` section, and what the client knows afterwards. */
export interface LazyMembersResult {
  /** Users whose membership event the `state` section carries, in first-sender order (syncing user first). */
  readonly userIds: readonly string[];
  /** Those membership events' IDs, in the same order. */
  readonly eventIds: readonly string[];
  /** The device's record after this response (its state and timeline membership events added). */
  readonly sent: SentMembers;
}

/**
 * The membership events a lazy-loading response must carry in its `state` section: those of
 * the timeline's senders (and the syncing user) that the state holds, minus those the device
 * already has unless redundant members are asked for.
 */
export function selectLazyMembers(req: LazyMembersRequest): LazyMembersResult {
  const wanted = new Set<string>();
  if (req.syncingUserId !== undefined) wanted.add(req.syncingUserId);
  for (const e of req.timeline) wanted.add(e.sender);

  // A Map, turned into a record at the end: no key can reach an object's prototype.
  const sent = new Map<string, string>(req.alreadySent ? Object.entries(req.alreadySent) : []);
  const userIds: string[] = [];
  const eventIds: string[] = [];
  for (const userId of wanted) {
    const eventId = req.memberEventIds.get(userId);
    if (eventId === undefined) continue;
    if (sent.get(userId) === eventId && !req.includeRedundant) continue;
    userIds.push(userId);
    eventIds.push(eventId);
    sent.set(userId, eventId);
  }
  // The timeline's own membership events reach the client too; the last one per user is what it ends up knowing.
  for (const e of req.timeline) {
    if (e.type === MEMBER && e.stateKey !== undefined) sent.set(e.stateKey, e.eventId);
  }
  return { userIds, eventIds, sent: Object.fromEntries(sent) };
}

/**
 * Whether a state event stays in a lazy-loading response's `state` section: every non-member
 * event does (the state filter still applies), member events only for `memberUserIds`.
 */
export function keepLazyStateEvent(event: { readonly type: string; readonly stateKey: string | undefined }, memberUserIds: ReadonlySet<string>): boolean {
  return event.type !== MEMBER || (event.stateKey !== undefined && memberUserIds.has(event.stateKey));
}
