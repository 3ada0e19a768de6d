/**
 * The userapi's consumer of the roomserver's `OutputRoomEvent`: it keeps the user directory's
 * rooms, memberships and remote profiles current (`directory-room-update.ts`). Durable under
 * the name `userapi-roomserver`, so it resumes where it stopped; every step is idempotent, so a
 * redelivered message changes nothing.
 *
 * One message at a time: the directory is not latency-critical, and serial handling keeps two
 * rooms from racing over the same remote user's profile row.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../../roomserver/producers/output-room-event.js';
import { applyNewRoomEvent, applyRedaction, type DirectoryUpdateDeps } from './directory-room-update.js';

/** The durable consumer name. */
export const USERAPI_ROOMSERVER_CONSUMER = 'userapi-roomserver';

/** Handles one `OutputRoomEvent` message; throws (to be redelivered) when storage or the roomserver fails. */
export async function handleRoomserverOutput(deps: DirectoryUpdateDeps, msg: OutputRoomEventMessage): Promise<void> {
  switch (msg.type) {
    case 'new_room_event':
      return applyNewRoomEvent(deps, msg);
    case 'redacted_event':
      return applyRedaction(deps, msg);
    case 'retire_invite':
      // The directory only knows joined members; invites never show in it.
      return;
    case 'backfilled_events':
      // History: the directory follows the current state, which backfill never changes.
      return;
    default: {
      const never: never = msg;
      throw new Error(`userapi: unknown OutputRoomEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startRoomserverConsumer(bus: Bus, deps: DirectoryUpdateDeps): Promise<Subscription> {
  const withCache: DirectoryUpdateDeps = { ...deps, knownRooms: deps.knownRooms ?? new Set() };
  return bus.subscribe<OutputRoomEventMessage>({
    topic: OUTPUT_ROOM_EVENT,
    consumer: USERAPI_ROOMSERVER_CONSUMER,
    handler: (m) => handleRoomserverOutput(withCache, m.payload),
  });
}
