/**
 * The roomserver's internal API. `input…` feeds events into a room's DAG (federation, backfill,
 * joins); `perform…` builds, signs and sends events for local users inside the room's serial
 * queue (so concurrent sends never fork the room); `query…` reads. Every request and response is
 * plain JSON. Callers get the narrow interface they need.
 */
import type { JsonObject } from '../matrix/json.js';

/** A `(type, state_key)` pair, as requests name state. */
export type StateTuple = readonly [type: string, stateKey: string];

/** Why an event was refused; `rule` is the auth rule that decided (src/matrix/auth). */
export interface EventRejection {
  readonly rule: string;
  readonly reason: string;
}

// ---------------------------------------------------------------- input

export interface InputRoomEvent {
  /**
   * `new`: a live event that extends the DAG (may move the room's current state);
   * `outlier`: stored and auth-checked against its own auth events only, no state (join state,
   * auth chains, invites); `backfill`: an old event placed in the DAG without moving current state.
   */
  readonly kind: 'new' | 'outlier' | 'backfill';
  /** The PDU as received (for v3+ without `event_id`). */
  readonly event: JsonObject;
  readonly roomVersion: string;
  /** The server the event came from, when it came over federation. */
  readonly origin?: string;
  /** For a `new` event with unknown prev events: the state before it, when the caller fetched it. */
  readonly stateEventIdsBefore?: readonly string[];
  /**
   * Set (to our server name) when this server must send the event on to the other servers in the
   * room although another server made it: a join, leave or knock that reached us through
   * `send_join`/`send_leave`/`send_knock` goes out to the rest of the room from here.
   */
  readonly sendAsServer?: string;
}

export interface InputRoomEventsRequest {
  readonly inputs: readonly InputRoomEvent[];
}

export interface InputResult {
  readonly eventId: string;
  /** Stored and part of the room (possibly soft-failed). */
  readonly accepted: boolean;
  /** Passed auth against its auth events but not against current state: stored, not served. */
  readonly softFailed: boolean;
  readonly rejection: EventRejection | null;
}

export interface InputRoomEventsResponse {
  readonly results: readonly InputResult[];
}

// ---------------------------------------------------------------- perform

/** An event a local user wants to send; the roomserver fills in the rest. */
export interface ProtoEvent {
  readonly roomId: string;
  readonly type: string;
  /** Present for state events (`""` allowed). */
  readonly stateKey?: string;
  readonly sender: string;
  readonly content: JsonObject;
  /** For redactions. */
  readonly redacts?: string;
  /** Idempotency: the same device and transaction ID always yield the same event. */
  readonly transaction?: { readonly deviceId: string; readonly transactionId: string };
}

export interface PerformSendEventsRequest {
  readonly events: readonly ProtoEvent[];
}

export interface PerformSendEventsResponse {
  /** One per proto event, in order. A refused event throws M_FORBIDDEN naming the rule instead. */
  readonly eventIds: readonly string[];
}


/** The presets of `POST /createRoom`. */
export type RoomPreset = 'private_chat' | 'public_chat' | 'trusted_private_chat';

/** A state event of `initial_state`. */
export interface InitialStateEvent {
  readonly type: string;
  /** Defaults to `""`. */
  readonly stateKey?: string;
  readonly content: JsonObject;
}

/** `POST /createRoom`'s body, already validated, for a local user. */
export interface PerformCreateRoomRequest {
  readonly userId: string;
  /** The creator's profile, copied into their join event. */
  readonly displayName?: string;
  readonly avatarUrl?: string;
  /** The configured default (`rooms.default_version`) when absent. */
  readonly roomVersion?: string;
  readonly creationContent?: JsonObject;
  /** From `visibility` when absent (`public` → `public_chat`, else `private_chat`). */
  readonly preset?: RoomPreset;
  readonly visibility?: 'public' | 'private';
  readonly powerLevelContentOverride?: JsonObject;
  readonly initialState?: readonly InitialStateEvent[];
  readonly name?: string;
  readonly topic?: string;
  /** User IDs to invite. */
  readonly invite?: readonly string[];
  /** Sets `is_direct` on the invites. */
  readonly isDirect?: boolean;
  /** The local part of an alias on this server, which becomes the canonical alias. */
  readonly roomAliasName?: string;
}

