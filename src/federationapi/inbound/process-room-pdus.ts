/**
 * The PDUs of one room of a transaction, in the order sent (an event may be the prev event of
 * the next). The room must be known here and its server ACL must allow the origin (spec: ACLs
 * apply per PDU, a denied PDU is ignored with an error); otherwise every PDU of the room gets
 * that error, and the rest of the transaction goes on.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { DEFAULT_ROOM_VERSION, roomVersion, type RoomVersion } from '../../matrix/room-version.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';
import type { FetchBudget } from './fetch-budget.js';
import { pduError, type PduResult } from './inbound-room-context.js';
import { inputRemotePdu } from './input-remote-pdu.js';
import { parseRemotePdu, pduEventId } from './parse-remote-pdu.js';
import { roomAclDecision } from './room-acl.js';

/** A transaction's PDUs of one room. */
export interface RoomPdus {
  readonly roomId: string;
  readonly pdus: readonly JsonObject[];
}

/** The answer per event ID for the room's PDUs (a PDU whose ID cannot be told is left out). */
export async function processRoomPdus(deps: SendTransactionDeps, origin: string, room: RoomPdus, budget: FetchBudget): Promise<Map<string, PduResult>> {
  const { roomId, pdus } = room;
  const out = new Map<string, PduResult>();
  const api = deps.sendRoomserverApi;
  const info = await api.queryRoomInfo({ roomId });
  const rv = info.exists && info.roomVersion !== null ? knownVersion(info.roomVersion) : undefined;
  const refuseAll = (rule: string, reason: string, idOf: (pdu: JsonObject) => string | undefined): Map<string, PduResult> => {
    for (const pdu of pdus) {
      const id = idOf(pdu);
      if (id !== undefined) out.set(id, pduError(rule, reason));
    }
    return out;
  };
  if (!rv) return refuseAll('room', `Unknown room ${roomId}`, unknownRoomEventId);
  const acl = await roomAclDecision(api, origin, roomId);
  if (!acl.allowed) return refuseAll('server_acl', acl.reason, (pdu) => pduEventId(pdu, rv));

  const ctx = { deps, origin, roomId, rv, budget };
  for (const pdu of pdus) {
    const parsed = parseRemotePdu(pdu, rv, roomId);
    if (!parsed.ok) {
      if (parsed.eventId !== undefined) out.set(parsed.eventId, pduError('format', parsed.reason));
      deps.logger?.info({ origin, roomId, eventId: parsed.eventId, reason: parsed.reason }, 'federation /send: dropped an invalid PDU');
      continue;
    }
    out.set(parsed.event.eventId, await inputRemotePdu(ctx, parsed.event));
  }
  return out;
}

/**
 * The ID of a PDU of a room we do not know, so of a version we do not know: v1–v2 PDUs carry it
 * (as some servers' v3+ PDUs do); otherwise it is hashed as in the default version, the
 * likeliest for a live room.
 */
function unknownRoomEventId(pdu: JsonObject): string | undefined {
  return typeof pdu.event_id === 'string' ? pdu.event_id : pduEventId(pdu, roomVersion(DEFAULT_ROOM_VERSION));
}

function knownVersion(id: string): RoomVersion | undefined {
  try {
    return roomVersion(id);
  } catch (e) {
    if (e instanceof MatrixError) return undefined;
    throw e;
  }
}
