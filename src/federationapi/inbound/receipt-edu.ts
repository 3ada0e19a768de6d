/**
 * `m.receipt` from another server: read receipts of its users, per room. Each room's receipts
 * are dropped when the room's ACL denies the server (spec), each user's when they are not of
 * that server or not joined. Only `m.read` travels over federation (`m.read.private` never
 * leaves its server); the receipt's own `ts` and `thread_id` are kept.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../matrix/json.js';
import { publishReceipts, type ReceiptSent } from '../../clientapi/producers/output-receipt-event.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';
import type { EduChecks } from './edu-checks.js';

/** Handles one `m.receipt` EDU's content; the receipts published and why others were dropped. */
export async function handleReceiptEdu(
  deps: SendTransactionDeps,
  checks: EduChecks,
  content: JsonValue | undefined,
): Promise<{ published: number; dropped: string[] }> {
  const dropped: string[] = [];
  if (!isJsonObject(content)) return { published: 0, dropped: ['content is not an object'] };
  const receipts: Array<Omit<ReceiptSent, 'type'>> = [];
  for (const [roomId, byType] of Object.entries(content)) {
    const read = isJsonObject(byType) ? byType['m.read'] : undefined;
    if (!isJsonObject(read)) continue;
    for (const [userId, receipt] of Object.entries(read)) {
      const parsed = parseReceipt(receipt);
      if (!parsed) {
        dropped.push(`malformed receipt of ${userId} in ${roomId}`);
        continue;
      }
      const refusal = await checks.refusal(roomId, userId);
      if (refusal !== undefined) {
        dropped.push(refusal);
        continue;
      }
      receipts.push({ roomId, userId, receiptType: 'm.read', eventId: parsed.eventId, threadId: parsed.threadId, ts: parsed.ts ?? deps.now() });
    }
  }
  await publishReceipts(deps.bus, receipts);
  return { published: receipts.length, dropped };
}

/** `{event_ids: [id], data: {ts, thread_id?}}`; the spec allows one event ID per receipt. */
function parseReceipt(v: JsonValue): { eventId: string; threadId: string | null; ts: number | undefined } | undefined {
  if (!isJsonObject(v) || !Array.isArray(v.event_ids)) return undefined;
  const [eventId] = v.event_ids;
  if (typeof eventId !== 'string') return undefined;
  const data: JsonObject = isJsonObject(v.data) ? v.data : {};
  const ts = typeof data.ts === 'number' && Number.isSafeInteger(data.ts) ? data.ts : undefined;
  const threadId = typeof data.thread_id === 'string' ? data.thread_id : null;
  return { eventId, threadId, ts };
}
