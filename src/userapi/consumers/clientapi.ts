/**
 * The userapi's consumer of the clientapi's `OutputReceiptEvent` (durable name
 * `userapi-receipts`): a local user's own read receipt (`m.read` or `m.read.private`) marks
 * their notifications in the room up to the receipt's event read, and announces the new counts
 * when any changed. Which ones depends on the receipt's thread (receipts module, "Threaded read
 * receipts"): an unthreaded receipt reads every thread of the room, a `main` one the main
 * timeline only, one naming a thread root that thread only.
 *
 * "Up to the event" is by room stream position. The position of the receipt's event is taken
 * from a stored notification of it (any user's), else from the push consumer's memory of recent
 * events; an event known to neither (an old one) falls back to its `origin_server_ts`, read from
 * the roomserver — right unless clocks disagree, and only for old events. The roomserver keeps
 * no per-event stream position to ask for.
 */
import type { Logger } from 'pino';
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OutputReceiptEvent, type OutputReceiptMessage, type ReceiptSent } from '../../clientapi/producers/output-receipt-event.js';
import type { UserRoomserverAPI } from '../../roomserver/api.js';
import type { UserStorage } from '../storage/index.js';
import type { ReadBound } from '../storage/notification-storage.js';
import type { EventPositions } from './event-positions.js';
import { localpartOf } from '../internal/user-internal-context.js';

/** The durable consumer name. */
export const USERAPI_RECEIPTS_CONSUMER = 'userapi-receipts';

/** What the receipt consumer works with. */
export interface ReceiptConsumerDeps {
  readonly storage: Pick<UserStorage, 'notifications'>;
  readonly roomserver: Pick<UserRoomserverAPI, 'queryEvents'>;
  readonly serverName: string;
  readonly positions: EventPositions;
  readonly flushOutbox: () => Promise<void>;
  readonly logger?: Logger;
}

/** Handles one `OutputReceiptEvent` message. */
export async function handleReceiptOutput(deps: ReceiptConsumerDeps, msg: OutputReceiptMessage): Promise<void> {
  switch (msg.type) {
    case 'receipt':
      return markRead(deps, msg);
    default: {
      const never: never = msg.type;
      throw new Error(`userapi: unknown OutputReceiptEvent message ${JSON.stringify(never)}`);
    }
  }
}

async function markRead(deps: ReceiptConsumerDeps, r: ReceiptSent): Promise<void> {
  const localpart = localpartOf(deps, r.userId);
  if (localpart === undefined) return;
  const bound = await readBound(deps, r);
  if (!bound) {
    deps.logger?.debug({ roomId: r.roomId, eventId: r.eventId }, 'push: a receipt names an event unknown here; nothing marked read');
    return;
  }
  const change = await deps.storage.notifications.markNotificationsRead(localpart, r.roomId, bound, r.threadId);
  if (change) await deps.flushOutbox();
}

/** How far the receipt reads: the event's room position, or its timestamp when the position is unknown. */
async function readBound(deps: ReceiptConsumerDeps, r: ReceiptSent): Promise<ReadBound | undefined> {
  const position = (await deps.storage.notifications.getEventRoomPosition(r.eventId)) ?? deps.positions.get(r.eventId);
  if (position !== undefined) return { roomPosition: position };
  const { events } = await deps.roomserver.queryEvents({ eventIds: [r.eventId] });
  const ev = events[0];
  if (!ev || ev.roomId !== r.roomId || typeof ev.event.origin_server_ts !== 'number') return undefined;
  return { eventTs: ev.event.origin_server_ts };
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startReceiptConsumer(bus: Bus, deps: ReceiptConsumerDeps): Promise<Subscription> {
  return bus.subscribe<OutputReceiptMessage>({
    topic: OutputReceiptEvent,
    consumer: USERAPI_RECEIPTS_CONSUMER,
    concurrency: 4,
    handler: (m) => handleReceiptOutput(deps, m.payload),
  });
}
