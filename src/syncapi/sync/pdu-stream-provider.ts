/**
 * The `pdu` stream: rooms. Positions are the syncapi's own stream positions of room events.
 *
 * Initial sync: every joined room with its latest events and the full state at their start;
 * every pending invite and knock with its stripped state; left rooms as the filter's room rules
 * say (`room-filter.ts`: with `include_leave` all of them, else only those the user was kicked or
 * banned from; never forgotten ones), each with its timeline up to the leave. `full_state`
 * incremental syncs list old left rooms by the same rules.
 *
 * Incremental sync from `from` to `to`: the user's membership events in the range decide, per
 * room, by the last one — `join`: the room's new events, with the full state when the user
 * (re)joined in the range; `leave`/`ban`: a `leave` section whose timeline ends with that event
 * (only that event when the user never was joined: a rejected invite or withdrawn knock);
 * `invite`/`knock`: the stripped state. Rooms joined all along appear when they have new events
 * (one scan of the range finds which), or all of them with `full_state`.
 *
 * The filter's `room.rooms` / `room.not_rooms` apply to every section first. Initial and
 * `full_state` syncs forget what lazy-loading sent the device (the client starts over).
 */
import { syncLazyLoadOptions } from '../filter/lazy-members.js';
import { includeRoomInSync, roomAllowed, type SyncMembership } from '../filter/room-filter.js';
import { groupByRoom } from '../group-by-room.js';
import type { MembershipEvent, SyncStorage, UserMembership } from '../storage/index.js';
import { rawJson, type RawJson } from './raw-json.js';
import type { StreamProvider, SyncRequestContext } from './stream-provider.js';
import { writeRooms, type RoomPlan, type WriteRoomsDeps } from './write-rooms.js';

/** The `pdu` stream's provider. */
export function pduStreamProvider(deps: WriteRoomsDeps): StreamProvider {
  return {
    stream: 'pdu',
    latest: () => deps.storage.latestPosition(),
    async initial(ctx, to) {
      await forgetSentMembers(deps.storage, ctx);
      const mine = ctx.memberships.filter((m) => roomAllowed(m.roomId, ctx.filter.room));
      const plans = mine
        .filter((m) => m.membership === 'join')
        .map((m): RoomPlan => ({ roomId: m.roomId, section: 'join', after: 0, upTo: to, state: 'full', visibleFrom: m.addedAt, summary: 'always' }));
      plans.push(...(await leftRoomPlans(deps, ctx, mine)));
      await writeRooms(deps, ctx, plans);
      await writeStrippedRooms(deps.storage, ctx, mine.filter((m) => m.membership === 'invite' || m.membership === 'knock'));
    },
    async incremental(ctx, from, to) {
      if (ctx.fullState) await forgetSentMembers(deps.storage, ctx);
      // Nothing happened anywhere: the idle long-poll's re-check costs no query.
      if (to <= from && !ctx.fullState) return;
      const allowed = (e: { roomId: string }) => roomAllowed(e.roomId, ctx.filter.room);
      const changes = groupByRoom((await deps.storage.membershipEvents(ctx.userId, from, to)).filter(allowed));
      const prior = await deps.storage.membershipsAt(ctx.userId, [...changes.keys()], from);
      const plans: RoomPlan[] = [];
      const stripped: Array<Pick<UserMembership, 'roomId' | 'eventId' | 'membership'>> = [];
      for (const [roomId, list] of changes) {
        const plan = planChangedRoom(ctx, roomId, prior.get(roomId) ?? null, list, from, to);
        if (plan) plans.push(plan);
        else stripped.push({ roomId, eventId: list.at(-1)!.eventId, membership: list.at(-1)!.membership });
      }
      const unchanged = ctx.memberships.filter((m) => m.membership === 'join' && !changes.has(m.roomId) && allowed(m));
      const active = ctx.fullState ? undefined : new Set(await deps.storage.activeRooms(from, to));
      for (const m of unchanged) {
        if (active && !active.has(m.roomId)) continue;
        plans.push({
          roomId: m.roomId,
          section: 'join',
          after: from,
          upTo: to,
          state: ctx.fullState ? 'full' : 'delta',
          visibleFrom: m.addedAt,
          summary: ctx.fullState ? 'always' : 'if-members',
        });
      }
      if (ctx.fullState) plans.push(...(await leftRoomPlans(deps, ctx, ctx.memberships.filter((m) => !changes.has(m.roomId) && allowed(m)))));
      await writeRooms(deps, ctx, plans);
      await writeStrippedRooms(deps.storage, ctx, stripped);
    },
  };
}

