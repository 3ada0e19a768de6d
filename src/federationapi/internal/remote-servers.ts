/**
 * Helpers for talking to other servers in turn: the candidate list (deduplicated, never us),
 * and the error a client sees when none of them could do it.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { FederationRequestError } from '../client/federation-request-error.js';
import type { FederationClient } from '../client/federation-client.js';
import type { FederationInternalContext } from './federation-internal-context.js';

/** The candidates in order, without duplicates and without our own name. */
export function candidateServers(ctx: FederationInternalContext, servers: readonly string[]): string[] {
  return [...new Set(servers)].filter((s) => s !== ctx.serverName && s !== '');
}

/** The client, or a clear error when federation is off. */
export function requireClient(ctx: FederationInternalContext): Pick<FederationClient, 'request'> {
  if (!ctx.client) throw MatrixError.forbidden('Federation is disabled on this server');
  return ctx.client;
}

/**
 * The client-facing error after every candidate failed: a remote Matrix error is passed on with
 * its errcode when it speaks about the request itself (forbidden, incompatible version, not
 * found); transport failures become 502-style `M_UNKNOWN` naming the servers tried.
 */
export function noServerCouldError(action: string, tried: readonly string[], last: unknown): MatrixError {
  if (tried.length === 0) return MatrixError.notFound(`No server to ${action} through`);
  if (last instanceof MatrixError) return last;
  if (last instanceof FederationRequestError && last.kind === 'http' && last.errcode !== undefined) {
    const msg = `${last.destination} refused to ${action}: ${last.error ?? last.errcode}`;
    if (last.errcode === 'M_FORBIDDEN') return MatrixError.forbidden(msg);
    if (last.errcode === 'M_NOT_FOUND') return MatrixError.notFound(msg);
    if (last.errcode === 'M_INCOMPATIBLE_ROOM_VERSION') return MatrixError.unsupportedRoomVersion(msg);
    return MatrixError.unknown(msg, 502);
  }
  const why = last instanceof Error ? last.message : String(last);
  return MatrixError.unknown(`Could not ${action} through ${tried.join(', ')}: ${why}`, 502);
}

/**
 * Runs `attempt` against each candidate in turn until one succeeds (spec: a joining server
 * should try other servers in the room when one fails); its result, or the client-facing
 * error of the last failure.
 */
export async function tryServers<T>(
  ctx: FederationInternalContext,
  candidates: readonly string[],
  action: string,
  roomId: string,
  attempt: (server: string) => Promise<T>,
): Promise<T> {
  const servers = candidateServers(ctx, candidates);
  let last: unknown;
  for (const server of servers) {
    try {
      return await attempt(server);
    } catch (e) {
      last = e;
      ctx.logger?.info({ server, roomId, err: e instanceof Error ? e.message : String(e) }, `remote ${action} failed, trying the next server`);
    }
  }
  throw noServerCouldError(action, servers, last);
}
