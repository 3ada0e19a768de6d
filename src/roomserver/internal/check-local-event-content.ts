/**
 * Checks on the content of events our own users send, beyond the auth rules (which never look
 * at it): the send path calls {@link checkLocalEventContent} before building an event, so every
 * local sender (client routes, room creation, upgrades) is covered. Events from other servers
 * are not checked here: their receivers read such content leniently.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isServerAllowedByAcl, serverAclContentProblem } from '../../matrix/server-acl.js';
import type { ProtoEvent } from '../api.js';

/**
 * @throws MatrixError 400 `M_BAD_JSON` naming the field for a malformed `m.room.server_acl`, and
 *   `M_INVALID_PARAM` for one that would deny `serverName` itself (as Synapse refuses it: the
 *   room would become unusable from here).
 */
export function checkLocalEventContent(serverName: string, proto: ProtoEvent): void {
  if (proto.type === 'm.room.server_acl' && proto.stateKey === '') {
    const problem = serverAclContentProblem(proto.content);
    if (problem !== undefined) throw MatrixError.badJson(problem);
    if (!isServerAllowedByAcl(serverName, proto.content)) {
      throw MatrixError.invalidParam(`This server ACL would deny this server (${serverName}) from the room: add it to content.allow and keep it out of content.deny`);
    }
  }
}