export interface PerformCreateRoomResponse {
  readonly roomId: string;
  /** The alias created from `roomAliasName`, if any. */
  readonly roomAlias: string | null;
}

/** A local user joining a local room. */
export interface PerformJoinRequest {
  /** A room ID, or an alias (ours, or another server's: asked over federation). */
  readonly roomIdOrAlias: string;
  readonly userId: string;
  /** Servers to join through when this server is not in the room (the client's `via`). */
  readonly serverNames?: readonly string[];
  /** Extra member content: `displayname`, `avatar_url`, `reason`. */
  readonly content?: JsonObject;
  /** A guest account: it may join only rooms whose `m.room.guest_access` is `can_join` (spec). */
  readonly isGuest?: boolean;
}

export interface PerformJoinResponse {
  readonly roomId: string;
  readonly eventId: string;
}

/**
 * A membership change a user makes in a room: `invite`, `kick`, `ban`, `unban` of `target`, or
 * `leave` (target = sender). Joins have {@link PerformJoinRequest}.
 */
export interface PerformMembershipRequest {
  readonly action: 'invite' | 'leave' | 'kick' | 'ban' | 'unban';
  readonly roomId: string;
  readonly sender: string;
  readonly target: string;
  readonly reason?: string;
  /** Extra member content (an invite's `is_direct`, the invitee's `displayname`/`avatar_url`). */
  readonly content?: JsonObject;
}

export interface PerformMembershipResponse {
  /** The membership event sent (or, for a repeated leave, the one already in place). */
  readonly eventId: string;
}

/** A local user knocking on a room this server is in (room versions with knocking). */
export interface PerformKnockRequest {
  /** A room ID, or an alias (ours, or another server's: asked over federation). */
  readonly roomIdOrAlias: string;
  readonly userId: string;
  readonly reason?: string;
  /** Extra member content: the knocker's `displayname` and `avatar_url`. */
  readonly content?: JsonObject;
  /** `via`/`server_name`: servers to knock through when this server is not in the room. */
  readonly serverNames?: readonly string[];
}

export interface PerformKnockResponse {
  readonly roomId: string;
  readonly eventId: string;
}

/** `POST /rooms/{roomId}/upgrade`: replaces a room by a new one of another version. */
export interface PerformUpgradeRoomRequest {
  readonly roomId: string;
  readonly userId: string;
  readonly newVersion: string;
  /** v12+: the other creators of the new room (the old room's are not carried over). */
  readonly additionalCreators?: readonly string[];
}

export interface PerformUpgradeRoomResponse {
  /** The ID of the new room. */
  readonly replacementRoom: string;
}

export interface PerformSetRoomAliasRequest {
  readonly alias: string;
  readonly roomId: string;
  readonly userId: string;
}
export interface PerformSetRoomAliasResponse {
  /** false when the alias already existed (nothing changed). */
  readonly created: boolean;
}

export interface PerformRemoveRoomAliasRequest {
  readonly alias: string;
  readonly userId: string;
  /** Server admins may remove any alias. */
  readonly isAdmin?: boolean;
}
export interface PerformRemoveRoomAliasResponse {
  /** false when the alias did not exist. */
  readonly removed: boolean;
}

// ---------------------------------------------------------------- query

export interface QueryRoomInfoRequest {
  readonly roomId: string;
}
export interface QueryRoomInfoResponse {
  readonly exists: boolean;
  readonly roomVersion: string | null;
  /** The latest events (forward extremities). */
  readonly latestEventIds: readonly string[];
}

