/**
 * The syncapi's consumer of the clientapi's `OutputTypingEvent`: it keeps the in-memory typing
 * cache (`typing-cache.ts`) and wakes the room's members when its set of typing users changes.
 * Nothing is stored, so every process serving `/sync` consumes the topic under its own name
 * (`syncapi-clientapi-typing`, plus `-<instance>` when the component is given an instance name).
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OutputTypingEvent, type OutputTypingMessage } from '../../clientapi/producers/output-typing-event.js';
import type { Notifier } from '../notifier.js';
import type { TypingCache } from '../typing-cache.js';

/** The consumer name (suffixed per instance when there are several). */
export const SYNCAPI_TYPING_CONSUMER = 'syncapi-clientapi-typing';

/** What the consumer changes. */
export interface TypingConsumerDeps {
  readonly typing: TypingCache;
  readonly notifier: Pick<Notifier, 'wakeRoom'>;
}

/** Handles one message. */
export function handleTyping(deps: TypingConsumerDeps, msg: OutputTypingMessage): void {
  switch (msg.type) {
    case 'typing': {
      // The expiry counts from when the clientapi accepted the request, so a late or
      // redelivered message does not extend the typing.
      const changed = deps.typing.update({ roomId: msg.roomId, userId: msg.userId, typing: msg.typing, expiresAt: msg.ts + msg.timeoutMs });
      if (changed) deps.notifier.wakeRoom(msg.roomId);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`syncapi: unknown OutputTypingEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes; `instance` suffixes the consumer name when several syncapi processes run. */
export function startTypingConsumer(bus: Bus, deps: TypingConsumerDeps, instance?: string): Promise<Subscription> {
  return bus.subscribe<OutputTypingMessage>({
    topic: OutputTypingEvent,
    consumer: instance === undefined ? SYNCAPI_TYPING_CONSUMER : `${SYNCAPI_TYPING_CONSUMER}-${instance}`,
    handler: async (m) => handleTyping(deps, m.payload),
  });
}
