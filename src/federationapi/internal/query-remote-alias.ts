/**
 * `queryRemoteAlias`: what another server's alias points at (`/query/directory` to the alias's
 * server, the only one that may answer for it). A 404 there is "no such alias"; any other
 * failure is an error for the client.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseRoomAlias } from '../../matrix/ids/room-alias.js';
import { isJsonObject } from '../../matrix/json.js';
import { FederationRequestError } from '../client/federation-request-error.js';
import type { QueryRemoteAliasRequest, QueryRemoteAliasResponse } from '../api.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { noServerCouldError, requireClient } from './remote-servers.js';

/** Asks the alias's server. */
export async function queryRemoteAlias(ctx: FederationInternalContext, req: QueryRemoteAliasRequest): Promise<QueryRemoteAliasResponse> {
  const parsed = parseRoomAlias(req.alias);
  if (!parsed.ok) throw MatrixError.invalidParam(`Invalid room alias: ${parsed.reason}`);
  const server = parsed.value.serverName;
  let answer: unknown;
  try {
    answer = await requireClient(ctx).request<unknown>({ method: 'GET', destination: server, path: '/_matrix/federation/v1/query/directory', query: { room_alias: req.alias } });
  } catch (e) {
    if (e instanceof FederationRequestError && e.kind === 'http' && e.status === 404) return { roomId: null, servers: [] };
    throw noServerCouldError('look up the alias', [server], e);
  }
  if (!isJsonObject(answer) || typeof answer.room_id !== 'string') throw MatrixError.unknown(`${server} answered the alias query without a room_id`, 502);
  const servers = Array.isArray(answer.servers) ? answer.servers.filter((s): s is string => typeof s === 'string') : [];
  return { roomId: answer.room_id, servers: servers.includes(server) ? servers : [server, ...servers] };
}
