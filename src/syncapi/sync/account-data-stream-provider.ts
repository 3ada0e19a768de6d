/**
 * The `account_data` stream: global account data at the top level, room account data in the
 * rooms' sections. The data and its per-user positions live in the userapi (`queryAccountData`);
 * room entries go to rooms the user is joined to (or just left, in this response). The filter's
 * `account_data` and `room.account_data` (after `room.rooms` / `room.not_rooms`) choose which.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { AccountDataEntry, SyncUserAPI } from '../../userapi/api.js';
import { filterAccountData } from '../filter/account-data-filter.js';
import type { AccountDataPositions } from './account-data-positions.js';
import type { StreamProvider, SyncRequestContext } from './stream-provider.js';
import { joinedRoom } from './sync-response.js';

/** The `account_data` stream's provider. */
export function accountDataStreamProvider(userapi: Pick<SyncUserAPI, 'queryAccountData'>, positions: AccountDataPositions): StreamProvider {
  return {
    stream: 'account_data',
    latest: (ctx) => positions.latest(ctx.userId),
    async initial(ctx, to) {
      const { entries } = await userapi.queryAccountData({ userId: ctx.userId, includeRooms: true });
      write(ctx, entries.filter((e) => e.streamPosition <= to && !e.deleted));
    },
    async incremental(ctx, from, to) {
      if (to <= from) return;
      const { entries } = await userapi.queryAccountData({ userId: ctx.userId, includeRooms: true, since: from });
      write(ctx, entries.filter((e) => e.streamPosition <= to));
    },
  };
}

function write(ctx: SyncRequestContext, entries: readonly AccountDataEntry[]): void {
  const joined = new Set(ctx.memberships.filter((m) => m.membership === 'join').map((m) => m.roomId));
  for (const e of filterAccountData(entries, ctx.filter)) {
    const event: JsonObject = { type: e.type, content: e.content as JsonObject };
    if (e.roomId === null) ctx.response.account_data.events.push(event);
    else if (ctx.response.rooms.leave[e.roomId]) ctx.response.rooms.leave[e.roomId]!.account_data.events.push(event);
    else if (joined.has(e.roomId)) joinedRoom(ctx.response, e.roomId).account_data.events.push(event);
  }
}
