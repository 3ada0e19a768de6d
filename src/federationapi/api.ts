/**
 * The federationapi's internal API: what other components ask of the server that talks to other
 * servers. The roomserver checks remote signatures with `queryServerKey` and hands every
 * membership change that needs another server (joining, inviting a remote user, leaving a room
 * known only from an invite, resolving a remote alias) to the `perform…` calls, which run the
 * server-server handshakes. Every request and response is plain JSON.
 */
import type { JsonObject, JsonValue } from '../matrix/json.js';

export interface QueryServerKeyRequest {
  readonly serverName: string;
  readonly keyId: string;
  /** When the signature was made (an event's `origin_server_ts`); omit for "now". */
  readonly atTs?: number;
  /** The key must be valid until at least this time (0: any; see the key ring). */
  readonly minimumValidUntilTs?: number;
}

export interface QueryServerKeyResponse {
  /** The unpadded base64 ed25519 public key, or null when none could be found or trusted. */
  readonly publicKey: string | null;
}

export interface PerformJoinRequest {
  readonly roomId: string;
  readonly userId: string;
  /** Servers to try in order (`via`, the alias's servers, the inviter's server…). */
  readonly serverNames: readonly string[];
  /** Extra member content: `displayname`, `avatar_url`, `reason`. */
  readonly content?: JsonObject;
}

export interface PerformJoinResponse {
  readonly roomId: string;
  readonly eventId: string;
  /** The resident server that accepted the join. */
  readonly joinedVia: string;
}

export interface PerformInviteRequest {
  /** The invite, built and signed by us, not stored yet. */
  readonly event: JsonObject;
  readonly roomVersion: string;
  /** The stripped state the invitee's server shows its user. */
  readonly inviteRoomState: readonly JsonObject[];
}

export interface PerformInviteResponse {
  /** The invite as the invitee's server returned it: our signature and theirs. */
  readonly event: JsonObject;
}

export interface PerformLeaveRequest {
  readonly roomId: string;
  readonly userId: string;
  /** Servers to ask for `make_leave`, in order (the inviter's server first). */
  readonly serverNames: readonly string[];
  readonly content?: JsonObject;
}

export interface PerformLeaveResponse {
  readonly eventId: string;
  /** The leave as sent, for the roomserver to record. */
  readonly event: JsonObject;
  readonly roomVersion: string;
}

export interface PerformKnockRequest {
  readonly roomId: string;
  readonly userId: string;
  /** Servers to knock through, in order. */
  readonly serverNames: readonly string[];
  /** Extra member content: `displayname`, `avatar_url`, `reason`. */
  readonly content?: JsonObject;
}

export interface PerformKnockResponse {
  readonly eventId: string;
  /** The knock as sent, for the roomserver to record. */
  readonly event: JsonObject;
  readonly roomVersion: string;
  /** The room's stripped state as the resident server gave it (`knock_room_state`). */
  readonly knockRoomState: readonly JsonObject[];
}

export interface QueryRemoteAliasRequest {
  readonly alias: string;
}

export interface QueryRemoteAliasResponse {
  /** null when the alias's server says it does not exist. */
  readonly roomId: string | null;
  readonly servers: readonly string[];
}

export interface PerformBackfillRequest {
  readonly roomId: string;
  /** Where to continue from: events we hold whose prev events we lack (`v`). */
  readonly fromEventIds: readonly string[];
  /** The most events asked for (the given ones count toward it, as the spec says); ≤ 100. */
  readonly limit: number;
  /** Servers to ask in turn (the room's joined servers); ours is skipped. */
  readonly servers: readonly string[];
}

export interface BackfilledPdu {
  readonly eventId: string;
  /** The PDU as served (parsed in the room's version, in the room; not yet checked). */
  readonly event: JsonObject;
}

export interface PerformBackfillResponse {
  readonly roomVersion: string;
  /** The server whose events these are; null when none answered with anything new. */
  readonly origin: string | null;
  /** Oldest first (by depth, then event ID), without duplicates. */
  readonly events: readonly BackfilledPdu[];
  /**
   * The state before the oldest events whose prev events are neither among `events` nor in our
   * DAG, fetched from `origin` (`/state_ids`) and already stored as outliers: input those events
   * with it. Only the first few such events get one.
   */
  readonly statesBefore: readonly { readonly eventId: string; readonly stateEventIds: readonly string[] }[];
}