export interface QueryStateRequest {
  readonly roomId: string;
  /** The state after this event; the current state when absent. */
  readonly atEventId?: string;
  /** Only these entries; every entry when absent. */
  readonly stateTuples?: readonly StateTuple[];
  /** Only entries of these types (e.g. `m.room.member`), combined with `stateTuples` by union. */
  readonly types?: readonly string[];
}
export interface QueryStateResponse {
  readonly found: boolean;
  /**
   * The state events, sorted by type then state key. With their IDs: a v3+ PDU does not carry
   * its `event_id`, and callers should not have to recompute reference hashes.
   */
  readonly events: readonly StoredRoomEvent[];
}

export interface QueryEventsRequest {
  readonly eventIds: readonly string[];
}
export interface StoredRoomEvent {
  readonly eventId: string;
  readonly roomId: string;
  readonly roomVersion: string;
  readonly event: JsonObject;
  readonly rejected: boolean;
  readonly outlier: boolean;
}
export interface QueryEventsResponse {
  /** The known events, in the order asked. */
  readonly events: readonly StoredRoomEvent[];
}

export interface QueryMembershipRequest {
  readonly roomId: string;
  readonly userId: string;
}
export interface QueryMembershipResponse {
  /** The user's current membership, or null if they never had one. */
  readonly membership: string | null;
  readonly eventId: string | null;
}

export interface QueryRoomsForUserRequest {
  readonly userId: string;
  readonly membership: 'join' | 'invite' | 'leave' | 'ban' | 'knock';
}
export interface QueryRoomsForUserResponse {
  readonly roomIds: readonly string[];
}

export interface QueryMembersRequest {
  readonly roomId: string;
  readonly membership?: string;
}
export interface QueryMembersResponse {
  readonly userIds: readonly string[];
}

export interface QueryJoinedServersRequest {
  readonly roomId: string;
}
export interface QueryJoinedServersResponse {
  readonly serverNames: readonly string[];
}

export interface QueryRoomAliasRequest {
  readonly alias: string;
}
export interface QueryRoomAliasResponse {
  /** null when this server holds no such alias. */
  readonly roomId: string | null;
}

export interface QueryAliasesForRoomRequest {
  readonly roomId: string;
}
export interface QueryAliasesForRoomResponse {
  /** The room's aliases on this server, sorted. */
  readonly aliases: readonly string[];
}

/** Every room with current state (the admin room list), or only `roomId` (one room's details). */
export interface QueryRoomListingRequest {
  readonly roomId?: string;
}
/** A room of {@link QueryRoomListingResponse}. */
export interface RoomListingEntry {
  readonly roomId: string;
  readonly roomVersion: string;
  /** Users whose current membership is `join`. */
  readonly joinedMembers: number;
  /** Those of them on this server. */
  readonly joinedLocalMembers: number;
  /** Published in the server's own room directory. */
  readonly published: boolean;
}
export interface QueryRoomListingResponse {
  /** Sorted by room ID. */
  readonly rooms: readonly RoomListingEntry[];
}

// ---------------------------------------------------------------- directory, forgetting, reports

/** Whether a room is listed in the server's published room directory. */
export type RoomVisibility = 'public' | 'private';

export interface QueryRoomVisibilityRequest {
  readonly roomId: string;
}
export interface QueryRoomVisibilityResponse {
  /** false when the roomserver has no state for the room (the visibility is then `private`). */
  readonly exists: boolean;
  readonly visibility: RoomVisibility;
}

/**
 * Publishes or unpublishes a room in the server's own directory list. Allowed to server admins
 * and to joined members with the power to send `m.room.canonical_alias` (Synapse's rule).
 */
export interface PerformSetRoomVisibilityRequest {
  readonly roomId: string;
  readonly userId: string;
  readonly isAdmin?: boolean;
  readonly visibility: RoomVisibility;
}
export interface PerformSetRoomVisibilityResponse {
  /** false when the room already had this visibility. */
  readonly changed: boolean;
}

