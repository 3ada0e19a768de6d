/**
 * `queryEventTemplate`: the event a remote user asks us to prepare before joining, leaving or
 * knocking through us (`make_join`, `make_leave`, `make_knock`). It is placed on the room's head
 * exactly as a local send would be (`localEventFields`), checked against the current state so a
 * server learns at once that its user is banned or not invited, and returned unsigned and
 * unhashed: the remote server fills it in, hashes and signs it, and sends it back.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { checkEventAuth } from '../../matrix/auth/check-event-auth.js';
import { buildEvent, protoToPdu } from '../../matrix/build-event.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { JsonObject } from '../../matrix/json.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { ProtoEvent, QueryEventTemplateRequest, QueryEventTemplateResponse } from '../api.js';
import { authStateAt } from './auth-state.js';
import { localEventFields, MAX_LOCAL_PREV_EVENTS } from './build-local-event.js';
import { loadEvents } from './load-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * The template and the room's version.
 * @throws MatrixError 404 when the room has no state (or no head) here; 403 naming the auth rule
 *   when the event would not be allowed by the current state.
 */
export async function queryEventTemplate(ctx: RoomserverInternalContext, req: QueryEventTemplateRequest): Promise<QueryEventTemplateResponse> {
  const { roomId } = req;
  const room = await ctx.storage.getRoomInfo(roomId);
  // A room known only from an invite has state but no head: we cannot build on it.
  if (!room?.hasState || room.forwardExtremities.length === 0) throw MatrixError.notFound(`Unknown room ${roomId}`);
  const rv = roomVersion(room.roomVersion);
  const proto: ProtoEvent = { roomId, ...req.proto };
  const [auth, prevs] = await Promise.all([
    authStateAt(ctx, { currentOf: roomId }, proto, rv),
    loadEvents(ctx, room.forwardExtremities.slice(-MAX_LOCAL_PREV_EVENTS)),
  ]);
  if (!auth) throw MatrixError.notFound(`Unknown room ${roomId}`);
  const fields = localEventFields(ctx, proto, rv, [...prevs.values()], auth);
  // The auth rules read parsed events; signing with our key is only the way to get one.
  const candidate = buildEvent(fields, rv, { serverName: ctx.serverName, key: ctx.signingKey });
  const decision = checkEventAuth(candidate, auth.lookup);
  if (!decision.allowed) throw MatrixError.forbidden(`${decision.reason} (auth rule ${decision.rule})`);
  const { event_id: _minted, ...template } = protoToPdu(fields, rv, ctx.serverName);
  return { roomVersion: rv.id, event: rv.eventIdFormat === 'legacy' ? withOrigin(template, proto.sender) : template };
}

/** Rooms whose servers mint event IDs also name the sending server in `origin`: the sender's. */
function withOrigin(template: JsonObject, sender: string): JsonObject {
  const origin = domainOf(sender);
  return origin === undefined ? template : { ...template, origin };
}
