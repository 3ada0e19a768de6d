/**
 * The federation sender's consumer of the roomserver's `OutputRoomEvent`: every new event that
 * is ours to send (a local sender's, or a remote joiner's accepted through our `send_join`) is
 * queued for the servers joined to the room. A member event that takes a remote user out of the
 * room or asks something of them (leave, ban, invite, knock) also goes to that user's server,
 * which may have nobody joined to hear it otherwise.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../../roomserver/producers/output-room-event.js';
import { roomDestinations, type SenderDeps } from './sender-deps.js';

/** The durable consumer name (a sharded instance appends its shard). */
export const SENDER_ROOMSERVER_CONSUMER = 'federationapi-sender-roomserver';

/**
 * `unsigned` keys that describe our local view of an event rather than the event: the sender's
 * transaction ID, redaction and membership annotations, the previous state a client sees, and
 * `age`, stale once queued (receivers go by `origin_server_ts`). Stripped state of invites and
 * knocks stays: the invitee's server needs it.
 */
const LOCAL_UNSIGNED: ReadonlySet<string> = new Set([
  'transaction_id',
  'redacted_because',
  'membership',
  'prev_content',
  'prev_sender',
  'replaces_state',
  'age',
  'age_ts',
  'm.relations',
]);

/** Memberships whose target's server must hear of the event even with nobody joined. */
const TARGET_MEMBERSHIPS: ReadonlySet<string> = new Set(['leave', 'ban', 'invite', 'knock']);

/** The event as it goes over federation: without local-only `unsigned` keys. */
export function outboundPdu(event: JsonObject): JsonObject {
  const unsigned = event.unsigned;
  if (!isJsonObject(unsigned)) return event;
  const kept = Object.entries(unsigned).filter(([k]) => !LOCAL_UNSIGNED.has(k));
  const { unsigned: _dropped, ...rest } = event;
  return kept.length > 0 ? { ...rest, unsigned: Object.fromEntries(kept) } : rest;
}

/** The server of a remote user a member event targets with a leave, ban, invite or knock. */
function targetServer(event: JsonObject): string | undefined {
  if (event.type !== 'm.room.member' || typeof event.state_key !== 'string') return undefined;
  const membership = isJsonObject(event.content) ? event.content.membership : undefined;
  return typeof membership === 'string' && TARGET_MEMBERSHIPS.has(membership) ? domainOf(event.state_key) : undefined;
}

/** Handles one message; throws (to be redelivered) when the roomserver or storage fails. */
export async function handleRoomserverOutput(deps: SenderDeps, msg: OutputRoomEventMessage): Promise<void> {
  switch (msg.type) {
    case 'new_room_event': {
      const ev = msg.event;
      if (ev.type === 'm.room.member' || msg.addsStateEventIds.some((id) => id !== msg.eventId)) deps.joinedServers?.invalidate(msg.roomId);
      const ours = typeof ev.sender === 'string' && domainOf(ev.sender) === deps.serverName;
      if (!ours && msg.sendAsServer !== deps.serverName) return;
      const destinations = await roomDestinations(deps, msg.roomId);
      const target = targetServer(ev);
      if (target !== undefined && target !== deps.serverName) destinations.add(target);
      if (destinations.size > 0) await deps.queues.sendPdus([...destinations], [outboundPdu(ev)]);
      return;
    }
    case 'redacted_event':
      // The redaction event itself went out as a new event; each server redacts its own copy.
      return;
    case 'retire_invite':
      // Local bookkeeping: the membership change that retired it was sent as a new event.
      return;
    case 'backfilled_events':
      // Other servers' old events, fetched from them: nothing to send anyone.
      return;
    default: {
      const never: never = msg;
      throw new Error(`federationapi: unknown OutputRoomEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startRoomserverConsumer(bus: Bus, deps: SenderDeps, consumerSuffix = ''): Promise<Subscription> {
  return bus.subscribe<OutputRoomEventMessage>({
    topic: OUTPUT_ROOM_EVENT,
    consumer: `${SENDER_ROOMSERVER_CONSUMER}${consumerSuffix}`,
    // Keyed by room: rooms proceed in parallel, each room's events stay in order.
    concurrency: 8,
    handler: (m) => handleRoomserverOutput(deps, m.payload),
  });
}
