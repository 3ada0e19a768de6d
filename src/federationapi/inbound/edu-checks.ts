/**
 * The checks a room-scoped EDU (typing, receipt) must pass before we believe it (spec "Typing
 * Notifications", "Receipts", "Server ACLs"): the user belongs to the sending server, the
 * room's server ACL allows that server, and the user is joined to the room here. Lookups are
 * remembered for the transaction, so a burst of receipts for one room costs one ACL read.
 */
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { SendRoomserverAPI } from '../routing/send-transaction-deps.js';
import { roomAclDecision } from './room-acl.js';

/** The checks for one transaction's EDUs. */
export interface EduChecks {
  /** Why `origin` may not speak for `userId` in `roomId`, or undefined when it may. */
  refusal(roomId: string, userId: string): Promise<string | undefined>;
}

/** Checks for EDUs sent by `origin`. */
export function createEduChecks(api: SendRoomserverAPI, origin: string): EduChecks {
  const acls = new Map<string, Promise<string | undefined>>();
  const members = new Map<string, Promise<boolean>>();
  const aclRefusal = (roomId: string): Promise<string | undefined> => {
    let p = acls.get(roomId);
    if (!p) {
      p = roomAclDecision(api, origin, roomId).then((d) => (d.allowed ? undefined : d.reason));
      acls.set(roomId, p);
    }
    return p;
  };
  const joined = (roomId: string, userId: string): Promise<boolean> => {
    const key = `${roomId}\u0000${userId}`;
    let p = members.get(key);
    if (!p) {
      p = api.queryMembership({ roomId, userId }).then((m) => m.membership === 'join');
      members.set(key, p);
    }
    return p;
  };
  return {
    async refusal(roomId, userId) {
      const user = parseUserId(userId, { allowHistorical: true });
      if (!user.ok || user.value.serverName !== origin) return `${userId} is not a user of ${origin}`;
      const acl = await aclRefusal(roomId);
      if (acl !== undefined) return acl;
      if (!(await joined(roomId, userId))) return `${userId} is not joined to ${roomId}`;
      return undefined;
    },
  };
}
