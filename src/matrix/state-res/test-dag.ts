/**
 * Test helper: builds `RoomEvent` objects directly, with readable IDs (`$CREATE`), no hashing or
 * signing, and timestamps that grow by one per event, so state resolution tests read like the
 * DAG drawings they come from. Not used outside tests.
 */
import type { JsonObject, JsonValue } from '../json.js';
import { stateMapKey, type RoomEvent, type StateMap } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';

/** One event to add; IDs may be given with or without the `$` sigil. */
export interface TestEventSpec {
  /** The event ID, e.g. `PA` for `$PA`. */
  readonly id: string;
  /** The sender's user ID. */
  readonly sender: string;
  /** The event type. */
  readonly type: string;
  /** Omit for a message event. */
  readonly stateKey?: string;
  /** Defaults to `{}`. */
  readonly content?: JsonObject;
  /** Event IDs, with or without `$`; none by default. */
  readonly authEvents?: readonly string[];
  /** Event IDs, with or without `$`; none by default. */
  readonly prevEvents?: readonly string[];
  /** Defaults to one more than the previous event's. */
  readonly ts?: number;
  /** Defaults to one more than the deepest prev event (1 without any). */
  readonly depth?: number;
}

/** A growing set of test events in one room. */
export interface TestDag {
  /** The room version every event is built for. */
  readonly roomVersion: RoomVersion;
  /** The room every event is in. */
  readonly roomId: string;
  /** Adds an event and returns it. */
  add(spec: TestEventSpec): RoomEvent;
  /** The event with this ID (with or without `$`); throws if unknown. */
  get(id: string): RoomEvent;
  /** A loader for `StateResInput.getEvent`. */
  readonly getEvent: (eventId: string) => RoomEvent | undefined;
  /** A state map of these events (IDs with or without `$`); later ones win per key. */
  state(...ids: readonly string[]): Map<string, string>;
  /** Every event added, in order. */
  readonly events: readonly RoomEvent[];
}

/** Normalises a short test ID (`PA`) to an event ID (`$PA`). */
export function eid(id: string): string {
  return id.startsWith('$') ? id : `$${id}`;
}

/**
 * Creates an empty DAG. For rooms whose ID is the create event's (v12) the room ID is derived
 * from `createId` (default `$CREATE`); otherwise it is `!room:example.com`.
 */
export function createTestDag(rv: RoomVersion, opts: { readonly createId?: string } = {}): TestDag {
  const roomId = rv.roomIdIsCreateHash ? `!${eid(opts.createId ?? 'CREATE').slice(1)}` : '!room:example.com';
  const byId = new Map<string, RoomEvent>();
  const events: RoomEvent[] = [];
  let lastTs = 0;

  const get = (id: string): RoomEvent => {
    const e = byId.get(eid(id));
    if (e === undefined) throw new Error(`test dag: unknown event ${id}`);
    return e;
  };

  const add = (spec: TestEventSpec): RoomEvent => {
    const eventId = eid(spec.id);
    if (byId.has(eventId)) throw new Error(`test dag: duplicate event ${eventId}`);
    const authEvents = (spec.authEvents ?? []).map(eid);
    const prevEvents = (spec.prevEvents ?? []).map(eid);
    const depth = spec.depth ?? 1 + Math.max(0, ...prevEvents.map((p) => byId.get(p)?.depth ?? 0));
    const ts = spec.ts ?? lastTs + 1;
    lastTs = Math.max(lastTs, ts);
    const content = spec.content ?? {};
    const event: RoomEvent = {
      eventId,
      roomId,
      type: spec.type,
      stateKey: spec.stateKey,
      sender: spec.sender,
      content,
      authEvents,
      prevEvents,
      depth,
      originServerTs: ts,
      redacts: undefined,
      json: pduJson(rv, roomId, eventId, spec, content, authEvents, prevEvents, depth, ts),
      roomVersion: rv,
    };
    byId.set(eventId, event);
    events.push(event);
    return event;
  };

  return {
    roomVersion: rv,
    roomId,
    add,
    get,
    getEvent: (id) => byId.get(id),
    state: (...ids) => {
      const m = new Map<string, string>();
      for (const id of ids) {
        const e = get(id);
        if (e.stateKey === undefined) throw new Error(`test dag: ${id} is not a state event`);
        m.set(stateMapKey(e.type, e.stateKey), e.eventId);
      }
      return m;
    },
    events,
  };
}

function pduJson(
  rv: RoomVersion,
  roomId: string,
  eventId: string,
  spec: TestEventSpec,
  content: JsonObject,
  authEvents: readonly string[],
  prevEvents: readonly string[],
  depth: number,
  ts: number,
): JsonObject {
  const ref = (id: string): JsonValue => (rv.eventRefsArePairs ? [id, {}] : id);
  const json: JsonObject = {
    type: spec.type,
    sender: spec.sender,
    content,
    auth_events: authEvents.map(ref),
    prev_events: prevEvents.map(ref),
    depth,
    origin_server_ts: ts,
  };
  if (!(rv.roomIdIsCreateHash && spec.type === 'm.room.create')) json['room_id'] = roomId;
  if (spec.stateKey !== undefined) json['state_key'] = spec.stateKey;
  if (rv.eventIdFormat === 'legacy') json['event_id'] = eventId;
  return json;
}

/**
 * The auth events the spec's auth events selection picks for an event, from `state` (the state
 * before it): create (unless the room version leaves it out), power levels, the sender's
 * membership, and for memberships the target's membership and, for join/invite/knock, the join
 * rules. Third-party invites and restricted-join authorisers are not covered.
 */
export function selectAuthEvents(
  rv: RoomVersion,
  event: Pick<TestEventSpec, 'type' | 'sender' | 'stateKey' | 'content'>,
  state: StateMap,
): string[] {
  if (event.type === 'm.room.create') return [];
  const keys: string[] = [];
  if (!rv.createEventNotInAuthEvents) keys.push(stateMapKey('m.room.create', ''));
  keys.push(stateMapKey('m.room.power_levels', ''), stateMapKey('m.room.member', event.sender));
  if (event.type === 'm.room.member' && event.stateKey !== undefined) {
    keys.push(stateMapKey('m.room.member', event.stateKey));
    const m = event.content?.['membership'];
    if (m === 'join' || m === 'invite' || m === 'knock') keys.push(stateMapKey('m.room.join_rules', ''));
  }
  const out: string[] = [];
  for (const k of new Set(keys)) {
    const id = state.get(k);
    if (id !== undefined) out.push(id);
  }
  return out;
}
