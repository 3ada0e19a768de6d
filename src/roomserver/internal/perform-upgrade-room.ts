/**
 * `performUpgradeRoom`: replaces a room by a new one of another version, in the spec's steps
 * (client-server API, "Room upgrades", server behaviour): check the user may send
 * `m.room.tombstone`; create the replacement room with `predecessor` and the transferred state
 * (upgrade-room-plan.ts); move the local aliases and the directory listing; tombstone the old
 * room; restrict its power levels. Every event goes through the ordinary send path, so each is
 * auth-checked. The steps are not one transaction: a failure part-way leaves the new room
 * behind, and the old room untombstoned, so the user can simply upgrade again.
 */
import { checkEventAuth } from '../../matrix/auth/check-event-auth.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import type { StateKeyTuple } from '../../matrix/room-event.js';
import { roomVersion, type RoomVersion } from '../../matrix/room-version.js';
import type { PerformUpgradeRoomRequest, PerformUpgradeRoomResponse, ProtoEvent } from '../api.js';
import { authStateAt } from './auth-state.js';
import { buildLocalEvent } from './build-local-event.js';
import { sendCreateEvent } from './perform-create-room.js';
import { performSendEvents } from './perform-send-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';
import { moveRoomListing } from './upgrade-room-listing.js';
import { planRoomUpgrade, restrictedPowerLevels, tombstoneContent, TRANSFERRED_STATE_TYPES, type OldStateEvent } from './upgrade-room-plan.js';

/**
 * Upgrades the room; the replacement room's ID.
 * @throws MatrixError 404 `M_NOT_FOUND` for an unknown room, 400 `M_UNSUPPORTED_ROOM_VERSION`,
 *   403 `M_FORBIDDEN` (naming the auth rule) when the user may not send `m.room.tombstone`.
 */
export async function performUpgradeRoom(ctx: RoomserverInternalContext, req: PerformUpgradeRoomRequest): Promise<PerformUpgradeRoomResponse> {
  const room = await ctx.storage.getRoomInfo(req.roomId);
  if (!room?.hasState) throw MatrixError.notFound(`Unknown room ${req.roomId}`);
  const newVersion = roomVersion(req.newVersion);
  const oldVersion = roomVersion(room.roomVersion);
  await checkMayUpgrade(ctx, req.roomId, oldVersion, req.userId);

  const plan = planRoomUpgrade({
    userId: req.userId,
    oldRoomId: req.roomId,
    oldVersion,
    newVersion,
    lastEventId: room.forwardExtremities.at(-1),
    additionalCreators: req.additionalCreators,
    oldState: await readOldState(ctx, req.roomId, req.userId),
  });
  const newRoomId = await sendCreateEvent(ctx, newVersion, req.userId, plan.createContent);
  await performSendEvents(ctx, { events: plan.events(newRoomId) });
  await moveRoomListing(ctx, req.roomId, newRoomId, req.userId);
  const send = (type: string, content: JsonObject): ProtoEvent => ({ roomId: req.roomId, type, stateKey: '', sender: req.userId, content });
  await performSendEvents(ctx, { events: [send('m.room.tombstone', tombstoneContent(newRoomId))] });
  await restrictOldRoom(ctx, req.roomId, req.userId, send);
  return { replacementRoom: newRoomId };
}

/**
 * Step 1: whether the user may send `m.room.tombstone` now, decided by the auth rules on a
 * trial event (never stored), so the refusal names the same rule a real send would.
 */
async function checkMayUpgrade(ctx: RoomserverInternalContext, roomId: string, rv: RoomVersion, userId: string): Promise<void> {
  const proto: ProtoEvent = { roomId, type: 'm.room.tombstone', stateKey: '', sender: userId, content: tombstoneContent(roomId) };
  const auth = await authStateAt(ctx, { currentOf: roomId }, proto, rv);
  if (!auth) throw MatrixError.notFound(`Unknown room ${roomId}`);
  const decision = checkEventAuth(buildLocalEvent(ctx, proto, rv, [], auth), auth.lookup);
  if (!decision.allowed) throw MatrixError.forbidden(`You cannot upgrade this room: ${decision.reason} (auth rule ${decision.rule})`);
}

/** The old room's state the plan reads: create, power levels, transferred types, space children, the user, the bans. */
async function readOldState(ctx: RoomserverInternalContext, roomId: string, userId: string): Promise<OldStateEvent[]> {
  const banned = await ctx.storage.getMembers(roomId, 'ban');
  const tuples: StateKeyTuple[] = [
    ['m.room.create', ''],
    ['m.room.power_levels', ''],
    ...TRANSFERRED_STATE_TYPES.map((t): StateKeyTuple => [t, '']),
    ['m.room.member', userId],
    ...banned.map((u): StateKeyTuple => ['m.room.member', u]),
  ];
  const events = (await ctx.storage.getStateEvents({ currentOf: roomId }, { tuples, types: ['m.space.child'] })) ?? [];
  return events.map((e) => {
    const content = (JSON.parse(e.json) as { content?: JsonObject }).content ?? {};
    return { type: e.type, stateKey: e.stateKey ?? '', sender: e.sender, content };
  });
}

/**
 * Step 6, "if possible": raise `events_default` and `invite` in the old room. The user may lack
 * the power to change power levels (tombstone can need less), which only skips this step.
 */
async function restrictOldRoom(
  ctx: RoomserverInternalContext,
  roomId: string,
  userId: string,
  send: (type: string, content: JsonObject) => ProtoEvent,
): Promise<void> {
  const [current] = (await ctx.storage.getStateEvents({ currentOf: roomId }, { tuples: [['m.room.power_levels', '']] })) ?? [];
  // Without power levels the v1–v11 creator's power is implicit: a first power levels event would take it away.
  if (!current) return;
  const restricted = restrictedPowerLevels((JSON.parse(current.json) as { content?: JsonObject }).content ?? {});
  if (restricted === null) return;
  try {
    await performSendEvents(ctx, { events: [send('m.room.power_levels', restricted)] });
  } catch (e) {
    if (!(e instanceof MatrixError && e.errcode === 'M_FORBIDDEN')) throw e;
    ctx.logger?.info({ roomId, userId, reason: e.message }, 'room upgrade: could not restrict the old room');
  }
}