export interface QueryPublicRoomsSummariesRequest {
  /** These rooms (unknown ones left out); every room published in the server's own list when absent. */
  readonly roomIds?: readonly string[];
}
/** What the room directory shows of a room, read from its current state. */
export interface PublicRoomSummary {
  readonly roomId: string;
  readonly name: string | null;
  readonly topic: string | null;
  readonly canonicalAlias: string | null;
  readonly numJoinedMembers: number;
  /** `m.room.history_visibility` is `world_readable`. */
  readonly worldReadable: boolean;
  /** `m.room.guest_access` is `can_join`. */
  readonly guestCanJoin: boolean;
  readonly avatarUrl: string | null;
  readonly joinRule: string | null;
  /** The create event's `type` (e.g. `m.space`). */
  readonly roomType: string | null;
}
export interface QueryPublicRoomsSummariesResponse {
  /** In the order asked (sorted by room ID when every published room was asked for). */
  readonly rooms: readonly PublicRoomSummary[];
}

export interface QueryRoomSummariesRequest {
  /** The rooms to summarise; rooms without state here are left out. */
  readonly roomIds: readonly string[];
  /** Whose membership each summary carries; none when absent (an unauthenticated client). */
  readonly userId?: string;
}
/** One `m.space.child` state event of a space's current state, as sent (not validated). */
export interface SpaceChildState {
  /** The child's room ID. */
  readonly stateKey: string;
  readonly sender: string;
  readonly originServerTs: number;
  readonly content: JsonObject;
}
/** What the room summary and space hierarchy endpoints show of a room, read from its current state. */
export interface RoomSummary extends PublicRoomSummary {
  readonly roomVersion: string;
  /** `m.room.encryption`'s `algorithm`. */
  readonly encryption: string | null;
  /** The `m.room_membership` rooms of a `restricted` or `knock_restricted` join rule; empty otherwise. */
  readonly allowedRoomIds: readonly string[];
  /** The asking user's current membership; null when none or no user was named. */
  readonly membership: string | null;
  /** Every `m.space.child` event of a space (`roomType` `m.space`); empty for other rooms. */
  readonly childrenState: readonly SpaceChildState[];
}
export interface QueryRoomSummariesResponse {
  /** In the order asked, unknown rooms left out. */
  readonly rooms: readonly RoomSummary[];
}

export interface PerformForgetRoomRequest {
  readonly roomId: string;
  readonly userId: string;
}
export interface PerformForgetRoomResponse {
  /** false when the user never was in the room (nothing to forget). */
  readonly forgotten: boolean;
}

export interface QueryForgottenRoomsRequest {
  readonly userId: string;
}
export interface QueryForgottenRoomsResponse {
  /** Rooms the user forgot and has not been back in since, sorted. */
  readonly roomIds: readonly string[];
}

/** A content report: of an event (`roomId` + `eventId`), a room (`roomId`) or a user (`targetUserId`). */
export interface ContentReport {
  readonly kind: 'event' | 'room' | 'user';
  readonly reporterId: string;
  readonly roomId?: string;
  readonly eventId?: string;
  readonly targetUserId?: string;
  /** May be empty. */
  readonly reason: string;
  /** The legacy score of event reports (-100 … 0). */
  readonly score?: number;
}
export type PerformReportRequest = ContentReport;
export interface PerformReportResponse {
  readonly reportId: number;
}

export interface QueryReportsRequest {
  /** Reports after this ID (default 0: from the first). */
  readonly afterId?: number;
  /** Default 100. */
  readonly limit?: number;
}
/** A report as stored, for admins. */
export interface StoredContentReport {
  readonly reportId: number;
  readonly kind: 'event' | 'room' | 'user';
  readonly reporterId: string;
  readonly roomId: string | null;
  readonly eventId: string | null;
  readonly targetUserId: string | null;
  readonly reason: string;
  readonly score: number | null;
  /** When it was received (ms since the epoch). */
  readonly receivedTs: number;
}
export interface QueryReportsResponse {
  /** Oldest first. */
  readonly reports: readonly StoredContentReport[];
}

// ---------------------------------------------------------------- federation reads (state before an event, auth chains, DAG walks)

