/**
 * One inbound transaction (spec "Transactions"): its PDUs grouped by room — rooms in parallel,
 * each room's PDUs in the order sent — and its EDUs alongside, so typing and receipts are not
 * held up behind an expensive PDU (Synapse processes them in parallel too). The answer names
 * every PDU by event ID: `{}` when handled, `{error}` when dropped or rejected.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';
import { createFetchBudget, DEFAULT_MAX_FETCHED_EVENTS } from './fetch-budget.js';
import type { PduResult } from './inbound-room-context.js';
import { processEdus } from './process-edus.js';
import { processRoomPdus, type RoomPdus } from './process-room-pdus.js';

/** A transaction's body, shape-checked by the route. */
export interface InboundTransaction {
  readonly origin: string;
  readonly pdus: readonly JsonObject[];
  readonly edus: readonly JsonObject[];
}

/** The answer: `{pdus: {<event_id>: {} | {error}}}`. */
export type TransactionResponse = { readonly pdus: Record<string, PduResult> };

/** Processes `txn` from the authenticated `origin`. */
export async function processTransaction(deps: SendTransactionDeps, txn: InboundTransaction): Promise<TransactionResponse> {
  const budget = createFetchBudget(deps.maxFetchedEventsPerTransaction ?? DEFAULT_MAX_FETCHED_EVENTS);
  const rooms = groupByRoom(deps, txn);
  const [roomResults] = await Promise.all([
    Promise.all(rooms.map((room) => processRoomPdus(deps, txn.origin, room, budget))),
    processEdus(deps, txn.origin, txn.edus),
  ]);
  const pdus: Record<string, PduResult> = {};
  for (const results of roomResults) for (const [eventId, result] of results) pdus[eventId] = result;
  return { pdus };
}

/** The PDUs per room, rooms in order of first appearance; PDUs without a room ID are dropped. */
function groupByRoom(deps: SendTransactionDeps, txn: InboundTransaction): RoomPdus[] {
  const byRoom = new Map<string, JsonObject[]>();
  for (const pdu of txn.pdus) {
    const roomId = pdu.room_id;
    // Even a v12 create event (which has no room_id) cannot arrive by /send: a room starts
    // on its creator's server and others join it.
    if (typeof roomId !== 'string') {
      deps.logger?.info({ origin: txn.origin }, 'federation /send: dropped a PDU without room_id');
      continue;
    }
    let list = byRoom.get(roomId);
    if (!list) byRoom.set(roomId, (list = []));
    list.push(pdu);
  }
  return [...byRoom].map(([roomId, pdus]) => ({ roomId, pdus }));
}
