/**
 * The federation sender's consumer of the userapi's `OutputKeyChangeEvent`: a local user's
 * device key change becomes an `m.device_list_update` EDU, and a change of their public
 * cross-signing keys an `m.signing_key_update`, to every server sharing a room with them (spec
 * server-server "Device Management", "Cross-signing"). `stream_id`/`prev_id` come from the
 * userapi's key change log, so a receiver missing an update sees the gap and resyncs from our
 * `/user/devices/{userId}`.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { JsonObject } from '../../matrix/json.js';
import { OutputKeyChangeEvent, type CrossSigningChanged, type DeviceKeysChanged, type OutputKeyChangeMessage } from '../../userapi/producers/output-key-change.js';
import { roomDestinations, type SenderDeps } from './sender-deps.js';

/** The durable consumer name (a sharded instance appends its shard). */
export const SENDER_KEY_CHANGE_CONSUMER = 'federationapi-sender-keychange';

/** The `m.device_list_update` content of a device change. */
export function deviceListUpdateContent(c: DeviceKeysChanged): JsonObject {
  const content: JsonObject = {
    user_id: c.userId,
    device_id: c.deviceId,
    stream_id: c.streamPosition,
    prev_id: c.prevStreamPosition === null ? [] : [c.prevStreamPosition],
  };
  if (c.deleted) content.deleted = true;
  else {
    if (c.deviceKeys) content.keys = c.deviceKeys;
    if (c.displayName !== null) content.device_display_name = c.displayName;
  }
  return content;
}

/** The `m.signing_key_update` content of a cross-signing change. */
export function signingKeyUpdateContent(c: CrossSigningChanged): JsonObject {
  const content: JsonObject = { user_id: c.userId };
  if (c.masterKey) content.master_key = c.masterKey;
  if (c.selfSigningKey) content.self_signing_key = c.selfSigningKey;
  return content;
}

/** The servers sharing a joined room with `userId`, other than us. */
async function userDestinations(deps: SenderDeps, userId: string): Promise<string[]> {
  const { roomIds } = await deps.roomserver.queryRoomsForUser({ userId, membership: 'join' });
  const destinations = new Set<string>();
  for (const roomId of roomIds) for (const d of await roomDestinations(deps, roomId)) destinations.add(d);
  return [...destinations];
}

/** Handles one message; throws (to be redelivered) when the roomserver or storage fails. */
export async function handleKeyChangeOutput(deps: SenderDeps, msg: OutputKeyChangeMessage): Promise<void> {
  if (domainOf(msg.userId) !== deps.serverName) return;
  switch (msg.type) {
    case 'device_keys': {
      const destinations = await userDestinations(deps, msg.userId);
      if (destinations.length > 0) await deps.queues.sendEdus(destinations, [{ edu_type: 'm.device_list_update', content: deviceListUpdateContent(msg) }]);
      return;
    }
    case 'cross_signing': {
      // A change only the user's own devices care about (user-signing key) stays here.
      if (!msg.publicKeysChanged) return;
      const destinations = await userDestinations(deps, msg.userId);
      if (destinations.length > 0) await deps.queues.sendEdus(destinations, [{ edu_type: 'm.signing_key_update', content: signingKeyUpdateContent(msg) }]);
      return;
    }
    default: {
      const never: never = msg;
      throw new Error(`federationapi: unknown OutputKeyChangeEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startKeyChangeConsumer(bus: Bus, deps: SenderDeps, consumerSuffix = ''): Promise<Subscription> {
  return bus.subscribe<OutputKeyChangeMessage>({
    topic: OutputKeyChangeEvent,
    consumer: `${SENDER_KEY_CHANGE_CONSUMER}${consumerSuffix}`,
    // Same-key (same user) messages stay in order, so `prev_id` chains arrive in order too.
    concurrency: 8,
    handler: (m) => handleKeyChangeOutput(deps, m.payload),
  });
}
