/**
 * The `/sync` response as the stream providers fill it in: plain data, events as {@link RawJson}
 * where they come from storage. Every section the spec defines is present from the start with
 * its empty shape (`to_device.events: []`, `device_lists: {changed: [], left: []}` …), so a
 * stream nobody has written yet still answers correctly; rooms appear only when they have
 * something to say.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { RawJson } from './raw-json.js';

/** An event as a response carries it: stored text, or an object built for this response. */
export type ResponseEvent = RawJson | JsonObject;

export interface TimelineSection {
  events: ResponseEvent[];
  limited: boolean;
  prev_batch?: string;
}

export interface RoomSummarySection {
  'm.heroes'?: string[];
  'm.joined_member_count'?: number;
  'm.invited_member_count'?: number;
}

export interface JoinedRoomSection {
  summary?: RoomSummarySection;
  /** The state at the timeline's start; absent when `use_state_after` asked for `state_after` instead. */
  state?: { events: ResponseEvent[] };
  /** `use_state_after=true` only: the state at the timeline's end (see {@link useStateAfter}). */
  state_after?: { events: ResponseEvent[] };
  timeline: TimelineSection;
  ephemeral: { events: ResponseEvent[] };
  account_data: { events: ResponseEvent[] };
  unread_notifications: { highlight_count?: number; notification_count?: number };
  /** Only for a timeline filter with `unread_thread_notifications`, and threads with unread notifications. */
  unread_thread_notifications?: Record<string, { highlight_count: number; notification_count: number }>;
}

export interface LeftRoomSection {
  state?: { events: ResponseEvent[] };
  state_after?: { events: ResponseEvent[] };
  timeline: TimelineSection;
  account_data: { events: ResponseEvent[] };
}

export interface SyncResponse {
  next_batch: string;
  rooms: {
    join: Record<string, JoinedRoomSection>;
    /** Stripped state, stored as one JSON array per invite or knock. */
    invite: Record<string, { invite_state: { events: ResponseEvent[] | RawJson } }>;
    knock: Record<string, { knock_state: { events: ResponseEvent[] | RawJson } }>;
    leave: Record<string, LeftRoomSection>;
  };
  account_data: { events: ResponseEvent[] };
  presence: { events: ResponseEvent[] };
  to_device: { events: ResponseEvent[] };
  device_lists: { changed: string[]; left: string[] };
  device_one_time_keys_count: Record<string, number>;
  /** Set by `one-time-key-counts.ts` once the streams are done. */
  device_unused_fallback_key_types?: string[];
}

/** An empty response (its `next_batch` set when the streams are done). */
export function emptySyncResponse(): SyncResponse {
  return {
    next_batch: '',
    rooms: { join: {}, invite: {}, knock: {}, leave: {} },
    account_data: { events: [] },
    presence: { events: [] },
    to_device: { events: [] },
    device_lists: { changed: [], left: [] },
    device_one_time_keys_count: {},
  };
}

/** The joined room's section, created empty on first use. */
export function joinedRoom(res: SyncResponse, roomId: string): JoinedRoomSection {
  let room = res.rooms.join[roomId];
  if (!room) {
    room = {
      state: { events: [] },
      timeline: { events: [], limited: false },
      ephemeral: { events: [] },
      account_data: { events: [] },
      unread_notifications: {},
    };
    res.rooms.join[roomId] = room;
  }
  return room;
}

/** The left room's section, created empty on first use. */
export function leftRoom(res: SyncResponse, roomId: string): LeftRoomSection {
  let room = res.rooms.leave[roomId];
  if (!room) {
    room = { state: { events: [] }, timeline: { events: [], limited: false }, account_data: { events: [] } };
    res.rooms.leave[roomId] = room;
  }
  return room;
}

/**
 * Whether the response tells the client anything beyond a new token: a long-poll returns as soon
 * as this holds. (One-time key counts are always present once written and do not count.)
 */
export function hasUpdates(res: SyncResponse): boolean {
  const r = res.rooms;
  return (
    Object.keys(r.join).length > 0 ||
    Object.keys(r.invite).length > 0 ||
    Object.keys(r.knock).length > 0 ||
    Object.keys(r.leave).length > 0 ||
    res.account_data.events.length > 0 ||
    res.presence.events.length > 0 ||
    res.to_device.events.length > 0 ||
    res.device_lists.changed.length > 0 ||
    res.device_lists.left.length > 0
  );
}

/**
 * For `use_state_after=true`: every room's `state` becomes its `state_after` (the providers then
 * wrote the state at the timeline's end there), present even when empty, as the spec requires.
 */
export function useStateAfter(res: SyncResponse): void {
  for (const room of [...Object.values(res.rooms.join), ...Object.values(res.rooms.leave)]) {
    room.state_after = room.state ?? { events: [] };
    delete room.state;
  }
}
