/**
 * `queryAuthChain`: the auth chain of some events — their auth events, and theirs, recursively —
 * as federation's `/state`, `/state_ids` and `/event_auth` serve it. The given events are not
 * part of it unless another one's auth reaches them (Synapse's `include_given=False`).
 *
 * From room v12 the create event is no longer listed in `auth_events` but is still an auth event
 * of every other event (its ID is the room ID's hash); a chain without it could not be checked
 * by the asker, so it is added, as Synapse's `auth_event_ids()` adds it for those rooms.
 */
import { roomVersion } from '../../matrix/room-version.js';
import type { QueryAuthChainRequest, QueryAuthChainResponse } from '../api.js';
import type { StoredEvent } from '../storage/index.js';
import { toStoredRoomEvent } from './query-state.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** The stored part of the chain, by depth then event ID (an event we never had is left out). */
export async function queryAuthChain(ctx: RoomserverInternalContext, req: QueryAuthChainRequest): Promise<QueryAuthChainResponse> {
  const [given, chain] = await Promise.all([ctx.storage.getEvents(req.eventIds), ctx.storage.getAuthChain(req.eventIds)]);
  const inChain = new Set(chain.map((e) => e.eventId));
  const implied = new Set<string>();
  for (const e of given) {
    if (e.type === 'm.room.create' || !roomVersion(e.roomVersion).createEventNotInAuthEvents) continue;
    const createId = `$${e.roomId.slice(1)}`;
    if (!inChain.has(createId)) implied.add(createId);
  }
  const all: StoredEvent[] = implied.size > 0 ? [...chain, ...(await ctx.storage.getEvents([...implied]))] : chain;
  if (implied.size > 0) all.sort((a, b) => a.depth - b.depth || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  return { eventIds: all.map((e) => e.eventId), events: req.idsOnly ? [] : all.map(toStoredRoomEvent) };
}
