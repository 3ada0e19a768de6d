/**
 * The syncapi's consumer of the clientapi's `OutputReceiptEvent`: stores each receipt in
 * `syncapi_receipts` (the `receipt` stream) and wakes whoever may see it: the room's members for
 * `m.read`, only its owner for `m.read.private`. One consumer per deployment writes
 * (`syncapi-clientapi-receipts`); one message at a time, so positions commit in order.
 * Idempotent: a receipt already stored changes nothing and wakes nobody.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OutputReceiptEvent, type OutputReceiptMessage } from '../../clientapi/producers/output-receipt-event.js';
import type { Notifier } from '../notifier.js';
import type { SyncStorage } from '../storage/index.js';

/** The durable consumer name of the receipt writer. */
export const SYNCAPI_RECEIPT_CONSUMER = 'syncapi-clientapi-receipts';

/** The receipt type only its owner may see (spec: "Private read receipts"). */
export const PRIVATE_READ = 'm.read.private';

/** What the consumer changes. */
export interface ReceiptConsumerDeps {
  readonly storage: Pick<SyncStorage, 'writeReceipt'>;
  readonly notifier: Pick<Notifier, 'wakeRoom' | 'wakeUsers'>;
}

/** Handles one message; throws (to be redelivered) when storage fails. */
export async function handleReceipt(deps: ReceiptConsumerDeps, msg: OutputReceiptMessage): Promise<void> {
  switch (msg.type) {
    case 'receipt': {
      const position = await deps.storage.writeReceipt({
        roomId: msg.roomId,
        receiptType: msg.receiptType,
        userId: msg.userId,
        threadId: msg.threadId,
        eventId: msg.eventId,
        ts: msg.ts,
      });
      if (position === undefined) return;
      if (msg.receiptType === PRIVATE_READ) deps.notifier.wakeUsers([msg.userId]);
      else deps.notifier.wakeRoom(msg.roomId);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`syncapi: unknown OutputReceiptEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the receipt writer; stop the returned subscription on shutdown. */
export function startReceiptConsumer(bus: Bus, deps: ReceiptConsumerDeps): Promise<Subscription> {
  return bus.subscribe<OutputReceiptMessage>({
    topic: OutputReceiptEvent,
    consumer: SYNCAPI_RECEIPT_CONSUMER,
    handler: (m) => handleReceipt(deps, m.payload),
  });
}
