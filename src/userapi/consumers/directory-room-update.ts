/**
 * Keeping the user directory's rooms current from `OutputRoomEvent`. Only three kinds of state
 * matter: memberships (who is joined, with which profile), the join rule and the history
 * visibility (which together make a room public). Each message's state delta is applied with its
 * stream position, so redeliveries change nothing; a room the directory has never seen (the
 * consumer started after the room did, or its log was pruned) is read whole from the roomserver
 * as of the message's event instead.
 */
import type { Logger } from 'pino';
import type { JsonObject } from '../../matrix/json.js';
import type { UserRoomserverAPI } from '../../roomserver/api.js';
import type { OutputRoomEventMessage } from '../../roomserver/producers/output-room-event.js';
import type { DirectoryMember, DirectoryRoomChange, UserStorage } from '../storage/index.js';

/** The state types the directory reads. */
export const DIRECTORY_STATE_TYPES: readonly string[] = ['m.room.member', 'm.room.join_rules', 'm.room.history_visibility'];

/** What the directory updates work with. */
export interface DirectoryUpdateDeps {
  readonly storage: UserStorage;
  readonly roomserver: UserRoomserverAPI;
  /** This server's name: members on it are local users (shown with their global profile). */
  readonly serverName: string;
  readonly logger?: Logger;
  /**
   * Rooms known to have directory rows, so a message event (most of a room's traffic) costs no
   * query. Rows are never removed, so an entry never goes stale; the set is cleared when full.
   */
  readonly knownRooms?: Set<string>;
}

/** Rooms remembered at most; past it the set starts over (only costs a query per room again). */
const MAX_KNOWN_ROOMS = 100_000;

function rememberRoom(deps: DirectoryUpdateDeps, roomId: string): void {
  if (!deps.knownRooms) return;
  if (deps.knownRooms.size >= MAX_KNOWN_ROOMS) deps.knownRooms.clear();
  deps.knownRooms.add(roomId);
}

type NewRoomEvent = Extract<OutputRoomEventMessage, { type: 'new_room_event' }>;
type RedactedEvent = Extract<OutputRoomEventMessage, { type: 'redacted_event' }>;

/** Applies a new event's state delta to the directory (or reads the room whole when it is new to it). */
export async function applyNewRoomEvent(deps: DirectoryUpdateDeps, msg: NewRoomEvent): Promise<void> {
  const change = await stateDeltaChange(deps, msg);
  if (change === undefined) {
    // Nothing the directory keeps changed, but a room seen for the first time must still be read.
    if (deps.knownRooms?.has(msg.roomId)) return;
    if ((await deps.storage.getDirectoryRoomPosition(msg.roomId)) === undefined) await rebuildRoom(deps, msg);
    rememberRoom(deps, msg.roomId);
    return;
  }
  const outcome = await deps.storage.applyDirectoryRoomChange({ ...change, streamPosition: msg.streamPosition });
  if (outcome === 'unknown-room') await rebuildRoom(deps, msg);
}

/**
 * A redacted member event loses its display name and avatar: when it is still the member's
 * current state, the directory takes the redacted profile. (Redaction keeps `join_rule` and
 * `history_visibility`, so other redactions change nothing here.)
 */
export async function applyRedaction(deps: DirectoryUpdateDeps, msg: RedactedEvent): Promise<void> {
  const ev = msg.redactedEvent;
  if (ev.type !== 'm.room.member' || typeof ev.state_key !== 'string') return;
  const { events } = await deps.roomserver.queryState({ roomId: msg.roomId, stateTuples: [['m.room.member', ev.state_key]] });
  if (events[0]?.eventId !== msg.redactedEventId) return;
  const change = changeOf(deps, msg.roomId, [ev], []);
  // An unknown room is read whole with its next event; nothing to do now.
  if (change) await deps.storage.applyDirectoryRoomChange(change);
}

/**
 * The directory change a message's state delta makes, or undefined when it touches nothing the
 * directory keeps. The usual delta — the event itself replacing at most one entry, which can
 * only be its own (type, state key) — needs no lookups; anything else (state resolution after
 * a fork) fetches the added and removed events.
 */
