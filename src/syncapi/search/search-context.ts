/**
 * The `context` of a search result (`event_context`): up to `before_limit` events before it and
 * `after_limit` after, read as `/context` reads them (`history/paginate-room.ts`: the room's
 * topological order, the search's filter, only what the user may see), with `start` / `end`
 * tokens that page on with `/messages`. With `include_profile`, `profile_info` holds each
 * sender's display name and avatar as their member event stood at the latest event returned
 * (the state "at" the context, as Synapse reads it).
 *
 * Reading and serving are apart so that a room's results and contexts are served as one batch.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { RoomEventFilter } from '../filter/index.js';
import type { HistoryAccess, HistoryDeps } from '../history/history-access.js';
import { paginateRoom } from '../history/paginate-room.js';
import { encodePoint, pointAfter, pointBefore, ROOM_END, ROOM_START } from '../history/topological-point.js';
import type { SyncEvent, SyncStorage } from '../storage/index.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import type { ContextOptions } from './search-request.js';

/** A sender's profile at the context. */
export interface SearchProfile {
  displayname?: string;
  avatar_url?: string;
}

/** The context of one result as read, its events not yet served. */
export interface ReadContext {
  readonly start: string;
  readonly end: string;
  /** Newest first, as `/context` lists them. */
  readonly before: SyncEvent[];
  readonly after: SyncEvent[];
  readonly profiles: Record<string, SearchProfile> | undefined;
}

/** The `context` object of one result. */
export interface SearchResultContext {
  readonly start: string;
  readonly end: string;
  readonly events_before: ResponseEvent[];
  readonly events_after: ResponseEvent[];
  readonly profile_info?: Record<string, SearchProfile>;
}

/** Reads the context of `event`. */
export async function readResultContext(deps: HistoryDeps, access: HistoryAccess, event: SyncEvent, opts: ContextOptions, filter: RoomEventFilter): Promise<ReadContext> {
  const [before, after] = await Promise.all([
    paginateRoom(deps, { access, from: pointBefore(event), to: ROOM_START, backwards: true, limit: opts.before, filter }),
    paginateRoom(deps, { access, from: pointAfter(event), to: ROOM_END, backwards: false, limit: opts.after, filter }),
  ]);
  const profiles = opts.includeProfile ? await profileInfo(deps.storage, event.roomId, [...before.events, event, ...after.events]) : undefined;
  return { start: encodePoint(before.next), end: encodePoint(after.next), before: before.events, after: after.events, profiles };
}

/** `ctx` with its events served by `serve`. */
export function serveResultContext(ctx: ReadContext, serve: (e: SyncEvent) => ResponseEvent): SearchResultContext {
  return {
    start: ctx.start,
    end: ctx.end,
    events_before: ctx.before.map(serve),
    events_after: ctx.after.map(serve),
    ...(ctx.profiles !== undefined ? { profile_info: ctx.profiles } : {}),
  };
}

/** Each sender's profile from their latest member event up to the latest of `events`. */
async function profileInfo(storage: SyncStorage, roomId: string, events: readonly SyncEvent[]): Promise<Record<string, SearchProfile>> {
  const at = Math.max(...events.map((e) => e.position));
  const members = await storage.memberEventsAt(roomId, [...new Set(events.map((e) => e.sender))], at);
  const out: Record<string, SearchProfile> = {};
  for (const [userId, member] of members) {
    const content = (JSON.parse(member.json) as JsonObject).content;
    const c = isJsonObject(content) ? content : {};
    out[userId] = {
      ...(typeof c.displayname === 'string' ? { displayname: c.displayname } : {}),
      ...(typeof c.avatar_url === 'string' ? { avatar_url: c.avatar_url } : {}),
    };
  }
  return out;
}
