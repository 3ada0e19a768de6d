/**
 * The state a `send_join` answers with: the room's state before the join (so the joining server
 * can check the join, and every later event, itself) and the auth chain of that state, as PDUs
 * served the way the read routes serve them (`served-pdus.ts`; not filtered by history
 * visibility: a member needs the state to check events).
 *
 * With `omit_members` (partial state, MSC3706, spec v1.6) the member events are left out of the
 * state, except — when the room has neither a name nor a canonical alias — those of the room's
 * heroes, which the joining server's clients need to name the room. Heroes are kept simple here:
 * the first five joined or invited members other than the joiner, by user ID (the client-server
 * spec orders them by stream position, which the roomserver does not expose). The auth chain is
 * then that of the join and of the state kept, without the state events themselves (the spec
 * lets them go); `servers_in_room` lists the servers joined before the join.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { StoredRoomEvent } from '../../roomserver/api.js';
import type { MembershipRoomserverAPI } from './membership-deps.js';
import { federationPdu } from './served-pdus.js';

/** How many heroes the client-server spec gives a room summary. */
const HEROES = 5;

/** What `send_join` answers with. */
export interface JoinState {
  readonly state: JsonObject[];
  readonly authChain: JsonObject[];
  /** The servers with joined members before the join, sorted. */
  readonly serversInRoom: string[];
}

/** The state before `join` and its auth chain, whole or without members (see the file comment). */
export async function joinState(api: MembershipRoomserverAPI, join: RoomEvent, omitMembers: boolean): Promise<JoinState> {
  const before = await api.queryStateBeforeEvent({ roomId: join.roomId, eventId: join.eventId });
  if (!before.found) throw MatrixError.unknown(`The state before ${join.eventId} is not known`, 500);
  const serversInRoom = joinedServers(before.events);
  if (!omitMembers) {
    const chain = await api.queryAuthChain({ eventIds: before.eventIds });
    return { state: before.events.map(federationPdu), authChain: chain.events.map(federationPdu), serversInRoom };
  }
  const kept = partialState(before.events, join.sender);
  const keptIds = new Set(kept.map((e) => e.eventId));
  const chain = await api.queryAuthChain({ eventIds: [join.eventId, ...keptIds] });
  return {
    state: kept.map(federationPdu),
    authChain: chain.events.filter((e) => !keptIds.has(e.eventId) && e.eventId !== join.eventId).map(federationPdu),
    serversInRoom,
  };
}

/** The state without member events, but with the heroes' when the room has no name or alias. */
function partialState(state: readonly StoredRoomEvent[], joiner: string): StoredRoomEvent[] {
  const named = state.some((e) => e.event.type === 'm.room.name' || e.event.type === 'm.room.canonical_alias');
  const heroes = named
    ? new Set<string>()
    : new Set(
        state
          .filter((e) => e.event.type === 'm.room.member' && e.event.state_key !== joiner && ['join', 'invite'].includes(membershipOf(e)))
          .map((e) => e.event.state_key as string)
          .sort()
          .slice(0, HEROES),
      );
  return state.filter((e) => e.event.type !== 'm.room.member' || heroes.has(e.event.state_key as string));
}

function joinedServers(state: readonly StoredRoomEvent[]): string[] {
  const servers = new Set<string>();
  for (const e of state) {
    if (e.event.type !== 'm.room.member' || membershipOf(e) !== 'join' || typeof e.event.state_key !== 'string') continue;
    const server = domainOf(e.event.state_key);
    if (server !== undefined) servers.add(server);
  }
  return [...servers].sort();
}

function membershipOf(e: StoredRoomEvent): string {
  const c = e.event.content;
  return isJsonObject(c) && typeof c.membership === 'string' ? c.membership : '';
}
