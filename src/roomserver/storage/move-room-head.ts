/**
 * Moving a room's head after a new latest event: the current state snapshot, the forward
 * extremities and the stream position in one UPDATE, and the membership rows rewritten from the
 * member entries that differ between the old and new current state (so they always agree).
 */
import type { RoomEvent } from '../../matrix/room-event.js';
import { isReferenced, selectEventIdsByNid, selectEvents, type EventRef } from './events-table.js';
import { retireInvites, retireInvitesOfUsers } from './invites-table.js';
import { deleteMemberships, upsertMemberships, type MembershipRow } from './membership-table.js';
import { updateRoomHead, type RoomHeadRow } from './rooms-table.js';
import { persistStateInput, type StateInput } from './state-input.js';
import { diffSnapshots, type SnapshotDiff } from './state-snapshots-table.js';
import type { StorageContext } from './storage-context.js';
import { lookupNids, nidValues } from './string-nids.js';

/** How the room's head moves with a new event. */
export interface HeadUpdate {
  /** The room's new current state; default: the state after the new event. */
  readonly currentState?: StateInput;
  /**
   * The new forward extremities (stored event IDs); default: the old ones minus the event's
   * `prev_events`, plus the event unless a stored event already lists it as a prev event.
   */
  readonly forwardExtremities?: readonly string[];
}

/** A change of a user's membership in the room's current state. */
export interface MembershipChange {
  readonly userId: string;
  /** The new membership, or null when the user's member event left the current state. */
  readonly membership: string | null;
  /** The member event now in the current state, or null. */
  readonly eventId: string | null;
}

/** What moving the head changed, for the caller's outputs. */
export interface HeadChanges {
  /** The room's last stream position (incremented by each head move). */
  readonly streamPosition: number;
  readonly forwardExtremities: readonly string[];
  /** Events that entered the current state (including replacements). */
  readonly addsStateEventIds: readonly string[];
  /** Events that left the current state (including replaced ones). */
  readonly removesStateEventIds: readonly string[];
  readonly membershipChanges: readonly MembershipChange[];
  /** Invites retired because the invitee's membership moved on (joined, left, was banned…). */
  readonly retiredInviteEventIds: readonly string[];
  /** The same invites by invitee; present only when some were retired. */
  readonly retiredInvites?: readonly RetiredInvites[];
}

/** A user's invites retired by one head move. */
export interface RetiredInvites {
  readonly userId: string;
  readonly eventIds: readonly string[];
}

/** Moves the head of `room` for the just-written event `self` (see the file comment). */
export async function moveRoomHead(
  tx: StorageContext,
  room: RoomHeadRow,
  ev: RoomEvent,
  self: EventRef,
  update: HeadUpdate,
  refs: ReadonlyMap<string, EventRef>,
): Promise<HeadChanges> {
  const currentNid = update.currentState ? await persistStateInput(tx, room, update.currentState, refs) : self.stateAfterNid;
  let latest: number[];
  if (update.forwardExtremities) {
    latest = update.forwardExtremities.map((id) => {
      const ref = refs.get(id);
      if (!ref) throw new Error(`forward extremity ${id} is not stored`);
      return ref.eventNid;
    });
  } else {
    const prevNids = new Set(ev.prevEvents.flatMap((id) => refs.get(id)?.eventNid ?? []));
    latest = room.latestEventNids.filter((n) => !prevNids.has(n));
    if (!(await isReferenced(tx, ev.eventId))) latest.push(self.eventNid);
  }
  const streamPosition = room.lastStreamPos + 1;
  const diff = await diffSnapshots(tx, room.snapshotNid, currentNid);
  const ids = await eventIdsOf(tx, room, refs, [latest, ...[diff.added, diff.replaced, diff.removed].map((es) => es.map((e) => e.eventNid))].flat());
  const latestIds = latest.map((n) => ids.get(n)!);
  await updateRoomHead(tx, room, { snapshotNid: currentNid, latestEventNids: latest, latestEventIds: latestIds, lastStreamPos: streamPosition });
  const membershipChanges = await syncMemberships(tx, room.roomNid, diff, ev, ids);
  const retired = await retireSettledInvites(tx, room.roomId, membershipChanges);
  return {
    streamPosition,
    forwardExtremities: latestIds,
    addsStateEventIds: diff.added.map((e) => ids.get(e.eventNid)!),
    removesStateEventIds: [...diff.replaced, ...diff.removed].map((e) => ids.get(e.eventNid)!),
    membershipChanges,
    retiredInviteEventIds: retired.flatMap((r) => r.eventIds),
    ...(retired.length > 0 ? { retiredInvites: retired } : {}),
  };
}

