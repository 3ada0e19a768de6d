/**
 * An event as `/messages` and `/context` serve it: the stored client JSON (already redacted when
 * the event was), with `unsigned.age` — the milliseconds since it was sent, by its
 * `origin_server_ts`, as these endpoints serve history long after it was stored — and
 * `unsigned.transaction_id` for the device that sent it.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { SyncEvent } from '../storage/index.js';

/** Who the event is served to. */
export interface ServedTo {
  readonly userId: string;
  readonly deviceId: string | undefined;
}

/** `e` as served to `to` at time `now` (ms since the epoch). */
export function historyEvent(e: SyncEvent, to: ServedTo, now: number): JsonObject {
  return servedJson(e.json, now, transactionIdFor(e, to) ?? null);
}

/** Stored client JSON with `unsigned.age` (and a transaction ID when given) added. */
export function servedJson(json: string, now: number, txnId: string | null): JsonObject {
  const ev = JSON.parse(json) as JsonObject;
  const unsigned = typeof ev.unsigned === 'object' && ev.unsigned !== null && !Array.isArray(ev.unsigned) ? ev.unsigned : {};
  const ts = ev.origin_server_ts;
  const extra: JsonObject = typeof ts === 'number' ? { age: Math.max(0, now - ts) } : {};
  if (txnId !== null) extra.transaction_id = txnId;
  return { ...ev, unsigned: { ...unsigned, ...extra } };
}

/** The transaction ID to echo with `e`: only to the device that sent it (/sync, /messages, /context). */
export function transactionIdFor(e: SyncEvent, to: ServedTo): string | undefined {
  if (e.txnId === null || to.deviceId === undefined || e.txnDeviceId !== to.deviceId || e.sender !== to.userId) return undefined;
  return e.txnId;
}
