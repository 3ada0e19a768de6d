/**
 * `performJoin`: a local user joins a room this server is not in (spec "Joining Rooms"). For
 * each candidate server in turn: `make_join` (offering every room version we implement), our
 * join event from its template, `send_join` v2; then the answer's auth chain and state go to the
 * roomserver as outliers (each checked against its own auth events, signatures verified), and
 * the join as a new event whose state before is the state the resident server sent. The
 * roomserver's checks decide: a join that is not accepted fails here, and the next server is
 * tried.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { ROOM_VERSIONS } from '../../matrix/room-version.js';
import type { FederationClient } from '../client/federation-client.js';
import type { PerformJoinRequest, PerformJoinResponse } from '../api.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { ingestRemoteState } from './ingest-remote-state.js';
import { requireClient, tryServers } from './remote-servers.js';
import { signTemplate } from './sign-template.js';

/** Every version we can join, as `make_join`'s repeated `ver`. */
const SUPPORTED_VERSIONS = [...ROOM_VERSIONS.keys()];

/** Joins through the first candidate that accepts. */
export async function performJoin(ctx: FederationInternalContext, req: PerformJoinRequest): Promise<PerformJoinResponse> {
  const client = requireClient(ctx);
  return tryServers(ctx, req.serverNames, 'join', req.roomId, (server) => joinVia(ctx, client, server, req));
}

async function joinVia(ctx: FederationInternalContext, client: Pick<FederationClient, 'request'>, server: string, req: PerformJoinRequest): Promise<PerformJoinResponse> {
  const room = encodeURIComponent(req.roomId);
  const template = await client.request({
    method: 'GET',
    destination: server,
    path: `/_matrix/federation/v1/make_join/${room}/${encodeURIComponent(req.userId)}`,
    query: { ver: SUPPORTED_VERSIONS },
  });
  const join = signTemplate(ctx, template, { roomId: req.roomId, userId: req.userId, membership: 'join', content: req.content });
  const answer = await client.request<unknown>({
    method: 'PUT',
    destination: server,
    path: `/_matrix/federation/v2/send_join/${room}/${encodeURIComponent(join.eventId)}`,
    body: join.json,
    timeoutMs: 300_000,
  });
  if (!isJsonObject(answer) || !Array.isArray(answer.state) || !Array.isArray(answer.auth_chain)) {
    throw MatrixError.unknown(`${server} answered send_join without state and auth_chain`, 502);
  }
  const joinJson = countersigned(join, answer.event);
  const state = answer.state.filter(isJsonObject);
  const authChain = answer.auth_chain.filter(isJsonObject);
  const result = await ingestRemoteState(ctx, { origin: server, roomVersion: join.roomVersion.id, state, authChain, event: joinJson });
  if (!result.accepted || result.softFailed) {
    const why = result.rejection ? `${result.rejection.reason} (${result.rejection.rule})` : 'soft-failed';
    throw MatrixError.forbidden(`The join through ${server} was not accepted here: ${why}`);
  }
  return { roomId: req.roomId, eventId: join.eventId, joinedVia: server };
}

/**
 * The join to store: the resident server's copy when it added its signature (a restricted join
 * authorised by one of its users), provided it is still our event — same ID, our signature kept.
 */
function countersigned(join: RoomEvent, returned: unknown): JsonObject {
  if (!isJsonObject(returned) || !isJsonObject(returned.signatures)) return join.json;
  const ours = isJsonObject(join.json.signatures) ? join.json.signatures : {};
  const merged = { ...returned.signatures, ...ours };
  return { ...join.json, signatures: merged };
}