export interface QueryStateBeforeEventRequest {
  readonly roomId: string;
  readonly eventId: string;
  /** Only the event IDs (`/state_ids`): `events` stays empty. */
  readonly idsOnly?: boolean;
}
export interface QueryStateBeforeEventResponse {
  /** false when the event is unknown, of another room, an outlier or rejected. */
  readonly found: boolean;
  /** The state before the event (not including the event's own change), sorted. */
  readonly eventIds: readonly string[];
  /** Those events (empty with `idsOnly`). */
  readonly events: readonly StoredRoomEvent[];
}

export interface QueryAuthChainRequest {
  readonly eventIds: readonly string[];
  /** Only the event IDs: `events` stays empty. */
  readonly idsOnly?: boolean;
}
export interface QueryAuthChainResponse {
  /** The stored auth chain of the events (not the events themselves unless reached), by depth then ID. */
  readonly eventIds: readonly string[];
  readonly events: readonly StoredRoomEvent[];
}

/** `/backfill`: the given events and those before them. */
export interface QueryBackfillRequest {
  readonly roomId: string;
  readonly eventIds: readonly string[];
  /** The most events returned, the given ones included. */
  readonly limit: number;
}
export interface QueryBackfillResponse {
  /** Deepest first; outliers, rejected and soft-failed events left out. */
  readonly events: readonly StoredRoomEvent[];
}

/** `/get_missing_events`: the events before `latestEvents`, not walking past `earliestEvents`. */
export interface QueryMissingEventsRequest {
  readonly roomId: string;
  readonly earliestEvents: readonly string[];
  readonly latestEvents: readonly string[];
  readonly limit: number;
  /** Events shallower than this end the walk (default 0). */
  readonly minDepth?: number;
}
export interface QueryMissingEventsResponse {
  /** Oldest first (by depth); neither the latest nor the earliest events themselves. */
  readonly events: readonly StoredRoomEvent[];
}

// ---------------------------------------------------------------- federation membership (make_*/send_*, invites)

/** The fields a remote server asks a membership template for (`make_join`, `make_leave`, `make_knock`). */
export interface EventTemplateProto {
  readonly type: string;
  readonly stateKey?: string;
  readonly sender: string;
  readonly content: JsonObject;
}
export interface QueryEventTemplateRequest {
  readonly roomId: string;
  readonly proto: EventTemplateProto;
}
export interface QueryEventTemplateResponse {
  readonly roomVersion: string;
  /**
   * The unsigned, unhashed PDU on the room's current head (prev and auth events, depth, time;
   * `origin` for rooms whose event IDs are chosen by servers, and no `event_id`: the sender's
   * server mints it). It passed the auth rules against the current state.
   */
  readonly event: JsonObject;
}

/** An invite another server sent us for one of our users (`PUT /invite`), already signed by us. */
export interface PerformReceiveInviteRequest {
  readonly event: JsonObject;
  readonly roomVersion: string;
  /** The stripped state the inviting server sent, kept as the event's `unsigned.invite_room_state`. */
  readonly inviteRoomState: readonly JsonObject[];
  /** The inviting server: its signature is checked. */
  readonly origin: string;
}
export interface PerformReceiveInviteResponse {
  readonly eventId: string;
  /** Stored as an outlier (a local user is joined: the invite reaches the room's DAG through `/send`). */
  readonly outlier: boolean;
}

// ---------------------------------------------------------------- history visibility, time, deactivation

/**
 * Which of some events a reader may see, by history visibility at each event. The reader is a
 * user (`userId`), a server (`serverName`, for federation), or neither: an anonymous reader, who
 * sees world-readable events only.
 */
export interface QueryEventVisibilityRequest {
  readonly eventIds: readonly string[];
  readonly userId?: string;
  readonly serverName?: string;
}
export interface EventVisibility {
  readonly eventId: string;
  /** false too for unknown, rejected and soft-failed events, and outliers other than the user's own membership. */
  readonly visible: boolean;
}
export interface QueryEventVisibilityResponse {
  /** One per event asked, in order. */
  readonly events: readonly EventVisibility[];
}

