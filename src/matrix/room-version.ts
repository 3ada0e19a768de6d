/**
 * The room-version table: every difference between room versions 1–12 is a field here, so code
 * asks `rv.eventIdFormat === 'hash-urlsafe'` instead of comparing version strings.
 * See the spec's content/rooms/v1.md … v12.md.
 */
import { MatrixError } from '../internal/errors/matrix-error.js';

/** How event IDs are formed. */
export type EventIdFormat =
  /** v1–v2: `$localpart:server`, chosen by the origin server. */
  | 'legacy'
  /** v3: `$` + standard unpadded base64 of the reference hash. */
  | 'hash-standard'
  /** v4+: `$` + URL-safe unpadded base64 of the reference hash. */
  | 'hash-urlsafe';

/** Which state resolution algorithm the room uses. */
export type StateResAlgorithm = 'v1' | 'v2' | 'v2.1';

/** Which redaction algorithm (the set of keys kept) the room uses. */
export type RedactionAlgorithm = 'v1' | 'v6' | 'v8' | 'v9' | 'v11';

export interface RoomVersion {
  /** The identifier as it appears in `m.room.create` content, e.g. `"11"`. */
  readonly id: string;
  /** `stable` versions are offered to clients; none here are `unstable`. */
  readonly stability: 'stable' | 'unstable';
  readonly eventIdFormat: EventIdFormat;
  /** v1–v2 events list `prev_events`/`auth_events` as `[eventId, {sha256}]` pairs; v3+ as IDs. */
  readonly eventRefsArePairs: boolean;
  readonly stateRes: StateResAlgorithm;
  readonly redaction: RedactionAlgorithm;
  /** v5+: a signing key must be valid (`valid_until_ts`) at the event's `origin_server_ts`. */
  readonly enforceKeyValidity: boolean;
  /** v6+: floats and integers outside ±(2^53−1) are rejected in events. */
  readonly strictCanonicalJson: boolean;
  /** v1–v5: `m.room.aliases` has its own auth rule (sender's server must match the state key). */
  readonly specialCaseAliasesAuth: boolean;
  /**
   * v1–v2: auth rule 11 — an `m.room.redaction` needs the redact level, or the redacted event's ID
   * must have the same domain as the redaction's ID. From v3 redactions are authorised like any
   * other event and the redact level is checked only when the redaction is applied.
   */
  readonly redactionAuthRule: boolean;
  /** v6+: the `notifications` key of power levels is checked in the power-level auth rule. */
  readonly notificationsPowerLevels: boolean;
  /** v7+: `knock` membership and join rule. */
  readonly knockSupported: boolean;
  /** v8+: `restricted` join rule. */
  readonly restrictedJoinSupported: boolean;
  /** v10+: `knock_restricted` join rule. */
  readonly knockRestrictedSupported: boolean;
  /** v10+: power level values must be integers (no numeric strings). */
  readonly integerOnlyPowerLevels: boolean;
  /** v1–v10: `m.room.create` content carries `creator`; v11+ uses the event's `sender`. */
  readonly createHasCreator: boolean;
  /** v11+: a redaction's `redacts` lives in `content` (and is kept at top level for compatibility). */
  readonly redactsInContent: boolean;
  /** v12: room IDs are `!` + the create event's reference hash (URL-safe base64), with no server. */
  readonly roomIdIsCreateHash: boolean;
  /** v12: creators (sender + `additional_creators`) have infinite power and are not in power levels. */
  readonly privilegedCreators: boolean;
  /** v12: the create event is never listed in `auth_events`. */
  readonly createEventNotInAuthEvents: boolean;
}

const base: Omit<RoomVersion, 'id'> = {
  stability: 'stable',
  eventIdFormat: 'legacy',
  eventRefsArePairs: true,
  stateRes: 'v1',
  redaction: 'v1',
  enforceKeyValidity: false,
  strictCanonicalJson: false,
  specialCaseAliasesAuth: true,
  redactionAuthRule: true,
  notificationsPowerLevels: false,
  knockSupported: false,
  restrictedJoinSupported: false,
  knockRestrictedSupported: false,
  integerOnlyPowerLevels: false,
  createHasCreator: true,
  redactsInContent: false,
  roomIdIsCreateHash: false,
  privilegedCreators: false,
  createEventNotInAuthEvents: false,
};

const v1: RoomVersion = { ...base, id: '1' };
const v2: RoomVersion = { ...v1, id: '2', stateRes: 'v2' };
const v3: RoomVersion = {
  ...v2,
  id: '3',
  eventIdFormat: 'hash-standard',
  eventRefsArePairs: false,
  redactionAuthRule: false,
};
const v4: RoomVersion = { ...v3, id: '4', eventIdFormat: 'hash-urlsafe' };
const v5: RoomVersion = { ...v4, id: '5', enforceKeyValidity: true };
const v6: RoomVersion = {
  ...v5,
  id: '6',
  redaction: 'v6',
  strictCanonicalJson: true,
  specialCaseAliasesAuth: false,
  notificationsPowerLevels: true,
};
const v7: RoomVersion = { ...v6, id: '7', knockSupported: true };
const v8: RoomVersion = { ...v7, id: '8', redaction: 'v8', restrictedJoinSupported: true };
const v9: RoomVersion = { ...v8, id: '9', redaction: 'v9' };
const v10: RoomVersion = { ...v9, id: '10', knockRestrictedSupported: true, integerOnlyPowerLevels: true };
const v11: RoomVersion = { ...v10, id: '11', redaction: 'v11', createHasCreator: false, redactsInContent: true };
const v12: RoomVersion = {
  ...v11,
  id: '12',
  stateRes: 'v2.1',
  roomIdIsCreateHash: true,
  privilegedCreators: true,
  createEventNotInAuthEvents: true,
};

/** Every room version this server implements, keyed by identifier. */
export const ROOM_VERSIONS: ReadonlyMap<string, RoomVersion> = new Map(
  [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12].map((v) => [v.id, v]),
);

/** The version new rooms get unless the config says otherwise. */
export const DEFAULT_ROOM_VERSION = '11';

/** The version's rules, or `M_UNSUPPORTED_ROOM_VERSION` for an unknown identifier. */
export function roomVersion(id: string): RoomVersion {
  const v = ROOM_VERSIONS.get(id);
  if (!v) throw MatrixError.unsupportedRoomVersion(`Room version "${id}" is not supported by this server`);
  return v;
}

/** Whether the identifier names a version this server implements. */
export function isKnownRoomVersion(id: string): boolean {
  return ROOM_VERSIONS.has(id);
}