/** Event IDs of NIDs, from the refs and the old head where possible (the common case needs no query). */
async function eventIdsOf(tx: StorageContext, room: RoomHeadRow, refs: ReadonlyMap<string, EventRef>, nids: readonly number[]): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  room.latestEventNids.forEach((n, i) => ids.set(n, room.latestEventIds[i]!));
  for (const r of refs.values()) ids.set(r.eventNid, r.eventId);
  const missing = nids.filter((n) => !ids.has(n));
  if (missing.length > 0) for (const [n, id] of await selectEventIdsByNid(tx, missing)) ids.set(n, id);
  return ids;
}

async function retireSettledInvites(tx: StorageContext, roomId: string, changes: readonly MembershipChange[]): Promise<RetiredInvites[]> {
  const settled = changes.filter((c) => c.membership !== 'invite').map((c) => c.userId);
  if (settled.length === 0) return [];
  if (settled.length === 1) {
    const eventIds = await retireInvites(tx, roomId, settled[0]!);
    return eventIds.length > 0 ? [{ userId: settled[0]!, eventIds }] : [];
  }
  const byUser = await retireInvitesOfUsers(tx, roomId, settled);
  return settled.flatMap((userId) => {
    const eventIds = byUser.get(userId);
    return eventIds && eventIds.length > 0 ? [{ userId, eventIds }] : [];
  });
}

async function syncMemberships(
  tx: StorageContext,
  roomNid: number,
  diff: SnapshotDiff,
  ev: RoomEvent,
  ids: ReadonlyMap<number, string>,
): Promise<MembershipChange[]> {
  const memberType = (await lookupNids(tx, 'type', ['m.room.member'])).get('m.room.member');
  const added = diff.added.filter((e) => e.typeNid === memberType);
  const removed = diff.removed.filter((e) => e.typeNid === memberType);
  if (added.length === 0 && removed.length === 0) return [];
  const sources = new Map<string, { sender: string; content: unknown }>([[ev.eventId, { sender: ev.sender, content: ev.content }]]);
  const others = added.map((e) => ids.get(e.eventNid)!).filter((id) => id !== ev.eventId);
  for (const e of others.length > 0 ? await selectEvents(tx, others) : []) {
    sources.set(e.eventId, { sender: e.sender, content: (JSON.parse(e.json) as { content?: unknown }).content });
  }
  const users = await nidValues(tx, 'stateKey', [...added, ...removed].map((e) => e.stateKeyNid));
  const rows: MembershipRow[] = added.map((e) => {
    const src = sources.get(ids.get(e.eventNid)!)!;
    const m = (src.content as { membership?: unknown } | undefined)?.membership;
    const membership = typeof m === 'string' ? m : 'leave';
    return { targetNid: e.stateKeyNid, targetUserId: users.get(e.stateKeyNid)!, membership, sender: src.sender, eventNid: e.eventNid };
  });
  await upsertMemberships(tx, roomNid, rows);
  await deleteMemberships(tx, roomNid, removed.map((e) => e.stateKeyNid));
  return [
    ...rows.map((r) => ({ userId: r.targetUserId, membership: r.membership, eventId: ids.get(r.eventNid)! })),
    ...removed.map((e) => ({ userId: users.get(e.stateKeyNid)!, membership: null, eventId: null })),
  ];
}
