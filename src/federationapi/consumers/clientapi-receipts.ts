/**
 * The federation sender's consumer of the clientapi's `OutputReceiptEvent`: a local user's
 * public read receipt becomes an `m.receipt` EDU to the servers joined to the room (spec
 * "Receipts"). Private receipts (`m.read.private`) never leave this server.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import type { JsonObject } from '../../matrix/json.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { OutputReceiptEvent, type OutputReceiptMessage, type ReceiptSent } from '../../clientapi/producers/output-receipt-event.js';
import { roomDestinations, type SenderDeps } from './sender-deps.js';

/** The durable consumer name (a sharded instance appends its shard). */
export const SENDER_RECEIPTS_CONSUMER = 'federationapi-sender-receipts';

/** The `m.receipt` EDU content of one receipt. */
export function receiptEduContent(r: ReceiptSent): JsonObject {
  const data: JsonObject = r.threadId === null ? { ts: r.ts } : { ts: r.ts, thread_id: r.threadId };
  return { [r.roomId]: { 'm.read': { [r.userId]: { event_ids: [r.eventId], data } } } };
}

/** Handles one message; throws (to be redelivered) when the roomserver or storage fails. */
export async function handleReceiptOutput(deps: SenderDeps, msg: OutputReceiptMessage): Promise<void> {
  switch (msg.type) {
    case 'receipt': {
      if (msg.receiptType !== 'm.read' || domainOf(msg.userId) !== deps.serverName) return;
      const destinations = await roomDestinations(deps, msg.roomId);
      if (destinations.size === 0) return;
      await deps.queues.sendEdus([...destinations], [{ edu_type: 'm.receipt', content: receiptEduContent(msg) }]);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`federationapi: unknown OutputReceiptEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startReceiptsConsumer(bus: Bus, deps: SenderDeps, consumerSuffix = ''): Promise<Subscription> {
  return bus.subscribe<OutputReceiptMessage>({
    topic: OutputReceiptEvent,
    consumer: `${SENDER_RECEIPTS_CONSUMER}${consumerSuffix}`,
    concurrency: 8,
    handler: (m) => handleReceiptOutput(deps, m.payload),
  });
}
