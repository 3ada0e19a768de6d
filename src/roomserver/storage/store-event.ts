/**
 * The write path's unit of work: one accepted (or rejected, or outlier) event persisted in ONE
 * transaction — the event row, its DAG edges, the state snapshots before and after it, and when
 * it moves the room's head the current state, forward extremities, membership rows, stream
 * position and the caller's bus messages (through the outbox, so they are never lost).
 */
import type { BusMessage, Outbox } from '../../internal/bus/bus.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { insertEvent, insertPrevEdges, learnEventRef, selectEventRefs, type EventRef } from './events-table.js';
import { moveRoomHead, type HeadUpdate, type HeadChanges } from './move-room-head.js';
import { assignRoom, type RoomHeadRow } from './rooms-table.js';
import { snapshotWithChanges } from './state-snapshots-table.js';
import { entryKey } from './state-entry.js';
import { persistStateInput, stateInputEventIds, type StateInput } from './state-input.js';
import { inTransaction, type StorageContext } from './storage-context.js';
import { assignNids } from './string-nids.js';
import { insertTransaction, type SendTransaction } from './transactions-table.js';

/** One event to persist. */
export interface EventToStore {
  readonly event: RoomEvent;
  /** Store without state (auth-chain or gap events); never moves the head. */
  readonly outlier?: boolean;
  /** Present when the event failed auth: stored (so it is not fetched again) but never part of a state. */
  readonly rejectionReason?: string;
  /** Passed auth against the state before it but not against the current state (never with `updateHead`). */
  readonly softFailed?: boolean;
  /** The state before the event; required unless `outlier`. */
  readonly stateBefore?: StateInput;
  /** Present when the event moves the room's head (a new latest event). */
  readonly updateHead?: HeadUpdate;
  /** A local send's transaction ID, recorded with the event so a retried send finds it. */
  readonly transaction?: SendTransaction;
  /** Bus messages to queue in the same transaction, built from the outcome. */
  readonly messages?: (result: StoreEventResult) => readonly BusMessage[];
}

/** What storing did. */
export interface StoreEventResult extends HeadChanges {
  /** The event was already stored (with state, or as an outlier when storing an outlier): nothing changed. */
  readonly alreadyStored: boolean;
}

/** Persists `input` in one transaction (see the file comment). */
export async function storeEvent(ctx: StorageContext, outbox: Outbox | undefined, input: EventToStore): Promise<StoreEventResult> {
  const { event: ev } = input;
  if (input.outlier !== true && !input.stateBefore) throw new Error(`event ${ev.eventId}: stateBefore is required unless outlier`);
  if (input.messages && !outbox) throw new Error('roomserver storage was opened without the bus outbox; messages cannot be queued');
  // Most events are new: the insert itself finds out, sparing a read of the event's row. Not
  // when a state before is written ahead of the insert (that path reads first, rolls back nothing).
  if (input.stateBefore?.changes?.size) return storeOnce(ctx, outbox, input, true);
  try {
    return await storeOnce(ctx, outbox, input, false);
  } catch (e) {
    if (e !== ALREADY_STORED) throw e;
    // Rolled back: the careful pass reads the stored row (a duplicate, or an outlier to upgrade).
    return storeOnce(ctx, outbox, input, true);
  }
}

/** Thrown (and caught above) when the optimistic insert met a stored row. */
const ALREADY_STORED = new Error('event already stored');

