/**
 * The `pdu` stream: rooms. Positions are the syncapi's own stream positions of room events.
 *
 * Initial sync: every joined room with its latest events and the full state at their start;
 * every pending invite and knock with its stripped state. (Left rooms wait for `include_leave`.)
 *
 * Incremental sync from `from` to `to`: the user's membership events in the range decide, per
 * room, by the last one — `join`: the room's new events, with the full state when the user
 * (re)joined in the range; `leave`/`ban`: a `leave` section whose timeline ends with that event
 * (only that event when the user never was joined: a rejected invite or withdrawn knock);
 * `invite`/`knock`: the stripped state. Rooms joined all along appear when they have new events
 * (one scan of the range finds which), or all of them with `full_state`.
 */
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
      const plans = ctx.memberships
        .filter((m) => m.membership === 'join')
        .map((m): RoomPlan => ({ roomId: m.roomId, section: 'join', after: 0, upTo: to, state: 'full', visibleFrom: m.addedAt, summary: 'always' }));
      await writeRooms(deps, ctx, plans);
      await writeStrippedRooms(deps.storage, ctx, ctx.memberships.filter((m) => m.membership === 'invite' || m.membership === 'knock'));
    },
    async incremental(ctx, from, to) {
      // Nothing happened anywhere: the idle long-poll's re-check costs no query.
      if (to <= from && !ctx.fullState) return;
      const changes = groupByRoom(await deps.storage.membershipEvents(ctx.userId, from, to));
      const prior = await deps.storage.membershipsAt(ctx.userId, [...changes.keys()], from);
      const plans: RoomPlan[] = [];
      const stripped: Array<Pick<UserMembership, 'roomId' | 'eventId' | 'membership'>> = [];
      for (const [roomId, list] of changes) {
        const plan = planChangedRoom(ctx, roomId, prior.get(roomId) ?? null, list, from, to);
        if (plan) plans.push(plan);
        else stripped.push({ roomId, eventId: list.at(-1)!.eventId, membership: list.at(-1)!.membership });
      }
      const unchanged = ctx.memberships.filter((m) => m.membership === 'join' && !changes.has(m.roomId));
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
      await writeRooms(deps, ctx, plans);
      await writeStrippedRooms(deps.storage, ctx, stripped);
    },
  };
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

function groupByRoom(events: readonly MembershipEvent[]): Map<string, MembershipEvent[]> {
  const out = new Map<string, MembershipEvent[]>();
  for (const e of events) {
    const list = out.get(e.roomId) ?? [];
    list.push(e);
    out.set(e.roomId, list);
  }
  return out;
}
