/**
 * The `receipt` stream: one `m.receipt` ephemeral event per joined room with receipts positioned
 * after the token (an initial sync: each room's latest receipts), in the spec's shape
 * `{$eventId: {m.read: {@user: {ts, thread_id?}}}}`. `m.read.private` receipts reach only their
 * owner (spec: "Private read receipts").
 */
import type { JsonObject } from '../../matrix/json.js';
import { PRIVATE_READ } from '../consumers/clientapi-receipts.js';
import type { SyncReceipt, SyncStorage } from '../storage/index.js';
import { ephemeralAllowed, joinedRoomIds } from './ephemeral-rooms.js';
import type { StreamProvider, SyncRequestContext } from './stream-provider.js';
import { joinedRoom } from './sync-response.js';

/** The event type of receipts. */
export const RECEIPT_EVENT_TYPE = 'm.receipt';

/** The `receipt` stream's provider. */
export function receiptStreamProvider(storage: Pick<SyncStorage, 'latestReceiptPosition' | 'receipts'>): StreamProvider {
  const read = async (ctx: SyncRequestContext, from: number, to: number) => {
    const roomIds = joinedRoomIds(ctx).filter((r) => ephemeralAllowed(ctx, r, RECEIPT_EVENT_TYPE));
    const receipts = await storage.receipts(roomIds, from, to);
    for (const [roomId, content] of receiptContents(receipts, ctx.userId)) {
      joinedRoom(ctx.response, roomId).ephemeral.events.push({ type: RECEIPT_EVENT_TYPE, content });
    }
  };
  return {
    stream: 'receipt',
    latest: () => storage.latestReceiptPosition(),
    initial: (ctx, to) => read(ctx, 0, to),
    incremental: (ctx, from, to) => read(ctx, from, to),
  };
}

/**
 * The `m.receipt` content of each room among `receipts` as `viewer` may see them (another
 * user's private receipts left out); rooms left with nothing are left out.
 */
export function receiptContents(receipts: readonly SyncReceipt[], viewer: string): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const r of receipts) {
    if (r.receiptType === PRIVATE_READ && r.userId !== viewer) continue;
    let content = out.get(r.roomId);
    if (!content) out.set(r.roomId, (content = {}));
    const byType = (content[r.eventId] ??= {}) as JsonObject;
    const byUser = (byType[r.receiptType] ??= {}) as JsonObject;
    byUser[r.userId] = r.threadId === null ? { ts: r.ts } : { ts: r.ts, thread_id: r.threadId };
  }
  return out;
}
