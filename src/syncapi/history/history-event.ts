/**
 * Who history is served to, and the one rule for echoing `transaction_id` (shared with `/sync`).
 * Events themselves are served by `history-serving.ts` through `sync/serve-event.ts`.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { SyncEvent } from '../storage/index.js';
import { isRawJson, rawText } from '../sync/raw-json.js';
import { clientEventServing, serveEvent } from '../sync/serve-event.js';

/** Who the event is served to. */
export interface ServedTo {
  readonly userId: string;
  readonly deviceId: string | undefined;
}

/** The transaction ID to echo with `e`: only to the device that sent it (/sync, /messages, /context). */
export function transactionIdFor(e: SyncEvent, to: ServedTo): string | undefined {
  if (e.txnId === null || to.deviceId === undefined || e.txnDeviceId !== to.deviceId || e.sender !== to.userId) return undefined;
  return e.txnId;
}

/**
 * `e` as a parsed client event with `unsigned.age` and `transaction_id` only — no bundled
 * aggregations, no `unsigned.membership`.
 *
 * @deprecated Serve a batch with `historyServing` (`history-serving.ts`): it adds what the spec
 * asks for and keeps the stored text unparsed. Kept for callers written against the old helper.
 */
export function historyEvent(e: SyncEvent, to: ServedTo, now: number): JsonObject {
  return asObject(serveEvent(e.eventId, e.roomId, e.json, { transactionId: transactionIdFor(e, to) }, clientEventServing(now)));
}

/**
 * Stored client JSON as a parsed event with `unsigned.age` (and `transaction_id` when given).
 *
 * @deprecated As {@link historyEvent}; a state list is served by `HistoryServing.state`.
 */
export function servedJson(json: string, now: number, txnId: string | null): JsonObject {
  // The client format reads neither ID: only the federation format looks PDUs up by them.
  return asObject(serveEvent('', '', json, txnId === null ? {} : { transactionId: txnId }, clientEventServing(now)));
}

function asObject(served: ReturnType<typeof serveEvent>): JsonObject {
  return isRawJson(served) ? (JSON.parse(rawText(served)) as JsonObject) : served;
}
