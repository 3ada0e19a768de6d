/**
 * Server ACLs applied to an authenticated federation origin (spec, server-server "Server Access
 * Control Lists"): the protected endpoints (`make_join`, `send_join`, `state`, `backfill`, …)
 * answer 403 `M_FORBIDDEN` to a denied server, while `/send` drops the denied server's PDUs
 * one by one (with an error in that PDU's result) and its typing and receipt EDUs for the room.
 * The matching itself (case-insensitive globs, spec v1.19; IP literals; deny before allow) is
 * `isServerAllowedByAcl` in the protocol core; this file only shapes its answer for handlers.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { isServerAllowedByAcl } from '../../matrix/server-acl.js';

/** Whether an origin may act in a room, and if not, the message to give it. */
export type ServerAclDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ALLOWED: ServerAclDecision = { allowed: true };

/**
 * Checks `origin` against a room's current `m.room.server_acl` content (`undefined` when the
 * room has none: every server is allowed). For `/send`, where a denial is one PDU's error.
 */
export function checkServerAcl(origin: string, aclContent: JsonObject | undefined, roomId: string): ServerAclDecision {
  if (isServerAllowedByAcl(origin, aclContent)) return ALLOWED;
  return { allowed: false, reason: `Server ${origin} is denied by the server ACL of room ${roomId}` };
}

/**
 * As {@link checkServerAcl}, for the endpoints the spec protects outright.
 * @throws MatrixError 403 `M_FORBIDDEN` when the origin is denied.
 */
export function requireServerAllowedByAcl(origin: string, aclContent: JsonObject | undefined, roomId: string): void {
  const decision = checkServerAcl(origin, aclContent, roomId);
  if (!decision.allowed) throw MatrixError.forbidden(decision.reason);
}
