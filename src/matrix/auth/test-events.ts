/**
 * Test-only builders: RoomEvent objects made directly (arbitrary event IDs, no hashing or real
 * signatures) and small rooms whose state the auth rules can be checked against. Exported for
 * tests of the auth rules and of state resolution; never imported by server code.
 */
import type { JsonObject } from '../json.js';
import type { RoomEvent } from '../room-event.js';
import { stateMapKey } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';
import { ROOM_VERSIONS } from '../room-version.js';
import type { AuthStateLookup } from './auth-state-lookup.js';
import { domainOf } from '../ids/domain-of.js';

/** The room creator in the standard room. */
export const ALICE = '@alice:a.example';
/** A moderator (power 50) on the creator's server. */
export const MOD = '@mod:a.example';
/** A joined member with the default power (0) on another server. */
export const BOB = '@bob:b.example';
/** A user with no membership in the room. */
export const CAROL = '@carol:c.example';
/** A banned user. */
export const EVE = '@eve:e.example';

/** Every room version, v1 to v12. */
export const ALL_VERSIONS: readonly RoomVersion[] = [...ROOM_VERSIONS.values()];

/** The fields of an event to build; everything else gets a harmless default. */
export interface EventSpec {
  readonly type: string;
  readonly sender: string;
  readonly stateKey?: string;
  readonly content?: JsonObject;
  readonly eventId?: string;
  readonly roomId?: string;
  readonly prevEvents?: readonly string[];
  readonly authEvents?: readonly string[];
  readonly redacts?: string;
  /** Top-level PDU fields to add or override (e.g. `signatures`). */
  readonly json?: JsonObject;
}

let counter = 0;

/** A fresh event ID; v1–v2 IDs carry the sender's server, as the origin server chose them. */
export function nextEventId(rv: RoomVersion, sender: string): string {
  counter += 1;
  return rv.eventIdFormat === 'legacy' ? `$e${counter}:${domainOf(sender) ?? 'x'}` : `$e${counter}`;
}

/** Builds an event in room `roomId` (the PDU JSON is signed, nominally, by the sender's server). */
export function buildEvent(rv: RoomVersion, roomId: string, spec: EventSpec): RoomEvent {
  const content = spec.content ?? {};
  const json: JsonObject = {
    type: spec.type,
    sender: spec.sender,
    room_id: roomId,
    content,
    signatures: { [domainOf(spec.sender) ?? 'x']: { 'ed25519:1': 'c2ln' } },
  };
  if (spec.stateKey !== undefined) json.state_key = spec.stateKey;
  if (spec.redacts !== undefined) json.redacts = spec.redacts;
  Object.assign(json, spec.json ?? {});
  return {
    eventId: spec.eventId ?? nextEventId(rv, spec.sender),
    roomId,
    type: spec.type,
    stateKey: spec.stateKey,
    sender: spec.sender,
    content,
    authEvents: spec.authEvents ?? [],
    prevEvents: spec.prevEvents ?? ['$prev'],
    depth: 10,
    originServerTs: 1_700_000_000_000,
    redacts: spec.redacts,
    json,
    roomVersion: rv,
  };
}

/**
 * A create event as each version writes it: `creator` in content for v1–v10; for v12 no
 * `room_id` in the PDU and a room ID derived from the event ID.
 */
export function buildCreate(rv: RoomVersion, sender = ALICE, extraContent: JsonObject = {}): RoomEvent {
  const content: JsonObject = { room_version: rv.id, ...(rv.createHasCreator ? { creator: sender } : {}), ...extraContent };
  const spec = { type: 'm.room.create', sender, stateKey: '', content, prevEvents: [] };
  if (rv.roomIdIsCreateHash) {
    const eventId = `$create${rv.id}hash`;
    const ev = buildEvent(rv, `!${eventId.slice(1)}`, { ...spec, eventId });
    const { room_id: _dropped, ...json } = ev.json;
    return { ...ev, json };
  }
  const eventId = rv.eventIdFormat === 'legacy' ? `$create:${domainOf(sender) ?? 'x'}` : `$create${rv.id}hash`;
  return buildEvent(rv, `!room:${domainOf(sender) ?? 'x'}`, { ...spec, eventId });
}

/** A room under test: a mutable state map and builders for events in it. */
export interface TestRoom {
  readonly rv: RoomVersion;
  readonly roomId: string;
  readonly create: RoomEvent;
  /** The current state as the auth rules see it. */
  readonly lookup: AuthStateLookup;
  /** Builds an event in this room (not added to the state). */
  event(spec: EventSpec): RoomEvent;
  /** Puts a state event into the state, replacing the one at its key. */
  put(ev: RoomEvent): RoomEvent;
  /** Removes the state event at `(type, stateKey)`. */
  remove(type: string, stateKey: string): void;
  /** Builds a member event (not added to the state); `sender` defaults to the user. */
  memberEvent(user: string, membership: string, opts?: { sender?: string; content?: JsonObject; json?: JsonObject }): RoomEvent;
  /** Sets `user`'s membership in the state. */
  setMember(user: string, membership: string, sender?: string): RoomEvent;
  /** Sets the power levels in the state. */
  setPowerLevels(content: JsonObject): RoomEvent;
  /** Sets the join rule in the state. */
  setJoinRule(rule: string, extra?: JsonObject): RoomEvent;
}

/** A room whose state is only its create event (sender `creator`). */
export function emptyRoom(rv: RoomVersion, creator = ALICE, createContent: JsonObject = {}): TestRoom {
  const create = buildCreate(rv, creator, createContent);
  const state = new Map<string, RoomEvent>([[stateMapKey('m.room.create', ''), create]]);
  const room: TestRoom = {
    rv,
    roomId: create.roomId,
    create,
    lookup: (type, stateKey) => state.get(stateMapKey(type, stateKey)),
    event: (spec) => buildEvent(rv, create.roomId, spec),
    put(ev) {
      state.set(stateMapKey(ev.type, ev.stateKey ?? ''), ev);
      return ev;
    },
    remove: (type, stateKey) => void state.delete(stateMapKey(type, stateKey)),
    memberEvent: (user, membership, opts = {}) =>
      room.event({
        type: 'm.room.member',
        sender: opts.sender ?? user,
        stateKey: user,
        content: { membership, ...opts.content },
        ...(opts.json ? { json: opts.json } : {}),
      }),
    setMember: (user, membership, sender) => room.put(room.memberEvent(user, membership, sender ? { sender } : {})),
    setPowerLevels: (content) =>
      room.put(room.event({ type: 'm.room.power_levels', sender: creator, stateKey: '', content })),
    setJoinRule: (rule, extra = {}) =>
      room.put(room.event({ type: 'm.room.join_rules', sender: creator, stateKey: '', content: { join_rule: rule, ...extra } })),
  };
  return room;
}

/**
 * The usual room: ALICE created it and is joined (power 100 in `users` before v12, where creators
 * may not be listed and have infinite power), MOD joined with 50, BOB joined with the default 0,
 * EVE banned, CAROL unknown; join rule `invite`; all other levels at the spec defaults.
 */
export function standardRoom(rv: RoomVersion): TestRoom {
  const room = emptyRoom(rv);
  room.setMember(ALICE, 'join');
  room.setPowerLevels({ users: rv.privilegedCreators ? { [MOD]: 50 } : { [ALICE]: 100, [MOD]: 50 } });
  room.setJoinRule('invite');
  room.setMember(MOD, 'join');
  room.setMember(BOB, 'join');
  room.setMember(EVE, 'ban', ALICE);
  return room;
}
