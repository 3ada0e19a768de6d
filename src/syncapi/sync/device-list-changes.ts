/**
 * `device_lists` of `/sync` and the answer of `/keys/changes` (spec "Extensions to /sync" of
 * end-to-end encryption): between two tokens,
 * - `changed`: users sharing a joined room with the user now (or the user themselves) whose
 *   device list or cross-signing keys changed (the `device_list` stream), plus users who came
 *   to share a room with them: members joining one of their rooms, and every member of a room
 *   they joined (the `pdu` stream's member events);
 * - `left`: users who shared a room with them before and share none now (a member leaving one
 *   of their rooms, the members of a room they left), so clients stop tracking them.
 * Any room counts, encrypted or not, as in Synapse: a superset costs clients a key query at
 * worst, a subset would leave them encrypting for devices they do not know.
 */
import type { SyncStorage, UserMembership } from '../storage/index.js';

/** The two tokens' positions. */
export interface DeviceListRange {
  /** `device_list` positions: changes in `(from, to]`. */
  readonly from: number;
  readonly to: number;
  /** `pdu` positions: member events in `(pduFrom, pduTo]`. */
  readonly pduFrom: number;
  readonly pduTo: number;
}

/** What the computation reads. */
export type DeviceListStorage = Pick<SyncStorage, 'deviceListChangesFor' | 'usersSharingRooms' | 'joinedMembersOf' | 'membershipEvents' | 'membershipsAt' | 'stateChanges' | 'activeRooms'>;

/** The two lists, sorted. */
export interface DeviceListChanges {
  readonly changed: string[];
  readonly left: string[];
}

/** The changes for `userId`, whose current memberships are `memberships`. */
export async function deviceListChanges(storage: DeviceListStorage, userId: string, memberships: readonly UserMembership[], r: DeviceListRange): Promise<DeviceListChanges> {
  const logged = r.to > r.from ? await storage.deviceListChangesFor(userId, r.from, r.to) : [];
  const changed = new Set(logged);
  const leftCandidates = new Set<string>();
  if (r.pduTo > r.pduFrom) await addMembershipChanges(storage, userId, memberships, r, changed, leftCandidates);
  changed.delete(userId);
  leftCandidates.delete(userId);
  const sharing = await storage.usersSharingRooms(userId, [...changed, ...leftCandidates]);
  const changedList = [...changed].filter((u) => sharing.has(u));
  // The user's own changes matter to their other devices.
  if (logged.includes(userId)) changedList.push(userId);
  const left = [...leftCandidates].filter((u) => !sharing.has(u));
  return { changed: changedList.sort(), left: left.sort() };
}

/** Adds who came to share a room with the user (`changed`) and who may have stopped (`left`). */
async function addMembershipChanges(
  storage: DeviceListStorage,
  userId: string,
  memberships: readonly UserMembership[],
  r: DeviceListRange,
  changed: Set<string>,
  left: Set<string>,
): Promise<void> {
  const joinedNow = new Set(memberships.filter((m) => m.membership === 'join').map((m) => m.roomId));
  const own = await storage.membershipEvents(userId, r.pduFrom, r.pduTo);
  const joinedInRange = new Set(own.filter((e) => joinedNow.has(e.roomId)).map((e) => e.roomId));
  const leftRooms = new Set(own.filter((e) => !joinedNow.has(e.roomId)).map((e) => e.roomId));
  // A profile change is a join event too: a room the user was already joined to at the start is not new.
  const before = joinedInRange.size > 0 ? await storage.membershipsAt(userId, [...joinedInRange], r.pduFrom) : new Map<string, string>();
  const newlyJoined = [...joinedInRange].filter((roomId) => before.get(roomId) !== 'join');
  for (const member of await storage.joinedMembersOf(newlyJoined)) changed.add(member);
  for (const member of await storage.joinedMembersOf([...leftRooms])) left.add(member);
  // Only rooms with events in the range can hold member events of others in it.
  const active = new Set(await storage.activeRooms(r.pduFrom, r.pduTo));
  const stayed = [...joinedNow].filter((roomId) => active.has(roomId) && !newlyJoined.includes(roomId));
  const events = stayed.length > 0 ? await storage.stateChanges(stayed.map((roomId) => ({ roomId, after: r.pduFrom, upTo: r.pduTo }))) : [];
  for (const e of events) {
    if (e.type !== 'm.room.member' || e.stateKey === null) continue;
    if (e.membership === 'join') changed.add(e.stateKey);
    else if (e.membership === 'leave' || e.membership === 'ban') left.add(e.stateKey);
  }
}
