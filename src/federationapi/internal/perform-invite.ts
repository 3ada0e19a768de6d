/**
 * `performInvite`: a local user invites a user of another server (spec "Inviting to a room").
 * The invite, built and signed here but not stored, goes to the invitee's server with
 * `PUT /v2/invite` (v1 for servers that do not know v2, rooms v1–v2 only); it comes back with
 * that server's signature, which is checked before the roomserver stores and sends it: the
 * returned event must be ours (same ID, same content) and signed by the invitee's server.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { roomVersion } from '../../matrix/room-version.js';
import { verifyEventSignatures } from '../../matrix/verify-event.js';
import { FederationRequestError } from '../client/federation-request-error.js';
import type { PerformInviteRequest, PerformInviteResponse } from '../api.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { noServerCouldError, requireClient } from './remote-servers.js';

/** Sends the invite; the event countersigned by the invitee's server. */
export async function performInvite(ctx: FederationInternalContext, req: PerformInviteRequest): Promise<PerformInviteResponse> {
  const client = requireClient(ctx);
  const rv = roomVersion(req.roomVersion);
  const invite = parseEvent(req.event, rv);
  const target = invite.stateKey;
  if (invite.type !== 'm.room.member' || target === undefined) throw MatrixError.invalidParam('Not an invite event');
  const destination = domainOf(target);
  if (destination === undefined) throw MatrixError.invalidParam(`Invalid invitee ${target}`);
  const path = `/_matrix/federation/v2/invite/${encodeURIComponent(invite.roomId)}/${encodeURIComponent(invite.eventId)}`;
  let answer: unknown;
  try {
    answer = await client.request<unknown>({ method: 'PUT', destination, path, body: { room_version: req.roomVersion, event: req.event, invite_room_state: [...req.inviteRoomState] } });
  } catch (e) {
    if (!(e instanceof FederationRequestError && e.kind === 'http' && (e.status === 404 || e.errcode === 'M_UNRECOGNIZED') && rv.eventIdFormat === 'legacy')) {
      throw noServerCouldError('invite', [destination], e);
    }
    const v1 = await client
      .request<unknown>({
        method: 'PUT',
        destination,
        path: path.replace('/v2/', '/v1/'),
        body: { ...req.event, unsigned: { ...(isJsonObject(req.event.unsigned) ? req.event.unsigned : {}), invite_room_state: [...req.inviteRoomState] } },
      })
      .catch((err: unknown) => {
        throw noServerCouldError('invite', [destination], err);
      });
    answer = Array.isArray(v1) ? v1[1] : v1;
  }
  const returned = isJsonObject(answer) && isJsonObject(answer.event) ? answer.event : undefined;
  if (!returned) throw MatrixError.unknown(`${destination} answered the invite without an event`, 502);
  await checkCountersigned(ctx, invite, returned, destination);
  return { event: { ...req.event, signatures: returned.signatures ?? {} } };
}

/** The returned invite is ours and carries a valid signature of `server`. */
async function checkCountersigned(ctx: FederationInternalContext, ours: RoomEvent, returned: JsonObject, server: string): Promise<void> {
  const rv = ours.roomVersion;
  let theirs: RoomEvent;
  try {
    theirs = parseEvent({ ...ours.json, signatures: returned.signatures ?? {} }, rv);
  } catch (e) {
    throw MatrixError.unknown(`${server} returned an invalid invite: ${(e as Error).message}`, 502);
  }
  const sigs = isJsonObject(theirs.json.signatures) ? theirs.json.signatures[server] : undefined;
  const keyIds = isJsonObject(sigs) ? Object.keys(sigs).filter((k) => k.startsWith('ed25519:')) : [];
  for (const keyId of keyIds) {
    const key = await ctx.keyRing.verifyKey(server, keyId, { atTs: ours.originServerTs, minimumValidUntilTs: rv.enforceKeyValidity ? ours.originServerTs : 0 });
    if (!key.ok) continue;
    if (verifyEventSignatures(theirs.json, rv, [{ serverName: server, keyId, publicKey: key.key.publicKey }]).ok) return;
  }
  throw MatrixError.forbidden(`${server} did not sign the invite with a key we can verify`);
}
