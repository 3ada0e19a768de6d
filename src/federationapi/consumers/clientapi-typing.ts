/**
 * The federation sender's consumer of the clientapi's `OutputTypingEvent`: a local user's typing
 * change becomes an `m.typing` EDU to the servers joined to the room (spec "Typing
 * Notifications").
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { OutputTypingEvent, type OutputTypingMessage } from '../../clientapi/producers/output-typing-event.js';
import { roomDestinations, type SenderDeps } from './sender-deps.js';

/** The durable consumer name (a sharded instance appends its shard). */
export const SENDER_TYPING_CONSUMER = 'federationapi-sender-typing';

/** Handles one message; throws (to be redelivered) when the roomserver or storage fails. */
export async function handleTypingOutput(deps: SenderDeps, msg: OutputTypingMessage): Promise<void> {
  switch (msg.type) {
    case 'typing': {
      if (domainOf(msg.userId) !== deps.serverName) return;
      // A "typing" already over (a late redelivery) would only make others show it wrongly.
      if (msg.typing && msg.ts + msg.timeoutMs <= deps.now()) return;
      const destinations = await roomDestinations(deps, msg.roomId);
      if (destinations.size === 0) return;
      await deps.queues.sendEdus([...destinations], [
        { edu_type: 'm.typing', content: { room_id: msg.roomId, user_id: msg.userId, typing: msg.typing } },
      ]);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`federationapi: unknown OutputTypingEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startTypingConsumer(bus: Bus, deps: SenderDeps, consumerSuffix = ''): Promise<Subscription> {
  return bus.subscribe<OutputTypingMessage>({
    topic: OutputTypingEvent,
    consumer: `${SENDER_TYPING_CONSUMER}${consumerSuffix}`,
    concurrency: 8,
    handler: (m) => handleTypingOutput(deps, m.payload),
  });
}
