/**
 * `GET /_matrix/client/v1/mutual_rooms`: the rooms where both the requester and `user_id` are
 * joined, from the roomserver's membership table (which holds remote members of our rooms too).
 * Batches of {@link MUTUAL_ROOMS_BATCH} in room-ID order; `next_batch` is the last room ID
 * returned, opaque to clients (base64url), so a room joined or left between two pages neither
 * repeats nor shifts the others. `count` is always the whole intersection.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** Room IDs per answer at most. */
export const MUTUAL_ROOMS_BATCH = 100;

/** The room ID a `from` token continues after; M_INVALID_PARAM when it is not one of ours. */
function roomAfter(from: string): string {
  const roomId = Buffer.from(from, 'base64url').toString('utf8');
  if (!roomId.startsWith('!') || Buffer.from(roomId, 'utf8').toString('base64url') !== from) {
    throw MatrixError.invalidParam('from is not a next_batch token of this endpoint');
  }
  return roomId;
}

export function getMutualRooms(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v1/mutual_rooms',
    auth: 'user',
    rateLimit: 'default',
    schema: { query: Type.Object({ user_id: Type.String(), from: Type.Optional(Type.String()) }) },
    handler: async ({ query, requester }) => {
      const other = query.user_id;
      // Historical IDs are fine (such users are in rooms); the spec refuses non-compliant ones
      // (outside printable ASCII) and the requester's own.
      const parsed = parseUserId(other, { allowHistorical: true });
      if (!parsed.ok || !parsed.value.compliant) throw MatrixError.invalidParam(`user_id ${JSON.stringify(other)} is not a compliant user ID`);
      if (other === requester!.userId) throw MatrixError.invalidParam('user_id is your own user ID');
      const after = query.from === undefined ? undefined : roomAfter(query.from);
      const [mine, theirs] = await Promise.all([
        deps.roomserverApi.queryRoomsForUser({ userId: requester!.userId, membership: 'join' }),
        deps.roomserverApi.queryRoomsForUser({ userId: other, membership: 'join' }),
      ]);
      const shared = new Set(theirs.roomIds);
      const mutual = mine.roomIds.filter((id) => shared.has(id)).sort();
      const rest = after === undefined ? mutual : mutual.filter((id) => id > after);
      const joined = rest.slice(0, MUTUAL_ROOMS_BATCH);
      const last = joined[joined.length - 1];
      return {
        joined,
        count: mutual.length,
        ...(rest.length > joined.length && last !== undefined ? { next_batch: Buffer.from(last, 'utf8').toString('base64url') } : {}),
      };
    },
  });
}
