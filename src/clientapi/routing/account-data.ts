/**
 * Account data, global and per room: a user reads and writes only their own. The types the
 * server manages itself (`m.fully_read` via read markers, `m.push_rules` via the push rules API)
 * cannot be written here: 405 M_BAD_JSON, as the spec says.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import { parseRoomId } from '../../matrix/ids/room-id.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** Account data types only the server writes. */
export const SERVER_MANAGED_TYPES: ReadonlySet<string> = new Set(['m.fully_read', 'm.push_rules']);

const Global = Type.Object({ userId: Type.String(), type: Type.String() });
const InRoom = Type.Object({ userId: Type.String(), roomId: Type.String(), type: Type.String() });
const Content = Type.Record(Type.String(), Type.Unknown());

/** 403 unless the requester is the user in the path. */
export function requireOwnAccount(requester: Requester | undefined, userId: string, verb: 'read' | 'change'): void {
  if (requester?.userId !== userId) throw MatrixError.forbidden(`You cannot ${verb} another user's account data`);
}

/** 400 M_INVALID_PARAM unless `roomId` is a room ID. */
export function checkRoomIdParam(roomId: string): void {
  const parsed = parseRoomId(roomId);
  if (!parsed.ok) throw MatrixError.invalidParam(`${roomId} is not a valid room ID: ${parsed.reason}`);
}

function checkWritable(type: string): void {
  if (SERVER_MANAGED_TYPES.has(type)) throw new MatrixError(405, 'M_BAD_JSON', `Cannot set ${type} through this API`);
}

export function accountDataRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const api = deps.userApi;
  async function read(userId: string, roomId: string | undefined, type: string): Promise<object> {
    const { entries } = await api.queryAccountData({ userId, roomId, type });
    const entry = entries.find((e) => e.type === type && e.roomId === (roomId ?? null));
    if (!entry) throw MatrixError.notFound('Account data not found');
    return entry.content;
  }
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/user/:userId/account_data/:type',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Global },
      handler: async ({ params, requester }) => {
        requireOwnAccount(requester, params.userId, 'read');
        return read(params.userId, undefined, params.type);
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/user/:userId/account_data/:type',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Global, body: Content },
      handler: async ({ params, body, requester }) => {
        requireOwnAccount(requester, params.userId, 'change');
        checkWritable(params.type);
        await api.performAccountDataUpdate({ userId: params.userId, type: params.type, content: body });
        return {};
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/user/:userId/rooms/:roomId/account_data/:type',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: InRoom },
      handler: async ({ params, requester }) => {
        requireOwnAccount(requester, params.userId, 'read');
        checkRoomIdParam(params.roomId);
        return read(params.userId, params.roomId, params.type);
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/user/:userId/rooms/:roomId/account_data/:type',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: InRoom, body: Content },
      handler: async ({ params, body, requester }) => {
        requireOwnAccount(requester, params.userId, 'change');
        checkRoomIdParam(params.roomId);
        checkWritable(params.type);
        await api.performAccountDataUpdate({ userId: params.userId, roomId: params.roomId, type: params.type, content: body });
        return {};
      },
    }),
  ];
}
