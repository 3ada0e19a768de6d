/**
 * `PUT /rooms/{roomId}/typing/{userId}`: a user says they are (or stopped) typing. Nothing is
 * stored; the notification goes out on the ephemeral `OutputTypingEvent` topic for the syncapi
 * and the federationapi. Timeouts default to 30 s and are capped at 120 s, as Synapse does.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { DEFAULT_TYPING_TIMEOUT_MS, MAX_TYPING_TIMEOUT_MS, publishTypingChange } from '../producers/output-typing-event.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { requireJoined } from './room-access.js';

const Params = Type.Object({ roomId: Type.String(), userId: Type.String() });
const Body = Type.Object({
  typing: Type.Boolean(),
  // Optional even with `typing: true`: the spec requires only `typing`.
  timeout: Type.Optional(Type.Integer({ minimum: 0 })),
});

/** The timeout a typing request gets: 0 when it stops typing, else the asked one within the cap. */
export function typingTimeoutMs(typing: boolean, asked: number | undefined): number {
  return typing ? Math.min(asked ?? DEFAULT_TYPING_TIMEOUT_MS, MAX_TYPING_TIMEOUT_MS) : 0;
}

export function roomTypingRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/rooms/:roomId/typing/:userId',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Params, body: Body },
      handler: async ({ params, body, requester }) => {
        if (requester?.userId !== params.userId) throw MatrixError.forbidden("You cannot set another user's typing state");
        await requireJoined(deps.roomserverApi, params.roomId, params.userId);
        await publishTypingChange(deps.bus, {
          roomId: params.roomId,
          userId: params.userId,
          typing: body.typing,
          timeoutMs: typingTimeoutMs(body.typing, body.timeout),
          ts: Date.now(),
        });
        return {};
      },
    }),
  ];
}
