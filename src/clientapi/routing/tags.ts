/**
 * Room tags: kept as the room account data `m.tag` (`{tags: {name: {order?}}}`), which is how
 * clients receive them in `/sync`. Reading or changing another user's tags is forbidden.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { byteLength } from '../../matrix/ids/id-result.js';
import { isJsonObject } from '../../matrix/json.js';
import type { ClientUserAPI } from '../../userapi/api.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** The spec's limit on a tag name. */
export const MAX_TAG_BYTES = 255;
const TAG_TYPE = 'm.tag';

const RoomParams = Type.Object({ userId: Type.String(), roomId: Type.String() });
const TagParams = Type.Object({ userId: Type.String(), roomId: Type.String(), tag: Type.String() });

/** The current tags of the room, `{}` when none. */
async function readTags(api: ClientUserAPI, userId: string, roomId: string): Promise<Record<string, unknown>> {
  const { entries } = await api.queryAccountData({ userId, roomId, type: TAG_TYPE });
  const tags = entries.find((e) => e.type === TAG_TYPE && e.roomId === roomId)?.content.tags;
  return isJsonObject(tags) ? { ...tags } : {};
}

function checkAccess(requesterId: string | undefined, userId: string, roomId: string): void {
  if (requesterId !== userId) throw MatrixError.forbidden("You cannot access another user's tags");
  checkRoomIdParam(roomId);
}

export function tagRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const api = deps.userApi;
  const write = (userId: string, roomId: string, tags: Record<string, unknown>) =>
    api.performAccountDataUpdate({ userId, roomId, type: TAG_TYPE, content: { tags } });
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/user/:userId/rooms/:roomId/tags',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RoomParams },
      handler: async ({ params, requester }) => {
        checkAccess(requester?.userId, params.userId, params.roomId);
        return { tags: await readTags(api, params.userId, params.roomId) };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/user/:userId/rooms/:roomId/tags/:tag',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: TagParams, body: Type.Object({ order: Type.Optional(Type.Number()) }) },
      handler: async ({ params, body, requester }) => {
        checkAccess(requester?.userId, params.userId, params.roomId);
        if (byteLength(params.tag) > MAX_TAG_BYTES) throw MatrixError.invalidParam(`Tag names are at most ${MAX_TAG_BYTES} bytes`);
        const tags = await readTags(api, params.userId, params.roomId);
        // fromEntries, not assignment: a tag named "__proto__" must stay an ordinary key.
        await write(params.userId, params.roomId, Object.fromEntries([...Object.entries(tags), [params.tag, body]]));
        return {};
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/_matrix/client/v3/user/:userId/rooms/:roomId/tags/:tag',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: TagParams },
      handler: async ({ params, requester }) => {
        checkAccess(requester?.userId, params.userId, params.roomId);
        const tags = await readTags(api, params.userId, params.roomId);
        if (Object.hasOwn(tags, params.tag)) {
          await write(params.userId, params.roomId, Object.fromEntries(Object.entries(tags).filter(([t]) => t !== params.tag)));
        }
        return {};
      },
    }),
  ];
}