/** `timestamp_to_event`: the room's event closest to `ts` in direction `dir`. */
export interface QueryEventByTimestampRequest {
  readonly roomId: string;
  /** ms since the epoch. */
  readonly ts: number;
  /** `f`: the first event at or after `ts`; `b`: the last at or before it. */
  readonly dir: 'f' | 'b';
}
export interface QueryEventByTimestampResponse {
  /** null when the room has no such event (outliers, rejected and soft-failed events never count). */
  readonly event: { readonly eventId: string; readonly originServerTs: number } | null;
}

/** A deactivated account leaves its rooms: leaves joined ones, rejects invites, rescinds knocks. */
export interface PerformLeaveAllRoomsRequest {
  readonly userId: string;
  readonly reason?: string;
}
export interface PerformLeaveAllRoomsResponse {
  /** Rooms left (or invites rejected, knocks rescinded), sorted. */
  readonly leftRoomIds: readonly string[];
  /** Rooms where the leave failed (logged), sorted. */
  readonly failedRoomIds: readonly string[];
}

// ---------------------------------------------------------------- backfill (history older than we hold)

/** Fetches older events of a room from the servers in it and places them below what we hold. */
export interface PerformBackfillRequest {
  readonly roomId: string;
  /** Where to continue from; the room's earliest backward extremities when absent. */
  readonly fromEventIds?: readonly string[];
  /** The most events asked of the other server (≤ 100). */
  readonly limit: number;
}
export interface PerformBackfillResponse {
  /**
   * The events newly placed in the room (oldest first), each published as `backfilled_events`;
   * empty when there was nothing to fetch, no server answered, or nothing new could be placed.
   */
  readonly eventIds: readonly string[];
}

/** What the syncapi calls to page past the history it holds. */
export interface BackfillRoomserverAPI {
  performBackfill(req: PerformBackfillRequest): Promise<PerformBackfillResponse>;
}

// ---------------------------------------------------------------- interfaces

/** What the clientapi calls. */
export interface ClientRoomserverAPI {
  performSendEvents(req: PerformSendEventsRequest): Promise<PerformSendEventsResponse>;
  performCreateRoom(req: PerformCreateRoomRequest): Promise<PerformCreateRoomResponse>;
  performJoin(req: PerformJoinRequest): Promise<PerformJoinResponse>;
  performMembership(req: PerformMembershipRequest): Promise<PerformMembershipResponse>;
  performKnock(req: PerformKnockRequest): Promise<PerformKnockResponse>;
  performUpgradeRoom(req: PerformUpgradeRoomRequest): Promise<PerformUpgradeRoomResponse>;
  performSetRoomAlias(req: PerformSetRoomAliasRequest): Promise<PerformSetRoomAliasResponse>;
  performRemoveRoomAlias(req: PerformRemoveRoomAliasRequest): Promise<PerformRemoveRoomAliasResponse>;
  queryRoomAlias(req: QueryRoomAliasRequest): Promise<QueryRoomAliasResponse>;
  queryAliasesForRoom(req: QueryAliasesForRoomRequest): Promise<QueryAliasesForRoomResponse>;
  queryRoomInfo(req: QueryRoomInfoRequest): Promise<QueryRoomInfoResponse>;
  queryState(req: QueryStateRequest): Promise<QueryStateResponse>;
  queryEvents(req: QueryEventsRequest): Promise<QueryEventsResponse>;
  queryMembership(req: QueryMembershipRequest): Promise<QueryMembershipResponse>;
  queryRoomsForUser(req: QueryRoomsForUserRequest): Promise<QueryRoomsForUserResponse>;
  queryMembers(req: QueryMembersRequest): Promise<QueryMembersResponse>;
  queryJoinedServers(req: QueryJoinedServersRequest): Promise<QueryJoinedServersResponse>;
  queryRoomVisibility(req: QueryRoomVisibilityRequest): Promise<QueryRoomVisibilityResponse>;
  performSetRoomVisibility(req: PerformSetRoomVisibilityRequest): Promise<PerformSetRoomVisibilityResponse>;
  queryPublicRoomsSummaries(req: QueryPublicRoomsSummariesRequest): Promise<QueryPublicRoomsSummariesResponse>;
  queryRoomSummaries(req: QueryRoomSummariesRequest): Promise<QueryRoomSummariesResponse>;
  performForgetRoom(req: PerformForgetRoomRequest): Promise<PerformForgetRoomResponse>;
  queryForgottenRooms(req: QueryForgottenRoomsRequest): Promise<QueryForgottenRoomsResponse>;
  performReport(req: PerformReportRequest): Promise<PerformReportResponse>;
  queryReports(req: QueryReportsRequest): Promise<QueryReportsResponse>;
  queryEventVisibility(req: QueryEventVisibilityRequest): Promise<QueryEventVisibilityResponse>;
  queryEventByTimestamp(req: QueryEventByTimestampRequest): Promise<QueryEventByTimestampResponse>;
  performLeaveAllRooms(req: PerformLeaveAllRoomsRequest): Promise<PerformLeaveAllRoomsResponse>;
  queryRoomListing(req: QueryRoomListingRequest): Promise<QueryRoomListingResponse>;
}

