/**
 * The one way the roomserver writes an event: `storage.storeEvent` (one transaction) with the
 * `OutputRoomEvent` messages built from what storing changed and queued through the outbox in
 * that same transaction, then the event cache updated and the outbox flushed.
 */
import type { BusMessage } from '../../internal/bus/bus.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { EventRejection } from '../api.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../producers/output-room-event.js';
import type { HeadUpdate, SendTransaction, StateInput, StoreEventResult } from '../storage/index.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** What to persist. */
export interface PersistRequest {
  readonly event: RoomEvent;
  readonly outlier?: boolean;
  readonly rejection?: EventRejection;
  /** Stored with state but not served (it failed auth against the current state). */
  readonly softFailed?: boolean;
  /** Required unless `outlier`. */
  readonly stateBefore?: StateInput;
  /** Present when the event becomes part of the room's current timeline (not soft-failed). */
  readonly updateHead?: HeadUpdate;
  /** A local send's transaction ID (recorded for idempotency, echoed in the output). */
  readonly transaction?: SendTransaction;
  /** Carried to the output (see `InputRoomEvent.sendAsServer`). */
  readonly sendAsServer?: string;
  /** An accepted old event (backfill): published as `backfilled_events`, never moving the head. */
  readonly historical?: boolean;
}

/** Stores `req.event`; emits `new_room_event` (and `retire_invite`) when it moved the head. */
export async function persistEvent(ctx: RoomserverInternalContext, req: PersistRequest): Promise<StoreEventResult> {
  const { event } = req;
  const result = await ctx.storage.storeEvent({
    event,
    outlier: req.outlier,
    rejectionReason: req.rejection && encodeRejection(req.rejection),
    softFailed: req.softFailed,
    stateBefore: req.stateBefore,
    updateHead: req.updateHead,
    transaction: req.transaction,
    messages: req.updateHead && !req.outlier ? (r) => headMessages(event, r, req.transaction, req.sendAsServer) : historicalMessages(req),
  });
  if (result.alreadyStored) return result;
  ctx.events.set(event.eventId, { event, rejected: req.rejection !== undefined, outlier: req.outlier === true });
  if (req.updateHead || req.historical) await ctx.flushOutbox();
  return result;
}

/** The `backfilled_events` message of an accepted old event, queued with it (never lost between commit and publish). */
function historicalMessages(req: PersistRequest): ((r: StoreEventResult) => BusMessage[]) | undefined {
  const { event } = req;
  if (!req.historical || req.outlier || req.rejection || req.softFailed) return undefined;
  return (r) => {
    if (r.alreadyStored) return [];
    const payload: OutputRoomEventMessage = { type: 'backfilled_events', roomId: event.roomId, roomVersion: event.roomVersion.id, events: [{ eventId: event.eventId, event: event.json }] };
    return [{ topic: OUTPUT_ROOM_EVENT, key: event.roomId, payload }];
  };
}

function headMessages(event: RoomEvent, r: StoreEventResult, transaction: SendTransaction | undefined, sendAsServer: string | undefined): BusMessage[] {
  if (r.alreadyStored) return [];
  const out: OutputRoomEventMessage[] = [
    {
      type: 'new_room_event',
      roomId: event.roomId,
      roomVersion: event.roomVersion.id,
      eventId: event.eventId,
      event: event.json,
      addsStateEventIds: r.addsStateEventIds,
      removesStateEventIds: r.removesStateEventIds,
      latestEventIds: r.forwardExtremities,
      streamPosition: r.streamPosition,
      transaction: transaction ? { userId: transaction.userId, deviceId: transaction.deviceId, transactionId: transaction.transactionId } : null,
      ...(sendAsServer !== undefined ? { sendAsServer } : {}),
    },
  ];
  for (const retired of r.retiredInvites ?? []) {
    out.push({ type: 'retire_invite', roomId: event.roomId, userId: retired.userId, retiredEventIds: retired.eventIds });
  }
  return out.map((payload) => ({ topic: OUTPUT_ROOM_EVENT, key: event.roomId, payload }));
}

/** How a rejection is kept in the events table: `rule: reason`, so a repeat input can report it again. */
export function encodeRejection(r: EventRejection): string {
  return `${r.rule}: ${r.reason}`;
}

/** The inverse of {@link encodeRejection} (a reason without a rule comes back under `unknown`). */
export function decodeRejection(text: string): EventRejection {
  const i = text.indexOf(': ');
  return i < 0 ? { rule: 'unknown', reason: text } : { rule: text.slice(0, i), reason: text.slice(i + 2) };
}
