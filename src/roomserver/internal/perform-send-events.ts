/**
 * `performSendEvents`: local users' events, each built, signed, auth-checked against the
 * current state and stored inside its room's queue, so concurrent senders extend one linear
 * DAG. A transaction ID seen before returns the event it produced. An `m.room.create` for a
 * room that does not exist yet creates it (v1–v11: the caller names the room; v12: the room ID
 * is derived from the create event, the caller passes `roomId: ''`). Invites and knocks carry
 * the room's stripped state in `unsigned` (stripped-state.ts); an invite of another server's user
 * is first countersigned by that server (countersign-remote-invite.ts).
 */
import { checkEventAuth } from '../../matrix/auth/check-event-auth.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { roomVersion, type RoomVersion } from '../../matrix/room-version.js';
import type { PerformSendEventsRequest, PerformSendEventsResponse, ProtoEvent } from '../api.js';
import type { SendTransaction } from '../storage/index.js';
import { applyRedaction } from './apply-redactions.js';
import { authStateAt, type AuthState } from './auth-state.js';
import { buildLocalEvent, MAX_LOCAL_PREV_EVENTS } from './build-local-event.js';
import { checkLocalEventContent } from './check-local-event-content.js';
import { countersignRemoteInvite } from './countersign-remote-invite.js';
import { loadEvents } from './load-events.js';
import { persistEvent } from './persist-event.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';
import { withStrippedState } from './stripped-state.js';

/** Sends the events in order; the first refused one throws (those before it stay sent). */
export async function performSendEvents(ctx: RoomserverInternalContext, req: PerformSendEventsRequest): Promise<PerformSendEventsResponse> {
  const eventIds: string[] = [];
  for (const proto of req.events) eventIds.push(await sendEvent(ctx, proto));
  return { eventIds };
}

async function sendEvent(ctx: RoomserverInternalContext, proto: ProtoEvent): Promise<string> {
  if (proto.type === 'm.room.create' && proto.stateKey === '') return createRoom(ctx, proto);
  checkLocalEventContent(ctx.serverName, proto);
  return ctx.queue.run(proto.roomId, async () => {
    const txn = transactionOf(proto, proto.roomId);
    const previous = txn && (await ctx.storage.getTransactionEventId(txn));
    if (previous) return previous;
    const room = await ctx.storage.getRoomInfo(proto.roomId);
    if (!room?.hasState) throw MatrixError.notFound(`Unknown room ${proto.roomId}`);
    const rv = roomVersion(room.roomVersion);
    const [auth, prevs] = await Promise.all([
      authStateAt(ctx, { currentOf: proto.roomId }, proto, rv),
      loadEvents(ctx, room.forwardExtremities.slice(-MAX_LOCAL_PREV_EVENTS)),
    ]);
    const built = buildLocalEvent(ctx, proto, rv, [...prevs.values()], auth!);
    authorise(built, auth!);
    const event = await countersignRemoteInvite(ctx, await withStrippedState(ctx, built));
    // A just-built event is nobody's prev event yet, so the new extremities are known without asking storage.
    const prevSet = new Set(event.prevEvents);
    const forwardExtremities = [...room.forwardExtremities.filter((id) => !prevSet.has(id)), event.eventId];
    await persistEvent(ctx, { event, stateBefore: { base: { current: true } }, updateHead: { forwardExtremities }, transaction: txn });
    if (event.redacts !== undefined) await applyRedaction(ctx, event);
    return event.eventId;
  });
}

/** The create event of a new room; its room must not exist. */
async function createRoom(ctx: RoomserverInternalContext, proto: ProtoEvent): Promise<string> {
  const rv = createVersion(proto);
  if (rv.roomIdIsCreateHash !== (proto.roomId === '')) {
    throw MatrixError.invalidParam(rv.roomIdIsCreateHash ? 'Room version 12 derives the room ID: pass roomId ""' : 'The create event needs a room ID');
  }
  const empty: AuthState = { lookup: () => undefined, entries: new Map() };
  const event = buildLocalEvent(ctx, proto, rv, [], empty);
  return ctx.queue.run(event.roomId, async () => {
    const txn = transactionOf(proto, event.roomId);
    const previous = txn && (await ctx.storage.getTransactionEventId(txn));
    if (previous) return previous;
    if (await ctx.storage.getRoomInfo(event.roomId)) throw MatrixError.roomInUse(`Room ${event.roomId} already exists`);
    authorise(event, empty);
    await persistEvent(ctx, { event, stateBefore: {}, updateHead: {}, transaction: txn });
    return event.eventId;
  });
}

/** The version a create event asks for (`room_version`, "1" when absent as the spec says). */
function createVersion(proto: ProtoEvent): RoomVersion {
  const v = proto.content.room_version ?? '1';
  if (typeof v !== 'string') throw MatrixError.badJson('content.room_version must be a string');
  return roomVersion(v);
}

/** Throws `M_FORBIDDEN` naming the auth rule when the event is not allowed by the current state. */
function authorise(event: RoomEvent, auth: AuthState): void {
  const decision = checkEventAuth(event, auth.lookup);
  if (!decision.allowed) throw MatrixError.forbidden(`${decision.reason} (auth rule ${decision.rule})`);
}

function transactionOf(proto: ProtoEvent, roomId: string): SendTransaction | undefined {
  const t = proto.transaction;
  return t && { roomId, userId: proto.sender, deviceId: t.deviceId, transactionId: t.transactionId };
}