/** What the federationapi calls. */
export interface FederationRoomserverAPI
  extends Pick<ClientRoomserverAPI, 'queryRoomInfo' | 'queryState' | 'queryEvents' | 'queryMembership'> {
  inputRoomEvents(req: InputRoomEventsRequest): Promise<InputRoomEventsResponse>;
  queryJoinedServers(req: QueryJoinedServersRequest): Promise<QueryJoinedServersResponse>;
  queryStateBeforeEvent(req: QueryStateBeforeEventRequest): Promise<QueryStateBeforeEventResponse>;
  queryAuthChain(req: QueryAuthChainRequest): Promise<QueryAuthChainResponse>;
  queryBackfill(req: QueryBackfillRequest): Promise<QueryBackfillResponse>;
  queryMissingEvents(req: QueryMissingEventsRequest): Promise<QueryMissingEventsResponse>;
  queryEventTemplate(req: QueryEventTemplateRequest): Promise<QueryEventTemplateResponse>;
  performReceiveInvite(req: PerformReceiveInviteRequest): Promise<PerformReceiveInviteResponse>;
}

/** What the userapi calls (its user directory reads rooms it first sees mid-stream). */
export type UserRoomserverAPI = Pick<ClientRoomserverAPI, 'queryState' | 'queryEvents'>;

/** What the syncapi calls (rooms first seen mid-stream, state it never saw, history visibility, forgotten rooms for `include_leave`). */
export type SyncRoomserverAPI = Pick<ClientRoomserverAPI, 'queryState' | 'queryEvents' | 'queryEventVisibility' | 'queryForgottenRooms'> & BackfillRoomserverAPI;

/** The whole API, as served over inthttp. */
export type RoomserverAPI = ClientRoomserverAPI & FederationRoomserverAPI & BackfillRoomserverAPI;

export const RoomserverAPIMethods = {
  inputRoomEvents: true,
  performSendEvents: true,
  performCreateRoom: true,
  performJoin: true,
  performMembership: true,
  performKnock: true,
  performUpgradeRoom: true,
  performSetRoomAlias: true,
  performRemoveRoomAlias: true,
  queryRoomAlias: true,
  queryAliasesForRoom: true,
  queryRoomInfo: true,
  queryState: true,
  queryEvents: true,
  queryMembership: true,
  queryRoomsForUser: true,
  queryMembers: true,
  queryJoinedServers: true,
  queryRoomVisibility: true,
  performSetRoomVisibility: true,
  queryPublicRoomsSummaries: true,
  queryRoomSummaries: true,
  performForgetRoom: true,
  queryForgottenRooms: true,
  performReport: true,
  queryReports: true,
  queryEventVisibility: true,
  queryEventByTimestamp: true,
  performLeaveAllRooms: true,
  queryRoomListing: true,
  queryStateBeforeEvent: true,
  queryAuthChain: true,
  queryBackfill: true,
  queryMissingEvents: true,
  queryEventTemplate: true,
  performReceiveInvite: true,
  performBackfill: true,
} as const satisfies Record<keyof RoomserverAPI, true>;
