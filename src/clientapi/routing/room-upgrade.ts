/**
 * `POST /rooms/{roomId}/upgrade`: replaces the room by a new one of `new_version`; the
 * roomserver does the spec's steps (performUpgradeRoom). `additional_creators` matters only for
 * versions with privileged creators (v12+) and is ignored for others, as the spec says.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { isValidUserId } from '../../matrix/ids/user-id.js';
import { forbidIfSuspended } from '../auth/forbid-if-suspended.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const Body = Type.Object({
  new_version: Type.String(),
  additional_creators: Type.Optional(Type.Array(Type.String())),
});

export function postRoomUpgrade(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/rooms/:roomId/upgrade',
    auth: 'user',
    rateLimit: 'default',
    schema: { params: Type.Object({ roomId: Type.String() }), body: Body },
    handler: async ({ params, body, requester }) => {
      checkRoomIdParam(params.roomId);
      forbidIfSuspended(requester);
      for (const u of body.additional_creators ?? []) {
        if (!isValidUserId(u)) throw MatrixError.invalidParam(`${u} is not a valid user ID`);
      }
      const { replacementRoom } = await deps.roomserverApi.performUpgradeRoom({
        roomId: params.roomId,
        userId: requester!.userId,
        newVersion: body.new_version,
        additionalCreators: body.additional_creators,
      });
      return { replacement_room: replacementRoom };
    },
  });
}