async function storeOnce(ctx: StorageContext, outbox: Outbox | undefined, input: EventToStore, readSelf: boolean): Promise<StoreEventResult> {
  const { event: ev } = input;
  const outlier = input.outlier === true;
  return inTransaction(ctx, async (tx, trx) => {
    const room = await assignRoom(tx, ev.roomId, ev.roomVersion.id);
    const head = outlier ? undefined : input.updateHead;
    // One batched read resolves every event the write refers to (most are cached).
    const wanted = [...ev.prevEvents, ...stateInputEventIds(input.stateBefore)];
    if (head) wanted.push(...stateInputEventIds(head.currentState), ...(head.forwardExtremities ?? []));
    const refs = await selectEventRefs(tx, readSelf ? [ev.eventId, ...wanted] : wanted.filter((id) => id !== ev.eventId));
    const existing = refs.get(ev.eventId) ?? tx.caches.eventRefs.get(ev.eventId);
    if (existing && (!existing.outlier || outlier)) return { alreadyStored: true, ...unchangedHead(room) };
    const self = await writeEvent(tx, room, input, refs, existing);
    learnEventRef(tx, self);
    refs.set(ev.eventId, self);
    if (input.transaction) await insertTransaction(tx, input.transaction, ev.eventId);
    const changes = head ? await moveRoomHead(tx, room, ev, self, head, refs) : unchangedHead(room);
    const result: StoreEventResult = { alreadyStored: false, ...changes };
    if (input.messages) await outbox!.add(trx, input.messages(result));
    return result;
  });
}

/** Inserts the event (or upgrades its outlier row), its snapshots and its prev edges. */
async function writeEvent(
  tx: StorageContext,
  room: RoomHeadRow,
  input: EventToStore,
  refs: ReadonlyMap<string, EventRef>,
  existing: EventRef | undefined,
): Promise<EventRef> {
  const { event: ev } = input;
  const outlier = input.outlier === true;
  const typeNid = (await assignNids(tx, 'type', [ev.type])).get(ev.type)!;
  const stateKeyNid = ev.stateKey === undefined ? null : (await assignNids(tx, 'stateKey', [ev.stateKey])).get(ev.stateKey)!;
  const stateBeforeNid = outlier ? 0 : await persistStateInput(tx, room, input.stateBefore!, refs);
  const rejected = input.rejectionReason !== undefined;
  const row = {
    rejected: rejected ? 1 : 0,
    rejection_reason: input.rejectionReason ?? null,
    outlier: outlier ? 1 : 0,
    soft_failed: input.softFailed === true ? 1 : 0,
    state_before_nid: stateBeforeNid,
    state_after_nid: stateBeforeNid,
  };
  let eventNid: number;
  if (existing) {
    eventNid = existing.eventNid;
    await tx.db.updateTable('roomserver_events').set(row).where('event_nid', '=', eventNid).execute();
  } else {
    const inserted = await insertEvent(tx, {
      ...row,
      event_id: ev.eventId,
      room_nid: room.roomNid,
      event_type_nid: typeNid,
      event_state_key_nid: stateKeyNid,
      depth: ev.depth,
      sender: ev.sender,
      origin_server_ts: ev.originServerTs,
      json: JSON.stringify(ev.json),
      prev_event_ids: JSON.stringify(ev.prevEvents),
      auth_event_ids: JSON.stringify(ev.authEvents),
    });
    if (inserted === undefined) throw ALREADY_STORED;
    eventNid = inserted;
  }
  let stateAfterNid = stateBeforeNid;
  if (!outlier && !rejected && stateKeyNid !== null) {
    // The event's NID is only known now, so the state after it is written in a second step.
    const entry = { typeNid, stateKeyNid, eventNid };
    stateAfterNid = await snapshotWithChanges(tx, room.roomNid, stateBeforeNid, new Map([[entryKey(typeNid, stateKeyNid), entry]]));
    await tx.db.updateTable('roomserver_events').set({ state_after_nid: stateAfterNid }).where('event_nid', '=', eventNid).execute();
  }
  // Outliers are not part of the timeline DAG: their prev_events must not hide extremities.
  if (!outlier) await insertPrevEdges(tx, eventNid, ev.prevEvents);
  return { eventId: ev.eventId, eventNid, roomNid: room.roomNid, outlier, rejected, stateBeforeNid, stateAfterNid };
}

function unchangedHead(room: RoomHeadRow): HeadChanges {
  return {
    streamPosition: room.lastStreamPos,
    forwardExtremities: room.latestEventIds,
    addsStateEventIds: [],
    removesStateEventIds: [],
    membershipChanges: [],
    retiredInviteEventIds: [],
  };
}
