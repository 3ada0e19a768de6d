/**
 * `performKnock`: a local user knocks on a room this server is not in (spec "Knocking upon a
 * room"): `make_knock` (offering every version we implement) then `send_knock` through the
 * first candidate that accepts. The signed knock and the room's stripped state the resident
 * server answers with (`knock_room_state`) come back for the roomserver to record, so the
 * user's sync shows the room under `knock`.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { ROOM_VERSIONS } from '../../matrix/room-version.js';
import type { PerformKnockRequest, PerformKnockResponse } from '../api.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { requireClient, tryServers } from './remote-servers.js';
import { signTemplate } from './sign-template.js';

/** Knocks through the first candidate that accepts. */
export async function performKnock(ctx: FederationInternalContext, req: PerformKnockRequest): Promise<PerformKnockResponse> {
  const client = requireClient(ctx);
  const room = encodeURIComponent(req.roomId);
  return tryServers(ctx, req.serverNames, 'knock', req.roomId, async (server) => {
    const template = await client.request({
      method: 'GET',
      destination: server,
      path: `/_matrix/federation/v1/make_knock/${room}/${encodeURIComponent(req.userId)}`,
      query: { ver: [...ROOM_VERSIONS.keys()] },
    });
    const knock = signTemplate(ctx, template, { roomId: req.roomId, userId: req.userId, membership: 'knock', content: req.content });
    const answer = await client.request<unknown>({ method: 'PUT', destination: server, path: `/_matrix/federation/v1/send_knock/${room}/${encodeURIComponent(knock.eventId)}`, body: knock.json });
    const stripped = isJsonObject(answer) && Array.isArray(answer.knock_room_state) ? answer.knock_room_state.filter(isJsonObject) : [];
    return { eventId: knock.eventId, event: knock.json, roomVersion: knock.roomVersion.id, knockRoomState: stripped as JsonObject[] };
  });
}
