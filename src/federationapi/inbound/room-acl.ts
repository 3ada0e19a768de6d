/**
 * Whether a room's current server ACL allows a server (spec "Server Access Control Lists"):
 * `/send` applies it to each PDU and to the typing and receipt EDUs of the room.
 */
import { isJsonObject } from '../../matrix/json.js';
import { checkServerAcl, type ServerAclDecision } from '../auth/server-acl-check.js';
import type { SendRoomserverAPI } from '../routing/send-transaction-deps.js';

/** The decision for `origin` against `roomId`'s current `m.room.server_acl` (allowed when there is none). */
export async function roomAclDecision(api: SendRoomserverAPI, origin: string, roomId: string): Promise<ServerAclDecision> {
  const acl = await api.queryState({ roomId, stateTuples: [['m.room.server_acl', '']] });
  const content = acl.events[0]?.event.content;
  return checkServerAcl(origin, isJsonObject(content) ? content : undefined, roomId);
}
