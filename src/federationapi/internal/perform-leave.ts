/**
 * `performLeave`: a local user leaves a room this server is not in — in practice, rejects an
 * invite (spec "Leaving Rooms (Rejecting Invites)"): `make_leave` then `send_leave` v2 through
 * the first candidate that accepts. The signed leave comes back for the roomserver to record.
 */
import type { PerformLeaveRequest, PerformLeaveResponse } from '../api.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { requireClient, tryServers } from './remote-servers.js';
import { signTemplate } from './sign-template.js';

/** Leaves through the first candidate that accepts. */
export async function performLeave(ctx: FederationInternalContext, req: PerformLeaveRequest): Promise<PerformLeaveResponse> {
  const client = requireClient(ctx);
  const room = encodeURIComponent(req.roomId);
  return tryServers(ctx, req.serverNames, 'leave', req.roomId, async (server) => {
    const template = await client.request({ method: 'GET', destination: server, path: `/_matrix/federation/v1/make_leave/${room}/${encodeURIComponent(req.userId)}` });
    const leave = signTemplate(ctx, template, { roomId: req.roomId, userId: req.userId, membership: 'leave', content: req.content });
    await client.request({ method: 'PUT', destination: server, path: `/_matrix/federation/v2/send_leave/${room}/${encodeURIComponent(leave.eventId)}`, body: leave.json });
    return { eventId: leave.eventId, event: leave.json, roomVersion: leave.roomVersion.id };
  });
}