async function stateDeltaChange(deps: DirectoryUpdateDeps, msg: NewRoomEvent): Promise<DirectoryRoomChange | undefined> {
  const adds = msg.addsStateEventIds;
  const removes = msg.removesStateEventIds;
  if (adds.every((id) => id === msg.eventId) && removes.length <= adds.length) {
    return changeOf(deps, msg.roomId, adds.length === 1 ? [msg.event] : [], []);
  }
  const ids = [...new Set([...adds, ...removes])].filter((id) => id !== msg.eventId);
  const { events } = await deps.roomserver.queryEvents({ eventIds: ids });
  const byId = new Map(events.map((e) => [e.eventId, e.event]));
  byId.set(msg.eventId, msg.event);
  const pick = (list: readonly string[]) => list.map((id) => byId.get(id)).filter((e): e is JsonObject => e !== undefined);
  return changeOf(deps, msg.roomId, pick(adds), pick(removes));
}

/** Reads the room's directory state as of `msg`'s event and replaces what the directory had. */
async function rebuildRoom(deps: DirectoryUpdateDeps, msg: NewRoomEvent): Promise<void> {
  let state = await deps.roomserver.queryState({ roomId: msg.roomId, atEventId: msg.eventId, types: DIRECTORY_STATE_TYPES });
  // The state after the event should always be there; the current state is the next best thing.
  if (!state.found) state = await deps.roomserver.queryState({ roomId: msg.roomId, types: DIRECTORY_STATE_TYPES });
  if (!state.found) deps.logger?.warn({ roomId: msg.roomId }, 'user directory: the roomserver has no state for this room; recording it empty');
  const change = changeOf(deps, msg.roomId, state.events.map((e) => e.event), []);
  await deps.storage.replaceDirectoryRoom({
    roomId: msg.roomId,
    streamPosition: msg.streamPosition,
    joinRule: change?.joinRule ?? null,
    historyVisibility: change?.historyVisibility ?? null,
    members: change?.joined ?? [],
  });
  deps.logger?.debug({ roomId: msg.roomId, members: change?.joined?.length ?? 0 }, 'user directory: read a room new to it');
}

/**
 * The change made by state events `added` (the new entries) and `removed` (entries no longer
 * current: those not replaced by an added event of the same key are gone), or undefined when
 * none of them is a membership, join rule or history visibility.
 */
export function changeOf(deps: Pick<DirectoryUpdateDeps, 'serverName'>, roomId: string, added: readonly JsonObject[], removed: readonly JsonObject[]): DirectoryRoomChange | undefined {
  const joined: DirectoryMember[] = [];
  const left: string[] = [];
  let joinRule: string | null | undefined;
  let historyVisibility: string | null | undefined;
  const addedKeys = new Set(added.map(stateKeyOf));
  for (const ev of removed) {
    if (addedKeys.has(stateKeyOf(ev))) continue;
    if (ev.type === 'm.room.member' && typeof ev.state_key === 'string') left.push(ev.state_key);
    else if (ev.type === 'm.room.join_rules') joinRule = null;
    else if (ev.type === 'm.room.history_visibility') historyVisibility = null;
  }
  for (const ev of added) {
    const content = isObject(ev.content) ? ev.content : {};
    if (ev.type === 'm.room.member' && typeof ev.state_key === 'string') {
      if (content.membership === 'join') joined.push(memberOf(deps.serverName, ev.state_key, content));
      else left.push(ev.state_key);
    } else if (ev.type === 'm.room.join_rules' && ev.state_key === '') {
      joinRule = stringOrNull(content.join_rule);
    } else if (ev.type === 'm.room.history_visibility' && ev.state_key === '') {
      historyVisibility = stringOrNull(content.history_visibility);
    }
  }
  if (joined.length === 0 && left.length === 0 && joinRule === undefined && historyVisibility === undefined) return undefined;
  return {
    roomId,
    joined,
    left,
    ...(joinRule !== undefined ? { joinRule } : {}),
    ...(historyVisibility !== undefined ? { historyVisibility } : {}),
  };
}

function memberOf(serverName: string, userId: string, content: JsonObject): DirectoryMember {
  const suffix = `:${serverName}`;
  const local = userId.startsWith('@') && userId.endsWith(suffix) ? userId.slice(1, -suffix.length) : null;
  return { userId, localpart: local, displayName: stringOrNull(content.displayname), avatarUrl: stringOrNull(content.avatar_url) };
}

function stateKeyOf(ev: JsonObject): string {
  return JSON.stringify([ev.type, ev.state_key]);
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
