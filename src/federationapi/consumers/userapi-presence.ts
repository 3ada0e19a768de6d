/**
 * The federation sender's consumer of the userapi's `OutputPresenceEvent`: a local user's
 * presence becomes an `m.presence` EDU to every server sharing a room with them (spec
 * "Presence"), each server once however many rooms it shares.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import type { JsonObject } from '../../matrix/json.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { OutputPresenceEvent, type OutputPresenceMessage, type PresenceChanged } from '../../userapi/producers/output-presence.js';
import { roomDestinations, type SenderDeps } from './sender-deps.js';

/** The durable consumer name (a sharded instance appends its shard). */
export const SENDER_PRESENCE_CONSUMER = 'federationapi-sender-presence';

/**
 * The `m.presence` EDU content of one change at `now`. `last_active_ago` is required by the
 * spec; a user never active is reported as last active at the epoch (what Synapse stores as 0).
 */
export function presenceEduContent(p: PresenceChanged, now: number): JsonObject {
  const entry: JsonObject = {
    user_id: p.userId,
    presence: p.presence,
    last_active_ago: Math.max(0, now - (p.lastActiveTs ?? 0)),
    currently_active: p.currentlyActive,
  };
  if (p.statusMsg !== null) entry.status_msg = p.statusMsg;
  return { push: [entry] };
}

/** Handles one message; throws (to be redelivered) when the roomserver or storage fails. */
export async function handlePresenceOutput(deps: SenderDeps, msg: OutputPresenceMessage): Promise<void> {
  switch (msg.type) {
    case 'presence': {
      if (domainOf(msg.userId) !== deps.serverName) return;
      const { roomIds } = await deps.roomserver.queryRoomsForUser({ userId: msg.userId, membership: 'join' });
      const destinations = new Set<string>();
      for (const roomId of roomIds) for (const d of await roomDestinations(deps, roomId)) destinations.add(d);
      if (destinations.size === 0) return;
      await deps.queues.sendEdus([...destinations], [{ edu_type: 'm.presence', content: presenceEduContent(msg, deps.now()) }]);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`federationapi: unknown OutputPresenceEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startPresenceConsumer(bus: Bus, deps: SenderDeps, consumerSuffix = ''): Promise<Subscription> {
  return bus.subscribe<OutputPresenceMessage>({
    topic: OutputPresenceEvent,
    consumer: `${SENDER_PRESENCE_CONSUMER}${consumerSuffix}`,
    concurrency: 8,
    handler: (m) => handlePresenceOutput(deps, m.payload),
  });
}
