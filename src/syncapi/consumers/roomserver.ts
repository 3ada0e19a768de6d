/**
 * The syncapi's consumers of the roomserver's `OutputRoomEvent`.
 *
 * - `syncapi-roomserver` (durable, one per deployment) writes storage and wakes this process's
 *   syncs. It handles one message at a time: stream positions are taken in commit order, so a
 *   sync that read position P can never later find an event committed below P.
 * - {@link startRoomserverWakeConsumer}, for a syncapi instance that does not write (scale-out
 *   behind a writer): a consumer under a name unique to the instance that only wakes. It waits
 *   for the writer (an event not yet stored is handed back for redelivery), so a woken sync finds
 *   what woke it. See README.md "Several instances".
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { isJsonObject } from '../../matrix/json.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../../roomserver/producers/output-room-event.js';
import { applyBackfilledEvents, applyNewRoomEvent, applyRedaction, type RoomEventDeps } from './apply-room-event.js';

/** The durable consumer name of the storage writer. */
export const SYNCAPI_ROOMSERVER_CONSUMER = 'syncapi-roomserver';

/** Handles one message; throws (to be redelivered) when storage or the roomserver fails. */
export async function handleRoomserverOutput(deps: RoomEventDeps, msg: OutputRoomEventMessage): Promise<void> {
  switch (msg.type) {
    case 'new_room_event':
      return applyNewRoomEvent(deps, msg);
    case 'redacted_event':
      return applyRedaction(deps, msg);
    case 'retire_invite':
      // Invites are read from current state, which the membership event changing them updated;
      // the invitee's syncs may still be waiting on a rejected invite of an outlier.
      deps.notifier.wakeUsers([msg.userId]);
      return;
    case 'backfilled_events':
      // History only: stored for /messages, no state change and nobody woken (not news).
      return applyBackfilledEvents(deps, msg);
    default: {
      const never: never = msg;
      throw new Error(`syncapi: unknown OutputRoomEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the storage writer; stop the returned subscription on shutdown. */
export function startRoomserverConsumer(bus: Bus, deps: RoomEventDeps): Promise<Subscription> {
  return bus.subscribe<OutputRoomEventMessage>({
    topic: OUTPUT_ROOM_EVENT,
    consumer: SYNCAPI_ROOMSERVER_CONSUMER,
    handler: (m) => handleRoomserverOutput(deps, m.payload),
  });
}

/** Thrown by the wake-only consumer when the writer has not stored an event yet. */
export class NotYetStored extends Error {
  override readonly name = 'NotYetStored';
}

/** The wake-only handling of one message (see the file comment). */
export async function handleRoomserverWake(deps: Pick<RoomEventDeps, 'storage' | 'notifier'>, msg: OutputRoomEventMessage): Promise<void> {
  switch (msg.type) {
    case 'new_room_event': {
      if (!(await deps.storage.hasEvent(msg.eventId))) throw new NotYetStored(`${msg.eventId} is not stored yet`);
      const ev = msg.event;
      const isMember = ev.type === 'm.room.member' && typeof ev.state_key === 'string' && msg.addsStateEventIds.includes(msg.eventId);
      const membership = isMember && isJsonObject(ev.content) && typeof ev.content.membership === 'string' ? ev.content.membership : 'leave';
      deps.notifier.roomEvent(msg.roomId, isMember ? [{ userId: ev.state_key as string, membership }] : []);
      return;
    }
    case 'redacted_event':
      return;
    case 'retire_invite':
      deps.notifier.wakeUsers([msg.userId]);
      return;
    case 'backfilled_events':
      // Old events wake nobody (the writer stores them; /messages waits for that itself).
      return;
    default: {
      const never: never = msg;
      throw new Error(`syncapi: unknown OutputRoomEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes a wake-only consumer under `syncapi-roomserver-wake-<instance>`. */
export function startRoomserverWakeConsumer(bus: Bus, deps: Pick<RoomEventDeps, 'storage' | 'notifier'>, instance: string): Promise<Subscription> {
  return bus.subscribe<OutputRoomEventMessage>({
    topic: OUTPUT_ROOM_EVENT,
    consumer: `${SYNCAPI_ROOMSERVER_CONSUMER}-wake-${instance}`,
    handler: (m) => handleRoomserverWake(deps, m.payload),
  });
}
