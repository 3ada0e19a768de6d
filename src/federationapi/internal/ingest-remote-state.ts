/**
 * Handing a room's state as another server sent it (a `send_join` answer; later a fetched
 * state) to the roomserver, then the event that stands on it. The auth chain and state go in as
 * outliers, auth events first, so each is checked against its own auth events with its
 * signatures verified; the event then goes in as a new event whose state before is that state
 * (only the entries the roomserver stored: a state event that failed its checks is left out
 * rather than trusted).
 */
import type { JsonObject } from '../../matrix/json.js';
import { computeEventId } from '../../matrix/event-id.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { InputResult, InputRoomEvent } from '../../roomserver/api.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { orderByAuth, type IdentifiedEvent } from './order-by-auth.js';

/** What to ingest. */
export interface RemoteState {
  /** The server that sent it (its signatures are checked; it is the events' `origin`). */
  readonly origin: string;
  readonly roomVersion: string;
  readonly state: readonly JsonObject[];
  readonly authChain: readonly JsonObject[];
  /** The event standing on `state` (our join). */
  readonly event: JsonObject;
}

/** Stores the state and the event; the event's result. */
export async function ingestRemoteState(ctx: FederationInternalContext, remote: RemoteState): Promise<InputResult> {
  const rv = roomVersion(remote.roomVersion);
  const identified = new Map<string, IdentifiedEvent>();
  const stateIds = new Set<string>();
  for (const [list, isState] of [[remote.authChain, false], [remote.state, true]] as const) {
    for (const json of list) {
      const eventId = idOf(json, rv);
      if (eventId === undefined) continue;
      identified.set(eventId, { eventId, json });
      if (isState) stateIds.add(eventId);
    }
  }
  const ordered = orderByAuth([...identified.values()]);
  const inputs: InputRoomEvent[] = ordered.map((e) => ({ kind: 'outlier', event: e.json, roomVersion: remote.roomVersion, origin: remote.origin }));
  const stored = new Set<string>();
  if (inputs.length > 0) {
    const { results } = await ctx.roomserver.inputRoomEvents({ inputs });
    for (const r of results) if (r.accepted) stored.add(r.eventId);
  }
  const before = [...stateIds].filter((id) => stored.has(id));
  const { results } = await ctx.roomserver.inputRoomEvents({
    inputs: [{ kind: 'new', event: remote.event, roomVersion: remote.roomVersion, origin: ctx.serverName, stateEventIdsBefore: before }],
  });
  return results[0]!;
}

/** The event's ID (carried in v1–v2, computed from v3); undefined for JSON too broken to hash. */
function idOf(json: JsonObject, rv: ReturnType<typeof roomVersion>): string | undefined {
  if (rv.eventIdFormat === 'legacy') return typeof json.event_id === 'string' ? json.event_id : undefined;
  try {
    return computeEventId(json, rv);
  } catch {
    return undefined;
  }
}