export interface QueryRemoteKeysRequest {
  /** The server whose users these are. */
  readonly server: string;
  /** Device IDs wanted per user of `server`; an empty list means every device. */
  readonly deviceKeys: Readonly<Record<string, readonly string[]>>;
  /** How long to wait for the server (ms); the spec's default is 10 s. */
  readonly timeoutMs?: number;
}

/** What `server` answered (or our cache of its users' device lists said). */
export interface QueryRemoteKeysResponse {
  /** Device keys by user then device ID, each user asked for present (`{}` when none). */
  readonly deviceKeys: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly masterKeys: Readonly<Record<string, JsonObject>>;
  readonly selfSigningKeys: Readonly<Record<string, JsonObject>>;
}

export interface ClaimRemoteKeysRequest {
  readonly server: string;
  /** The algorithm wanted, by user of `server` then device ID. */
  readonly oneTimeKeys: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** How long to wait for the server (ms); the spec's default is 10 s. */
  readonly timeoutMs?: number;
}

export interface ClaimRemoteKeysResponse {
  /** One key per device that had one, by user, device, `<algorithm>:<key id>`. */
  readonly oneTimeKeys: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, JsonValue>>>>>>;
}

export interface PerformRemoteTimestampToEventRequest {
  readonly roomId: string;
  /** ms since the epoch. */
  readonly ts: number;
  /** `f`: the first event at or after `ts`; `b`: the last at or before it. */
  readonly dir: 'f' | 'b';
  /** Servers to ask in turn (the room's joined servers); ours is skipped, only the first few are asked. */
  readonly servers: readonly string[];
}

export interface PerformRemoteTimestampToEventResponse {
  /** The event a server named, now held here as history; null when no server could give a usable one. */
  readonly event: { readonly eventId: string; readonly originServerTs: number; readonly server: string } | null;
}

/**
 * What the clientapi calls: other servers' users' keys for `/keys/query` and `/keys/claim`.
 * Both throw when the server cannot be reached or answers nonsense (the caller lists it in
 * `failures`). And the event closest to a time that we do not hold (`timestamp_to_event`).
 */
export interface ClientFederationAPI {
  queryRemoteKeys(req: QueryRemoteKeysRequest): Promise<QueryRemoteKeysResponse>;
  claimRemoteKeys(req: ClaimRemoteKeysRequest): Promise<ClaimRemoteKeysResponse>;
  /** `timestamp_to_event` when we hold nothing there: asks other servers, fetches and places the event. Never throws for their failures. */
  performRemoteTimestampToEvent(req: PerformRemoteTimestampToEventRequest): Promise<PerformRemoteTimestampToEventResponse>;
}

/** What the roomserver calls. */
export interface RoomserverFederationAPI {
  queryServerKey(req: QueryServerKeyRequest): Promise<QueryServerKeyResponse>;
  performJoin(req: PerformJoinRequest): Promise<PerformJoinResponse>;
  performInvite(req: PerformInviteRequest): Promise<PerformInviteResponse>;
  performLeave(req: PerformLeaveRequest): Promise<PerformLeaveResponse>;
  performKnock(req: PerformKnockRequest): Promise<PerformKnockResponse>;
  queryRemoteAlias(req: QueryRemoteAliasRequest): Promise<QueryRemoteAliasResponse>;
  performBackfill(req: PerformBackfillRequest): Promise<PerformBackfillResponse>;
}

/** The whole API, as served over inthttp. */
export type FederationAPI = RoomserverFederationAPI & ClientFederationAPI;

export const FederationAPIMethods = {
  queryServerKey: true,
  performJoin: true,
  performInvite: true,
  performLeave: true,
  performKnock: true,
  queryRemoteAlias: true,
  performBackfill: true,
  queryRemoteKeys: true,
  claimRemoteKeys: true,
  performRemoteTimestampToEvent: true,
} as const satisfies Record<keyof FederationAPI, true>;
