/**
 * A PDU after format validation: the fields auth rules and state resolution need, in one shape
 * for every room version (v1–v2 `[id, hashes]` reference pairs are flattened to IDs).
 * The original JSON is kept so it can be re-served and re-hashed unchanged.
 */
import type { JsonObject } from './json.js';
import type { RoomVersion } from './room-version.js';

export interface RoomEvent {
  /** `$…`: given in the PDU for v1–v2, computed from the reference hash for v3+. */
  readonly eventId: string;
  /** The room ID; for a v12 `m.room.create` (which has no `room_id`) the one derived from it. */
  readonly roomId: string;
  readonly type: string;
  /** Present (possibly `""`) for state events, `undefined` for message events. */
  readonly stateKey: string | undefined;
  readonly sender: string;
  readonly content: JsonObject;
  /** IDs of the auth events, in the order the PDU lists them. */
  readonly authEvents: readonly string[];
  /** IDs of the previous events, in the order the PDU lists them. */
  readonly prevEvents: readonly string[];
  readonly depth: number;
  readonly originServerTs: number;
  /** For `m.room.redaction`: the redacted event (top-level before v11, from `content` from v11). */
  readonly redacts: string | undefined;
  /** The PDU as received/built (for v3+ without `event_id`), with `signatures`, `hashes`, `unsigned`. */
  readonly json: JsonObject;
  readonly roomVersion: RoomVersion;
}

/** The key under which state is indexed: `type` and `state_key`. */
export type StateKeyTuple = readonly [type: string, stateKey: string];

/** Joins a `(type, state_key)` pair into one map key; the NUL separator can't occur in either. */
export function stateMapKey(type: string, key: string): string {
  return `${type}\u0000${key}`;
}

/** Splits a key made by {@link stateMapKey}. */
export function splitStateKey(k: string): StateKeyTuple {
  const i = k.indexOf('\u0000');
  return [k.slice(0, i), k.slice(i + 1)];
}

/** A state map: `stateMapKey(type, key)` → event ID. */
export type StateMap = ReadonlyMap<string, string>;