/** A lazy-loading device syncing from scratch has none of the member events it was sent before. */
async function forgetSentMembers(storage: SyncStorage, ctx: SyncRequestContext): Promise<void> {
  if (ctx.deviceId !== undefined && syncLazyLoadOptions(ctx.filter).enabled) await storage.clearSentMembers(ctx.userId, ctx.deviceId);
}

/**
 * The plans of the rooms among `memberships` the user has left or been banned from, as the
 * filter's room rules let through (`includeRoomInSync`): the timeline up to the leave, with the
 * full state at its start. Events before the leave are all checked against history visibility
 * (where the user's last join began is not known here).
 */
async function leftRoomPlans(deps: WriteRoomsDeps, ctx: SyncRequestContext, memberships: readonly UserMembership[]): Promise<RoomPlan[]> {
  let left = memberships.filter((m) => m.membership === 'leave' || m.membership === 'ban');
  if (left.length === 0) return [];
  if (!ctx.filter.room.includeLeave) {
    const leaves = left.filter((m) => m.membership === 'leave').map((m) => m.eventId);
    const senders = new Map(leaves.length === 0 ? [] : (await deps.storage.eventsByIds(leaves)).map((e) => [e.eventId, e.sender]));
    left = left.filter((m) => {
      const sender = senders.get(m.eventId);
      // An unknown leave (a room first seen mid-stream) counts as the user's own.
      const leftBySelf = sender === undefined || sender === ctx.userId;
      return includeRoomInSync({ roomId: m.roomId, membership: m.membership as SyncMembership, membershipChangedInWindow: false, leftBySelf }, ctx.filter.room);
    });
    if (left.length === 0) return [];
  }
  const forgotten = new Set((await deps.roomserver.queryForgottenRooms({ userId: ctx.userId })).roomIds);
  return left
    .filter((m) => !forgotten.has(m.roomId))
    .map((m): RoomPlan => ({ roomId: m.roomId, section: 'leave', after: 0, upTo: m.addedAt, state: 'full', visibleFrom: m.addedAt, summary: 'if-members' }));
}

/**
 * The plan of a room where the user's membership changed in `(from, to]`, or undefined for an
 * invite or knock (stripped state only). `prior` is the membership at `from`.
 */
export function planChangedRoom(
  ctx: Pick<SyncRequestContext, 'fullState'>,
  roomId: string,
  prior: string | null,
  list: readonly MembershipEvent[],
  from: number,
  to: number,
): RoomPlan | undefined {
  // Where the latest run of `join` began: 0 when the user was joined at `from` and stayed so.
  let runStart: number | undefined = prior === 'join' ? 0 : undefined;
  let previous = prior;
  for (const m of list) {
    if (m.membership === 'join' && previous !== 'join') runStart = m.position;
    previous = m.membership;
  }
  const last = list.at(-1)!;
  const fresh = runStart !== 0;
  const state = ctx.fullState || fresh ? 'full' : 'delta';
  switch (last.membership) {
    case 'join':
      return { roomId, section: 'join', after: from, upTo: to, state, visibleFrom: runStart ?? 0, summary: 'always' };
    case 'invite':
    case 'knock':
      return undefined;
    default:
      // leave or ban: up to the event that ended it; just that event if there was no join.
      if (runStart === undefined) return { roomId, section: 'leave', after: last.position - 1, upTo: last.position, state: 'none', visibleFrom: 0, summary: 'if-members' };
      return { roomId, section: 'leave', after: from, upTo: last.position, state, visibleFrom: runStart, summary: 'if-members' };
  }
}

/** Writes `rooms.invite` / `rooms.knock` from the stripped state stored with each event. */
async function writeStrippedRooms(
  storage: SyncStorage,
  ctx: SyncRequestContext,
  rooms: ReadonlyArray<Pick<UserMembership, 'roomId' | 'eventId' | 'membership'>>,
): Promise<void> {
  if (rooms.length === 0) return;
  const ids = rooms.map((r) => r.eventId);
  const stripped = await storage.strippedState(ids);
  const missing = ids.filter((id) => !stripped.has(id));
  // An event stored without stripped state (read whole from the roomserver) shows just itself.
  for (const e of missing.length > 0 ? await storage.eventsByIds(missing) : []) {
    const ev = JSON.parse(e.json) as Record<string, unknown>;
    stripped.set(e.eventId, JSON.stringify([{ type: ev.type, state_key: ev.state_key, sender: ev.sender, content: ev.content ?? {} }]));
  }
  for (const r of rooms) {
    const text = stripped.get(r.eventId);
    const events: RawJson = rawJson(text ?? '[]');
    if (r.membership === 'invite') ctx.response.rooms.invite[r.roomId] = { invite_state: { events } };
    else ctx.response.rooms.knock[r.roomId] = { knock_state: { events } };
  }
}
